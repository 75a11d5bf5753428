"""Write this corpus's non-UTF-8 transcripts from their UTF-8 text in _sources/.

    .venv/bin/python tests/data/ingest-heldout/_make_encoded.py

Each source is typed as UTF-8 (readable in review and diffs); this script
writes the bytes a newsroom would really hand over. Codecs are strict, so a
character the target encoding lacks fails here instead of turning into "?".
"""

from __future__ import annotations

from pathlib import Path

HERE = Path(__file__).resolve().parent

# file name: (Python codec, line ending)
ENCODED = {
    # A Hong Kong newspaper's text export: Big5, Unix line ends.
    "hk-chip-design-numbered.txt": ("big5", "\n"),
    # Saved by Windows Notepad "UTF-8 with BOM".
    "humanoid-qa-intro-names.txt": ("utf-8-sig", "\n"),
    # A transcription service's Windows export: UTF-16 little-endian with BOM, CRLF.
    "xunfei-joint-module-second-half.txt": ("utf-16", "\r\n"),
}


def main() -> None:
    for name, (codec, newline) in ENCODED.items():
        text = (HERE / "_sources" / name).read_text(encoding="utf-8")
        data = text.replace("\n", newline).encode(codec)
        (HERE / name).write_bytes(data)
        print(f"{name}: {codec}, {len(data)} bytes")


if __name__ == "__main__":
    main()
