#!/usr/bin/env node
// The `nft-offload` command: the CLI is bundled into server/out/cli.js by `npm run build`.
'use strict';
require('../server/out/cli.js');
