#!/usr/bin/env bash
# Reproduces src/Dashboard/wwwroot/assets/vendor from the npm packages pinned in src/Dashboard/package-lock.json:
# `npm ci` there, then copies the files src/Dashboard/vendor.txt names. Needs Node.js only when the vendored libraries
# change; running the judge never does (the copies are checked in).
set -euo pipefail
dashboard="$(cd "$(dirname "$0")/../src/Dashboard" && pwd)"
npm ci --prefix "$dashboard" --no-audit --no-fund --loglevel=error
vendor="$dashboard/wwwroot/assets/vendor"
rm -rf "$vendor"
while read -r from to; do
  [[ -z "$from" || "$from" == \#* ]] && continue
  mkdir -p "$(dirname "$vendor/$to")"
  cp "$dashboard/node_modules/$from" "$vendor/$to"
done < "$dashboard/vendor.txt"
echo "vendored into $vendor:" >&2
(cd "$vendor" && find . -type f | sort) >&2
