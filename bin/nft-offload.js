#!/usr/bin/env -S node --max-semi-space-size=4
// The `nft-offload` command: the CLI is bundled into server/out/cli.js by `npm run build`.
// --max-semi-space-size=4: a check builds one large tree that lives until the end, so nearly
// everything V8 allocates survives; a 16 MB young generation (Node's default) only adds about
// 40 MB of peak memory on big rulesets, at no gain in speed (bench/results.md). It applies when
// the command runs as `nft-offload` (npm's bin link) or `./bin/nft-offload.js`.
'use strict';
require('../server/out/cli.js');
