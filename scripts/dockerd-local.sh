#!/usr/bin/env bash
# A Docker engine of the project's own, for the conformance suite's `container` target where none runs
# (CI): Debian's dockerd (package docker.io) with no bridge network and no iptables rules — containers use
# host networking, so all their traffic stays on loopback — and its data-root, exec-root, pid file and
# socket in a fresh temporary directory. Needs root.
#
#   eval "$(scripts/dockerd-local.sh start)"   # prints: export DOCKER_HOST=unix://DIR/docker.sock OPENIMAPI_DOCKERD_DIR=DIR
#   scripts/dockerd-local.sh stop              # removes its containers, stops dockerd, deletes DIR
set -euo pipefail

case "${1:-}" in
start)
  command -v dockerd >/dev/null || { echo "dockerd-local: no dockerd (apt-get install docker.io)" >&2; exit 1; }
  # A short directory name: a unix socket path holds at most 107 bytes.
  dir=$(mktemp -d -t openimapi-dockerd.XXXXXX)
  t0=$(date +%s.%N)
  dockerd --bridge=none --iptables=false \
    --data-root "$dir/data" --exec-root "$dir/exec" --pidfile "$dir/dockerd.pid" \
    -H "unix://$dir/docker.sock" </dev/null >"$dir/dockerd.log" 2>&1 &
  for _ in $(seq 1 120); do
    if DOCKER_HOST="unix://$dir/docker.sock" docker version >/dev/null 2>&1; then
      echo "dockerd-local: engine $(DOCKER_HOST="unix://$dir/docker.sock" docker version --format '{{.Server.Version}}') up in $(awk "BEGIN { printf \"%.1f\", $(date +%s.%N) - $t0 }") s (log $dir/dockerd.log)" >&2
      echo "export DOCKER_HOST=unix://$dir/docker.sock OPENIMAPI_DOCKERD_DIR=$dir"
      exit 0
    fi
    sleep 0.5
  done
  echo "dockerd-local: dockerd did not answer within 60 s:" >&2
  tail -20 "$dir/dockerd.log" >&2
  [ -f "$dir/dockerd.pid" ] && kill "$(cat "$dir/dockerd.pid")" 2>/dev/null || true
  exit 1
  ;;
stop)
  dir=${OPENIMAPI_DOCKERD_DIR:?dockerd-local: OPENIMAPI_DOCKERD_DIR is not set}
  export DOCKER_HOST="unix://$dir/docker.sock"
  left=$(docker ps -aq 2>/dev/null || true)
  if [ -n "$left" ]; then
    echo "dockerd-local: removing $(echo "$left" | wc -l) container(s)" >&2
    docker rm -f -v $left >/dev/null 2>&1 || true
  fi
  if [ -f "$dir/dockerd.pid" ]; then
    pid=$(cat "$dir/dockerd.pid")
    kill "$pid" 2>/dev/null || true
    for _ in $(seq 1 60); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
    kill -0 "$pid" 2>/dev/null && kill -KILL "$pid" 2>/dev/null || true
  fi
  # Mounts a killed engine may leave under its directory, deepest first.
  { grep -o " $dir/[^ ]*" /proc/mounts || true; } | sort -r | while read -r m; do umount -l "$m" 2>/dev/null || true; done
  rm -rf "$dir"
  ;;
*)
  echo "usage: $0 start|stop" >&2
  exit 2
  ;;
esac
