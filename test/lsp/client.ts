import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { createMessageConnection, StreamMessageReader, StreamMessageWriter, type MessageConnection } from 'vscode-jsonrpc/node';

export const SERVER = join(__dirname, '../../server/out/server.js');

/** A JSON-RPC client over the real bundled server's stdio. */
export interface TestServer {
  conn: MessageConnection;
  child: ChildProcess;
  /** Notifications received, by method. */
  notifications: { method: string; params: unknown }[];
  stop(): Promise<void>;
}

export async function startTestServer(capabilities: object = { textDocument: { diagnostic: {} } }, settings: object = {}): Promise<TestServer> {
  const child = spawn(process.execPath, [SERVER, '--stdio'], { stdio: ['pipe', 'pipe', 'pipe'] });
  const conn = createMessageConnection(new StreamMessageReader(child.stdout!), new StreamMessageWriter(child.stdin!));
  const notifications: TestServer['notifications'] = [];
  conn.onNotification((method, params) => void notifications.push({ method, params }));
  conn.onRequest(() => null); // workspace/diagnostic/refresh and friends
  conn.listen();
  await conn.sendRequest('initialize', { processId: process.pid, rootUri: null, capabilities, initializationOptions: { settings } });
  await conn.sendNotification('initialized', {});
  return {
    conn,
    child,
    notifications,
    async stop() {
      try {
        await conn.sendRequest('shutdown');
        await conn.sendNotification('exit');
      } catch {
        /* already gone */
      }
      conn.dispose();
      child.kill();
    },
  };
}
