#!/bin/sh
# Builds and runs the seccomp filter test: one PASS/FAIL line per check, non-zero exit on any failure.
# Usage: tests/seccomp/run.sh   (from anywhere; needs gcc, and g++, python3, java, javac for the toolchain checks)
set -eu
here=$(cd "$(dirname "$0")" && pwd)
native="$here/../../src/Engine/Sandbox/Linux/native"
build=$(mktemp -d /tmp/judge-seccomp-build-XXXXXX)
trap 'rm -rf "$build"' EXIT
if ! gcc -std=gnu11 -O1 -Wall -Wextra -Werror -pthread -I"$native" \
        -o "$build/seccomp_test" "$here/seccomp_test.c" "$native/seccomp.c"; then
    echo "FAIL build: seccomp_test did not compile"
    exit 1
fi
# The test drops to uid 65534 itself when run as root, so it needs a directory that uid can enter.
chmod 755 "$build"
status=0
"$build/seccomp_test" || status=$?
exit "$status"
