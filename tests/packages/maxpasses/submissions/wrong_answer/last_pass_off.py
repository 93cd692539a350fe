# Right on every pass but the last (r = 0): WA on pass 2 of the sample.
r, v = map(int, input().split())
print(v + r if r > 0 else v + 1)
