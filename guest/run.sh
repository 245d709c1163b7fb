#!/usr/bin/env bash
# Boots a tiny Linux guest under QEMU (TCG) whose SCSI CD drive is the openimapi emulator, reached
# over iSCSI through QEMU's scsi-generic passthrough, and runs one command inside it with the host's
# root as its (read-only + tmpfs overlay) filesystem. The command's output comes back on the serial
# console; this script exits with the command's exit code.
#
#   guest/run.sh [--iscsi URL]... [--control URL | --no-control] [--timeout SECONDS] [--media KIND]
#                [--smp N] -- COMMAND [ARG...]
#
# Each --iscsi URL becomes one SCSI CD drive of the guest, in order (SCSI target id 0, 1, ...; the
# guest's /dev/srN and /dev/sgN follow that order).
# Without --iscsi it starts `node emulator/dist/cli.js --port 0 --control-port 0 --media KIND --verbose`
# (default cd-r) and stops it afterwards; the emulator's CDB log is kept and its path printed.
#
# The emulator's control API (its own, or --control http://127.0.0.1:PORT with --iscsi) is forwarded
# into the guest and named in the command's environment as OPENIMAPI_CONTROL. The guest's only
# network is QEMU's user-mode stack with restrict=on: the guest reaches nothing but one forwarded
# address (link-local, inside QEMU), whose connections QEMU hands to guest/control-bridge.mjs on the
# host, which connects to the control port on 127.0.0.1. A second forwarded address, named in
# OPENIMAPI_GUEST_HOOK (HOST:PORT), takes one line: `unplug` hot-unplugs the CD drive (QMP device_del)
# and answers `unplugged` once QEMU has removed it (guest/host-hook.mjs). --no-control: no network at
# all (-nic none), so neither forward. OPENIMAPI_GUEST_KLOG=loglevel=6 shows the guest kernel's log.
#
# Exit codes: the command's; 124 timeout; 125 the guest ended without reporting; 3/4 setup failed;
# 119-124 from the guest's init (network, modules, 9p, overlay, no SCSI CD, no command).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/.." && pwd)"
url="" control="" no_control="" timeout_s=300 media=cd-r smp=1
more_urls=()
while [ $# -gt 0 ]; do
  case "$1" in
    --iscsi) if [ -z "$url" ]; then url="$2"; else more_urls+=("$2"); fi; shift 2 ;;
    --control) control="$2"; shift 2 ;;
    --no-control) no_control=1; shift ;;
    --smp) smp="$2"; shift 2 ;;
    --timeout) timeout_s="$2"; shift 2 ;;
    --media) media="$2"; shift 2 ;;
    --) shift; break ;;
    *) break ;;
  esac
