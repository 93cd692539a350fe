n = int(input())
print("!", n // 2 + 1, flush=True)
