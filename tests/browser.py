"""Shared by the browser tests and `make screenshots`: how Chromium is
launched here, the two screen sizes, and the seed interviews for a live server."""

from pathlib import Path

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync"]
DESKTOP = {"viewport": {"width": 1280, "height": 900}, "locale": "zh-CN"}
PHONE = {"viewport": {"width": 390, "height": 844}, "device_scale_factor": 2, "is_mobile": True, "has_touch": True, "locale": "zh-CN"}
FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"


def seed_live() -> None:
    """Import the seed fixtures outside any transaction, so that the index
    update runs at once and a live server thread sees the rows."""
    from archive.interviews.importer import import_transcript

    for path in sorted(FIXTURES.glob("*.txt")):
        import_transcript(path.read_bytes(), name=path.name)
