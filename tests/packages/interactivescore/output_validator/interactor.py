# Interactor of "interactivescore" (Kattis protocol): interactor.py input answer feedback_dir < submission > submission.
# input: N; answer: the secret (1..N). Sends N; answers "? g" with "<", ">" or "="; "! g" ends the game. Accepted tests
# are scored in score.txt: 1 for at most ceil(log2 N) + 1 questions, 0.5 for more (at most 200).
import math
import sys

LIMIT = 200
n = int(open(sys.argv[1]).read())
secret = int(open(sys.argv[2]).read())
feedback = sys.argv[3]
good = math.ceil(math.log2(n)) + 1


def finish(code, team, judge, score=None):
    with open(feedback + "teammessage.txt", "w") as f:
        f.write(team + "\n")
    with open(feedback + "judgemessage.txt", "w") as f:
        f.write(judge + "\n")
    if score is not None:
        with open(feedback + "score.txt", "w") as f:
            f.write(str(score) + "\n")
    sys.exit(code)


try:
    print(n, flush=True)
    asked = 0
    for line in sys.stdin:
        words = line.split()
        if len(words) != 2 or words[0] not in ("?", "!") or not words[1].lstrip("-").isdigit():
            finish(43, "expected '? g' or '! g'", "read %r; the secret was %d" % (line, secret))
        guess = int(words[1])
        if words[0] == "!":
            if guess != secret:
                finish(43, "wrong answer %d" % guess, "the secret was %d" % secret)
            finish(42, "found with %d questions" % asked, "found %d with %d questions" % (secret, asked),
                   1 if asked <= good else 0.5)
        asked += 1
        if asked > LIMIT:
            finish(43, "more than %d questions" % LIMIT, "too many questions; the secret was %d" % secret)
        print("<" if secret < guess else ">" if secret > guess else "=", flush=True)
except BrokenPipeError:
    pass
finish(43, "no answer", "the submission ended without an answer; the secret was %d" % secret)
