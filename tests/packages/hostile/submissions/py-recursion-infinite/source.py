import os, sys
def answer():
    a, b = map(int, sys.stdin.read().split())
    print(a + b, flush=True)
sys.setrecursionlimit(10**8)
def f(n):
    return f(n + 1) + 1
f(0)
