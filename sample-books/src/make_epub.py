#!/usr/bin/env python3
"""Build the project's own sample book, a small valid EPUB 3, from the text in this file.

The book is original writing (GPL-3.0-or-later, like the project). It exercises what a real book
has: a cover, a title page, named chapters, an illustration whose alt text says nothing useful
("image1"), a footnote reference, numbers and abbreviations. The output is byte-for-byte
reproducible (fixed zip timestamps), so the committed EPUB only changes when this script does.

    python3 sample-books/src/make_epub.py     # writes sample-books/lamplighters-almanac.epub
                                              # and sample-books/src/demo.txt
"""
import struct
import zipfile
import zlib
from pathlib import Path

HERE = Path(__file__).resolve().parent
OUT = HERE.parent / "lamplighters-almanac.epub"
DEMO = HERE / "demo.txt"

TITLE = "The Lamplighter's Almanac"
AUTHOR = "Wren Calloway"
BOOK_ID = "urn:uuid:5b0f3c5e-6a43-4d8e-9d1c-b00c5a3e0001"

CHAPTERS = [
    (
        "The Harbour at Dawn",
        [
            "The harbour woke slowly. Gulls argued on the chimney pots, and the fishing boats "
            "knocked their wooden shoulders together as the tide came in.",
            "Ada Finch climbed the stone steps to the lamp room with her brass key, as her "
            "grandmother had done before her, and looked out at a sea the colour of pewter.",
        ],
    ),
    (
        "A Map Drawn in Chalk",
        [
            "On the floor of the lamp room someone had drawn a map in chalk: the bay, the "
            "three rocks called the Sisters, and a small cross beyond them.",
            "IMAGE",
            "Ada knelt and traced the cross with one finger. The chalk was still soft, which "
            "meant it had been drawn that morning.",
        ],
    ),
    (
        "Eleven Lanterns",
        [
            "Dr. Hale kept the almanac in a tin box. It listed every lantern lit on the coast "
            "since 1887, and there were eleven entries for the night of the great storm.",
            "\u201cEleven,\u201d said Ada, \u201cbut only ten boats came home.\u201dNOTE",
        ],
    ),
    (
        "The Long Way Home",
        [
            "They rowed out past the Sisters at noon, the water calm and bright around them.",
            "Beyond the last rock floated the eleventh lantern, still burning, waiting for "
            "someone to bring it home.",
        ],
    ),
]
NOTE_TEXT = "The harbour records list the tenth boat as the Marigold, returned at first light."


def png(width, height, pixel):
    """A truecolour PNG whose pixel (x, y) is pixel(x, y) -> (r, g, b)."""
    rows = b"".join(
        b"\x00" + b"".join(bytes(pixel(x, y)) for x in range(width)) for y in range(height)
    )

    def chunk(kind, data):
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body) & 0xFFFFFFFF)

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows, 9)) + chunk(b"IEND", b"")


