#!/bin/bash
# The images' HEALTHCHECK: GET http://127.0.0.1:PORT/health (answered without a key) must answer 200. Uses bash's
# /dev/tcp, so the images need no HTTP client. Usage: judge-healthcheck PORT (8080 for a silo, 8081 for the ingress).
set -euo pipefail
port=${1:?usage: judge-healthcheck PORT}
exec 3<>"/dev/tcp/127.0.0.1/$port"
printf 'GET /health HTTP/1.0\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n' >&3
status=
IFS= read -r -t 5 status <&3 || true
[[ $status == "HTTP/1."[01]" 200"* ]] || { echo "judge-healthcheck: ${status:-no answer}" >&2; exit 1; }
