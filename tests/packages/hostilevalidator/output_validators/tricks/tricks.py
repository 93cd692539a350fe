# Problem-setter code is not trusted either: depending on the team output, this validator plants a symbolic link to a
# host file as teammessage.txt and judgemessage.txt and a FIFO as score.txt, or swaps its whole feedback directory for
# a link to /etc. The judge must neither follow the links nor block on the FIFO. The swap itself now fails: the feedback
# directory is a mount of its own in the validator's namespace, so the rename is refused (EXDEV), the validator exits 1,
# and the judging is IE for that; the judge's check for a replaced directory stays for sandboxes that allow it.
import os
import sys

feedback = sys.argv[3].rstrip("/")
trick = sys.stdin.read().strip()
if trick == "links":
    os.symlink("/etc/passwd", os.path.join(feedback, "teammessage.txt"))
    os.symlink("/proc/self/environ", os.path.join(feedback, "judgemessage.txt"))
    os.mkfifo(os.path.join(feedback, "score.txt"))
    sys.exit(42)
if trick == "swap":
    os.rename(feedback, feedback + ".old")
    os.symlink("/etc", feedback)
    sys.exit(42)
sys.exit(43)
