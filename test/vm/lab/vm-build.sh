#!/bin/bash
# Builds the router VM used by test/vm/**: Debian's stock kernel (flowtables as modules) plus an
# initramfs made of busybox-static, this machine's own nft/conntrack/sshd/ip/iperf3/socat (with the
# libraries ldd resolves) and the netfilter/virtio/veth modules.
# Approach and measurements: /work/shared/lab/vm-build.sh and README.md §2 (project lab notes);
# this is our own copy, written for the test fixture (cache + lock, no fixed port, no apt install).
#
# Usage: vm-build.sh OUT_DIR        (root; needs apt lists, kmod, cpio, xz, ssh-keygen)
# Output (in OUT_DIR): vmlinux (or vmlinuz), initrd.img, id_ed25519{,.pub}, host_ed25519.pub, stamp
# A build whose inputs did not change is reused (stamp = kernel version + hash of this script and
# of guest-rcS.sh); concurrent callers serialize on OUT_DIR/.lock.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
OUT=${1:?usage: vm-build.sh OUT_DIR}
mkdir -p "$OUT"
OUT=$(cd "$OUT" && pwd)   # absolute: modprobe -d prints absolute paths that get stripped below
exec 9>"$OUT/.lock"
flock 9
export DEBIAN_FRONTEND=noninteractive
t0=$(date +%s%N); lap() { echo "[$(( ($(date +%s%N) - t0) / 1000000 )) ms] $*"; }

for tool in apt-get apt-cache dpkg depmod modprobe cpio ssh-keygen ldd; do
  command -v "$tool" >/dev/null || { echo "vm-build: $tool is missing (install kmod cpio openssh-client)" >&2; exit 1; }
done
BINS="/usr/sbin/nft /usr/sbin/conntrack /usr/sbin/sshd /usr/sbin/ip /usr/bin/iperf3 /usr/bin/socat /usr/bin/kmod /usr/bin/bash /usr/bin/dash /usr/bin/flock"
for b in $BINS; do
  [ -x "$b" ] || { echo "vm-build: $b is missing on this machine; it is copied into the guest (apt: nftables conntrack openssh-server iproute2 iperf3 socat kmod)" >&2; exit 1; }
done