done
usage="usage: $0 [--iscsi URL]... [--control URL | --no-control] [--timeout S] [--media KIND] [--smp N] -- COMMAND [ARG...]"
[ $# -gt 0 ] || { echo "$usage" >&2; exit 2; }
log() { echo "guest/run: $*" >&2; }
if [ -n "$control" ]; then
  [ -n "$url" ] || { log "--control goes with --iscsi (without it the emulator started here brings its own)"; exit 2; }
  [[ "$control" =~ ^http://127\.0\.0\.1:([0-9]+)/?$ ]] || { log "--control must be http://127.0.0.1:PORT (the forward stays on loopback)"; exit 2; }
fi

eval "$("$here/prepare.sh")"
run="$(mktemp -d "${TMPDIR:-/tmp}/openimapi-guest.XXXXXX")"
emu_pid=""
cleanup() {
  if [ -n "$emu_pid" ]; then kill "$emu_pid" 2>/dev/null || true; wait "$emu_pid" 2>/dev/null || true; fi
  [ -n "${OPENIMAPI_GUEST_KEEP:-}" ] || rm -rf "$run"
}
trap cleanup EXIT

if [ -z "$url" ]; then
  ctl_args=(--control-port 0)
  [ -n "$no_control" ] && ctl_args=()
  node "$root/emulator/dist/cli.js" --port 0 "${ctl_args[@]}" --media "$media" --verbose > "$run/emulator.out" 2> "$run/emulator.log" &
  emu_pid=$!
  for _ in $(seq 100); do
    url="$(head -1 "$run/emulator.out" 2>/dev/null || true)"
    [ -n "$url" ] && break
    kill -0 "$emu_pid" 2>/dev/null || { log "emulator exited:"; cat "$run/emulator.log" >&2; exit 3; }
    sleep 0.1
  done
  [ -n "$url" ] || { log "emulator printed no URL"; exit 3; }
  [ -n "$no_control" ] || control="$(sed -n 's/.* control API on \(http:\/\/127\.0\.0\.1:[0-9]*\).*/\1/p' "$run/emulator.log" | head -1)"
  [ -n "$no_control" ] || [ -n "$control" ] || { log "the emulator logged no control API URL"; exit 3; }
  log "emulator at $url${control:+, control API $control}"
fi

# The guest side of the forwards: a link-local network that exists only inside QEMU. .100 is the
# control API; .101 the host hook (guest/host-hook.mjs: `unplug` hot-unplugs the CD drive over QMP).
guest_net=169.254.77.0/24 guest_addr=169.254.77.15/24 ctl_addr=169.254.77.100:80 hook_addr=169.254.77.101:80
node_bin="$(command -v node)"
nic=(-nic none)
append_net=""
env_lines=()
if [ -n "$control" ] && [ -z "$no_control" ]; then
  cport="${control##*:}"; cport="${cport%/}"
  nic=(-nic "user,model=virtio-net-pci,restrict=on,ipv6=off,net=$guest_net,host=169.254.77.2,dns=169.254.77.3,guestfwd=tcp:$ctl_addr-cmd:$node_bin $here/control-bridge.mjs $cport,guestfwd=tcp:$hook_addr-cmd:$node_bin $here/host-hook.mjs $run/qmp.sock")
  append_net=" openimapi.net=$guest_addr"
  env_lines=("export OPENIMAPI_CONTROL=http://$ctl_addr" "export OPENIMAPI_GUEST_HOOK=$hook_addr")
fi

{ printf '%s\n' "${env_lines[@]}"; printf 'cd %q || exit 126\n' "$PWD"; printf '%q ' "$@"; echo; } > "$run/cmd.sh"

bios=()
[ -f /usr/share/qemu/qboot.rom ] && bios=(-bios /usr/share/qemu/qboot.rom)
start=$(date +%s.%N)
set +e
drives=()
i=0
for u in "$url" ${more_urls[@]+"${more_urls[@]}"}; do
  # The first drive's device id is what guest/host-hook.mjs unplugs.
  dev_id=cddrive; [ "$i" -gt 0 ] && dev_id="cddrive$i"
  drives+=(-drive "file=$u,if=none,id=cd$i,format=raw" -device "scsi-generic,drive=cd$i,bus=scsi0.0,scsi-id=$i,id=$dev_id")
  i=$((i + 1))
done
timeout -k 5 "$timeout_s" qemu-system-x86_64 \
  -accel tcg -cpu max -m 1024 -smp "$smp" "${bios[@]}" \
  -nographic -no-reboot "${nic[@]}" \
  -kernel "$KERNEL" -initrd "$INITRD" \
  -append "console=ttyS0 ${OPENIMAPI_GUEST_KLOG:-quiet loglevel=3} panic=-1 openimapi.cmd=$run/cmd.sh$append_net" \
  -virtfs local,path=/,mount_tag=hostroot,security_model=none,readonly=on,multidevs=remap \
  -device virtio-scsi-pci,id=scsi0 \
  "${drives[@]}" \
  -qmp "unix:$run/qmp.sock,server=on,wait=off" \
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