def cover_pixel(x, y):
    # A night sky over dark water, with a lit lantern (a warm disc) in the middle.
    dx, dy = x - 200, y - 260
    if dx * dx + dy * dy < 45 * 45:
        return (255, 196, 64)
    if y > 380:
        return (20, 40, 70 + (x * 7 + y * 3) % 20)
    return (10, 15, 40 + y // 8)


def illustration_pixel(x, y):
    # A calm sea, three grey rocks, and a small red cross beyond them.
    if abs(x - 250) < 4 and abs(y - 60) < 14 or abs(y - 60) < 4 and abs(x - 250) < 14:
        return (200, 30, 30)
    for cx in (80, 140, 200):
        if (x - cx) ** 2 + ((y - 130) * 2) ** 2 < 28 * 28:
            return (110, 110, 115)
    if y < 40:
        return (200, 220, 240)
    return (30, 90 + y // 6, 150)


def xhtml(title, body, extra_ns=""):
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE html>
<html xmlns="http://www.w3.org/1999/xhtml" xmlns:epub="http://www.idpf.org/2007/ops" xml:lang="en" lang="en"{extra_ns}>
<head><meta charset="UTF-8"/><title>{title}</title></head>
<body>
{body}
</body>
</html>
"""


def esc(text):
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def chapter_file(n, title, paragraphs):
    parts = [f'<section epub:type="chapter" id="ch{n}">', f"<h1>{esc(title)}</h1>"]
    for p in paragraphs:
        if p == "IMAGE":
            parts.append('<figure><img src="images/chalk-map.png" alt="image1"/></figure>')
        elif p.endswith("NOTE"):
            ref = '<a epub:type="noteref" href="notes.xhtml#n1" id="r1"><sup>1</sup></a>'
            parts.append(f"<p>{esc(p[:-4])}{ref}</p>")
        else:
            parts.append(f"<p>{esc(p)}</p>")
    parts.append("</section>")
    return xhtml(esc(title), "\n".join(parts))


def build():
    files = {}
    files["META-INF/container.xml"] = """<?xml version="1.0" encoding="UTF-8"?>
<container version="1.0" xmlns="urn:oasis:names:tc:opendocument:xmlns:container">
  <rootfiles><rootfile full-path="OEBPS/content.opf" media-type="application/oebps-package+xml"/></rootfiles>
</container>
"""
    files["OEBPS/images/cover.png"] = png(400, 600, cover_pixel)
    files["OEBPS/images/chalk-map.png"] = png(300, 180, illustration_pixel)
    files["OEBPS/cover.xhtml"] = xhtml(
        "Cover",
        '<section epub:type="cover"><img src="images/cover.png" alt="Cover of The Lamplighter\'s Almanac"/></section>',
    )
    files["OEBPS/title.xhtml"] = xhtml(
        "Title page",
        f'<section epub:type="titlepage"><h1>{esc(TITLE)}</h1><p>{esc(AUTHOR)}</p>'
        "<p>Written for bookvoice. Licensed GPL-3.0-or-later.</p></section>",
    )
    for n, (title, paragraphs) in enumerate(CHAPTERS, start=1):
        files[f"OEBPS/chapter{n}.xhtml"] = chapter_file(n, title, paragraphs)
    files["OEBPS/notes.xhtml"] = xhtml(
        "Notes",
        '<section epub:type="endnotes"><h1>Notes</h1><ol>'
        f'<li id="n1" epub:type="endnote"><p>{esc(NOTE_TEXT)} <a href="chapter3.xhtml#r1">Back</a></p></li>'
        "</ol></section>",
    )
    toc = "\n".join(
        f'<li><a href="chapter{n}.xhtml">{esc(t)}</a></li>' for n, (t, _) in enumerate(CHAPTERS, start=1)
    )
    files["OEBPS/nav.xhtml"] = xhtml(
        "Contents",
        f'<nav epub:type="toc" id="toc"><h1>Contents</h1><ol>\n{toc}\n<li><a href="notes.xhtml">Notes</a></li></ol></nav>\n'
        '<nav epub:type="landmarks" hidden=""><ol>'
        '<li><a epub:type="cover" href="cover.xhtml">Cover</a></li>'
        '<li><a epub:type="bodymatter" href="chapter1.xhtml">Start</a></li>'
        "</ol></nav>",
    )
    manifest = [
        '<item id="nav" href="nav.xhtml" media-type="application/xhtml+xml" properties="nav"/>',
        '<item id="cover-image" href="images/cover.png" media-type="image/png" properties="cover-image"/>',
        '<item id="chalk-map" href="images/chalk-map.png" media-type="image/png"/>',
        '<item id="cover" href="cover.xhtml" media-type="application/xhtml+xml"/>',
        '<item id="title" href="title.xhtml" media-type="application/xhtml+xml"/>',
    ]
    spine = ['<itemref idref="cover" linear="no"/>', '<itemref idref="title"/>']
    for n in range(1, len(CHAPTERS) + 1):
        manifest.append(f'<item id="chapter{n}" href="chapter{n}.xhtml" media-type="application/xhtml+xml"/>')
        spine.append(f'<itemref idref="chapter{n}"/>')
    manifest.append('<item id="notes" href="notes.xhtml" media-type="application/xhtml+xml"/>')
    spine.append('<itemref idref="notes"/>')
    files["OEBPS/content.opf"] = f"""<?xml version="1.0" encoding="UTF-8"?>
<package xmlns="http://www.idpf.org/2007/opf" version="3.0" unique-identifier="bookid" xml:lang="en">
  <metadata xmlns:dc="http://purl.org/dc/elements/1.1/">
    <dc:identifier id="bookid">{BOOK_ID}</dc:identifier>
    <dc:title>{esc(TITLE)}</dc:title>
    <dc:creator>{esc(AUTHOR)}</dc:creator>
    <dc:language>en</dc:language>
    <dc:rights>GPL-3.0-or-later</dc:rights>
    <meta property="dcterms:modified">2026-11-22T00:00:00Z</meta>
  </metadata>
  <manifest>
    {chr(10).join('    ' + m for m in manifest).strip()}
  </manifest>
  <spine>
    {chr(10).join('    ' + s for s in spine).strip()}
  </spine>
</package>
"""

    stamp = (1980, 1, 1, 0, 0, 0)
    with zipfile.ZipFile(OUT, "w") as z:
        info = zipfile.ZipInfo("mimetype", stamp)
        info.compress_type = zipfile.ZIP_STORED
        z.writestr(info, "application/epub+zip")
        for name in sorted(files):
            info = zipfile.ZipInfo(name, stamp)
            info.compress_type = zipfile.ZIP_DEFLATED
            data = files[name]
            z.writestr(info, data if isinstance(data, bytes) else data.encode("utf-8"))

    title, paragraphs = CHAPTERS[0]
    DEMO.write_text(title + ".\n\n" + "\n\n".join(paragraphs) + "\n", encoding="utf-8")
    print(f"wrote {OUT.relative_to(HERE.parent.parent)} and {DEMO.relative_to(HERE.parent.parent)}")


if __name__ == "__main__":
    build()
