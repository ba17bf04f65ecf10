#!/bin/sh
# Builds build/scale.wasm, an ABI 2 reactor, from scale.c and the C SDK with clang-19 and
# Debian's wasi-libc (apt-get install clang-19 lld-19 wasi-libc libclang-rt-19-dev-wasm32).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
sdk=${QUIVER_SDK:-$here/../../../../modules/sdk}
mkdir -p "$here/build"
# The SDK without its unit tests, fuzz targets and ABI drivers; step_v2.c is the v2 driver.
sdk_sources=$(ls "$sdk"/*.c | grep -v -e '_test\.c$' -e '/fuzz_' -e '/step_v[0-9]*\.c$')
# shellcheck disable=SC2086
clang-19 --target=wasm32-wasi --sysroot=/usr -O2 -std=c11 -Wall -Wextra -Werror \
  -ffunction-sections -fdata-sections -Wl,--gc-sections -Wl,--strip-all \
  -DQV_ABI=2 -mexec-model=reactor -I"$sdk" \
  -o "$here/build/scale.wasm" "$here/scale.c" "$sdk/step_v2.c" $sdk_sources
