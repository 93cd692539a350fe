import os, sys
def answer():
    a, b = map(int, sys.stdin.read().split())
    print(a + b, flush=True)
import socket
ok = False
try:
    socket.create_connection(("127.0.0.1", 47113), timeout=0.5).close()
    ok = True
except OSError:
    pass
try:
    socket.socket(socket.AF_INET, socket.SOCK_DGRAM).sendto(b"hostile", ("127.0.0.1", 47113))
except OSError:
    pass
if ok:
    print("connected to the host")
else:
    answer()
