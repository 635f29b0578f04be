import { version } from '../../../package.json';
import { CHECK_USAGE, runCheckCommand, type CheckIo } from './check-command';
import { runRemoteCommand } from './remote-command';

export type CliIo = CheckIo;

export const USAGE =
  'usage: nft-offload <command> [options]\n' +
  '\n' +
  'commands:\n' +
  '  check [--json] [--nft] FILE...   check rulesets: syntax, references, flow offload\n' +
  '  explain CODE                     explain a finding code (not implemented yet)\n' +
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
    case 'explain':
      io.stderr('nft-offload: explain is not implemented yet\n');
      return 2;
    case 'lsp':
      // TODO(lsp): call startServer() from server/src/lsp/server.ts once it exists
      // (`nft-offload lsp --stdio`); until then this stub keeps the command name reserved.
      io.stderr('nft-offload: lsp is not implemented yet\n');
      return 2;
    case 'remote':
      return runRemoteCommand(rest, io);
    default:
      io.stderr(`nft-offload: unknown command ${JSON.stringify(cmd)}\n${USAGE}`);
      return 2;
  }
}
