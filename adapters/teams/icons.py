"""The two Teams app icons, drawn in code and written as PNG with zlib and struct (no PIL)."""

from __future__ import annotations

import struct
import zlib
from collections.abc import Callable

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
Pixel = tuple[int, ...]


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def png(width: int, height: int, pixel: Callable[[int, int], Pixel], *, alpha: bool) -> bytes:
    """A PNG (8-bit RGB or RGBA) whose pixel at (x, y) is `pixel(x, y)`."""
    channels = 4 if alpha else 3
    rows = bytearray()
    for y in range(height):
        rows.append(0)  # filter: none
        for x in range(width):
            value = pixel(x, y)
            if len(value) != channels:
                raise ValueError(f"pixel {x},{y} has {len(value)} channels, not {channels}")
            rows.extend(value)
    header = struct.pack(">IIBBBBB", width, height, 8, 6 if alpha else 2, 0, 0, 0)
    return (
        PNG_SIGNATURE
        + _chunk(b"IHDR", header)
        + _chunk(b"IDAT", zlib.compress(bytes(rows), 9))
        + _chunk(b"IEND", b"")
    )


def _in_ring(x: int, y: int, size: int, inner: float, outer: float) -> bool:
    """A ring centred in the square, with radii as fractions of its side."""
    c = (size - 1) / 2
    d2 = (x - c) ** 2 + (y - c) ** 2
    return (inner * size) ** 2 <= d2 <= (outer * size) ** 2


def hex_rgb(color: str) -> Pixel:
    """ "#2E7D6B" → (46, 125, 107)."""
    value = color.lstrip("#")
    if len(value) != 6:
        raise ValueError(f"not a #RRGGBB colour: {color!r}")
    return tuple(int(value[i : i + 2], 16) for i in (0, 2, 4))


def color_icon(accent: str, size: int = 192) -> bytes:
    """The full-colour icon: a white ring on the accent colour, opaque."""
    background, white = hex_rgb(accent), (255, 255, 255)
    return png(
        size,
        size,
        lambda x, y: white if _in_ring(x, y, size, 0.17, 0.27) else background,
        alpha=False,
    )


def outline_icon(size: int = 32) -> bytes:
    """The outline icon Teams requires: white on a fully transparent background."""
    return png(
        size,
        size,
        lambda x, y: (255, 255, 255, 255) if _in_ring(x, y, size, 0.22, 0.42) else (0, 0, 0, 0),
        alpha=True,
    )
