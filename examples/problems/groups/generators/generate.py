"""Writes the test data of this problem; run once from the package directory: python3 generators/generate.py"""
import os
import random


def write(name, numbers):
    path = os.path.join("data", name)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path + ".in", "w", newline="\n") as f:
        f.write(f"{len(numbers)}\n{' '.join(map(str, numbers))}\n")
    with open(path + ".ans", "w", newline="\n") as f:
        f.write(f"{sum(numbers)}\n")


random.seed(20260101)
write("sample/1", [1, 2, 3])
write("sample/2", [-10, 4])
write("secret/group1-small/01-single", [42])
write("secret/group1-small/02-negative", [-1000000000, -1000000000, 7])
write("secret/group1-small/03-random", [random.randint(-1000, 1000) for _ in range(50)])
write("secret/group2-large/01-max", [1000000000] * 100000)
write("secret/group2-large/02-random", [random.randint(-10**9, 10**9) for _ in range(100000)])
