#!/usr/bin/env bash
# bench_worker_scaling_smoke: bench/worker-scaling runs end to end (namespace, sink route,
# 1 and 2 workers, server-side count) with a handful of subscribers, and what it measured is
# plausible: packets reached the sink, nothing was lost, and the report printed both worker
# counts. Exit 77 (ctest SKIP_RETURN_CODE) where it cannot run: not root or one CPU.
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build="$1"
[[ $(id -u) -eq 0 ]] || { echo "skipped: needs root"; exit 77; }
(( $(nproc) >= 2 )) || { echo "skipped: needs 2 CPUs"; exit 77; }
command -v jq >/dev/null || { echo "skipped: jq is not installed"; exit 77; }
out="$(mktemp -d /tmp/worker-scaling-smoke.XXXXXX)"
trap 'rm -rf "$out"' EXIT
"$repo/bench/worker-scaling" --build "$build" --subscribers 10 --workers 1,2 --rounds 1 \
  --duration 2 --out "$out" | tee "$out/report.txt"
fail=0
for f in "$out"/w*.json; do
  # 10 subscribers x ~190 packets/s; sink bytes per forwarded packet near a packet's size.
  jq -e '.counted_at == "server" and .loss_ratio <= 0.01 and .forwarded_pps > 1000
         and .sink_bytes / (.forwarded_pps * .duration_s) > 200
         and .server_cpu_percent != null' "$f" >/dev/null ||
    { echo "FAIL: $(basename "$f"): $(jq -c '{counted_at, loss_ratio, forwarded_pps, sink_bytes}' "$f")"; fail=1; }
done
for w in 1 2; do
  grep -q "^$w worker(s): [1-9][0-9]* packets/s" "$out/report.txt" ||
    { echo "FAIL: no summary line for $w worker(s)"; fail=1; }
done
exit $fail
