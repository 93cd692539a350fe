#!/usr/bin/env bash
# Runs the judge-sandbox protocol driver (tests/sandboxd/drive.py) with --cgroup v2 in a throwaway VM: a Debian
# 6.1 kernel (the kernel series of production's AL2023 nodes) booted with a pure cgroup v2 hierarchy, whose root
# filesystem is this machine's, read-only over 9p. Nothing is installed on the host but qemu (scripts/setup.sh);
# the kernel and busybox packages are downloaded with apt-get download and unpacked into a cache directory.
#
# Usage: tests/cgroupv2/run-vm.sh [--binary PATH] [--timeout SECONDS] [-- DRIVE.PY ARGS...]
# Prints the VM's facts, drive.py's output and "VM-RESULT rc=N"; exits with drive.py's exit code, or 3 when the VM
# itself could not run (the reason on stderr). Environment: JUDGE_VM_CACHE (default /var/cache/judge-vm) where the
# packages are unpacked; JUDGE_VM_ACCEL=tcg skips the KVM attempt.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
binary="" timeout=600 drive_args=(--bench 0)
while (($#)); do
  case "$1" in
    --binary) binary=$2; shift 2 ;;
    --timeout) timeout=$2; shift 2 ;;
    --) shift; drive_args=("$@"); break ;;
    *) echo "run-vm: unknown option $1" >&2; exit 2 ;;
  esac
done
fail() { echo "run-vm: $*" >&2; exit 3; }

command -v qemu-system-x86_64 >/dev/null || fail "qemu-system-x86_64 missing (scripts/setup.sh installs qemu-system-x86)"
command -v cpio >/dev/null || fail "cpio missing (scripts/setup.sh installs it)"
((EUID == 0)) || fail "must run as root (the daemon in the VM runs from this machine's root filesystem as root)"

