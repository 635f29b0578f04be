import { version } from '../../../package.json';
import { CHECK_USAGE, runCheckCommand, type CheckIo } from './check-command';

export type CliIo = CheckIo;

export const USAGE =
  'usage: nft-offload <command> [options]\n' +
  '\n' +
  'commands:\n' +
  '  check [--json] [--nft] FILE...   check rulesets: syntax, references, flow offload\n' +
  '  explain FILE --flow SPEC         walk one flow through the ruleset: fast path or not, and why\n' +
  '  lsp --stdio                      run the language server over stdio\n' +
  '  remote <check|apply|pull|diff|flows> ssh://user@host[:port] [FILE]   work on a router over SSH\n' +
  '\n' +
  'options: --help, --version\n' +
  '\n' +
  CHECK_USAGE;

/** Dispatches `nft-offload ARGV`; resolves to the exit status. Never throws for bad input. */
export async function runCli(argv: string[], io: CliIo): Promise<number> {
  const [cmd, ...rest] = argv;
  switch (cmd) {
    case undefined:
      io.stderr(USAGE);
      return 2;
    case '-h':
    case '--help':
    case 'help':
      io.stdout(USAGE);
      return 0;
    case '-V':
    case '--version':
      io.stdout(`nft-offload ${version}\n`);
      return 0;
    case 'check':
      if (rest.includes('--help') || rest.includes('-h')) {
        io.stdout(CHECK_USAGE);
        return 0;
      }
      return runCheckCommand(rest, io);
    // NOTE: the other commands are imported on demand, so `check` does not pay for ssh2 or the
    // language server at start-up: esbuild keeps `explain` lazy in the bundle, and esbuild.mjs
    // turns the `remote` and `lsp` imports into bundles of their own, read only when run.
    case 'explain': {
      const { runExplainCommand } = await import('./explain-command');
      return runExplainCommand(rest, io);
    }
    case 'lsp': {
      if (!rest.some((a) => a === '--stdio' || a === '--node-ipc' || a.startsWith('--socket=') || a.startsWith('--pipe='))) {
        io.stderr('usage: nft-offload lsp --stdio\n');
        return 2;
      }
      const { startServer } = await import('../lsp/server');
      startServer();
      // The connection keeps the process alive and ends it when the client says `exit`.
      return new Promise<number>(() => {});
    }
    case 'remote': {
      const { runRemoteCommand } = await import('./remote-command');
      return runRemoteCommand(rest, io);
    }
    default:
      io.stderr(`nft-offload: unknown command ${JSON.stringify(cmd)}\n${USAGE}`);
      return 2;
  }
}
