# Multi-pass output validator: the submission must repeat the number of its pass's input. It learns which pass this is
# only from its input file (the test's .in on pass 1, then the nextpass.in it wrote): k > 1 asks for another pass with
# k - 1. Like many real validators it writes nextpass.in before it looks at the output, so a wrong output before the
# last pass leaves nextpass.in behind with exit 43: a judge error by the format.
import os
import sys

input_path, answer_path, feedback = sys.argv[1:4]
k = int(open(input_path).read())
if k > 1:
    with open(os.path.join(feedback, "nextpass.in"), "w") as f:
        f.write(f"{k - 1}\n")
out = sys.stdin.read().split()
if out != [str(k)]:
    with open(os.path.join(feedback, "teammessage.txt"), "w") as f:
        f.write(f"expected {k}")
    sys.exit(43)
with open(os.path.join(feedback, "judgemessage.txt"), "a") as f:
    f.write(f"pass with {k} ok\n")
sys.exit(42)
