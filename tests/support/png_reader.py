"""Reading a PNG in tests without an imaging library: its size and its pixels.

Only what the chart renderer writes is supported: 8-bit RGB or RGBA, not interlaced. Every
other file is refused with an AssertionError, so a test cannot pass on a file it misread.
"""

from __future__ import annotations

import struct
import zlib

SIGNATURE = b"\x89PNG\r\n\x1a\n"


def chunks(data: bytes) -> list[tuple[bytes, bytes]]:
    """The (type, body) of each chunk, each checked against its CRC."""
    assert data[:8] == SIGNATURE, "not a PNG: the signature is wrong"
    out, at = [], 8
    while at < len(data):
        (length,) = struct.unpack(">I", data[at:at + 4])
        kind, body = data[at + 4:at + 8], data[at + 8:at + 8 + length]
        (crc,) = struct.unpack(">I", data[at + 8 + length:at + 12 + length])
        assert zlib.crc32(kind + body) == crc, f"chunk {kind!r}: bad CRC"
        out.append((kind, body))
        at += 12 + length
    assert out[0][0] == b"IHDR" and out[-1][0] == b"IEND", "IHDR first and IEND last"
    return out


def size(data: bytes) -> tuple[int, int]:
    """(width, height) from the IHDR chunk."""
    width, height = struct.unpack(">II", chunks(data)[0][1][:8])
    return width, height


def pixels(data: bytes) -> list[bytes]:
    """Every pixel as bytes (RGB or RGBA), row after row, the scanline filters undone."""
    parts = chunks(data)
    width, height, depth, colour, _c, _f, interlace = struct.unpack(">IIBBBBB", parts[0][1])
    assert depth == 8 and colour in (2, 6) and interlace == 0, "only 8-bit RGB(A) is read"
    bpp = 3 if colour == 2 else 4
    raw = zlib.decompress(b"".join(body for kind, body in parts if kind == b"IDAT"))
    stride = width * bpp
    assert len(raw) == height * (stride + 1), "the image data has the wrong length"
    rows: list[bytearray] = []
    prev = bytearray(stride)
    for y in range(height):
        kind, line = raw[y * (stride + 1)], bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        for i in range(stride):
            a = line[i - bpp] if i >= bpp else 0
            b = prev[i]
            c = prev[i - bpp] if i >= bpp else 0
            if kind == 1:
                line[i] = (line[i] + a) & 0xFF
            elif kind == 2:
                line[i] = (line[i] + b) & 0xFF
            elif kind == 3:
                line[i] = (line[i] + (a + b) // 2) & 0xFF
            elif kind == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                pred = a if pa <= pb and pa <= pc else (b if pb <= pc else c)
                line[i] = (line[i] + pred) & 0xFF
            else:
                assert kind == 0, f"unknown filter {kind}"
        rows.append(line)
        prev = line
    return [bytes(row[x:x + bpp]) for row in rows for x in range(0, stride, bpp)]