# The Debian kernel the metapackage points at (apt lists needed; CI runs apt-get update first).
KPKG=$(apt-cache depends linux-image-amd64 2>/dev/null | awk '/Depends: linux-image-[0-9]/{print $2; exit}')
[ -n "$KPKG" ] || { echo "vm-build: apt knows no linux-image-amd64 (run apt-get update)" >&2; exit 1; }
KV=${KPKG#linux-image-}
STAMP="$KV $(cat "$0" "$HERE/guest-rcS.sh" | sha256sum | cut -c1-16)"
if [ -f "$OUT/stamp" ] && [ "$(cat "$OUT/stamp")" = "$STAMP" ] && [ -f "$OUT/initrd.img" ]; then
  echo "cached: $STAMP"
  exit 0
fi
rm -f "$OUT/stamp"

# 1. kernel + busybox-static: downloaded and unpacked, never installed.
mkdir -p "$OUT/dl"
get() {  # apt-get download into dl/ unless a .deb of that name is already there
  local pkg=$1 pattern=$2
  ls "$OUT"/dl/$pattern >/dev/null 2>&1 && return 0
  # "Download is performed unsandboxed as root" is printed when _apt cannot write here: harmless
  (cd "$OUT/dl" && apt-get download -q "$pkg" 2>&1 | grep -v 'unsandboxed' || true)
  ls "$OUT"/dl/$pattern >/dev/null 2>&1 || { echo "vm-build: apt-get download $pkg failed" >&2; exit 1; }
}
get "$KPKG" "linux-image-${KV}_*.deb"
get busybox-static "busybox-static_*.deb"
rm -rf "$OUT/kpkg" "$OUT/bbpkg"
dpkg -x "$OUT"/dl/linux-image-"$KV"_*.deb "$OUT/kpkg"
dpkg -x "$OUT"/dl/busybox-static_*.deb "$OUT/bbpkg"
CFG="$OUT/kpkg/boot/config-$KV"
for o in CONFIG_NF_FLOW_TABLE CONFIG_NF_FLOW_TABLE_INET CONFIG_NFT_FLOW_OFFLOAD CONFIG_VETH CONFIG_VIRTIO_NET; do
  grep -qE "^$o=(m|y)" "$CFG" || { echo "vm-build: kernel $KV lacks $o" >&2; exit 1; }
done
lap "kernel $KV unpacked"

# 2. kernel image. With CONFIG_PVH=y QEMU boots the uncompressed ELF directly, which skips the
#    emulated XZ decompressor (lab README §2: ~5 s faster under TCG). Fall back to the bzImage.
rm -f "$OUT/vmlinux" "$OUT/vmlinuz"
cp "$OUT/kpkg/boot/vmlinuz-$KV" "$OUT/vmlinuz"
if command -v xz >/dev/null && grep -q '^CONFIG_PVH=y' "$CFG"; then
  off=$(node -e 'const d=require("fs").readFileSync(process.argv[1]);process.stdout.write(String(d.indexOf(Buffer.from([0xfd,0x37,0x7a,0x58,0x5a,0x00]))))' "$OUT/vmlinuz")
  # (through a file: with pipefail, tail's SIGPIPE when xz stops at the stream end fails a pipe)
  if [ "$off" -ge 0 ] && tail -c +$((off + 1)) "$OUT/vmlinuz" > "$OUT/payload.xz" &&
     xz -dc --single-stream "$OUT/payload.xz" > "$OUT/vmlinux.tmp" 2>/dev/null; then
    mv "$OUT/vmlinux.tmp" "$OUT/vmlinux"
  else
    rm -f "$OUT/vmlinux.tmp"
  fi
  rm -f "$OUT/payload.xz"
fi
lap "kernel image: $(ls "$OUT"/vmlinux 2>/dev/null || echo "$OUT/vmlinuz (no xz payload found)")"

# 3. root filesystem: merged-/usr layout like Debian 12.
R="$OUT/rootfs"; rm -rf "$R"
mkdir -p "$R"/{usr/bin,usr/sbin,usr/lib/x86_64-linux-gnu,usr/lib64,etc/ssh,root/.ssh,proc,sys,dev,run,tmp,var/log}
ln -s usr/bin "$R/bin"; ln -s usr/sbin "$R/sbin"; ln -s usr/lib "$R/lib"; ln -s usr/lib64 "$R/lib64"
chmod 1777 "$R/tmp"; chmod 700 "$R/root" "$R/root/.ssh"
for b in $BINS; do
  cp -L "$b" "$R$b"
  for lib in $(ldd "$b" | awk '/=> \//{print $3} /^\t\/lib/{print $1}'); do
    [ -e "$R$lib" ] || { mkdir -p "$R$(dirname "$lib")"; cp -L "$lib" "$R$lib"; }
  done
done
# /bin/sh must not be busybox-static's ash: it prefers its own applets, so `ip netns` would run
# busybox's ip instead of iproute2's (lab README, gotcha 2).
ln -s dash "$R/usr/bin/sh"
for a in modprobe insmod rmmod lsmod depmod modinfo; do ln -s ../bin/kmod "$R/usr/sbin/$a"; done
cp "$OUT/bbpkg/bin/busybox" "$R/usr/bin/busybox"
for a in $("$R/usr/bin/busybox" --list-full); do
  [ -e "$R/$a" ] || [ -L "$R/$a" ] || ln -s /usr/bin/busybox "$R/$a"
done
ln -s usr/bin/busybox "$R/init"   # busybox init as PID 1: reaps zombies, handles poweroff
lap "binaries copied"

# 4. modules: all of netfilter (so nft can autoload what a ruleset needs) + virtio + veth, and bridge
#    and 8021q (scenarios whose flows are routed through an upper device), closed over their
#    dependencies. Debian ships no modules.dep (gotcha 17): depmod -b.
MS="$OUT/kpkg/lib/modules/$KV"
[ -f "$MS/modules.dep" ] || depmod -b "$OUT/kpkg" "$KV"
mods=$(cd "$MS/kernel" && find net/netfilter net/ipv4/netfilter net/ipv6/netfilter -name '*.ko' -printf '%f\n' | sed 's/\.ko$//')
# shellcheck disable=SC2086
modprobe -d "$OUT/kpkg" -S "$KV" --show-depends -a $mods virtio_pci virtio_net veth bridge 8021q 2>/dev/null |
  awk '$1=="insmod"{print $2}' | sort -u |
  while read -r f; do rel=${f#"$OUT/kpkg"}; mkdir -p "$R$(dirname "$rel")"; cp "$f" "$R$rel"; done
cp "$MS"/modules.{order,builtin,builtin.modinfo} "$R/lib/modules/$KV/" 2>/dev/null || true
depmod -b "$R" "$KV"
lap "modules: $(find "$R/lib/modules" -name '*.ko' | wc -l) files"

# 5. users, sshd with throwaway keys (gotcha 16: /run/sshd, an sshd user, root not locked), init.
cat > "$R/etc/passwd" <<P
root:x:0:0:root:/root:/bin/bash
sshd:x:100:65534::/run/sshd:/usr/sbin/nologin
nobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin
P
printf 'root:x:0:\nnogroup:x:65534:\n' > "$R/etc/group"
printf 'root:*:19000:0:99999:7:::\n' > "$R/etc/shadow"; chmod 600 "$R/etc/shadow"
cp /etc/protocols /etc/services "$R/etc/"
printf '127.0.0.1 localhost vm-router\n' > "$R/etc/hosts"
rm -f "$OUT"/host_ed25519* "$OUT"/id_ed25519*
ssh-keygen -q -t ed25519 -N '' -C nfo-vm-host -f "$OUT/host_ed25519"
ssh-keygen -q -t ed25519 -N '' -C nfo-vm-client -f "$OUT/id_ed25519"
install -m 600 "$OUT/host_ed25519" "$R/etc/ssh/ssh_host_ed25519_key"
install -m 600 "$OUT/id_ed25519.pub" "$R/root/.ssh/authorized_keys"
rm -f "$OUT/host_ed25519"   # the private host key lives only in the image
cat > "$R/etc/ssh/sshd_config" <<C
HostKey /etc/ssh/ssh_host_ed25519_key
PermitRootLogin prohibit-password
PasswordAuthentication no
KbdInteractiveAuthentication no
UsePAM no
StrictModes no
UseDNS no
PrintMotd no
PrintLastLog no
MaxStartups 50:30:100
C
cat > "$R/etc/inittab" <<I
::sysinit:/etc/rcS
::respawn:/usr/sbin/sshd -D -e -f /etc/ssh/sshd_config
::ctrlaltdel:/sbin/poweroff -f
::shutdown:/bin/sync
I
install -m 755 "$HERE/guest-rcS.sh" "$R/etc/rcS"

# 6. pack: an uncompressed cpio boots fastest.
(cd "$R" && find . -print0 | cpio --null -o -H newc --quiet) > "$OUT/initrd.img"
rm -rf "$R" "$OUT/kpkg" "$OUT/bbpkg"   # 400+ MB unpacked; the .debs stay in dl/ for a rebuild
echo "$STAMP" > "$OUT/stamp"
lap "initrd: $(du -h "$OUT/initrd.img" | cut -f1)"
