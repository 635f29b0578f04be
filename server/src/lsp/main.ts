// Entry point of the bundled server (server/out/server.js): the transport comes from argv
// (--node-ipc when started by the VS Code client, --stdio when run headless).
import { startServer } from './server';

process.on('uncaughtException', (e) => {
  // NOTE: a bug must not take the editor's language features down; log and carry on.
  process.stderr.write(`nftables-offload server: uncaught ${(e as Error)?.stack ?? e}\n`);
});
startServer();
