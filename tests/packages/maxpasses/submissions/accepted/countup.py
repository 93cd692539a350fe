r, v = map(int, input().split())
print(v + r)
