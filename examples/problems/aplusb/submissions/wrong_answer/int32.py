# Wraps the sum to 32 bits, like an int in C: wrong on large values.
a, b = map(int, input().split())
s = (a + b) & 0xFFFFFFFF
print(s - (1 << 32) if s >= 1 << 31 else s)
