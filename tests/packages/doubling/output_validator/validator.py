# Multi-pass output validator: each pass must print twice its input; pass 1 asks for pass 2 with its own output as input.
# Its state between passes lives in the feedback directory, which the judge keeps for every pass of a test.
import os
import sys

input_path, answer_path, feedback = sys.argv[1:4]
state = os.path.join(feedback, "state.txt")
if os.path.exists(state):
    with open(state) as f:
        number, x = map(int, f.read().split())
else:
    number, x = 1, int(open(input_path).read())

out = sys.stdin.read().split()
if out != [str(2 * x)]:
    with open(os.path.join(feedback, "teammessage.txt"), "w") as f:
        f.write(f"expected {2 * x}")
    sys.exit(43)

if number == 1:
    with open(state, "w") as f:
        f.write(f"2 {2 * x}")
    with open(os.path.join(feedback, "nextpass.in"), "w") as f:
        f.write(f"{2 * x}\n")
elif 2 * x != int(open(answer_path).read()):
    sys.exit(1)  # the answer file disagrees: a judge error
with open(os.path.join(feedback, "judgemessage.txt"), "a") as f:
    f.write(f"pass {number} ok\n")
sys.exit(42)
