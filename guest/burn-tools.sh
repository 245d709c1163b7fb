#!/bin/sh
# Runs inside the guest (guest/run.sh -- sh guest/burn-tools.sh DATA CASE...): burns with the real
# Debian burning tools, one CASE per SCSI CD drive (drive i = SCSI target i = the i-th --iscsi URL),
# then reads each data disc back through the kernel's /dev/srN and compares it with the source.
#
# DATA holds the sources the host test made: data.iso (2048-byte blocks, as many as data.blocks
# says), audio.wav (16-bit stereo 44.1 kHz), data.toc / audio.toc / mixed.toc (cdrdao). The host
# checks the rest (TOC, tracks, audio sectors) through the emulator's control API and over iSCSI.
#
# Prints one line per case and step:  BURN-CASE <i> <case> <step> <result>
# (the stall cases need the emulator's realistic speed model at time scale 4)
#   step tool: rc=N (the tool's exit status);  step readback: ok | differ | skipped
set -u
data="$1"; shift
blocks="$(cat "$data/data.blocks")"

# All drives present? (the SCSI scan is asynchronous)
want=$#
n=0
while :; do
  have=$(ls -d /sys/block/sr* 2>/dev/null | wc -l)
  [ "$have" -ge "$want" ] && break
  n=$((n + 1)); [ "$n" -le 300 ] || { echo "BURN-SETUP only $have of $want CD drives appeared"; exit 2; }
  sleep 0.1
done

# /dev/srN of SCSI target $1: /sys/block/srN/device -> .../H:C:T:L
dev_of() {
  for b in /sys/block/sr*; do
    addr="$(basename "$(readlink -f "$b/device")")"
    t="$(echo "$addr" | cut -d: -f3)"
    [ "$t" = "$1" ] && { echo "/dev/$(basename "$b")"; return; }
  done
}

say() { echo "BURN-CASE $i $c $*"; }
readback() {
  if dd if="$1" bs=2048 count="$blocks" iflag=direct 2>/dev/null | cmp -s - "$data/data.iso"; then say readback ok; else say readback differ; fi
}

i=0
for c in "$@"; do
  dev="$(dev_of "$i")"
  [ -n "$dev" ] || { say tool rc=no-device; i=$((i + 1)); continue; }
  echo "=== case $i $c on $dev"
  rb=yes
  case "$c" in
    cdrskin-tao-data)   cdrskin -v dev="$dev" -tao -data "$data/data.iso" ;;
    cdrskin-sao-data)   cdrskin -v dev="$dev" -sao -data "$data/data.iso" ;;
    cdrskin-sao-audio)  rb=no; cdrskin -v dev="$dev" -sao -audio "$data/audio.wav" "$data/audio.wav" ;;
    cdrskin-tao-mixed)  rb=no; cdrskin -v dev="$dev" -tao -audio "$data/audio.wav" -data "$data/data.iso" ;;
    cdrskin-blank)      cdrskin -v dev="$dev" -tao -data "$data/data.iso" && cdrskin -v dev="$dev" blank=fast && cdrskin -v dev="$dev" -tao -data "$data/data.iso" ;;
    cdrskin-dvd)        cdrskin -v dev="$dev" -data "$data/data.iso" ;;
    cdrskin-dvd-rw)     cdrskin -v dev="$dev" -data "$data/data.iso" && cdrskin -v dev="$dev" blank=all && cdrskin -v dev="$dev" -data "$data/data.iso" ;;
    # The host feeds 1 MiB, stalls 4 s, then the rest: with BUFE off (noburnfree) the realistic speed
    # model's buffer runs dry and the burn fails with LOSS OF STREAMING; with burnfree it goes on.
    cdrskin-stall-noburnfree|cdrskin-stall-burnfree)
      { head -c 1048576 "$data/data.iso"; sleep 4; tail -c +1048577 "$data/data.iso"; } |
        cdrskin -v dev="$dev" speed=4 -tao driveropts="${c#cdrskin-stall-}" fs=256k tsize="$((blocks * 2048))" -data - ;;
    wodim-tao-data)     wodim -v gracetime=2 dev="$dev" -tao -data "$data/data.iso" ;;
    wodim-dao-data)     wodim -v gracetime=2 dev="$dev" -dao -data "$data/data.iso" ;;
    wodim-raw96r-data)  wodim -v gracetime=2 dev="$dev" -raw96r -data "$data/data.iso" ;;
    wodim-dao-audio)    rb=no; wodim -v gracetime=2 dev="$dev" -dao -audio "$data/audio.wav" ;;
    wodim-blank)        wodim -v gracetime=2 dev="$dev" -tao -data "$data/data.iso" && wodim -v gracetime=2 dev="$dev" blank=fast && wodim -v gracetime=2 dev="$dev" blank=all && wodim -v gracetime=2 dev="$dev" -tao -data "$data/data.iso" ;;
    cdrdao-data)        cdrdao write -n --device "$dev" --driver generic-mmc "$data/data.toc" ;;
    cdrdao-raw)         cdrdao write -n --device "$dev" --driver generic-mmc-raw "$data/data.toc" ;;
    cdrdao-audio)       rb=no; cdrdao write -n --device "$dev" --driver generic-mmc "$data/audio.toc" ;;
    cdrdao-mixed)       cdrdao write -n --device "$dev" --driver generic-mmc "$data/mixed.toc" ;;
    growisofs-dvd+r)    growisofs -Z "$dev=$data/data.iso" ;;
    growisofs-dvd-r)    growisofs -dvd-compat -Z "$dev=$data/data.iso" ;;
    growisofs-dvd-rw)   growisofs -Z "$dev=$data/data.iso" ;;
    growisofs-dvd+rw)   growisofs -Z "$dev=$data/data.iso" ;;
    growisofs-bd-r)     growisofs -Z "$dev=$data/data.iso" ;;
    growisofs-bd-re)    growisofs -Z "$dev=$data/data.iso" ;;
    *) echo "unknown case $c"; false ;;
  esac
  say tool "rc=$?"
  if [ "$rb" = yes ]; then readback "$dev"; else say readback skipped; fi
  i=$((i + 1))
done
