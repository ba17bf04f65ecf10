#!/bin/sh
# Builds build/quiver_template.wasm, an ABI 2 reactor, with Debian's Rust for wasm32-wasi (apt-get install
# rustc cargo libstd-rust-dev-wasm32, plus clang-19 lld-19 wasi-libc for the C SDK the
# quiver-sdk crate links). rustup's toolchains here lack the wasm32 targets and cannot fetch
# them offline, so /usr/bin/rustc is used even when rustup's is first on the PATH.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
root=${QUIVER_ROOT:-@QUIVER_ROOT@}
export CARGO_HOME="${CARGO_HOME:-$root/.toolchains/cargo}"
export RUSTC="${RUSTC:-/usr/bin/rustc}"
cd "$here"
"${CARGO:-/usr/bin/cargo}" build --quiet --release --target wasm32-wasi --target-dir build/target
cp build/target/wasm32-wasi/release/quiver_template.wasm build/quiver_template.wasm
