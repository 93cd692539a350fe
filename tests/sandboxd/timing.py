#!/usr/bin/python3
"""Sums the per-step lines judge-sandbox prints with JUDGE_SANDBOX_TIMING set (docs/PERFORMANCE.md, "Where the time
goes"): reads them on stdin, keeps each process's latest report (slots report every 50 runs and are ended by SIGKILL),
and prints per process role and step the mean wall and CPU time per occurrence (most steps happen once per run).

Usage: JUDGE_SANDBOX_TIMING=1 tests/sandboxd/ab.py --loops 2 200 7 BINARY 2>timing.txt; tests/sandboxd/timing.py <timing.txt
"""
import re, sys

LINE = re.compile(r"judge-sandbox timing\[([^\]]*)\] (\w+) (\d+): (.*?)\s+n=(\d+) wall_us=([\d.]+) cpu_us=([\d.]+)$")


def main():
    if len(sys.argv) != 1:
        print(__doc__)
        return 2
    latest = {}
    for line in sys.stdin:
        m = LINE.match(line.strip())
        if m:
            label, who, pid, step, n, wall, cpu = m.groups()
            latest[(label, who, pid, step)] = (int(n), float(wall) * int(n), float(cpu) * int(n))
    steps = {}
    order = []
    for (label, who, _, step), (n, wall, cpu) in latest.items():
        key = (label, who, step)
        if key not in steps:
            steps[key] = [0, 0.0, 0.0]
            order.append(key)
        steps[key][0] += n
        steps[key][1] += wall
        steps[key][2] += cpu
    print("| daemon | process | step | times | wall µs each | CPU µs each |")
    print("|---|---|---|---|---|---|")
    for key in sorted(order, key=lambda k: (k[0], order.index(k))):
        n, wall, cpu = steps[key]
        print("| %s | %s | %s | %d | %.0f | %.0f |" % (key[0], key[1], key[2], n, wall / n, cpu / n))
    return 0


if __name__ == "__main__":
    sys.exit(main())
