#!/usr/bin/env bash
# Makes a local stand-in for the emulator Dockerfile's default base (node:20-bookworm-slim) where no
# container registry is reachable: this machine's node and npm, a POSIX shell and the few coreutils the
# Dockerfile runs, the shared libraries they need (ldd), and a `node` user (uid 1000) as in the official
# image, and the machine's CA bundle — packed into a tarball and `docker import`ed.
#
#   scripts/docker-local-base.sh [IMAGE]     (default openimapi/node-base:local)
#   docker build --build-arg BASE=IMAGE -f emulator/Dockerfile .
set -euo pipefail
image=${1:-openimapi/node-base:local}
stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT

node=$(readlink -f "$(command -v node)")
npm_dir=$(readlink -f "$(npm root -g)/npm")
tools=(sh env chmod chown mkdir rm cp mv ln ls cat true false id)

# Copies a file to the same absolute path under the stage, following symlinks.
put() { mkdir -p "$stage$(dirname "$2")" && cp -L "$1" "$stage$2"; }
libs() { ldd "$1" 2>/dev/null | grep -oE '/[^ ]+' | sort -u; }

mkdir -p "$stage"/{usr/local/bin,usr/local/lib/node_modules,bin,etc,root,home/node,tmp}
chmod 1777 "$stage/tmp"
put "$node" /usr/local/bin/node
cp -a "$npm_dir" "$stage/usr/local/lib/node_modules/npm"
ln -s ../lib/node_modules/npm/bin/npm-cli.js "$stage/usr/local/bin/npm"
ln -s ../lib/node_modules/npm/bin/npx-cli.js "$stage/usr/local/bin/npx"
bins=("$node")
for t in "${tools[@]}"; do
  p=$(readlink -f "$(type -P "$t")")
  put "$p" "/bin/$t"
  [ "$t" = env ] && put "$p" /usr/bin/env # shebangs: #!/usr/bin/env node
  bins+=("$p")
done
for b in "${bins[@]}"; do
  for l in $(libs "$b"); do put "$l" "$l"; done
done

cat >"$stage/etc/passwd" <<'EOF'
root:x:0:0:root:/root:/bin/sh
node:x:1000:1000::/home/node:/bin/sh
nobody:x:65534:65534:nobody:/nonexistent:/bin/false
EOF
cat >"$stage/etc/group" <<'EOF'
root:x:0:
node:x:1000:
nogroup:x:65534:
EOF
echo 'hosts: files dns' >"$stage/etc/nsswitch.conf"
# The machine's trust store, so npm in the build trusts what npm here trusts.
cabundle=/etc/ssl/certs/ca-certificates.crt
ca_env=()
if [ -f "$cabundle" ]; then
  put "$cabundle" "$cabundle"
  ca_env=(-c "ENV NODE_EXTRA_CA_CERTS=$cabundle")
fi
chown 1000:1000 "$stage/home/node"

tar -C "$stage" --numeric-owner -c . | docker import \
  -c 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
  -c 'ENV NODE_VERSION='"$("$node" -p process.versions.node)" \
  "${ca_env[@]}" \
  -c 'CMD ["node"]' \
  -m "local base: node $("$node" --version) and its libraries" - "$image" >/dev/null
echo "$image: node $("$node" --version), npm $(npm --version), $(du -sh "$stage" | cut -f1)"
