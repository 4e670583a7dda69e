#!/usr/bin/env bash
# Runs one ringcast-bench scenario at several sizes, each against a fresh ringcast daemon
# (so RSS per subscriber is measured from a clean start), the daemon pinned to one core and
# the load generator to another. Prints one summary line per size; JSON goes to $OUT_DIR.
#
#   bench/loadgen/sweep.sh [--scenario livestream] [--sizes "100 300 1000"] [--duration 10]
#                          [--server-core 0] [--bench-core 1] [--workers 1]
#                          [--bench-args "--no-receive-gro ..."]   (passed to ringcast-bench run)
set -euo pipefail
repo=$(cd "$(dirname "$0")/../.." && pwd)
ringcast=${RINGCAST_BIN:-$repo/build/api/ringcast}
bench=${RINGCAST_BENCH_BIN:-$repo/build/bench/ringcast-bench}
scenario=livestream sizes="100 300 1000" duration=10 server_core=0 bench_core=1 workers=1
bench_args=""
while [[ $# -gt 0 ]]; do
  case $1 in
    --scenario) scenario=$2 ;; --sizes) sizes=$2 ;; --duration) duration=$2 ;;
    --server-core) server_core=$2 ;; --bench-core) bench_core=$2 ;; --workers) workers=$2 ;;
    --bench-args) bench_args=$2 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
  shift 2
done
out_dir=${OUT_DIR:-$(mktemp -d /tmp/ringcast-sweep-XXXXXX)}
mkdir -p "$out_dir"
free_port() { python3 -c "import socket,sys; s=socket.socket(socket.AF_INET, int(sys.argv[1])); s.bind(('127.0.0.1',0)); print(s.getsockname()[1])" "$1"; }

printf '%-10s %6s %9s %8s %9s %9s %9s %9s %9s %8s %8s %s\n' scenario subs fwd_pps loss% srv_cpu% us/pkt p50_ms p99_ms kib/sub gen_cpu% joins/s server_drops
for n in $sizes; do
  dir=$(mktemp -d /tmp/ringcast-sweep-run-XXXXXX)
  http=$(free_port 1) udp=$(free_port 2) secret=$(head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n')
  # limits: every simulated client joins from 127.0.0.1, so the per-IP join limit is off.
  printf 'port: %s\nrtc:\n  udp_port: %s\n  node_ip: 127.0.0.1\n  workers: %s\n  io_backend: auto\nkeys:\n  sweepkey: %s\nlimits:\n  join_per_minute_per_ip: 0\n' \
    "$http" "$udp" "$workers" "$secret" > "$dir/ringcast.yaml"
  taskset -c "$server_core" "$ringcast" serve --config "$dir/ringcast.yaml" > "$dir/ringcast.log" 2>&1 &
  pid=$!
  for _ in $(seq 50); do curl -sf "http://127.0.0.1:$http/healthz" > /dev/null && break; sleep 0.1; done
  json=$out_dir/$scenario-$n.json
  taskset -c "$bench_core" "$bench" run --server-url "http://127.0.0.1:$http" --api-key sweepkey \
    --api-secret "$secret" --scenario "$scenario" --subscribers "$n" --duration "$duration" \
    --server-pid "$pid" --json "$json" $bench_args > "$out_dir/$scenario-$n.txt" 2>&1 || true
  kill "$pid"; wait "$pid" 2> /dev/null || true
  jq -r '[.scenario, .subscribers, (.forwarded_pps|floor), (.loss_ratio*100*1000|round/1000),
          (.server_cpu_percent*10|round/10), (.server_cpu_us_per_packet*100|round/100),
          (.latency_ms.p50*100|round/100), (.latency_ms.p99*100|round/100),
          (.rss_kib_per_subscriber*10|round/10), (.generator_cpu_percent*10|round/10),
          (.joins_per_s|floor), (.server_drops|tostring)] | @tsv' "$json" |
    awk -F'\t' '{printf "%-10s %6s %9s %8s %9s %9s %9s %9s %9s %8s %8s %s\n", $1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12}'
done
echo "JSON and tables: $out_dir"
