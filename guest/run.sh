#!/usr/bin/env bash
# Boots a tiny Linux guest under QEMU (TCG) whose SCSI CD drive is the openimapi emulator, reached
# over iSCSI through QEMU's scsi-generic passthrough, and runs one command inside it with the host's
# root as its (read-only + tmpfs overlay) filesystem. The command's output comes back on the serial
# console; this script exits with the command's exit code.
#
#   guest/run.sh [--iscsi URL]... [--timeout SECONDS] [--media KIND] -- COMMAND [ARG...]
#
# Each --iscsi URL becomes one SCSI CD drive of the guest, in order (SCSI target id 0, 1, ...; the
# guest's /dev/srN and /dev/sgN follow that order). Without --iscsi it starts
# `node emulator/dist/cli.js --port 0 --media KIND --verbose` (default cd-r) and stops it
# afterwards; the emulator's CDB log is kept and its path printed.
# Exit codes: the command's; 124 timeout; 125 the guest ended without reporting; 3/4 setup failed.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/.." && pwd)"
url="" timeout_s=300 media=cd-r
more_urls=()
while [ $# -gt 0 ]; do
  case "$1" in
    --iscsi) if [ -z "$url" ]; then url="$2"; else more_urls+=("$2"); fi; shift 2 ;;
    --timeout) timeout_s="$2"; shift 2 ;;
    --media) media="$2"; shift 2 ;;
    --) shift; break ;;
    *) break ;;
  esac
done
[ $# -gt 0 ] || { echo "usage: $0 [--iscsi URL] [--timeout S] [--media KIND] -- COMMAND [ARG...]" >&2; exit 2; }
log() { echo "guest/run: $*" >&2; }

eval "$("$here/prepare.sh")"
run="$(mktemp -d "${TMPDIR:-/tmp}/openimapi-guest.XXXXXX")"
emu_pid=""
cleanup() {
  if [ -n "$emu_pid" ]; then kill "$emu_pid" 2>/dev/null || true; wait "$emu_pid" 2>/dev/null || true; fi
  [ -n "${OPENIMAPI_GUEST_KEEP:-}" ] || rm -rf "$run"
}
trap cleanup EXIT

if [ -z "$url" ]; then
  node "$root/emulator/dist/cli.js" --port 0 --media "$media" --verbose > "$run/emulator.out" 2> "$run/emulator.log" &
  emu_pid=$!
  for _ in $(seq 100); do
    url="$(head -1 "$run/emulator.out" 2>/dev/null || true)"
    [ -n "$url" ] && break
    kill -0 "$emu_pid" 2>/dev/null || { log "emulator exited:"; cat "$run/emulator.log" >&2; exit 3; }
    sleep 0.1
  done
  [ -n "$url" ] || { log "emulator printed no URL"; exit 3; }
  log "emulator at $url"
fi

{ printf 'cd %q || exit 126\n' "$PWD"; printf '%q ' "$@"; echo; } > "$run/cmd.sh"

bios=()
[ -f /usr/share/qemu/qboot.rom ] && bios=(-bios /usr/share/qemu/qboot.rom)
start=$(date +%s.%N)
set +e
drives=()
i=0
for u in "$url" ${more_urls[@]+"${more_urls[@]}"}; do
  drives+=(-drive "file=$u,if=none,id=cd$i,format=raw" -device "scsi-generic,drive=cd$i,bus=scsi0.0,scsi-id=$i")
  i=$((i + 1))
done
timeout -k 5 "$timeout_s" qemu-system-x86_64 \
  -accel tcg -cpu max -m 1024 -smp 1 "${bios[@]}" \
  -nographic -no-reboot -nic none \
  -kernel "$KERNEL" -initrd "$INITRD" \
  -append "console=ttyS0 quiet loglevel=3 panic=-1 openimapi.cmd=$run/cmd.sh" \
  -virtfs local,path=/,mount_tag=hostroot,security_model=none,readonly=on,multidevs=remap \
  -device virtio-scsi-pci,id=scsi0 \
  "${drives[@]}" \
  < /dev/null 2> "$run/qemu.err" | tr -d '\r' | tee "$run/console.log"
qrc=${PIPESTATUS[0]}
set -e
elapsed=$(awk -v a="$start" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }')
log "guest run took ${elapsed}s (qemu exit $qrc)"
if [ -n "$emu_pid" ]; then
  # What reached the emulator (QEMU's own probe, the guest kernel's, then the command's), in order of first use.
  ops="$(sed -n 's/.*"op":"\([A-Z0-9_]*\)".*/\1/p' "$run/emulator.log" | awk '{ if (!($0 in n)) o[++k] = $0; n[$0]++ } END { for (i = 1; i <= k; i++) printf "%s%s x%d", (i > 1 ? ", " : ""), o[i], n[o[i]] }')"
  log "emulator saw $(grep -c '"op":' "$run/emulator.log" || true) CDBs: $ops"
fi
[ -s "$run/qemu.err" ] && { log "qemu stderr:"; cat "$run/qemu.err" >&2; }
[ -n "${OPENIMAPI_GUEST_KEEP:-}" ] && log "kept $run"
[ "$qrc" = 124 ] && { log "timed out after ${timeout_s}s"; exit 124; }
rc="$(sed -n 's/^OPENIMAPI-GUEST-EXIT=\([0-9]*\).*/\1/p' "$run/console.log" | tail -1)"
[ -n "$rc" ] || { log "the guest ended without reporting an exit code"; exit 125; }
exit "$rc"
