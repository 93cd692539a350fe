x = int(input())
print(2 * x if x < 10 else 0)
