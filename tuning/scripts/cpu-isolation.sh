#!/bin/bash
# Prints the kernel command line that keeps ringcast's worker cores free of other tasks,
# timer ticks, RCU callbacks and device interrupts. It never edits the boot loader.
#
# Usage: cpu-isolation.sh [--workers LIST] [--housekeeping N] [--sys-root DIR]
#   --workers       CPUs for ringcast's media workers (default: all but the housekeeping ones)
#   --housekeeping  how many CPUs (from CPU 0, with their hyperthread siblings) keep the
#                   kernel, IRQs, systemd and the HTTP control plane (default 2)
# Then run ringcast with rtc.workers equal to the number of worker CPUs and start it with
# CPUAffinity=<worker list> in a systemd drop-in, or spread NIC IRQs with
#   nic-queues.sh --exclude <worker list>
set -euo pipefail
. "$(dirname "$0")/cpu-lists.sh"

sys=/sys workers="" keep=2
usage() { sed -n '2,13p' "$0" | sed 's/^# \{0,1\}//'; exit 2; }
while [ $# -gt 0 ]; do
  case $1 in
    --workers) workers=$2; shift 2 ;;
    --housekeeping) keep=$2; shift 2 ;;
    --sys-root) sys=$2; shift 2 ;;
    -h|--help) usage ;;
    *) echo "cpu-isolation.sh: unknown argument '$1'" >&2; usage ;;
  esac
done

online=$(cat "$sys/devices/system/cpu/online")
all=($(expand_list "$online"))
last=${all[-1]}
count=${#all[@]}
if [ -z "$workers" ]; then
  [ "$count" -gt "$keep" ] || { echo "only $count CPU(s): nothing to isolate, run ringcast without isolation"; exit 0; }
  # housekeeping = the first $keep CPUs plus their hyperthread siblings
  house=()
  for ((c = 0; c < keep; c++)); do
    sib="$sys/devices/system/cpu/cpu$c/topology/thread_siblings_list"
    if [ -r "$sib" ]; then house+=($(expand_list "$(cat "$sib")")); else house+=("$c"); fi
  done
  list=()
  for c in "${all[@]}"; do [[ " ${house[*]} " == *" $c "* ]] || list+=("$c"); done
  [ ${#list[@]} -gt 0 ] || { echo "no CPU left for workers after housekeeping"; exit 0; }
  workers=$(join_list "${list[@]}")
  housekeeping=$(join_list $(printf '%s\n' "${house[@]}" | sort -nu))
else
  housekeeping="(the CPUs not in $workers)"
fi

echo "CPUs online: $online; worker CPUs: $workers; housekeeping: $housekeeping"
echo "currently isolated: $(cat "$sys/devices/system/cpu/isolated" 2>/dev/null || echo unknown)"
echo
echo "Suggested kernel command line additions (not applied):"
echo "  isolcpus=managed_irq,domain,$workers nohz_full=$workers rcu_nocbs=$workers irqaffinity=${housekeeping}"
echo
echo "On Debian/Ubuntu: append them to GRUB_CMDLINE_LINUX in /etc/default/grub, run"
echo "update-grub and reboot. Then set rtc.workers to the number of worker CPUs and pin"
echo "the service: systemctl edit ringcast -> [Service] CPUAffinity=$workers"
echo "Trade-off: isolated CPUs run nothing else; with fewer than 8 cores isolation usually"
echo "costs more capacity than the jitter it removes."
