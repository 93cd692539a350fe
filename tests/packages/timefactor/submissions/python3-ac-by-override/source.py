import time

# Spends 2 s of CPU (twice the time limit, half of Python's 4 s here), then answers.
a, b = map(int, input().split())
while time.process_time() < 2.0:
    pass
print(a + b)
