#!/usr/bin/env bash
# Prepares a tiny Linux guest with a real SCSI stack: Debian's kernel (unpacked, never installed), an
# uncompressed vmlinux for a fast boot, and a busybox initramfs with the virtio-scsi, sr, sg, 9p,
# overlay and virtio-net modules. Installs its tools with apt when run as root. Prints two lines: KERNEL=... INITRD=...
#
# Cache: $OPENIMAPI_GUEST_CACHE (default ${XDG_CACHE_HOME:-~/.cache}/openimapi-guest).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
cache="${OPENIMAPI_GUEST_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/openimapi-guest}"
mkdir -p "$cache"
log() { echo "guest/prepare: $*" >&2; }

# 1. Host tools.
need=()
command -v qemu-system-x86_64 >/dev/null || need+=(qemu-system-x86)
[ -e /usr/lib/x86_64-linux-gnu/qemu/block-iscsi.so ] || need+=(qemu-block-extra)
[ -x /bin/busybox ] && ! ldd /bin/busybox >/dev/null 2>&1 || need+=(busybox-static)
command -v depmod >/dev/null || need+=(kmod)
command -v cpio >/dev/null || need+=(cpio)
command -v xz >/dev/null || need+=(xz-utils)
if [ ${#need[@]} -gt 0 ]; then
  if [ "$(id -u)" != 0 ]; then log "missing ${need[*]} and not root: cannot install"; exit 3; fi
  log "apt-get install ${need[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi

# 2. The kernel package behind linux-image-amd64, downloaded and unpacked (not installed).
pkg="$(apt-cache depends linux-image-amd64 2>/dev/null | awk '/Depends: linux-image-/{print $2; exit}')"
if [ -z "$pkg" ]; then
  [ "$(id -u)" = 0 ] && apt-get update -qq
  pkg="$(apt-cache depends linux-image-amd64 | awk '/Depends: linux-image-/{print $2; exit}')"
fi
ver="${pkg#linux-image-}"
kdir="$cache/$ver"
if [ ! -f "$kdir/.unpacked" ]; then
  log "downloading $pkg"
  rm -rf "$kdir" && mkdir -p "$kdir/dl"
  (cd "$kdir/dl" && apt-get download "$pkg" >/dev/null 2>&1 || apt-get download "$pkg")
  dpkg -x "$kdir"/dl/*.deb "$kdir/root"
  rm -rf "$kdir/dl"
  depmod -b "$kdir/root" "$ver"
  touch "$kdir/.unpacked"
fi

# 3. vmlinux: the xz payload of the bzImage, so the boot skips the in-guest decompressor. QEMU boots
#    the ELF through its PVH entry point.
if [ ! -s "$kdir/vmlinux" ]; then
  bz="$kdir/root/boot/vmlinuz-$ver"
  off="$(grep -abo $'\xfd7zXZ\x00' "$bz" | head -1 | cut -d: -f1)"
  [ -n "$off" ] || { log "no xz payload in $bz"; exit 4; }
  tail -c +"$((off + 1))" "$bz" | xz -dcq --single-stream > "$kdir/vmlinux.tmp" 2>/dev/null || true
  [ "$(head -c 4 "$kdir/vmlinux.tmp" | od -An -c | tr -d ' ')" = '177ELF' ] || { log "payload of $bz is not an ELF"; exit 4; }
  mv "$kdir/vmlinux.tmp" "$kdir/vmlinux"
fi

# 4. initramfs: busybox, /init, the modules and their dependencies, modules.dep from depmod -b.
initrd="$kdir/initramfs.cpio.gz"
if [ ! -s "$initrd" ] || [ "$here/init.sh" -nt "$initrd" ] || [ "$0" -nt "$initrd" ]; then
  log "building initramfs"
  stage="$(mktemp -d)"
  trap 'rm -rf "$stage"' EXIT
  mkdir -p "$stage"/{bin,dev,proc,sys,lower,rw,newroot,lib/modules/"$ver"}
  cp /bin/busybox "$stage/bin/busybox"
  cp "$here/init.sh" "$stage/init" && chmod 755 "$stage/init"
  modules=(virtio_pci virtio_scsi sr_mod sg 9pnet_virtio 9p overlay virtio_net)
  for m in "${modules[@]}"; do
    modprobe -d "$kdir/root" -S "$ver" --show-depends "$m" | awk '$1 == "insmod" {print $2}'
  done | sort -u | while read -r ko; do
    rel="${ko#"$kdir/root/lib/modules/$ver/"}"
    mkdir -p "$stage/lib/modules/$ver/$(dirname "$rel")"
    cp "$ko" "$stage/lib/modules/$ver/$rel"
  done
  cp "$kdir/root/lib/modules/$ver"/modules.{order,builtin,builtin.modinfo} "$stage/lib/modules/$ver/"
  depmod -b "$stage" "$ver"
  echo "${modules[*]}" > "$stage/modules"
  (cd "$stage" && find . | cpio -o -H newc --quiet | gzip -1) > "$initrd.tmp"
  mv "$initrd.tmp" "$initrd"
fi
echo "KERNEL=$kdir/vmlinux"
echo "INITRD=$initrd"
