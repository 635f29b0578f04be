// A separate process that applies and then waits before confirming, so a test can kill -9 it in
// the window between apply and confirm (real process, real SSH).
// argv: URL IDENTITY KNOWN_HOSTS FILE SECONDS
import { readFileSync } from 'node:fs';
import { connectRouter, parseSshUrl, safeApply, type SshTarget } from '../../../server/src/remote';

const [url, identity, knownHosts, file, secs] = process.argv.slice(2);
const target = parseSshUrl(url) as SshTarget;
void safeApply({
  connect: () => connectRouter({ target, identityFile: identity, knownHostsFiles: [knownHosts], agentSocket: null }),
  target, ruleset: readFileSync(file, 'utf8'), file, rollbackAfterSeconds: Number(secs),
  beforeConfirm: () => {
    process.stdout.write('APPLIED\n');
    return new Promise<boolean>(() => undefined); // never confirms: the test kills us here
  },
}).then((r) => process.stdout.write(`RESULT ${r.status}\n`));
