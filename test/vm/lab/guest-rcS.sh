#!/bin/sh
# Runs once at boot as the router VM's /etc/rcS (busybox init). Same topology as the project lab
# (/work/shared/lab/guest-rcS.sh): the VM's root namespace is the router; namespaces lan and wan sit
# behind veths rlan (10.10.1.1/24) and rwan (10.10.2.1/24).
export PATH=/usr/sbin:/usr/bin:/sbin:/bin
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev 2>/dev/null
mkdir -p /dev/pts /dev/shm && mount -t devpts devpts /dev/pts
mount -t tmpfs -o mode=755 tmpfs /run
mkdir -p /run/sshd /run/netns
# nft autoloads modules through the kernel's usermode helper: point it at kmod (gotcha 17).
echo /sbin/modprobe > /proc/sys/kernel/modprobe
hostname vm-router
for m in virtio_pci virtio_net veth nf_tables nf_conntrack nf_conntrack_netlink nft_ct \
         nf_flow_table nf_flow_table_inet nft_flow_offload; do modprobe "$m"; done

# Management link (QEMU user net with restrict=on): static address, no default route, so nothing
# leaves the VM; only the forwarded SSH port comes in.
ip link set lo up
i=0; while [ ! -e /sys/class/net/eth0 ] && [ $i -lt 100 ]; do sleep 0.05; i=$((i+1)); done
ip addr add 10.0.2.15/24 dev eth0; ip link set eth0 up

# nf_conntrack_acct=1: without it conntrack keeps no packets=/bytes= (gotcha 6).
sysctl -qw net.ipv4.ip_forward=1
sysctl -qw net.netfilter.nf_conntrack_acct=1
for ns in lan wan; do ip netns add $ns; ip -n $ns link set lo up; done
ip link add rlan type veth peer name lan0 netns lan
ip link add rwan type veth peer name wan0 netns wan
ip addr add 10.10.1.1/24 dev rlan; ip addr add 10.10.2.1/24 dev rwan
ip link set rlan up; ip link set rwan up
ip -n lan addr add 10.10.1.2/24 dev lan0; ip -n lan link set lan0 up; ip -n lan route add default via 10.10.1.1
ip -n wan addr add 10.10.2.2/24 dev wan0; ip -n wan link set wan0 up; ip -n wan route add 10.10.1.0/24 via 10.10.2.1
echo "NFO-VM-READY $(cut -d' ' -f1 /proc/uptime)s" > /dev/console
