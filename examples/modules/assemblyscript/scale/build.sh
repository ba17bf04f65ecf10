#!/bin/sh
# Builds build/scale.wasm, an ABI 2 reactor, with the AssemblyScript compiler (npm
# assemblyscript, in the Quiver checkout's node_modules); quiver-sdk/ links to that checkout's
# AS kit. The compiler's `abort` is routed to the kit's WASI stderr writer so the module imports
# nothing but wasi_snapshot_preview1.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
root=${QUIVER_ROOT:-$here/../../../..}
cd "$here"
ln -sfn "$root/examples/modules/assemblyscript/sdk" quiver-sdk
mkdir -p build
"$root/node_modules/.bin/asc" assembly/index.ts --outFile build/scale.wasm --optimizeLevel 3 \
  --shrinkLevel 0 --runtime incremental --exportStart _initialize \
  --use abort=quiver-sdk/assembly/wasi/abortStep
