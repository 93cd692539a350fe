#!/bin/sh
# Runs as PID 1 of the test VM (see run-vm.sh), on the host's root filesystem (read-only 9p) with fresh /tmp, /run,
# /proc, /sys, /dev and a pure cgroup v2 hierarchy at /sys/fs/cgroup. Variables come from /tmp/out/env.
# It reports the kernel's cgroup facts, then runs the protocol driver inside an emulated container: a child cgroup
# "pod" with memory, pids and cpu available (as a kubelet gives a pod), its own cgroup and mount namespaces, the
# cgroup filesystem mounted read-only, and the sandbox container's entrypoint (deploy/docker/entrypoint.sh, mode
# sandbox, prepared by run-vm.sh) with the daemon replaced by tests/sandboxd/drive.py. Results go to /tmp/out; the VM powers off at the end.
export out=/tmp/out
bb=/run/judge-vm/busybox
export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin HOME=/root LANG=C.UTF-8
{
  echo "kernel $(uname -r)"
  echo "cgroup-fs $(stat -f -c %T /sys/fs/cgroup)"
  echo "cgroup-v1-mounts $(grep -c ' - cgroup ' /proc/self/mountinfo)"
  echo "root-controllers $(cat /sys/fs/cgroup/cgroup.controllers)"
  echo "cmdline $(cat /proc/cmdline)"
  echo "cgroup-mount $(grep ' - cgroup2 ' /proc/self/mountinfo | cut -d' ' -f 6) $(grep ' - cgroup2 ' /proc/self/mountinfo | sed 's/.* - //')"
  echo "uptime-before-drive $(cut -d' ' -f1 /proc/uptime)"
} > "$out/facts"

# what the node gives a pod: memory, pids and cpu enabled down to the pod's cgroup
echo "+memory +pids +cpu" > /sys/fs/cgroup/cgroup.subtree_control
mkdir /sys/fs/cgroup/pod
[ -e /sys/fs/cgroup/pod/memory.swap.max ] && echo "memory.swap.max present" >> "$out/facts"
[ -e /sys/fs/cgroup/pod/memory.peak ] && echo "memory.peak present" >> "$out/facts"

# the container: in the pod's cgroup, own cgroup and mount namespaces, cgroupfs read-only as container runtimes mount it
sh -c '
  echo $$ > /sys/fs/cgroup/pod/cgroup.procs || exit 90
  exec unshare --mount --cgroup sh -c "
    umount /sys/fs/cgroup && mount -t cgroup2 -o ro,nosuid,nodev,noexec cgroup2 /sys/fs/cgroup || exit 91
    cat /proc/self/cgroup > \$out/container-cgroup
    exec sh \$out/entrypoint.sh
  "
' > "$out/drive.log" 2> "$out/drive.err"
echo $? > "$out/rc"
echo "uptime-after-drive $(cut -d' ' -f1 /proc/uptime)" >> "$out/facts"
find /sys/fs/cgroup/pod -type d > "$out/cgroups-after" 2>&1
sync
$bb poweroff -f
