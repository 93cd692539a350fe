#!/usr/bin/python3
"""Side-by-side A/B of judge-sandbox binaries (docs/PERFORMANCE.md, "Sandbox overhead per run").

Usage (as root): tests/sandboxd/ab.py [--loops N] RUNS POOL BINARY...   e.g. tests/sandboxd/ab.py 400 7 ./old ./new
Starts every BINARY as a daemon (the silo's read-only paths, POOL prepared environments, its own work root), then runs a
static trivial program back to back through them, in blocks of 20 runs per daemon taking turns, so that machine noise
hits all alike; stdin, stdout and stderr are files, as the judge's tests are. Prints per binary the median wall time per
run as this client sees it, and the CPU per run of the daemon with everything under it (slots, the runs' inits, the
programs; from wait4 at its exit) and the whole machine's busy CPU per run over its blocks (from /proc/stat, with a
50 ms pause after each block: kernel threads included, other processes too, so only on an otherwise idle machine) and the
machine's function-call IPIs per run over the same blocks ("IPIs": CAL in /proc/interrupts; an expedited RCU grace
period, which every unmount that frees mounts waits for, sends one to each busy CPU); then,
for scale, the same program spawned bare 200 times (wall median, and the CPU
of the child from its wait4). On a loaded machine the CPU column is the steadier one. Wrap a binary in a script that
runs `perf stat -e page-faults,task-clock -- BINARY "$@"` to count page faults per run too.
--uid-base N --uid-lock PATH: the daemons take the uids from N on (256 each), with that lock file (default: the
daemon's own, auto from 60000).
--loops N: N clients at once per daemon (2: both cores busy, as a silo with 2 judging slots); RUNS per client.
--dirs N: the runs take turns over N directories holding the program (default 1); with N above POOL no slot is ever
prepared for its next run's directory, so every run brings a /work of its own (the first test of a submission on a slot).
--bwrap: for scale too, the same program run 200 times through bubblewrap (Debian's `bubblewrap`, not installed by any
setup script), a sandbox that makes every namespace afresh per run: fresh PID, IPC, UTS and mount namespaces with the
daemons' read-only paths, /proc, /dev, a tmpfs /tmp and the program's directory as /work, its standard streams files as
the daemons' are. It has no cgroups, rlimits, seccomp filter or network namespace, so it is a floor for such a sandbox
on this machine, not a like-for-like rival: wall median, machine and IPIs as above (not wait4's CPU: bwrap's init in the
new PID namespace is never reaped by the bwrap that the loop waits for, so neither it nor the program would count).
With JUDGE_SANDBOX_TIMING=1 in this script's environment the daemons print their per-step times to stderr, labelled
with the binary's position (0, 1, ...): tests/sandboxd/timing.py makes a table of them.
"""
import os, shutil, statistics, sys, tempfile, threading, time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import drive  # noqa: E402

SILO_RO = ["/usr", "/lib", "/lib64", "/lib32", "/libx32", "/bin", "/sbin", "/etc/alternatives", "/etc/java-17-openjdk",
           "/etc/java-21-openjdk", "/etc/ld.so.cache", "/etc/ld.so.conf", "/etc/ld.so.conf.d", "/etc/localtime",
           "/etc/ssl/certs/java"]


SETTLE = 0.05


def machine_busy():
    """Seconds of CPU the whole machine has spent busy since boot (every process and kernel thread, interrupts)."""
    with open("/proc/stat") as f:
        fields = [int(x) for x in f.readline().split()[1:]]
    user, nice, system, _idle, _iowait, irq, softirq, steal = (fields + [0] * 8)[:8]
    return (user + nice + system + irq + softirq + steal) / os.sysconf("SC_CLK_TCK")


def call_ipis():
    """Function-call IPIs the machine has taken since boot, all CPUs (CAL in /proc/interrupts): what an expedited RCU
    grace period (every unmount that frees mounts) or a remote TLB flush sends to the other CPUs."""
    with open("/proc/interrupts") as f:
        for line in f:
            fields = line.split()
            if fields and fields[0] == "CAL:":
                return sum(int(x) for x in fields[1:] if x.isdigit())
    return 0


