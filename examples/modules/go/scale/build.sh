#!/bin/sh
# Builds build/scale.wasm, an ABI 2 reactor, with Go >= 1.24 (//go:wasmexport and
# -buildmode=c-shared on wasip1) and arrow-go from the Go module proxy. GOMODCACHE and GOCACHE
# default to .toolchains/ at the repository root (git-ignored) unless already set.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
root=${QUIVER_ROOT:-$here/../../../..}
export GOMODCACHE="${GOMODCACHE:-$root/.toolchains/go-mod}" GOCACHE="${GOCACHE:-$root/.toolchains/go-build}"
export GOFLAGS="${GOFLAGS:--modcacherw}"
cd "$here"
GOOS=wasip1 GOARCH=wasm go build -buildmode=c-shared -trimpath -ldflags=-s -o build/scale.wasm .
