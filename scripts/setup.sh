#!/usr/bin/env bash
# Installs what the judge and its tests need on Debian: the toolchains it judges with, the
# compiler for its native sandbox helper, and PostgreSQL (the cluster tests start their own
# server from its binaries; the judge never uses the package's default instance).
# Installs only what is missing; safe to run again.
set -euo pipefail

# qemu-system-x86 and cpio: tests/cgroupv2/run-vm.sh (the sandbox daemon on a pure cgroup v2 kernel, in a VM);
# postgresql: the server the cluster tests start in a temporary directory
packages=(gcc g++ python3 pypy3 default-jdk-headless qemu-system-x86 cpio postgresql)

missing=()
for package in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done

if ((${#missing[@]})); then
  echo "setup: installing ${missing[*]}" >&2
  sudo=()
  if ((EUID != 0)); then
    command -v sudo >/dev/null || { echo "setup: run as root or install: ${missing[*]}" >&2; exit 1; }
    sudo=(sudo)
  fi
  export DEBIAN_FRONTEND=noninteractive
  "${sudo[@]}" apt-get update -qq
  "${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

command -v dotnet >/dev/null || { echo "setup: the .NET 10 SDK is required (dotnet not on PATH)" >&2; exit 1; }
