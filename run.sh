#!/usr/bin/env bash
# Sets up and runs the judge: one silo with its HTTP API on http://127.0.0.1:5080 and the bundled example problems.
# Extra arguments go to the silo (for example --urls http://0.0.0.0:8080 or --Judge:Problems:Root=/srv/problems).
set -euo pipefail
cd "$(dirname "$0")"
scripts/setup.sh
exec dotnet run --project src/Silo -c Release -- "$@"
