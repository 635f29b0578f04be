// Bounded, rate-limited TCP traffic lan -> wan through the lab router (iperf3 at 2 Mbit/s, at most
// 5 minutes), so the router has a live, growing flow for the Routers view and the dashboard.
// Runs in the lab's own namespaces; the runner's lab.down() kills whatever is left there.
'use strict';
const { spawn } = require('child_process');

const children = [];
const WAN_ADDR = '10.10.2.2'; // netns-lab.ts and the VM lab's guest-rcS.sh use the same plan

function start(lab) {
  const inNs = (ns, args) => {
    const c = spawn('ip', ['netns', 'exec', ns, ...args], { detached: true, stdio: 'ignore' });
    children.push(c);
    return c;
  };
  inNs(lab.ns.wan, ['timeout', '300', 'iperf3', '--server', '--bind', WAN_ADDR]);
  // the server needs a moment to listen; iperf3's client retries its control connection briefly
  setTimeout(() => inNs(lab.ns.lan, ['timeout', '300', 'iperf3', '--client', WAN_ADDR, '--bitrate', '2M', '--time', '280']), 500);
}

function stop() {
  for (const c of children.splice(0)) {
    try {
      process.kill(-c.pid, 'SIGKILL');
    } catch {
      /* already gone */
    }
  }
}

module.exports = { start, stop, WAN_ADDR };
