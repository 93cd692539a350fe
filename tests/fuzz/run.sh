#!/usr/bin/env bash
# Fuzz smoke: builds each fuzz target and runs it for a fixed time, printing one summary line per target.
#   tests/fuzz/run.sh [SECONDS] [TARGET...]      TARGET: sandboxd submission package (default: all), SECONDS: 20 each
# Exits non-zero when a target crashed, hung or broke an invariant (or could not be built); the findings stay in
# $JUDGE_FUZZ_OUT (default: a new temp dir, printed). See docs/FUZZING.md for long runs.
set -uo pipefail
cd "$(dirname "$0")/../.."
repo=$PWD
seconds=${1:-20}
shift || true
targets=("$@")
((${#targets[@]})) || targets=(sandboxd submission package)
out=${JUDGE_FUZZ_OUT:-$(mktemp -d "${TMPDIR:-/tmp}/judge-fuzz.XXXXXX")}
mkdir -p "$out"
status=0

need() { command -v "$1" >/dev/null || { echo "fuzz: '$1' is missing (scripts/setup.sh --tests installs it)" >&2; exit 1; }; }

summary() { # target execs crashes hangs verdict
  printf 'fuzz %-10s %10s execs %3s crashes %3s hangs in %ss: %s\n' "$1" "$2" "$3" "$4" "$seconds" "$5"
}

run_sandboxd() {
  need clang
  local dir=$out/sandboxd native=src/Engine/Sandbox/Linux/native
  mkdir -p "$dir/work"
  local sources=()
  for c in "$native"/*.c; do [[ $c == */main.c ]] || sources+=("$c"); done
  if ! clang -std=gnu11 -g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined \
      -Wno-unknown-warning-option -o "$dir/fuzz_request" tests/fuzz/sandboxd/fuzz_request.c "${sources[@]}" \
      >"$dir/build.log" 2>&1; then
    cat "$dir/build.log" >&2
    summary sandboxd 0 0 0 "FAIL: cannot build the harness"
    return 1
  fi
  "$dir/fuzz_request" -max_total_time="$seconds" -timeout=10 -max_len=8192 -print_final_stats=1 \
    -dict=tests/fuzz/sandboxd/sandboxd.dict -artifact_prefix="$dir/" "$dir/work" tests/fuzz/sandboxd/corpus \
    >"$dir/fuzz.log" 2>&1
  local rc=$?
  local execs crashes hangs
  execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$dir/fuzz.log" | tail -1)
  crashes=$(find "$dir" -maxdepth 1 \( -name 'crash-*' -o -name 'leak-*' -o -name 'oom-*' \) | wc -l)
  hangs=$(find "$dir" -maxdepth 1 -name 'timeout-*' | wc -l)
  if ((rc != 0)); then
    grep -E 'ERROR|SUMMARY|runtime error' "$dir/fuzz.log" | head -5 >&2
    summary sandboxd "${execs:-?}" "$crashes" "$hangs" "FAIL (exit $rc): findings in $dir"
    return 1
  fi
  summary sandboxd "${execs:-0}" 0 0 OK
}

dotnet_ready=
prepare_dotnet() {
  [[ -n $dotnet_ready ]] && return 0
  need dotnet
  need afl-fuzz
  local bin=$out/dotnet
  # instrumented already by an earlier run.sh with the same JUDGE_FUZZ_OUT (the smoke tests run one target each)
  [[ -f $bin/.instrumented ]] && { dotnet_ready=1; return 0; }
  # an incremental build: in ./test.sh the solution's build has built it already
  if ! dotnet build tests/fuzz/Judge.Fuzz -c Release >"$out/dotnet-build.log" 2>&1 \
      || ! dotnet tool restore >>"$out/dotnet-build.log" 2>&1; then
    tail -20 "$out/dotnet-build.log" >&2
    return 1
  fi
  rm -rf "$bin" && cp -r tests/fuzz/Judge.Fuzz/bin/Release/net10.0 "$bin"
  # instrument the code that reads untrusted bytes (in place, in the copy): assembly and namespace prefixes
  local spec
  for spec in "Judge.Interfaces" "Judge.Ingress Judge.Ingress.Messages" "Judge.Silo Judge.Silo.Http" \
              "Judge.Engine Judge.Engine.Problems" "YamlDotNet"; do
    read -r asm prefix <<<"$spec"
    if ! dotnet tool run sharpfuzz "$bin/$asm.dll" ${prefix:+"$prefix"} >>"$out/dotnet-build.log" 2>&1; then
      tail -5 "$out/dotnet-build.log" >&2
      return 1
    fi
  done
  touch "$bin/.instrumented"
  dotnet_ready=1
}

run_sharpfuzz() { # target
  local target=$1 dir=$out/$1
  if ! prepare_dotnet; then
    summary "$target" 0 0 0 "FAIL: cannot build or instrument tests/fuzz/Judge.Fuzz"
    return 1
  fi
  rm -rf "$dir" && mkdir -p "$dir"
  AFL_SKIP_BIN_CHECK=1 AFL_NO_AFFINITY=1 AFL_SKIP_CPUFREQ=1 AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES=1 AFL_NO_UI=1 \
  AFL_FORKSRV_INIT_TMOUT=60000 \
    afl-fuzz -V "$seconds" -i "tests/fuzz/$target/corpus" -o "$dir" -t 10000 -m none \
      -x "tests/fuzz/$target/$target.dict" -- dotnet "$out/dotnet/Judge.Fuzz.dll" "$target" >"$dir/fuzz.log" 2>&1
  local rc=$? stats=$dir/default/fuzzer_stats
  local execs crashes hangs
  execs=$(sed -n 's/^execs_done *: *//p' "$stats" 2>/dev/null)
  crashes=$(sed -n 's/^saved_crashes *: *//p' "$stats" 2>/dev/null)
  hangs=$(sed -n 's/^saved_hangs *: *//p' "$stats" 2>/dev/null)
  if ((rc != 0)) || [[ -z $execs ]]; then
    grep -E 'PROGRAM ABORT|SYSTEM ERROR|Stop location|crash|Error' "$dir/fuzz.log" | head -5 >&2
    summary "$target" "${execs:-0}" "${crashes:-?}" "${hangs:-?}" "FAIL (afl-fuzz exit $rc): log in $dir/fuzz.log"
    return 1
  fi
  if ((crashes + hangs > 0)); then
    summary "$target" "$execs" "$crashes" "$hangs" "FAIL: findings in $dir/default/{crashes,hangs}; replay: dotnet tests/fuzz/Judge.Fuzz/bin/Release/net10.0/Judge.Fuzz.dll $target -v DIR"
    return 1
  fi
  summary "$target" "$execs" 0 0 OK
}

for t in "${targets[@]}"; do
  case $t in
    sandboxd) run_sandboxd || status=1 ;;
    submission|package) run_sharpfuzz "$t" || status=1 ;;
    *) echo "fuzz: unknown target '$t' (sandboxd, submission, package)" >&2; status=2 ;;
  esac
done
[[ -n ${JUDGE_FUZZ_OUT:-} || $status -ne 0 ]] || rm -rf "$out"
((status == 0)) || echo "fuzz: findings and logs kept in $out" >&2
exit "$status"
