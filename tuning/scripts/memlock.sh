#!/bin/bash
# Reports the locked-memory limit (RLIMIT_MEMLOCK) that ringcast's io_uring backend runs
# under, and how to raise it. Kernels before 5.12 charge io_uring's rings to
# RLIMIT_MEMLOCK (often 64 KiB): ringcast's rings (4096 SQ / 16384 CQ entries, about
# 0.5 MiB per worker) then fail with ENOMEM and ringcast falls back to recvmmsg/sendmmsg
# (logged at start as "io_uring unavailable"). Since 5.12 (Debian 12 ships 6.1) ring
# memory is charged to the cgroup instead; ringcast's receive buffers are a provided
# buffer ring (plain memory, not pinned fixed buffers), so the limit rarely matters
# there, but a generous LimitMEMLOCK keeps old kernels and future fixed buffers working.
#
# Usage: memlock.sh [PID]   (default: the running ringcast, else this shell)
set -euo pipefail

pid=${1:-$(pgrep -xo ringcast || echo $$)}
limits="/proc/$pid/limits"
[ -r "$limits" ] || { echo "memlock.sh: cannot read $limits" >&2; exit 2; }
echo "process $pid ($(cat /proc/$pid/comm)): $(grep 'Max locked memory' "$limits")"
echo "kernel $(uname -r)"
echo
echo "Per worker ringcast's io_uring backend maps ~0.5 MiB of rings and 2 MiB of receive"
echo "buffers (1024 x 2 KiB, io/uring_backend.cpp). For a service, set in the unit or a"
echo "drop-in (systemctl edit ringcast):"
echo "  [Service]"
echo "  LimitMEMLOCK=infinity        # or e.g. 256M for up to ~32 workers"
echo "For a shell: /etc/security/limits.d/ringcast.conf  ->  ringcast - memlock unlimited"
