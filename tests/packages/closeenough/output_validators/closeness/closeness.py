# Scores a square root: all points within 1e-6, half within 0.5, none otherwise (still accepted).
import os
import sys

answer = float(open(sys.argv[2]).read())
feedback = sys.argv[3]
try:
    found = float(sys.stdin.read().strip())
except ValueError:
    with open(os.path.join(feedback, "teammessage.txt"), "w") as f:
        f.write("not a number")
    sys.exit(43)
error = abs(found - answer)
score = 1.0 if error < 1e-6 else 0.5 if error < 0.5 else 0.0
with open(os.path.join(feedback, "score.txt"), "w") as f:
    f.write(str(score))
sys.exit(42)
