#!/usr/bin/env python3
"""Writes the hand-made seed corpora for fuzz targets rtp, rtcp and demux.

Usage: tests/unit/rtp/gen_fuzz_corpus.py [REPO_ROOT]
Every seed is built here byte by byte from the RFC layouts (RFC 3550 §5.1, §6.4-6.6, RFC 8285,
RFC 4585 §6, RFC 5104 §4.3.1, draft-holmer-rmcat-transport-wide-cc-extensions-01 §3.1,
RFC 8489 §5, RFC 6347 §4.1) so the corpus is reproducible.
"""
import os
import struct
import sys

ROOT = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), "..", "..", "..")
CORPUS = os.path.join(ROOT, "tests", "fuzz", "corpus")


def rtp(pt=96, seq=1000, ts=90000, ssrc=0x11223344, marker=False, csrcs=(), ext=None,
        payload=b"\x01\x02\x03", pad=0):
    b0 = 0x80 | (0x20 if pad else 0) | (0x10 if ext else 0) | len(csrcs)
    out = struct.pack("!BBHII", b0, (0x80 if marker else 0) | pt, seq, ts, ssrc)
    out += b"".join(struct.pack("!I", c) for c in csrcs)
    if ext:
        profile, block = ext
        block += b"\0" * (-len(block) % 4)
        out += struct.pack("!HH", profile, len(block) // 4) + block
    out += payload
    if pad:
        out += b"\0" * (pad - 1) + bytes([pad])
    return out


def one_byte(*elems):
    return (0xBEDE, b"".join(bytes([(i << 4) | (len(v) - 1)]) + v for i, v in elems))


def two_byte(*elems):
    return (0x1000, b"".join(bytes([i, len(v)]) + v for i, v in elems))


def rtcp(pt, count, body):
    body += b"\0" * (-len(body) % 4)
    return struct.pack("!BBH", 0x80 | count, pt, (len(body) + 4) // 4 - 1) + body


def block(ssrc=0x55667788):
    return struct.pack("!IB3sIIII", ssrc, 12, b"\x00\x00\x05", 0x10005, 30, 0x12345678, 65536)


def sr(ssrc=0x11223344, blocks=1):
    info = struct.pack("!IIIIII", ssrc, 0xE0000000, 0x80000000, 90000, 100, 120000)
    return rtcp(200, blocks, info + block() * blocks)


def sdes(ssrc, cname):
    chunk = struct.pack("!IBB", ssrc, 1, len(cname)) + cname + b"\0"
    return rtcp(202, 1, chunk)


def fb(pt, fmt, sender, media, fci=b""):
    return rtcp(pt, fmt, struct.pack("!II", sender, media) + fci)


TWCC = bytes([0xFF, 0xFE, 0, 20, 0, 0, 16, 5, 0x20, 0x03, 0xAC, 0x01, 0xE1, 0x00,
              4, 8, 1, 0, 255, 2, 10, 0xFF, 0xD8, 5])


def seeds():
    abs_send = b"\x12\x34\x56"
    rtp_seeds = {
        "plain": rtp(),
        "marker_csrc": rtp(marker=True, csrcs=(1, 2, 3)),
        "one_byte_ext": rtp(ext=one_byte((1, b"\x00\x07"), (2, abs_send), (3, b"\x9e"), (4, b"0"))),
        "two_byte_ext": rtp(ext=two_byte((1, b""), (20, b"x" * 20), (5, b"\x00\x01"))),
        "padding": rtp(pad=4),
        "padding_only": rtp(payload=b"", pad=200),
        "rtx": rtp(pt=97, ssrc=0xAABBCCDD, payload=b"\x03\xe8\x10\x20"),
        "other_profile": rtp(ext=(0x1234, b"\x01\x02\x03\x04")),
        "ext_id15": rtp(ext=(0xBEDE, b"\x10\xaa\xf0\x00")),
    }
    rtcp_seeds = {
        "sr_sdes": sr() + sdes(0x11223344, b"user@host"),
        "rr": rtcp(201, 2, struct.pack("!I", 1) + block(2) + block(3)),
        "rr_empty_bye": rtcp(201, 0, struct.pack("!I", 1)) + rtcp(203, 1, struct.pack("!I", 1) + b"\x04gone"),
        "nack": fb(205, 1, 1, 2, struct.pack("!HHHH", 100, 0x8001, 0xFFFF, 2)),
        "pli": fb(206, 1, 1, 2),
        "fir": fb(206, 4, 1, 0, struct.pack("!IB3x", 2, 7)),
        "remb": fb(206, 15, 1, 0, b"REMB" + bytes([2, (3 << 2) | 2, 0x12, 0x34]) + struct.pack("!II", 5, 6)),
        "twcc": fb(205, 15, 1, 2, TWCC),
        "padded_pli": bytes([0xA1, 206, 0, 3]) + struct.pack("!II", 1, 2) + b"\0\0\0\x04",
    }
    stun = struct.pack("!HHI12s", 0x0001, 8, 0x2112A442, b"tid-12345678") + struct.pack("!HH4s", 0x0006, 4, b"ab:c")
    dtls = (bytes([22, 0xFE, 0xFD, 0, 0, 0, 0, 0, 0, 0, 0, 0, 4]) + b"\x01\x00\x00\x00" +
            bytes([20, 0xFE, 0xFD, 0, 1, 0, 0, 0, 0, 0, 1, 0, 1, 1]))
    demux_seeds = {
        "stun": stun,
        "dtls": dtls,
        "rtp": rtp_seeds["one_byte_ext"],
        "rtcp": rtcp_seeds["sr_sdes"],
        "turn_channel": bytes([0x40, 0x00, 0x00, 0x04, 1, 2, 3, 4]),
    }
    return {"rtp": rtp_seeds, "rtcp": rtcp_seeds, "demux": demux_seeds}


def main():
    for target, files in seeds().items():
        folder = os.path.join(CORPUS, target)
        os.makedirs(folder, exist_ok=True)
        for name, data in files.items():
            with open(os.path.join(folder, name + ".bin"), "wb") as f:
                f.write(data)


if __name__ == "__main__":
    main()
