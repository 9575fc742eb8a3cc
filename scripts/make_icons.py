"""Render the app's icons from their SVG sources to the PNG sizes the manifest and iOS ask for.

    .venv/bin/python scripts/make_icons.py

The SVGs in `web/static/icons/` are the sources (drawn for this project); headless Chromium
draws each at its exact pixel size, and the PNG is then stored with a palette when it has at
most 256 colours (flat shapes with anti-aliased edges usually do), else as RGBA, with the best
row filters and zlib level 9. Run it after changing an SVG and commit the PNGs.
"""

import base64
import struct
import sys
import zlib
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

from conftest import CHROMIUM_FLAGS, chromium_path, playwright_session

ICONS = Path(__file__).resolve().parent.parent / "web" / "static" / "icons"

# (source, pixel size, output): "any" icons keep their rounded corners transparent; the
# maskable ones and iOS's touch icon fill the square (the platform cuts its own shape).
RENDERS = [
    ("icon.svg", 192, "icon-192.png"),
    ("icon.svg", 512, "icon-512.png"),
    ("icon-maskable.svg", 192, "icon-maskable-192.png"),
    ("icon-maskable.svg", 512, "icon-maskable-512.png"),
    ("icon-maskable.svg", 180, "apple-touch-icon.png"),
]


def render(svg: Path, size: int) -> bytes:
    """The SVG drawn at size by size pixels in Chromium, as a PNG screenshot with transparency."""
    with playwright_session() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_FLAGS)
        page = browser.new_page(viewport={"width": size, "height": size}, device_scale_factor=1)
        source = "data:image/svg+xml;base64," + base64.b64encode(svg.read_bytes()).decode()
        page.set_content(
            f'<body style="margin:0"><img src="{source}" width="{size}" height="{size}"'
            ' style="display:block"></body>'
        )
        page.wait_for_function("document.images[0].complete")
        png = page.screenshot(omit_background=True)
        browser.close()
    return png


# --- a small PNG codec: 8-bit RGBA in, the smallest of palette or RGBA out ---------------------


def _chunks(png: bytes):
    pos = 8
    while pos < len(png):
        (length,) = struct.unpack(">I", png[pos : pos + 4])
        kind = png[pos + 4 : pos + 8]
        yield kind, png[pos + 8 : pos + 8 + length]
        pos += 12 + length


def _paeth(a: int, b: int, c: int) -> int:
    p = a + b - c
    pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
    if pa <= pb and pa <= pc:
        return a
    return b if pb <= pc else c


def decode_rgba(png: bytes) -> tuple[int, int, list[bytes]]:
    """Width, height and the rows of an 8-bit, non-interlaced RGB or RGBA PNG, as RGBA."""
    header = next(data for kind, data in _chunks(png) if kind == b"IHDR")
    width, height, depth, colour, _, _, interlace = struct.unpack(">IIBBBBB", header)
    assert depth == 8 and colour in (2, 6) and not interlace, "unexpected PNG from Chromium"
    bpp = 4 if colour == 6 else 3
    raw = zlib.decompress(b"".join(data for kind, data in _chunks(png) if kind == b"IDAT"))
    stride = width * bpp
    rows: list[bytes] = []
    prev = bytearray(stride)
    for y in range(height):
        kind = raw[y * (stride + 1)]
        line = bytearray(raw[y * (stride + 1) + 1 : (y + 1) * (stride + 1)])
        for x in range(stride):
            a = line[x - bpp] if x >= bpp else 0
            c = prev[x - bpp] if x >= bpp else 0
            b = prev[x]
            line[x] = (
                line[x] + (0, a, b, (a + b) // 2, _paeth(a, b, c) if kind == 4 else 0)[kind]
            ) & 0xFF
        prev = line
        rows.append(bytes(line) if bpp == 4 else _with_alpha(bytes(line)))
    return width, height, rows


def _with_alpha(rgb: bytes) -> bytes:
    return b"".join(rgb[i : i + 3] + b"\xff" for i in range(0, len(rgb), 3))


def _filtered(rows: list[bytes], bpp: int) -> bytes:
    """Each row with the filter that leaves the smallest sum of magnitudes (libpng's heuristic)."""
    out = bytearray()
    prev = bytes(len(rows[0]))
    for line in rows:
        best = None
        for kind in range(5):
            f = bytearray([kind])
            for x, value in enumerate(line):
                a = line[x - bpp] if x >= bpp else 0
                b = prev[x]
                c = prev[x - bpp] if x >= bpp else 0
                guess = (0, a, b, (a + b) // 2, _paeth(a, b, c))[kind]
                f.append((value - guess) & 0xFF)
            score = sum(v if v < 128 else 256 - v for v in f[1:])
            if best is None or score < best[0]:
                best = (score, f)
        out += best[1]
        prev = line
    return bytes(out)


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def fewer_colours(rows: list[bytes], most: int = 256) -> list[bytes]:
    """The image with at most `most` colours when that costs only edge pixels a little.

    Flat fills (colours covering many pixels) are kept exactly; the anti-aliased edge pixels
    between them are rounded to the coarsest step of 2, 4 or 8 levels per channel (an error
    of at most 4/255) that brings the count down. Unchanged when none does.
    """
    counts = Counter(row[i : i + 4] for row in rows for i in range(0, len(row), 4))
    if len(counts) <= most:
        return rows
    flat = {c for c, n in counts.items() if n >= 64}
    for step in (2, 4, 8):
        table = {
            c: c if c in flat else bytes(min(255, round(v / step) * step) for v in c)
            for c in counts
        }
        if len(set(table.values())) <= most:
            return [b"".join(table[row[i : i + 4]] for i in range(0, len(row), 4)) for row in rows]
    return rows


def encode(width: int, height: int, rows: list[bytes]) -> bytes:
    """The smaller of a palette PNG (when ≤ 256 colours) and an RGBA one."""
    signature = b"\x89PNG\r\n\x1a\n"
    candidates = []
    rgba = _chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 6, 0, 0, 0))
    rgba += _chunk(b"IDAT", zlib.compress(_filtered(rows, 4), 9))
    candidates.append(signature + rgba + _chunk(b"IEND", b""))
    colours = sorted({row[i : i + 4] for row in rows for i in range(0, len(row), 4)})
    if len(colours) <= 256:
        index = {c: i for i, c in enumerate(colours)}
        indexed = [bytes(index[row[i : i + 4]] for i in range(0, len(row), 4)) for row in rows]
        palette = _chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 3, 0, 0, 0))
        palette += _chunk(b"PLTE", b"".join(c[:3] for c in colours))
        if any(c[3] != 255 for c in colours):
            palette += _chunk(b"tRNS", bytes(c[3] for c in colours))
        # Filters rarely help indices; try none and the heuristic, keep the smaller.
        plain = b"".join(b"\x00" + r for r in indexed)
        data = min(zlib.compress(plain, 9), zlib.compress(_filtered(indexed, 1), 9), key=len)
        palette += _chunk(b"IDAT", data)
        candidates.append(signature + palette + _chunk(b"IEND", b""))
    return min(candidates, key=len)


def main() -> None:
    for source, size, name in RENDERS:
        width, height, rows = decode_rgba(render(ICONS / source, size))
        assert (width, height) == (size, size), f"{name}: drawn at {width}x{height}"
        png = encode(width, height, fewer_colours(rows))
        (ICONS / name).write_bytes(png)
        print(f"{name:24} {size:4} px  {len(png):6} bytes")


if __name__ == "__main__":
    main()
