#!/usr/bin/env python3
"""bench_smoke: ringcast-bench works end to end against a real daemon.

Starts `ringcast serve` on free ports with a temporary config (the format of
tests/e2e/lib/server.mjs), runs livestream 1 publisher -> 3 subscribers for ~3 s and checks
that every subscriber received media, loss is small and the JSON has every documented key.
Exit 77 (ctest SKIP_RETURN_CODE) when the environment cannot run it.
"""
import json
import os
import secrets
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request

SKIP = 77
REQUIRED_KEYS = [
    "scenario", "server", "publishers", "subscribers", "duration_s", "joins_per_s",
    "join_failures", "forwarded_pps", "forwarded_bps", "server_cpu_percent",
    "server_cpu_us_per_packet", "server_rss_kib", "rss_kib_per_subscriber", "loss_ratio",
    "latency_ms", "generator_cpu_percent",
]


def free_port(kind):
    with socket.socket(socket.AF_INET, kind) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_healthy(url, daemon, timeout_s=15):
    deadline = time.time() + timeout_s
    while time.time() < deadline:
        if daemon.poll() is not None:
            return False
        try:
            with urllib.request.urlopen(url + "/healthz", timeout=1) as r:
                if r.status == 200:
                    return True
        except OSError:
            time.sleep(0.1)
    return False


def main():
    if len(sys.argv) != 3:
        print("usage: smoke_test.py RINGCAST RINGCAST_BENCH", file=sys.stderr)
        return 2
    ringcast, bench = sys.argv[1:]
    for binary in (ringcast, bench):
        if not os.access(binary, os.X_OK):
            print(f"skipped: {binary} not built")
            return SKIP
    workdir = tempfile.mkdtemp(prefix="bench-smoke-")
    http_port, udp_port = free_port(socket.SOCK_STREAM), free_port(socket.SOCK_DGRAM)
    secret = secrets.token_hex(24)
    config = os.path.join(workdir, "ringcast.yaml")
    with open(config, "w") as f:
        f.write(f"port: {http_port}\nrtc:\n  udp_port: {udp_port}\n  node_ip: 127.0.0.1\n"
                f"  workers: 1\n  io_backend: auto\nkeys:\n  smokekey: {secret}\n")
    log = open(os.path.join(workdir, "ringcast.log"), "w")
    daemon = subprocess.Popen([ringcast, "serve", "--config", config], cwd=workdir,
                              stdout=log, stderr=subprocess.STDOUT)
    try:
        url = f"http://127.0.0.1:{http_port}"
        if not wait_healthy(url, daemon):
            print("skipped: the daemon did not start (see " + log.name + ")")
            return SKIP
        out = os.path.join(workdir, "result.json")
        run = subprocess.run(
            [bench, "run", "--server-url", url, "--api-key", "smokekey", "--api-secret", secret,
             "--scenario", "livestream", "--subscribers", "3", "--duration", "3", "--settle",
             "1", "--server-pid", str(daemon.pid), "--json", out],
            capture_output=True, text=True, timeout=90)
        print(run.stdout, run.stderr)
        if run.returncode != 0:
            print(f"FAIL: ringcast-bench exited {run.returncode}")
            return 1
        with open(out) as f:
            result = json.load(f)
        return check(result)
    finally:
        daemon.terminate()
        try:
            daemon.wait(timeout=10)
        except subprocess.TimeoutExpired:
            daemon.kill()


def check(result):
    failures = [f"missing key {k}" for k in REQUIRED_KEYS if k not in result]
    for k in ("p50", "p99", "max"):
        if k not in result.get("latency_ms", {}):
            failures.append(f"missing latency_ms.{k}")
    if result.get("join_failures") != 0:
        failures.append(f"join_failures = {result.get('join_failures')}")
    if result.get("subscribers_without_media") != 0:
        failures.append(f"subscribers without media: {result.get('subscribers_without_media')}")
    # 3 subscribers x (~125 video + 50 audio) packets/s; a loose floor for a loaded machine.
    if not result.get("forwarded_pps", 0) > 150:
        failures.append(f"forwarded_pps = {result.get('forwarded_pps')}")
    if not result.get("loss_ratio", 1) < 0.03:
        failures.append(f"loss_ratio = {result.get('loss_ratio')}")
    if result.get("latency_samples", 0) == 0:
        failures.append("no latency samples were decrypted")
    if result.get("server_cpu_percent") is None:
        failures.append("server CPU was not sampled")
    for f in failures:
        print("FAIL:", f)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
