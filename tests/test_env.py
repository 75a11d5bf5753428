"""Settings from the environment refuse what they do not understand, naming
the variable, instead of silently changing their meaning (HTTPS=ture)."""

import subprocess
import sys

import pytest

from archive.lib.env import SettingError, envbool, envchoice, envint
from tests.conftest import ROOT


@pytest.mark.parametrize("value, expected", [("true", True), ("TRUE", True), ("1", True), ("yes", True), ("on", True),
                                             ("false", False), ("0", False), ("No", False), ("off", False)])
def test_envbool_reads_the_usual_spellings(monkeypatch, value, expected):
    monkeypatch.setenv("HTTPS", value)
    assert envbool("HTTPS", not expected) is expected


@pytest.mark.parametrize("value", ["ture", "y", "enabled", "2", "true!"])
def test_envbool_rejects_anything_else_naming_the_variable(monkeypatch, value):
    monkeypatch.setenv("HTTPS", value)
    with pytest.raises(SettingError, match=f"HTTPS={value!r} is not a yes/no value"):
        envbool("HTTPS", False)


def test_unset_or_empty_means_the_default(monkeypatch):
    monkeypatch.delenv("HTTPS", raising=False)
    assert envbool("HTTPS", True) is True
    monkeypatch.setenv("HTTPS", "  ")
    assert envbool("HTTPS", False) is False and envint("HTTPS", 7) == 7


@pytest.mark.parametrize("value, message", [("5MB", "not a whole number"), ("1.5", "not a whole number"),
                                            ("0x10", "not a whole number"), ("0", "at least 1")])
def test_envint_rejects_units_fractions_and_values_below_its_minimum(monkeypatch, value, message):
    monkeypatch.setenv("TRANSCRIPT_MAX_BYTES", value)
    with pytest.raises(SettingError, match=f"TRANSCRIPT_MAX_BYTES={value!r} .*{message}"):
        envint("TRANSCRIPT_MAX_BYTES", 10, minimum=1)


def test_envint_reads_digits_with_underscores(monkeypatch):
    monkeypatch.setenv("TRANSCRIPT_MAX_BYTES", "5_242_880")
    assert envint("TRANSCRIPT_MAX_BYTES", 1) == 5_242_880


def test_envchoice_accepts_any_case_and_rejects_others(monkeypatch):
    monkeypatch.setenv("LOG_FORMAT", "JSON")
    assert envchoice("LOG_FORMAT", "text", ("text", "json")) == "json"
    monkeypatch.setenv("LOG_FORMAT", "xml")
    with pytest.raises(SettingError, match="LOG_FORMAT='xml' is not one of text, json"):
        envchoice("LOG_FORMAT", "text", ("text", "json"))


@pytest.mark.parametrize("name, value", [("HTTPS", "ture"), ("DEBUG", "maybe"), ("UPLOAD_MAX_BYTES", "20M"), ("LOG_LEVEL", "LOUD"), ("SEARCH_BACKEND", "elastic")])
def test_the_archive_refuses_to_start_on_a_typo(tmp_path, name, value):
    from tests.test_serving import server_environment

    env = server_environment(ARCHIVE_DATA_DIR=str(tmp_path), **{name: value})
    result = subprocess.run([sys.executable, "manage.py", "check"], cwd=ROOT, env=env, capture_output=True, text=True)
    assert result.returncode != 0 and f"{name}={value!r}" in result.stderr


def test_search_on_postgresql_is_refused_on_another_database(tmp_path):
    from tests.test_serving import server_environment

    env = server_environment(ARCHIVE_DATA_DIR=str(tmp_path), SEARCH_BACKEND="postgres")  # SQLite
    result = subprocess.run([sys.executable, "manage.py", "check"], cwd=ROOT, env=env, capture_output=True, text=True)
    assert result.returncode != 0 and "SEARCH_BACKEND=postgres needs a PostgreSQL database (DATABASE_URL)" in result.stderr