def bwrap_loop(prog, io, runs=200):
    """The trivial program through bubblewrap RUNS times (see --bwrap): (wall median ms, machine ms, IPIs) per run."""
    binary = shutil.which("bwrap")
    if binary is None:
        raise SystemExit("--bwrap: bwrap not found (apt-get install bubblewrap)")
    argv = [binary, "--unshare-pid", "--unshare-ipc", "--unshare-uts", "--die-with-parent", "--new-session",
            "--clearenv"]
    for path in drive.RO:
        argv += ["--ro-bind", path, path]
    argv += ["--proc", "/proc", "--dev", "/dev", "--tmpfs", "/tmp", "--ro-bind", prog, "/work", "--chdir", "/work",
             "/work/trivial"]
    actions = [(os.POSIX_SPAWN_OPEN, 0, io + "/in", os.O_RDONLY, 0),
               (os.POSIX_SPAWN_OPEN, 1, io + "/bwrap.out", os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600),
               (os.POSIX_SPAWN_OPEN, 2, io + "/bwrap.err", os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)]
    walls = []
    for _ in range(20):  # warm-up, not counted
        _, status = os.waitpid(os.posix_spawn(binary, argv, {}, file_actions=actions), 0)
        assert status == 0, open(io + "/bwrap.err").read()
    before, ipis_before = machine_busy(), call_ipis()
    for _ in range(runs):
        t = time.perf_counter()
        _, status = os.waitpid(os.posix_spawn(binary, argv, {}, file_actions=actions), 0)
        walls.append(time.perf_counter() - t)
        assert status == 0, open(io + "/bwrap.err").read()
    time.sleep(SETTLE)
    return statistics.median(walls) * 1000, (machine_busy() - before) / runs * 1000, (call_ipis() - ipis_before) / runs


