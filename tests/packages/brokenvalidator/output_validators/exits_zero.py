# Exits 0, which is neither 42 (accept) nor 43 (reject): the judge must blame itself, never the submitter.
import sys
sys.stdout.write("validator confused\n")
sys.exit(0)
