#!/usr/bin/env python3
"""Measures how many UDP datagrams a socket's receive buffer holds before the kernel drops
(Udp RcvbufErrors in /proc/net/snmp), for the buffer sizes the tuning profiles produce.

A burst of N datagrams is sent over loopback to a socket that reads nothing until the burst
is over (a worker stalled by a keyframe fan-out, a DTLS handshake or a page fault storm).
The socket then drains what was kept. Nothing on the host is changed: as root the script
uses SO_RCVBUFFORCE to give the socket exactly what ringcast's SO_RCVBUF=4 MiB request gets
under a given net.core.rmem_max (the kernel grants min(request, rmem_max) * 2).

Usage: udp-burst.py [--packets N] [--sizes 1200,200] [--rates 50000]
"""
import argparse
import os
import socket

SO_RCVBUFFORCE = 33  # linux/asm-generic/socket.h
RINGCAST_REQUEST = 4 << 20  # io/udp_socket.cpp asks for 4 MiB

# (label, SO_RCVBUF request or None when the socket sets none, net.core.rmem_max)
SCENARIOS = [
    ("no SO_RCVBUF, rmem_default 212992", None, 212992),
    ("ringcast 4 MiB ask, rmem_max 212992 (kernel)", RINGCAST_REQUEST, 212992),
    ("ringcast 4 MiB ask, rmem_max 4 MiB (sfu)", RINGCAST_REQUEST, 4194304),
    ("ringcast 4 MiB ask, rmem_max 16 MiB (sfu-large)", RINGCAST_REQUEST, 16777216),
    ("16 MiB ask, rmem_max 16 MiB (sfu-large)", 16 << 20, 16777216),
]


def udp_counters():
    with open("/proc/net/snmp") as f:
        rows = [line.split() for line in f if line.startswith("Udp:")]
    return dict(zip(rows[0][1:], map(int, rows[1][1:])))


def backlog_drops():
    """Sum of /proc/net/softnet_stat column 2: packets dropped because a CPU's input
    backlog held net.core.netdev_max_backlog packets."""
    with open("/proc/net/softnet_stat") as f:
        return sum(int(line.split()[1], 16) for line in f)


def make_receiver(request, rmem_max):
    rx = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    # SO_RCVBUF(request) under rmem_max gives min(request, rmem_max) * 2; without any
    # request the socket starts at rmem_default (212992, not doubled).
    grant = 212992 // 2 if request is None else min(request, rmem_max)
    rx.setsockopt(socket.SOL_SOCKET, SO_RCVBUFFORCE, grant)
    rx.bind(("127.0.0.1", 0))
    rx.setblocking(False)
    return rx


def burst(request, rmem_max, packets, size):
    rx = make_receiver(request, rmem_max)
    tx = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    payload = b"x" * size
    before, backlog_before = udp_counters(), backlog_drops()
    for _ in range(packets):
        tx.sendto(payload, rx.getsockname())
    kept = 0
    while True:
        try:
            rx.recv(65536)
            kept += 1
        except BlockingIOError:
            break
    after = udp_counters()
    bufsize = rx.getsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF)
    rx.close()
    tx.close()
    errors = after["RcvbufErrors"] - before["RcvbufErrors"]
    return bufsize, kept, errors, backlog_drops() - backlog_before


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--packets", type=int, default=20000)
    ap.add_argument("--sizes", default="1200,200")
    ap.add_argument("--rates", default="50000", help="pps per socket for the stall column")
    args = ap.parse_args()
    if os.geteuid() != 0:
        raise SystemExit("udp-burst.py: needs root for SO_RCVBUFFORCE (the host is not changed)")
    rates = [int(r) for r in args.rates.split(",")]
    head = (f"{'scenario':48} {'size':>5} {'SO_RCVBUF':>9} {'sent':>6} {'kept':>6}"
            f" {'RcvbufErr':>9} {'backlog':>7}")
    print(head + "".join(f" {'stall@' + str(r // 1000) + 'k':>9}" for r in rates))
    for size in (int(s) for s in args.sizes.split(",")):
        for label, request, rmem_max in SCENARIOS:
            bufsize, kept, errors, backlog = burst(request, rmem_max, args.packets, size)
            stalls = "".join(f" {kept / r * 1000:7.1f}ms" for r in rates)
            print(f"{label:48} {size:5} {bufsize:9} {args.packets:6} {kept:6} {errors:9}"
                  f" {backlog:7}{stalls}")


if __name__ == "__main__":
    main()
