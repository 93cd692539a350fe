n = int(input())
print(*([1] * n)) if n == 3 else print(*range(1, n + 1))
