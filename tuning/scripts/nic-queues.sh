#!/bin/bash
# Spreads a NIC's receive/transmit work over CPUs for ringcast (tuning/README.md):
#   - IRQ affinity: each queue interrupt of the NIC goes to one CPU of the set, round robin
#   - RPS: when the NIC has fewer RX queues than CPUs in the set, each RX queue steers its
#     packets' protocol processing to the whole set (rps_cpus); otherwise RPS is left off
#   - XPS: each TX queue is used by the CPUs that map onto it (xps_cpus), so a worker
#     sends on "its" queue without taking another queue's lock
#
# Usage: nic-queues.sh [--iface NAME] [--cpus LIST | --exclude LIST] [--dry-run]
#                      [--sys-root DIR] [--proc-root DIR]
#   --iface     the NIC (default: the interface of the default route)
#   --cpus      CPUs to spread over, e.g. 0-3,8 (default: all online CPUs)
#   --exclude   CPUs to leave alone, e.g. the worker cores isolated with cpu-isolation.sh
#   --dry-run   print every file it would write and the value, write nothing
#   --sys-root/--proc-root  read and write a fake tree instead of /sys and /proc (tests)
# Needs root unless --dry-run. irqbalance, when running, moves IRQs back: stop it first
# (systemctl disable --now irqbalance) or give it IRQBALANCE_BANNED_CPULIST.
set -euo pipefail
. "$(dirname "$0")/cpu-lists.sh"

sys=/sys proc=/proc iface="" cpus="" exclude="" dry=0
usage() { sed -n '2,18p' "$0" | sed 's/^# \{0,1\}//'; exit 2; }
while [ $# -gt 0 ]; do
  case $1 in
    --iface) iface=$2; shift 2 ;;
    --cpus) cpus=$2; shift 2 ;;
    --exclude) exclude=$2; shift 2 ;;
    --dry-run) dry=1; shift ;;
    --sys-root) sys=$2; shift 2 ;;
    --proc-root) proc=$2; shift 2 ;;
    -h|--help) usage ;;
    *) echo "nic-queues.sh: unknown argument '$1'" >&2; usage ;;
  esac
done

put() {  # put FILE VALUE
  if [ $dry -eq 1 ]; then echo "would write $2 > $1"; return; fi
  if echo "$2" >"$1" 2>/dev/null; then echo "wrote $2 > $1"; else echo "FAILED $2 > $1" >&2; fi
}

if [ -z "$iface" ]; then
  iface=$(awk '$2 == "00000000" { print $1; exit }' "$proc/net/route" 2>/dev/null || true)
fi
[ -n "$iface" ] || { echo "nic-queues.sh: no default route; give --iface" >&2; exit 2; }
dev="$sys/class/net/$iface"
[ -d "$dev" ] || { echo "nic-queues.sh: no interface '$iface' under $sys/class/net" >&2; exit 2; }
if [ $dry -eq 0 ] && [ "$sys" = /sys ] && [ "$(id -u)" -ne 0 ]; then
  echo "nic-queues.sh: needs root (or --dry-run)" >&2; exit 2
fi

[ -n "$cpus" ] || cpus=$(cat "$sys/devices/system/cpu/online")
set_cpus=()
for c in $(expand_list "$cpus"); do
  [[ " $(expand_list "$exclude") " == *" $c "* ]] || set_cpus+=("$c")
done
[ ${#set_cpus[@]} -gt 0 ] || { echo "nic-queues.sh: no CPU left to use" >&2; exit 2; }
echo "interface $iface, CPUs ${set_cpus[*]}"

# IRQs of the device (MSI-X vectors), else the lines of /proc/interrupts naming it.
irqs=()
if [ -d "$dev/device/msi_irqs" ]; then
  irqs=($(ls "$dev/device/msi_irqs" | sort -n))
else
  irqs=($(awk -v n="$iface" '$NF ~ n { sub(":", "", $1); print $1 }' "$proc/interrupts"))
fi
i=0
for irq in "${irqs[@]}"; do
  [ -e "$proc/irq/$irq/smp_affinity_list" ] || continue
  put "$proc/irq/$irq/smp_affinity_list" "${set_cpus[i % ${#set_cpus[@]}]}"
  i=$((i + 1))
done
[ ${#irqs[@]} -gt 0 ] || echo "no IRQs found for $iface (virtual NIC?): RPS does the spreading"

rx=($(ls -d "$dev"/queues/rx-* 2>/dev/null | sort -V))
tx=($(ls -d "$dev"/queues/tx-* 2>/dev/null | sort -V))
rps_mask=0
if [ ${#rx[@]} -lt ${#set_cpus[@]} ]; then rps_mask=$(cpu_mask "${set_cpus[@]}"); fi
for q in "${rx[@]}"; do put "$q/rps_cpus" "$rps_mask"; done
for ((t = 0; t < ${#tx[@]}; t++)); do
  mine=()
  for ((k = t; k < ${#set_cpus[@]}; k += ${#tx[@]})); do mine+=("${set_cpus[k]}"); done
  if [ ${#mine[@]} -gt 0 ]; then put "${tx[t]}/xps_cpus" "$(cpu_mask "${mine[@]}")"; fi
done
if pgrep -x irqbalance >/dev/null 2>&1; then
  echo "note: irqbalance is running and will move the IRQs again; see --help"
fi
