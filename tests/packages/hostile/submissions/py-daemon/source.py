import os, sys
def answer():
    a, b = map(int, sys.stdin.read().split())
    print(a + b, flush=True)
pid = os.fork()
if pid == 0:
    os.setsid()
    if os.fork() == 0:
        for fd in range(3):
            os.close(fd)
        os.execv("/bin/sh", ["sh", "-c", "sleep 20; : hostile-py-daemon-marker"])
    os._exit(0)
os.waitpid(pid, 0)
answer()
