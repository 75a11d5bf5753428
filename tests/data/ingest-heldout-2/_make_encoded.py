"""Write this corpus's non-UTF-8 transcripts from their UTF-8 text in _sources/. Run by hand:

    .venv/bin/python tests/data/ingest-heldout-2/_make_encoded.py

Strict codecs: a character the target encoding lacks stops the script
instead of turning into "?", so the bytes hold exactly the typed text.
"""

from __future__ import annotations

from pathlib import Path

HERE = Path(__file__).resolve().parent

# file name: (Python codec, line ending, why this combination)
TARGETS = {
    "qixin-chairman-bracket-questions.txt": ("gbk", "\n", "a GBK file saved on a Linux desktop"),
    "jingbao-packaging-halfwidth-tw.txt": ("big5", "\r\n", "Big5 from a Windows editor in Taiwan"),
    "hengchi-eval-lab-quoted-speech.txt": ("utf-16", "\r\n", "Notepad's 'Unicode': UTF-16 LE with BOM"),
    "room-b-recording-03.txt": ("utf-8-sig", "\r\n", "a Windows recorder app's UTF-8 with BOM"),
}


def main() -> None:
    for name, (codec, newline, _why) in TARGETS.items():
        text = (HERE / "_sources" / name).read_text(encoding="utf-8")
        text = text.replace("\r\n", "\n").replace("\n", newline)
        # Python's "utf-16" writes a BOM in the machine's order; pin little-endian.
        data = b"\xff\xfe" + text.encode("utf-16-le") if codec == "utf-16" else text.encode(codec, errors="strict")
        (HERE / name).write_bytes(data)
        print(f"wrote {name} ({codec}, {'CRLF' if newline == chr(13) + chr(10) else 'LF'})")


if __name__ == "__main__":
    main()
