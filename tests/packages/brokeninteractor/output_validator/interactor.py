# Says hello, reads one line, then exits with code 3: not a judgement, a bug of the problem setter.
import sys
print("hello", flush=True)
line = sys.stdin.readline()
sys.stderr.write("interactor read %r and gives up\n" % line)
sys.exit(3)
