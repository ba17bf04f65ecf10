#!/bin/sh
# Builds build/scale.wasm, an ABI 2 reactor, from scale.cpp with the kit's quiver.hpp over the
# C SDK: clang++-19 with Debian's libc++ for wasm32 (apt-get install clang-19 lld-19 wasi-libc
# libclang-rt-19-dev-wasm32 libc++-19-dev-wasm32 libc++abi-19-dev-wasm32). The C SDK is
# compiled as C, the module as C++17 without exceptions (see sdk/quiver.hpp).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
root=${QUIVER_ROOT:-$here/../../../..}
sdk=$root/modules/sdk
kit=$root/examples/modules/cpp/sdk
mkdir -p "$here/build/obj"
flags="--target=wasm32-wasi --sysroot=/usr -O2 -Wall -Wextra -Werror -ffunction-sections -fdata-sections -DQV_ABI=2"
for c in "$sdk/step_v2.c" $(ls "$sdk"/*.c | grep -v -e '_test\.c$' -e '/fuzz_' -e '/step_v[0-9]*\.c$'); do
  # shellcheck disable=SC2086
  clang-19 $flags -std=c11 -I"$sdk" -c "$c" -o "$here/build/obj/$(basename "$c" .c).o"
done
# shellcheck disable=SC2086
clang++-19 $flags -std=c++17 -fno-exceptions -mexec-model=reactor -I"$sdk" -I"$kit" \
  -Wl,--gc-sections -Wl,--strip-all -o "$here/build/scale.wasm" "$here/scale.cpp" "$here"/build/obj/*.o
