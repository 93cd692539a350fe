import os, sys
def answer():
    a, b = map(int, sys.stdin.read().split())
    print(a + b, flush=True)
line = "y" * 4095 + "\n"
while True:
    sys.stdout.write(line)
