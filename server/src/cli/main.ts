// Entry point of the `nft-offload` binary (bundled to server/out/cli.js; bin/nft-offload.js
// requires it). The process wiring is in process-main.ts; the commands are in run-cli.ts.
import { runProcessCli } from './process-main';

runProcessCli();
