#!/usr/bin/env bash
# Sets up and runs every test, then prints the totals alone on the last line: "N passed, M failed".
set -uo pipefail
cd "$(dirname "$0")"
scripts/setup.sh --tests || exit 1

results=$(mktemp -d)
trap 'rm -rf "$results"' EXIT
# One test project at a time: judging tests measure CPU time and wall limits, so they get the machine to themselves.
dotnet test Judge.sln -c Release -m:1 --logger "trx" --results-directory "$results" "$@"
status=$?

passed=0 failed=0 found=0
for trx in "$results"/*.trx; do
  [ -e "$trx" ] || continue
  found=1
  counters=$(grep -o '<Counters [^>]*>' "$trx" | head -1)
  p=$(sed -n 's/.* passed="\([0-9]*\)".*/\1/p' <<<"$counters")
  f=$(sed -n 's/.* failed="\([0-9]*\)".*/\1/p' <<<"$counters")
  passed=$((passed + ${p:-0}))
  failed=$((failed + ${f:-0}))
done
# A run that failed without failing a test (a build error, a crashed test host) still counts as failed.
if ((status != 0 && failed == 0)); then failed=1; fi
if ((found == 0 && status == 0)); then status=1; fi
echo "${passed} passed, ${failed} failed"
exit "$status"
