import time

# Spends 2 s of CPU (twice the time limit; Python gets 10 s here, with a wall-clock limit of 31 s, so that a busy
# machine does not make it TLE), then answers.
a, b = map(int, input().split())
while time.process_time() < 2.0:
    pass
print(a + b)
