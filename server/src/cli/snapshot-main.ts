// Entry point of the start-up snapshot for `nft-offload check` (server/out/check.blob).
//
// esbuild.mjs bundles this file and runs it once under `node --build-snapshot`: the modules are
// loaded and the parser is built and warmed (Chevrotain records the grammar and makes its
// lookahead functions) while the snapshot is made, and Node saves the heap. bin/nft-offload.js
// starts `check` from that heap (`node --snapshot-blob`) when the blob was made by the same
// Node binary, which skips reading and compiling the bundle and building the parser: about
// 80 ms of every check (bench/results.md). Everything else starts from server/out/cli.js.
import { startupSnapshot } from 'node:v8';
import { parseRuleset } from '../syntax/parse';
import { warmUpScanner } from '../syntax/lexer';
import { runProcessCli } from './process-main';

// One rule of each common kind, so that the parser's lookahead for them is made now.
parseRuleset(
  'table inet t {\n\tset s { type ipv4_addr; elements = { 10.0.0.1 } }\n\tchain c {\n\t\ttype filter hook forward priority filter; policy accept;\n' +
    '\t\tct state established,related accept\n\t\tip saddr @s counter drop\n\t\tmeta l4proto { tcp, udp } flow add @f\n\t\tiifname "lan" jump d\n\t}\n}\n',
);

startupSnapshot.setDeserializeMainFunction(() => {
  // The snapshot keeps the parser but not what V8 learned running it: the scanner sees every
  // kind of token again before the file's (lexer.ts warmUpScanner says why).
  warmUpScanner();
  runProcessCli();
});
