#!/bin/sh
# The entrypoint of the judge silo images (deploy/docker/silo.Dockerfile). Modes, the first argument:
#   all-in-one (default)  the sandbox daemon as root, then the silo as the unprivileged user judge (uid 10001) with no
#                         capabilities; SIGTERM/SIGINT go to the silo (it drains), then the daemon stops. For `docker run`.
#   sandbox               the sandbox daemon only, as root, listening on the socket (the sidecar of a Kubernetes pod).
#   silo                  the silo only; refuses to run as root (the silo container of a Kubernetes pod).
# Arguments after the mode go to the daemon (sandbox: e.g. --pool 12) or to the silo (silo, all-in-one: e.g. migrate).
# Environment: JUDGE_SANDBOX_BINARY (default /opt/judge/silo/judge-sandbox), Judge__Sandbox__Socket (default
# /run/judge/sandbox.sock), Judge__WorkRoot (default /var/lib/judge/work). Why the daemon needs what it needs:
# deploy/sandbox/README.md; the socket mode: src/Engine/Sandbox/Linux/PROTOCOL.md.
set -eu

silo_dll=/opt/judge/silo/Judge.Silo.dll
daemon=${JUDGE_SANDBOX_BINARY:-/opt/judge/silo/judge-sandbox}
socket=${Judge__Sandbox__Socket:-/run/judge/sandbox.sock}
work_root=${Judge__WorkRoot:-/var/lib/judge/work}
silo_uid=10001
silo_gid=10001

die() {
  echo "judge-entrypoint: $*" >&2
  exit 1
}

# The daemon creates per-run cgroups: make the container's cgroup hierarchy writable (CAP_SYS_ADMIN allows it) and, on
# cgroup v2, move this process into a leaf, so that the container's root cgroup holds no process and can delegate memory
# and pids to the runs' cgroups beside it (the daemon then gets --cgroup-root /).
cgroup_args=""
enter_cgroup_leaf() {
  mount -o remount,rw /sys/fs/cgroup 2>/dev/null ||
    echo "judge-entrypoint: cannot remount /sys/fs/cgroup read-write (no CAP_SYS_ADMIN?); the daemon checks what it needs" >&2
  if [ -f /sys/fs/cgroup/cgroup.controllers ]; then
    mkdir -p /sys/fs/cgroup/sandbox
    echo $$ > /sys/fs/cgroup/sandbox/cgroup.procs
    cgroup_args="--cgroup-root /"
  fi
}

# The socket's directory and the work root's parent belong to root and only root writes in them (on Kubernetes they are
# emptyDirs, created world-writable): the silo must not be able to swap the socket or the work root for a link.
secure_directories() {
  for dir in "$(dirname "$socket")" "$(dirname "$work_root")"; do
    mkdir -p "$dir"
    chown 0:0 "$dir"
    chmod 0755 "$dir"
  done
}

mode=${1:-all-in-one}
[ $# -gt 0 ] && shift

case "$mode" in
  sandbox)
    [ "$(id -u)" = 0 ] || die "the sandbox daemon runs as root (it is the only privileged process); this container runs as uid $(id -u)"
    enter_cgroup_leaf
    secure_directories
    # shellcheck disable=SC2086 # cgroup_args is empty or two words
    exec "$daemon" --listen "$socket" --client-uid "$silo_uid" --client-gid "$silo_gid" --work-root "$work_root" $cgroup_args "$@"
    ;;

  silo)
    [ "$(id -u)" != 0 ] || die "refusing to run the silo as root: run this container as uid $silo_uid (judge), with the sandbox daemon in its own container (mode sandbox)"
    exec dotnet "$silo_dll" "$@"
    ;;

  all-in-one)
    [ "$(id -u)" = 0 ] || die "all-in-one starts the sandbox daemon, which needs root: run the image as root (docker run's default), or run the modes sandbox and silo in two containers"
    enter_cgroup_leaf
    secure_directories
    ready="$(dirname "$socket")/daemon.ready"
    rm -f "$ready"
    # shellcheck disable=SC2086 # cgroup_args is empty or two words
    "$daemon" --listen "$socket" --client-uid "$silo_uid" --client-gid "$silo_gid" --work-root "$work_root" $cgroup_args > "$ready" &
    daemon_pid=$!
    waited=0
    until grep -q '"ready":true' "$ready" 2>/dev/null && [ -S "$socket" ]; do
      if grep -q '"ready":false' "$ready" 2>/dev/null || ! kill -0 "$daemon_pid" 2>/dev/null; then
        die "the sandbox daemon did not start: $(cat "$ready" 2>/dev/null)"
      fi
      waited=$((waited + 1))
      [ "$waited" -le 300 ] || die "the sandbox daemon was not ready after 30 s"
      sleep 0.1
    done

    HOME=/var/lib/judge setpriv --reuid="$silo_uid" --regid="$silo_gid" --clear-groups --inh-caps=-all --bounding-set=-all \
      -- dotnet "$silo_dll" "$@" &
    silo_pid=$!
    # SIGTERM drains the silo (it finishes or hands back its work); the daemon stops after it.
    trap 'kill -TERM "$silo_pid" 2>/dev/null || true' TERM
    trap 'kill -INT "$silo_pid" 2>/dev/null || true' INT
    status=0
    while :; do
      if wait "$silo_pid"; then status=0; else status=$?; fi
      kill -0 "$silo_pid" 2>/dev/null || break
    done
    kill -TERM "$daemon_pid" 2>/dev/null || true
    wait "$daemon_pid" || true
    exit "$status"
    ;;

  *)
    die "unknown mode '$mode': all-in-one (default), sandbox or silo"
    ;;
esac
