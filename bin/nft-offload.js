#!/bin/sh
':' //; exec node --max-semi-space-size=4 "$0" "$@"
// The `nft-offload` command: the CLI is bundled into server/out/cli.js by `npm run build`.
//
// The second line makes this file a shell script as well as JavaScript: run as a program (npm's
// bin link, `./bin/nft-offload.js`) the shell re-runs it with Node and the V8 flag below; Node
// reads that line as a string and a comment. `#!/usr/bin/env -S node …` would say the same more
// plainly, but BusyBox's env (Alpine, a common CI image) has no -S.
//
// --max-semi-space-size=4: a check builds one large tree that lives until the end, so nearly
// everything V8 allocates survives; Node's default 16 MB young generation only adds about 40 MB
// of peak memory on big rulesets, at no gain in speed (bench/results.md). `node
// bin/nft-offload.js` works too, with Node's defaults.
'use strict';
require('../server/out/cli.js');
