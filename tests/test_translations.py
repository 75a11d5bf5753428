"""Every user-visible string is translated in 简体 and 繁體, nothing is fuzzy,
and what is compiled is what was translated (issue 14: sixteen fuzzy
translations left English in the upload preview)."""

import ast
import gettext
import shutil
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command

LOCALE = Path(settings.LOCALE_PATHS[0])
LANGUAGES = ("zh_Hans", "zh_Hant")


def entries(path: Path) -> list[dict]:
    """A .po file's entries: msgid, msgid_plural, msgstr (every form) and flags."""
    found, current, field = [], None, None
    for line in path.read_text(encoding="utf-8").splitlines() + [""]:
        if not line.strip():
            if current and "msgid" in current:
                found.append(current)
            current, field = None, None
            continue
        current = current or {"flags": set(), "msgstr": {}}
        if line.startswith("#,"):
            current["flags"] |= {flag.strip() for flag in line[2:].split(",")}
        elif line.startswith("#"):
            continue
        elif line.startswith('"'):
            value = ast.literal_eval(line)
            if isinstance(field, int):
                current["msgstr"][field] += value
            else:
                current[field] += value
        else:
            keyword, _, literal = line.partition(" ")
            if keyword.startswith("msgstr"):
                field = int(keyword[7:-1]) if "[" in keyword else 0
                current["msgstr"][field] = ast.literal_eval(literal)
            else:
                field = keyword
                current[field] = ast.literal_eval(literal)
    return [entry for entry in found if entry["msgid"]]  # not the header


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_message_is_translated_and_none_is_fuzzy(language):
    catalog = entries(LOCALE / language / "LC_MESSAGES" / "django.po")
    assert len(catalog) > 200
    assert [e["msgid"] for e in catalog if "fuzzy" in e["flags"]] == []
    assert [e["msgid"] for e in catalog if not all(e["msgstr"].values())] == []


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_compiled_catalog_is_the_translated_one(language):
    directory = LOCALE / language / "LC_MESSAGES"
    with open(directory / "django.mo", "rb") as file:
        compiled = gettext.GNUTranslations(file)._catalog
    for entry in entries(directory / "django.po"):
        if "msgid_plural" in entry:
            assert compiled.get((entry["msgid"], 0)) == entry["msgstr"][0], entry["msgid"]
        else:
            assert compiled.get(entry["msgid"]) == entry["msgstr"][0], entry["msgid"]


def test_the_traditional_catalog_is_made_from_the_simplified_one():
    from archive.interviews.management.commands.traditional_catalog import traditional

    simplified = (LOCALE / "zh_Hans" / "LC_MESSAGES" / "django.po").read_text(encoding="utf-8")
    assert (LOCALE / "zh_Hant" / "LC_MESSAGES" / "django.po").read_text(encoding="utf-8") == traditional(simplified)


@pytest.mark.skipif(not shutil.which("xgettext"), reason="GNU gettext is not installed (apt-get install gettext)")
def test_every_string_marked_in_the_code_is_in_the_catalog(tmp_path, settings, monkeypatch):
    """makemessages over a copy of the code and templates, with a copy of the
    catalog: a marked string that is not translated there comes out empty."""
    root = Path(settings.BASE_DIR)
    for folder in ("archive", "templates"):
        shutil.copytree(root / folder, tmp_path / folder, ignore=shutil.ignore_patterns("__pycache__"))
    (tmp_path / "locale" / "zh_Hans" / "LC_MESSAGES").mkdir(parents=True)
    shutil.copy(LOCALE / "zh_Hans" / "LC_MESSAGES" / "django.po", tmp_path / "locale" / "zh_Hans" / "LC_MESSAGES")
    monkeypatch.chdir(tmp_path)
    settings.LOCALE_PATHS = [tmp_path / "locale"]
    call_command("makemessages", locale=["zh_Hans"], no_obsolete=True, verbosity=0)
    fresh = entries(tmp_path / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po")
    assert len(fresh) == len(entries(LOCALE / "zh_Hans" / "LC_MESSAGES" / "django.po"))
    missing = [e["msgid"] for e in fresh if "fuzzy" in e["flags"] or not all(e["msgstr"].values())]
    assert missing == [], "not translated in locale/zh_Hans (run make messages and translate them)"
