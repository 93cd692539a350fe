k = int(input())
print(k if k > 1 else 0)
