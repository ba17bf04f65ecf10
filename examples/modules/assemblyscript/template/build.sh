#!/bin/sh
# Builds build/quiver_template.wasm, an ABI 2 reactor, with the AssemblyScript compiler of the
# Quiver checkout this project was made from; quiver-sdk/ links to that checkout's AS kit.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
root=${QUIVER_ROOT:-@QUIVER_ROOT@}
cd "$here"
ln -sfn "$root/examples/modules/assemblyscript/sdk" quiver-sdk
mkdir -p build
"$root/node_modules/.bin/asc" assembly/index.ts --outFile build/quiver_template.wasm \
  --optimizeLevel 3 --shrinkLevel 0 --runtime incremental --exportStart _initialize \
  --use abort=quiver-sdk/assembly/wasi/abortStep
