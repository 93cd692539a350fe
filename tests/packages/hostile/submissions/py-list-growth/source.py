import os, sys
def answer():
    a, b = map(int, sys.stdin.read().split())
    print(a + b, flush=True)
xs = []
while True:
    xs.append(bytearray(1 << 20))
