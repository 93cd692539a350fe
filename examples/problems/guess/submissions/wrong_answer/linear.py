# Asks 1, 2, 3, ...: right for small N, more than 30 questions for large ones.
n = int(input())
for g in range(1, n + 1):
    print("?", g, flush=True)
    if input() == "=":
        print("!", g, flush=True)
        break
