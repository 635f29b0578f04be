#!/bin/sh
':' /*
# This block is shell (Node reads it as a comment). `check` starts from the start-up snapshot
# (server/src/cli/snapshot-main.ts) when `npm run build` made one with this same Node binary:
# check.blob.node holds that binary's size, mtime and inode, as `stat -Lc '%s %Y %i'` prints
# them. Anything else, or NFT_OFFLOAD_NO_SNAPSHOT=1, starts from server/out/cli.js.
if [ "$1" = check ] && [ -z "$NFT_OFFLOAD_NO_SNAPSHOT" ] && self=$(readlink -f "$0" 2>/dev/null) &&
  out=${self%/*}/../server/out && [ -r "$out/check.blob" ] && [ -r "$out/check.blob.node" ] && read -r stamp < "$out/check.blob.node" &&
  node=$(command -v node) && [ "$(stat -Lc '%s %Y %i' "$node" 2>/dev/null)" = "$stamp" ]; then
  exec node --snapshot-blob "$out/check.blob" --max-semi-space-size=4 "$0" "$@"
fi
exec node --max-semi-space-size=4 "$0" "$@"
*/
// The `nft-offload` command: the CLI is bundled into server/out/cli.js by `npm run build`.
//
// The block above makes this file a shell script as well as JavaScript: run as a program (npm's
// bin link, `./bin/nft-offload.js`) the shell re-runs it with Node and the V8 flag below; Node
// reads `':'` as a string and the rest as a comment. `#!/usr/bin/env -S node …` would say the
// same more plainly, but BusyBox's env (Alpine, a common CI image) has no -S.
//
// --max-semi-space-size=4: a check builds one large tree that lives until the end, so nearly
// everything V8 allocates survives; Node's default 16 MB young generation only adds about 40 MB
// of peak memory on big rulesets, at no gain in speed (bench/results.md). The snapshot is made
// with the same flag (esbuild.mjs): Node refuses a snapshot made under other V8 flags. `node
// bin/nft-offload.js` works too, with Node's defaults and without the snapshot.
'use strict';
require('../server/out/cli.js');
