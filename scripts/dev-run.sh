#!/bin/sh
# Runs a TypeScript file once, bundled by esbuild (for quick experiments while developing).
set -e
out=$(mktemp /tmp/nft-offload-dev-XXXXXX.cjs)
npx esbuild "$1" --bundle --platform=node --format=cjs --target=node20 --log-level=warning --outfile="$out"
shift
node "$out" "$@"
rm -f "$out"
