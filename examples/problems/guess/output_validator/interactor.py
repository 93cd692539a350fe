# Interactor of "guess" (Kattis protocol): interactor.py input answer feedback_dir < submission > submission.
# input: N; answer: the secret (1..N). Exit 42 accepted, 43 rejected; teammessage.txt for the submitter,
# judgemessage.txt for the judges.
import sys

QUESTIONS = 30
n = int(open(sys.argv[1]).read())
secret = int(open(sys.argv[2]).read())
feedback = sys.argv[3]


def finish(code, team, judge):
    with open(feedback + "teammessage.txt", "w") as f:
        f.write(team + "\n")
    with open(feedback + "judgemessage.txt", "w") as f:
        f.write(judge + "\n")
    sys.exit(code)


print(n, flush=True)
asked = 0
for line in sys.stdin:
    words = line.split()
    if len(words) != 2 or words[0] not in ("?", "!") or not words[1].lstrip("-").isdigit():
        finish(43, "expected '? g' or '! g'", "read %r; the secret was %d" % (line, secret))
    guess = int(words[1])
    if not 1 <= guess <= n:
        finish(43, "%d is out of range 1..%d" % (guess, n), "the secret was %d" % secret)
    if words[0] == "!":
        if guess != secret:
            finish(43, "wrong answer %d" % guess, "the secret was %d" % secret)
        finish(42, "found with %d questions" % asked, "found %d with %d questions" % (secret, asked))
    asked += 1
    if asked > QUESTIONS:
        finish(43, "more than %d questions" % QUESTIONS, "the secret was %d" % secret)
    print("<" if secret < guess else ">" if secret > guess else "=", flush=True)
finish(43, "no answer", "the submission ended after %d questions; the secret was %d" % (asked, secret))
