"""Write the Traditional Chinese interface catalog from the Simplified one.

``make messages`` runs it after ``makemessages``: every translation
(``msgstr``) in locale/zh_Hans is converted with OpenCC (s2tw, the
conversion the archive uses for text) into locale/zh_Hant; message ids,
comments and placeholders are copied as they are.
"""

import re
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand

from archive.lib.chinese import to_traditional

_STRING = re.compile(r'"((?:[^"\\]|\\.)*)"')


def traditional(po: str) -> str:
    lines, in_msgstr = [], False
    for line in po.splitlines():
        if line.startswith("msgstr"):
            in_msgstr = True
        elif not line.startswith('"'):
            in_msgstr = False
        if in_msgstr:
            line = _STRING.sub(lambda match: f'"{to_traditional(match.group(1))}"', line)
        lines.append(line)
    text = "\n".join(lines) + "\n"
    return text.replace('"Language: zh_Hans\\n"', '"Language: zh_Hant\\n"').replace(
        "The interface in Simplified Chinese. zh_Hant is made from this file: make messages.",
        "Made from locale/zh_Hans by manage.py traditional_catalog (make messages): do not edit.",
    )


class Command(BaseCommand):
    help = "Write locale/zh_Hant/LC_MESSAGES/django.po from locale/zh_Hans with OpenCC."

    def handle(self, *args, **options):
        locale = Path(settings.LOCALE_PATHS[0])
        source = locale / "zh_Hans" / "LC_MESSAGES" / "django.po"
        target = locale / "zh_Hant" / "LC_MESSAGES" / "django.po"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(traditional(source.read_text(encoding="utf-8")), encoding="utf-8")
        self.stdout.write(f"wrote {target.relative_to(settings.BASE_DIR)}")
