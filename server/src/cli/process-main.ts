import { runCli } from './run-cli';

/*
 * The CLI run by a Node process: its arguments, streams, environment and exit status wired to
 * runCli. Two entries call it: main.ts (server/out/cli.js) and snapshot-main.ts (the start-up
 * snapshot that bin/nft-offload.js starts for `check`).
 */

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of process.stdin) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

const write = (stream: NodeJS.WriteStream) => (s: string) => {
  stream.write(s);
};

export function runProcessCli(): void {
  // A reader that stops early (`nft-offload check big.nft | head`) closes the pipe: end quietly
  // with the check's status, as other Unix tools do, instead of Node's unhandled-error trace.
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (e: NodeJS.ErrnoException) => {
      if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
      throw e;
    });
  }
  runCli(process.argv.slice(2), {
    stdout: write(process.stdout),
    stderr: write(process.stderr),
    color: Boolean(process.stdout.isTTY) && !process.env.NO_COLOR,
    env: process.env,
    cwd: process.cwd(),
    readStdin,
  }).then(
    (code) => {
      process.exitCode = code;
    },
    (e: unknown) => {
      // Last resort: a bug of ours. One line and status 2, not a stack trace.
      process.stderr.write(`nft-offload: internal error: ${(e as Error)?.message ?? String(e)}\n`);
      if (process.env.NFT_OFFLOAD_DEBUG) process.stderr.write(`${(e as Error)?.stack}\n`);
      process.exitCode = 2;
    },
  );
}
