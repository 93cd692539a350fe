#!/usr/bin/env bash
# Sets up and runs every test, then prints the totals alone on the last line: "N passed, M failed".
set -uo pipefail
cd "$(dirname "$0")"
scripts/setup.sh --tests || exit 1

results=$(mktemp -d)
trap 'rm -rf "$results"' EXIT

# Test projects that judge nothing (no sandbox, no CPU-time or wall limits) run while the others build; every project of
# Judge.sln that is not named here is a judging one. Each set is a solution filter (.slnf) of Judge.sln, made here.
independent=(tests/Judge.Deploy.Tests tests/Judge.Deploy.Aws.Tests tests/Judge.ServiceDefaults.UnitTests tests/Judge.Lifecycle.UnitTests)
projects=$(dotnet sln Judge.sln list | grep -E '\.csproj$') || { echo "test.sh: cannot list the projects of Judge.sln" >&2; exit 1; }
filter() { # filter <file> <grep options>: the projects of Judge.sln that are (-E) or are not (-v -E) independent
  local grep_args=() p
  for p in "${independent[@]}"; do grep_args+=(-e "^$p/"); done
  grep "${@:2}" "${grep_args[@]}" <<<"$projects" | python3 -c 'import json, sys; json.dump({"solution": {"path": sys.argv[1], "projects": sys.stdin.read().split()}}, open(sys.argv[2], "w"))' "$PWD/Judge.sln" "$1"
}
filter "$results/independent.slnf" -E
filter "$results/judging.slnf" -v -E
# A set that does not build is tested without --no-build, so that dotnet test names the broken projects and still tests the
# rest; the independent set then runs after the judging set's build, not beside it (two builds would share projects).
build() { dotnet build "$1" -c Release -v:q -nologo >&2 && echo --no-build; }
test_independent() {
  dotnet test "$results/independent.slnf" -c Release -m:1 $independent_build --logger "trx" --results-directory "$results/independent" "$@"
}

independent_build=$(build "$results/independent.slnf")
if [ -n "$independent_build" ]; then
  test_independent "$@" &
  independent_test=$!
  judging_build=$(build "$results/judging.slnf")
  wait "$independent_test"
  independent_status=$?
else
  judging_build=$(build "$results/judging.slnf")
  test_independent "$@"
  independent_status=$?
fi
# One judging test project at a time, and nothing else beside it: judging tests measure CPU time and wall limits, so they
# get the machine to themselves.
dotnet test "$results/judging.slnf" -c Release -m:1 $judging_build --logger "trx" --results-directory "$results" "$@"
status=$?
((status == 0)) && status=$independent_status

passed=0 failed=0 found=0
for trx in "$results"/*.trx "$results"/independent/*.trx; do
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
