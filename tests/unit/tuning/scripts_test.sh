#!/bin/bash
# tuning/scripts/*.sh against fake /sys and /proc trees. Usage: scripts_test.sh REPO_ROOT
set -u
scripts=$1/tuning/scripts
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*"; exit 1; }

. "$scripts/cpu-lists.sh"
[ "$(expand_list 0-3,8)" = "0 1 2 3 8" ] || fail "expand_list"
[ "$(cpu_mask 0 1 2 3)" = "f" ] || fail "cpu_mask 0-3"
[ "$(cpu_mask 0 33)" = "2,00000001" ] || fail "cpu_mask across 32-bit groups: $(cpu_mask 0 33)"

# A 6-CPU host with a NIC eth0: 3 MSI-X vectors, 2 RX and 2 TX queues.
sys=$tmp/sys proc=$tmp/proc
mkdir -p "$sys/devices/system/cpu" "$proc/net"
echo 0-5 >"$sys/devices/system/cpu/online"
for q in rx-0 rx-1 tx-0 tx-1; do mkdir -p "$sys/class/net/eth0/queues/$q"; done
for irq in 24 25 26; do
  mkdir -p "$sys/class/net/eth0/device/msi_irqs/$irq" "$proc/irq/$irq"
  echo 0-5 >"$proc/irq/$irq/smp_affinity_list"
done
printf 'Iface\tDestination\tGateway\neth0\t00000000\t0101A8C0\n' >"$proc/net/route"

out=$("$scripts/nic-queues.sh" --sys-root "$sys" --proc-root "$proc" --exclude 4-5 --dry-run)
echo "$out" | grep -q "would write 0 > $proc/irq/24/smp_affinity_list" || fail "dry run: $out"
[ "$(cat "$proc/irq/24/smp_affinity_list")" = 0-5 ] || fail "dry run wrote a file"

"$scripts/nic-queues.sh" --sys-root "$sys" --proc-root "$proc" --exclude 4-5 >/dev/null ||
  fail "nic-queues.sh failed"
[ "$(cat "$proc/irq/24/smp_affinity_list") $(cat "$proc/irq/25/smp_affinity_list") \
$(cat "$proc/irq/26/smp_affinity_list")" = "0 1 2" ] || fail "IRQ affinity round robin"
[ "$(cat "$sys/class/net/eth0/queues/rx-0/rps_cpus")" = f ] || fail "RPS over CPUs 0-3"
[ "$(cat "$sys/class/net/eth0/queues/tx-0/xps_cpus")" = 5 ] || fail "XPS tx-0 = CPUs 0,2"
[ "$(cat "$sys/class/net/eth0/queues/tx-1/xps_cpus")" = a ] || fail "XPS tx-1 = CPUs 1,3"
"$scripts/nic-queues.sh" --sys-root "$sys" --proc-root "$proc" --iface nope --dry-run \
  >/dev/null 2>&1 && fail "unknown interface accepted"

# 8 CPUs, CPU n and n+4 are hyperthread siblings.
mkdir -p "$tmp/sys8/devices/system/cpu"
echo 0-7 >"$tmp/sys8/devices/system/cpu/online"
for c in 0 1; do
  mkdir -p "$tmp/sys8/devices/system/cpu/cpu$c/topology"
  echo "$c,$((c + 4))" >"$tmp/sys8/devices/system/cpu/cpu$c/topology/thread_siblings_list"
done
out=$("$scripts/cpu-isolation.sh" --sys-root "$tmp/sys8")
echo "$out" | grep -q "isolcpus=managed_irq,domain,2,3,6,7 nohz_full=2,3,6,7 rcu_nocbs=2,3,6,7 irqaffinity=0,1,4,5" ||
  fail "cpu-isolation: $out"
echo "tuning scripts: all checks passed"
