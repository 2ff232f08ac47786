#!/usr/bin/env sh
# Rebuilds the MKL CPU-dispatch shim (see mkl_cpu_dispatch.c) into the resources, where the jar picks it up
# (OUT=file writes it elsewhere).
# Needs a C compiler for x86-64 Linux. The library has no dependencies (not even libc) and no build id, so the same
# compiler gives the same bytes; MklCpuDispatchTest builds this source and checks that both libraries answer alike.
set -eu
cd "$(dirname "$0")"
OUT=${OUT:-../resources/native/linux-x86_64/libprenas_mkl_cpu.so}
${CC:-cc} -shared -fPIC -O2 -nostdlib -Wl,--build-id=none -Wl,-soname,libprenas_mkl_cpu.so -s \
  -o "$OUT" mkl_cpu_dispatch.c
echo "wrote $OUT ($(wc -c < "$OUT") bytes)"
