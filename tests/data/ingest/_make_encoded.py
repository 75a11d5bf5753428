"""Write the corpus files whose bytes are not plain UTF-8.

The text of each is kept as UTF-8 in ``_sources/`` (easy to read and edit);
this script encodes it the way the tool that made such a file would have:
Windows Notepad's "Unicode" (UTF-16 LE with a BOM, CRLF lines), Notepad's
"UTF-8" of old (a BOM), a GBK export from a Windows recorder (CRLF), a Big5
file from a Traditional Chinese converter. Run it after editing a source:

    .venv/bin/python tests/data/ingest/_make_encoded.py
"""

from pathlib import Path

HERE = Path(__file__).resolve().parent
SOURCES = HERE / "_sources"

# source file name -> (Python codec, byte-order mark, line ending)
FILES = {
    "quantum-startup-gbk.txt": ("gbk", b"", "\r\n"),
    "big5-edge-chip-interview.txt": ("big5", b"", "\r\n"),
    "robot-arm-founder-utf16.txt": ("utf-16-le", b"\xff\xfe", "\r\n"),
    "inference-cost-roundtable-bom.txt": ("utf-8", b"\xef\xbb\xbf", "\n"),
    "autonomous-driving-chips-minutes.txt": ("gbk", b"", "\r\n"),
}


def main() -> None:
    for name, (codec, bom, newline) in FILES.items():
        text = (SOURCES / name).read_text(encoding="utf-8")
        data = bom + text.replace("\n", newline).encode(codec)  # strict: fails on a character the codec lacks
        (HERE / name).write_bytes(data)
        print(f"{name}: {codec}{' with BOM' if bom else ''}, {len(data)} bytes")


if __name__ == "__main__":
    main()
