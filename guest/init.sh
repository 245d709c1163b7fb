#!/bin/busybox sh
# /init of the guest: load the SCSI, 9p and overlay modules, mount the host's root (9p, read-only)
# under a tmpfs overlay, wait for the SCSI CD drive, run the command named on the kernel command line
# (openimapi.cmd=FILE, a shell script on the host) inside that root, print its exit code, power off.
# openimapi.net=ADDR/PREFIX brings up lo and eth0 (QEMU's user-mode network, used only for the
# forwarded emulator control port) with that static address; without it the guest has no network.
/bin/busybox --install -s /bin
export PATH=/bin
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev

say() { echo "guest: $*"; }
finish() { echo "OPENIMAPI-GUEST-EXIT=$1"; sync; poweroff -f; sleep 5; }

arg() { sed -n "s/.*$1=\([^ ]*\).*/\1/p" /proc/cmdline; }
cmd="$(arg openimapi.cmd)"
wait_s="$(arg openimapi.wait)"; [ -n "$wait_s" ] || wait_s=30
net="$(arg openimapi.net)"

for m in $(cat /modules); do modprobe "$m" || { say "modprobe $m failed"; finish 120; }; done

ip link set lo up
if [ -n "$net" ]; then
  ip addr add "$net" dev eth0 && ip link set eth0 up || { say "network setup ($net) failed"; finish 119; }
fi

mount -t 9p -o trans=virtio,version=9p2000.L,ro,msize=512000,cache=loose hostroot /lower || { say "9p mount failed"; finish 121; }
mount -t tmpfs -o size=512m tmpfs /rw && mkdir -p /rw/upper /rw/work
mount -t overlay overlay -o lowerdir=/lower,upperdir=/rw/upper,workdir=/rw/work /newroot || { say "overlay mount failed"; finish 122; }
for d in proc sys dev; do mount --bind "/$d" "/newroot/$d"; done

# The SCSI scan is asynchronous: wait for a CD-ROM (type 5) sg node.
i=0
while :; do
  for t in /sys/class/scsi_generic/sg*/device/type; do [ "$(cat "$t" 2>/dev/null)" = 5 ] && break 2; done
  i=$((i + 1)); [ "$i" -le $((wait_s * 10)) ] || { say "no SCSI CD device after ${wait_s}s"; finish 123; }
  sleep 0.1
done
say "scsi devices: $(ls /sys/class/scsi_generic | tr '\n' ' ')up $(cut -d' ' -f1 /proc/uptime)s"

[ -n "$cmd" ] || { say "no openimapi.cmd= on the kernel command line"; finish 124; }
chroot /newroot /bin/sh -c "export HOME=/root PATH=/usr/local/bin:/usr/bin:/bin:/usr/sbin:/sbin; exec /bin/sh '$cmd'" < /dev/console > /dev/console 2>&1
finish $?
