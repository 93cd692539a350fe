# Correct but quadratic: recomputes every prefix sum, far too slow on the large group.
n = int(input())
xs = list(map(int, input().split()))
total = 0
for i in range(n):
    total = sum(xs[: i + 1])
print(total)