def main():
    args = sys.argv[1:]
    loops = 1
    uid_base, uid_lock, dirs, bwrap = None, None, 1, False
    while args[:1] in (["--loops"], ["--uid-base"], ["--uid-lock"], ["--dirs"], ["--bwrap"]):
        if args[0] == "--bwrap":
            bwrap = True
            args = args[1:]
            continue
        if args[0] == "--loops":
            loops = int(args[1])
        elif args[0] == "--dirs":
            dirs = int(args[1])
        elif args[0] == "--uid-base":
            uid_base = int(args[1])
        else:
            uid_lock = args[1]
        args = args[2:]
    if len(args) < 3:
        print(__doc__)
        return 2
    if bwrap and shutil.which("bwrap") is None:  # before any daemon's runs, not after them
        raise SystemExit("--bwrap: bwrap not found (apt-get install bubblewrap)")
    n, pool, bins = int(args[0]), int(args[1]), args[2:]
    drive.RO[:] = [p for p in SILO_RO if os.path.exists(p)]
    base = tempfile.mkdtemp(prefix="judge-sandbox-ab-")
    os.chmod(base, 0o755)
    daemons = []
    for i, binary in enumerate(bins):
        root = os.path.join(base, "r%d" % i)
        prog, io = os.path.join(root, "prog"), os.path.join(root, "io")
        os.makedirs(prog)
        os.makedirs(io)
        drive.compile_test_program(["-O2", "-static"], "trivial.c", os.path.join(prog, "trivial"))
        for k in range(1, dirs):
            os.makedirs(prog + str(k))
            shutil.copy2(os.path.join(prog, "trivial"), prog + str(k))
        with open(os.path.join(io, "in"), "w") as f:
            f.write("1 2\n")
        timing = os.environ.get("JUDGE_SANDBOX_TIMING")
        if timing:  # drive.Daemon starts the daemon with an empty environment
            wrapper = os.path.join(base, "timed%d" % i)
            with open(wrapper, "w") as f:
                label = "%d-%s" % (i, os.path.basename(binary))
                f.write('#!/bin/sh\nJUDGE_SANDBOX_TIMING=%s exec %s "$@"\n' % (label, os.path.abspath(binary)))
            os.chmod(wrapper, 0o755)
            binary = wrapper
        uids = (["--uid-base", str(uid_base + 256 * i)] if uid_base else []) + (["--uid-lock", uid_lock] if uid_lock else [])
        d = drive.Daemon(binary, root, extra=uids, pool=pool)
        assert d.ready.get("ready"), d.ready
        d.lock = threading.Lock()
        daemons.append((d, prog, io))
    lat = [[] for _ in bins]

    def one(i, k, c=0):
        d, prog, io = daemons[i]
        rid = "r%d-%d" % (c, k)
        out, err = "%s/out%d" % (io, c), "%s/err%d" % (io, c)
        t = time.perf_counter()
        with d.lock:
            d.send([("id", rid), ("arg", "/work/trivial"), ("work", prog + (str(k % dirs) if k % dirs else "")),
                    ("stdin", io + "/in"), ("stdout", out),
                    ("stderr", err), ("cpu_ms", 1000), ("wall_ms", 2000), ("mem_bytes", 256 << 20)])
        r = d.wait(rid)
        elapsed = time.perf_counter() - t
        assert r["status"] == "ok", r
        os.unlink(out)
        os.unlink(err)
        return elapsed

    def block_of(i, start):
        if loops == 1:
            return [one(i, start + k) for k in range(20)]
        got = [[] for _ in range(loops)]
        ts = [threading.Thread(target=lambda c=c: got[c].extend(one(i, start + k, c) for k in range(20)))
              for c in range(loops)]
        for t in ts:
            t.start()
        for t in ts:
            t.join()
        return [x for g in got for x in g]

    warm = 30
    for k in range(warm):
        for i in range(len(bins)):
            one(i, k)
    machine = [0.0 for _ in bins]  # the whole machine's busy CPU during each binary's blocks, kernel threads included
    ipis = [0 for _ in bins]  # the machine's function-call IPIs during each binary's blocks
    for block in range(n // 20):
        for i in range(len(bins)):
            before, ipis_before = machine_busy(), call_ipis()
            lat[i].extend(block_of(i, 1000 + block * 20))
            time.sleep(SETTLE)  # the slots' work after their last answer, and the kernel's deferred frees, land here
            machine[i] += machine_busy() - before
            ipis[i] += call_ipis() - ipis_before
    bare, bare_cpu = [], 0.0
    trivial = os.path.join(daemons[0][1], "trivial")
    bare_before, bare_ipis_before = machine_busy(), call_ipis()
    for _ in range(200):
        t = time.perf_counter()
        pid = os.posix_spawn(trivial, [trivial], {})
        _, status, usage = os.wait4(pid, 0)
        bare.append(time.perf_counter() - t)
        assert status == 0, status
        bare_cpu += usage.ru_utime + usage.ru_stime  # the child's own CPU: its execve, run and exit
    time.sleep(SETTLE)
    bare_machine = machine_busy() - bare_before
    bare_ipis = call_ipis() - bare_ipis_before
    peer = bwrap_loop(daemons[0][1], daemons[0][2]) if bwrap else None
    cpu = []
    for d, _, _ in daemons:
        d.p.stdin.close()
        _, _, usage = os.wait4(d.p.pid, 0)
        cpu.append((usage.ru_utime + usage.ru_stime) * 1000)
    runs = warm + len(lat[0])  # every client's runs
    print("%d client(s) per daemon; load average %s; bare posix_spawn + wait4 median %.2f ms, the child's CPU %.2f ms, "
          "machine %.2f ms, IPIs %.2f" % (loops, open("/proc/loadavg").read().split()[0], statistics.median(bare) * 1000,
                                          bare_cpu / len(bare) * 1000, bare_machine / len(bare) * 1000,
                                          bare_ipis / len(bare)))
    if peer:
        print("bwrap (fresh namespaces per run, no cgroups)  wall median %.2f ms; machine %.2f ms; IPIs %.2f" % peer)
    for i, binary in enumerate(bins):
        x = sorted(lat[i])
        print("%-40s wall median %.2f ms (p25 %.2f, p75 %.2f); CPU per run %.2f ms; machine %.2f ms; IPIs %.2f" % (
            binary, statistics.median(x) * 1000, x[len(x) // 4] * 1000, x[3 * len(x) // 4] * 1000, cpu[i] / runs,
            machine[i] / len(lat[i]) * 1000, ipis[i] / len(lat[i])))
    shutil.rmtree(base, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
