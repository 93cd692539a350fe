n = int(input())
print(*range(1, n + 1)) if n > 1 else print(2)