# ---- kernel and busybox, downloaded once
cache=${JUDGE_VM_CACHE:-/var/cache/judge-vm}
kernel_package() { apt-cache depends linux-image-amd64 2>/dev/null | sed -n 's/^ *Depends: \(linux-image-6\.1\.[^ ]*\)$/\1/p' | head -1; }
kpkg=$(kernel_package)
[ -n "$kpkg" ] || kpkg=$(cd "$cache" 2>/dev/null && ls -d linux-image-6.1.* 2>/dev/null | tail -1) || true
[ -n "$kpkg" ] || { apt-get update -qq >&2 && kpkg=$(kernel_package); } || true
[ -n "$kpkg" ] || fail "cannot find the Debian 6.1 kernel package (apt-cache depends linux-image-amd64; run apt-get update)"
root="$cache/$kpkg"
if [ ! -e "$root/.complete" ]; then
  echo "run-vm: downloading $kpkg and busybox-static into $root" >&2
  rm -rf "$root" && mkdir -p "$root/debs" && chmod 755 "$cache" "$root" "$root/debs"
  ( cd "$root/debs" && { apt-get download -q "$kpkg" busybox-static >/dev/null 2>&1 ||
      { apt-get update -qq && apt-get download -q "$kpkg" busybox-static >/dev/null; }; } ) || fail "apt-get download $kpkg busybox-static failed"
  for deb in "$root"/debs/*.deb; do dpkg-deb -x "$deb" "$root/fs"; done
  rm -rf "$root/debs"
  touch "$root/.complete"
fi
kver=${kpkg#linux-image-}
kernel="$root/fs/boot/vmlinuz-$kver"
[ -f "$kernel" ] || fail "no kernel image at $kernel"

work=$(mktemp -d /tmp/judge-vm.XXXXXX)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/initramfs/bin" "$work/initramfs/modules" "$work/out"
for d in proc sys dev newroot; do mkdir -p "$work/initramfs/$d"; done

# ---- initramfs: static busybox, the modules for 9p over virtio-pci and overlayfs (with their dependencies, in load order)
cp "$root/fs/bin/busybox" "$work/initramfs/bin/busybox"
for applet in sh mount umount insmod mkdir cat cp ip poweroff switch_root; do ln -s busybox "$work/initramfs/bin/$applet"; done
cp "$here/init" "$work/initramfs/init"
python3 - "$root/fs/lib/modules/$kver" "$work/initramfs/modules" > "$work/initramfs/modules.list" <<'PY'
import lzma, os, re, sys
moddir, dest = sys.argv[1], sys.argv[2]
paths = {}
for base, _, files in os.walk(moddir):
    for f in files:
        if f.endswith((".ko", ".ko.xz")):
            paths[re.sub(r"\.ko(\.xz)?$", "", f).replace("-", "_")] = os.path.join(base, f)
order = []
def add(name):
    name = name.replace("-", "_")
    if name in order:
        return
    data = open(paths[name], "rb").read()
    if paths[name].endswith(".xz"):
        data = lzma.decompress(data)
    m = re.search(rb"(?:^|\0)depends=([^\0]*)\0", data)
    for dep in (m.group(1).decode().split(",") if m and m.group(1) else []):
        add(dep)
    open(os.path.join(dest, name + ".ko"), "wb").write(data)
    order.append(name)
for name in ("virtio_pci", "9pnet_virtio", "9p", "overlay"):
    add(name)
print("\n".join(n + ".ko" for n in order))
PY
(cd "$work/initramfs" && find . | cpio -o -H newc --quiet | gzip -1) > "$work/initramfs.gz"

# ---- what the guest runs
if [ -z "$binary" ]; then
  binary="$work/out/judge-sandbox"
  gcc -std=gnu11 -O2 -Wall -Wextra -Werror -o "$binary" "$repo"/src/Engine/Sandbox/Linux/native/*.c
else
  cp "$binary" "$work/out/judge-sandbox"
fi
# gcc is slow under TCG: the driver's test programs are compiled here
gcc -O2 -static -o "$work/out/probe" "$repo/tests/sandboxd/probe.c"
gcc -O2 -static -o "$work/out/trivial" "$repo/tests/sandboxd/trivial.c"
gcc -std=gnu11 -O2 -Wall -Wextra -o "$work/out/cgroup_fake" "$repo/tests/sandboxd/cgroup_fake.c"
# The sandbox sidecar's entrypoint itself (deploy/docker/entrypoint.sh, mode sandbox: remount the cgroup filesystem,
# move into a leaf, start the daemon with --cgroup-root /), with the daemon replaced by the protocol driver, which starts
# its daemons with that --cgroup-root. The stand-in fails unless the entrypoint passed it.
cp "$repo/deploy/docker/entrypoint.sh" "$work/out/judge-entrypoint"
cat > "$work/out/sandbox-stand-in" <<STANDIN
#!/bin/sh
case " \$* " in
  *" --cgroup-root / "*) ;;
  *) echo "run-vm: the entrypoint started the daemon without --cgroup-root /: \$*" >&2; exit 97 ;;
esac
exec python3 /tmp/out/drive.py --binary /tmp/out/judge-sandbox --prebuilt /tmp/out --cgroup v2 --cgroup-root / --slow \${judge_slow:-1} ${drive_args[*]}
STANDIN
chmod 0755 "$work/out/sandbox-stand-in"
# (The work root's parent must be writable: the guest's root filesystem is read-only, its /tmp is not.)
echo 'Judge__WorkRoot=/tmp/judge/work JUDGE_SANDBOX_BINARY=/tmp/out/sandbox-stand-in exec sh /tmp/out/judge-entrypoint sandbox' > "$work/out/entrypoint.sh"
# The guest gets fresh tmpfs over /tmp and /run: a repository under either would be hidden there, so what the guest
# runs travels in the output share.
cp "$repo/tests/cgroupv2/guest.sh" "$repo/tests/sandboxd/drive.py" "$work/out/"
cat > "$work/out/env" <<ENV
JUDGE_VM_GUEST=/tmp/out/guest.sh
ENV

# ---- boot: KVM when it works, else TCG (slower, but this kernel boots in seconds under TCG too). A KVM that boots
# nothing (nested virtualisation may hang or abort at the first instruction) is detected by the init's first line.
boot() { # slow-factor accelerator-options...
  local slow=$1
  shift
  ( timeout --kill-after=10 "$timeout" qemu-system-x86_64 "$@" -smp 2 -m 2048 -nographic -no-reboot \
    -kernel "$kernel" -initrd "$work/initramfs.gz" \
    -append "console=ttyS0 quiet loglevel=3 panic=-1 rdinit=/init systemd.unified_cgroup_hierarchy=1 cgroup_no_v1=all judge_slow=$slow" \
    -virtfs local,path=/,mount_tag=hostroot,security_model=none,readonly=on,multidevs=remap \
    -virtfs local,path="$work/out",mount_tag=out,security_model=none \
    -nic none; exit $? ) < /dev/null > "$work/console.log" 2>&1 & # (a qemu abort is noted in the log, not here)
  qpid=$!
}
start=$(date +%s) accel=tcg
if [ -r /dev/kvm ] && [ -w /dev/kvm ] && [ "${JUDGE_VM_ACCEL:-}" != tcg ]; then
  accel=kvm
  boot 2 -enable-kvm -cpu host
  for _ in $(seq 100); do
    grep -q "judge-vm: init" "$work/console.log" 2>/dev/null && break
    kill -0 "$qpid" 2>/dev/null || break
    sleep 0.2
  done
  if ! grep -q "judge-vm: init" "$work/console.log"; then
    kill "$qpid" 2>/dev/null || true
    wait "$qpid" || true
    echo "run-vm: KVM did not boot the kernel within 20 s ($(grep -m1 -i 'error' "$work/console.log" || echo no output)); using TCG" >&2
    accel=tcg
  fi
fi
if [ "$accel" = tcg ]; then
  boot 5 -accel tcg,thread=multi -cpu max
fi
echo "run-vm: booting $kver with $accel" >&2
set +e
wait "$qpid"
qrc=$?
set -e
echo "VM-accel: $accel"
echo "run-vm: VM finished after $(( $(date +%s) - start )) s (qemu exit $qrc)" >&2
for f in facts container-cgroup cgroups-after; do
  [ -f "$work/out/$f" ] && sed "s/^/VM-$f: /" "$work/out/$f"
done
if [ ! -f "$work/out/rc" ]; then
  echo "run-vm: the guest did not finish (qemu exit $qrc); console:" >&2
  tail -n 60 "$work/console.log" >&2
  [ -f "$work/out/drive.log" ] && cat "$work/out/drive.log"
  [ -f "$work/out/drive.err" ] && tail -n 40 "$work/out/drive.err" >&2
  exit 3
fi
cat "$work/out/drive.log"
if [ -s "$work/out/drive.err" ]; then
  echo "--- daemon/driver stderr (last 60 lines)"
  tail -n 60 "$work/out/drive.err"
fi
rc=$(cat "$work/out/rc")
echo "VM-RESULT rc=$rc"
exit "$rc"
