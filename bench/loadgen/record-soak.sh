#!/usr/bin/env bash
# The recorder's long-run bench (issue 5): a fresh ringcast daemon records N synthetic
# publishers (VP8 at --video-kbps + Opus, one room each) for --duration seconds, into its local
# recording folder or, with --s3, into an @20minutes/s3rver started here on 127.0.0.1.
# `ringcast-bench record` samples the daemon's recorder and upload threads, its CPU and its RSS;
# at the end every file is checked with ffprobe. The daemon is pinned to one core and the load
# generator (and s3rver) to the other.
#
#   bench/loadgen/record-soak.sh [--recordings 20] [--video-kbps 2500] [--duration 600]
#                                [--sample 10] [--s3] [--server-core 0] [--bench-core 1]
# RINGCAST_KEEP=1 keeps the recorded files (removed at the end otherwise).
set -euo pipefail
repo=$(cd "$(dirname "$0")/../.." && pwd)
ringcast=${RINGCAST_BIN:-$repo/build/api/ringcast}
bench=${RINGCAST_BENCH_BIN:-$repo/build/bench/ringcast-bench}
recordings=20 kbps=2500 duration=600 sample=10 s3=0 server_core=0 bench_core=1
while [[ $# -gt 0 ]]; do
  case $1 in
    --recordings) recordings=$2 ;; --video-kbps) kbps=$2 ;; --duration) duration=$2 ;;
    --sample) sample=$2 ;; --server-core) server_core=$2 ;; --bench-core) bench_core=$2 ;;
    --s3) s3=1; shift; continue ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
  shift 2
done
dir=$(mktemp -d /tmp/ringcast-record-soak-XXXXXX)
out_dir=${OUT_DIR:-$dir}
free_port() { python3 -c "import socket,sys; s=socket.socket(socket.AF_INET, int(sys.argv[1])); s.bind(('127.0.0.1',0)); print(s.getsockname()[1])" "$1"; }
http=$(free_port 1) udp=$(free_port 2) secret=$(head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n')
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2> /dev/null || true; done; }
trap cleanup EXIT

recording="recording:\n  dir: $dir/recordings\n  spool_dir: $dir/spool\n"
if ((s3)); then
  coproc S3PEER { taskset -c "$bench_core" node "$repo/tests/e2e/lib/s3_peer.mjs" --dir "$dir/s3"; }
  pids+=("$S3PEER_PID")
  read -r word s3port <&"${S3PEER[0]}"
  [[ $word == S3 ]] || { echo "s3 peer did not start" >&2; exit 1; }
  recording+="  s3:\n    bucket: recordings\n    region: us-east-1\n"
  recording+="    endpoint: http://127.0.0.1:$s3port\n    force_path_style: true\n"
  recording+="    access_key: S3RVER\n    secret: S3RVER\n"
fi
printf "port: %s\nrtc:\n  udp_port: %s\n  node_ip: 127.0.0.1\n  workers: 1\nkeys:\n  soakkey: %s\nlimits:\n  join_per_minute_per_ip: 0\n$recording" \
  "$http" "$udp" "$secret" > "$dir/ringcast.yaml"
taskset -c "$server_core" "$ringcast" serve --config "$dir/ringcast.yaml" > "$dir/ringcast.log" 2>&1 &
pid=$!
pids+=("$pid")
for _ in $(seq 50); do curl -sf "http://127.0.0.1:$http/healthz" > /dev/null && break; sleep 0.1; done

taskset -c "$bench_core" "$bench" record --server-url "http://127.0.0.1:$http" --api-key soakkey \
  --api-secret "$secret" --recordings "$recordings" --video-kbps "$kbps" --duration "$duration" \
  --sample "$sample" --server-pid "$pid" --json "$out_dir/record-soak.json" | tee "$out_dir/record-soak.txt"

# Every recorded file: its streams and length (the synthetic VP8 payload is not a real
# picture, so only the container is checked, not a decode).
if ((s3)); then
  files=$(find "$dir/s3" -type f -name '*.webm._S3rver_object' | sort)
else
  files=$(find "$dir/recordings" -type f -name '*.webm' | sort)
fi
checked=0 bad=0
for f in $files; do
  # A WebM written as a stream has no Duration element: the last video timestamp says it.
  d=$(ffprobe -v error -select_streams v -show_entries packet=pts_time -of csv=p=0 "$f" | sort -g | tail -1)
  s=$(ffprobe -v error -show_entries stream=codec_name -of csv=p=0 "$f" | tr '\n' ' ')
  checked=$((checked + 1))
  ((checked <= 3)) && echo "file $(basename "$f"): $(du -h "$f" | cut -f1), ${d} s, streams: $s"
  # Both streams, and at least 90 % of the run (the first keyframe and the stop take a moment).
  if [[ $s != *vp8*opus* ]] || ! awk -v d="${d:-0}" -v want="$duration" 'BEGIN{exit !(d >= 0.9*want)}'; then
    echo "BAD file $(basename "$f"): ${d:-?} s, streams: $s" >&2
    bad=$((bad + 1))
  fi
done
echo "$checked recorded files; JSON and log: $out_dir"
status=0
((checked == recordings && bad == 0)) || { echo "record-soak: $checked files of $recordings, $bad bad" >&2; status=1; }
# The recordings are GiBs after a long run: kept only with RINGCAST_KEEP=1.
[[ ${RINGCAST_KEEP:-0} == 1 ]] || rm -rf "$dir/recordings" "$dir/spool" "$dir/s3"
exit "$status"
