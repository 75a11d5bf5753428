"""manage.py backup and restore: the database and every source, into one
file and back, with the index rebuilt from what was restored."""

import tarfile

import pytest
from django.core.management import CommandError, call_command

from archive.interviews.models import Article, Turn
from tests.conftest import indexed

pytestmark = pytest.mark.django_db


def test_a_backup_holds_the_database_and_every_source_byte_for_byte(seeded, tmp_path):
    call_command("backup", output=str(tmp_path), verbosity=0)
    (backup,) = tmp_path.glob("archive-*.tar.gz")
    with tarfile.open(backup) as archive:
        names = archive.getnames()
        for article in seeded.values():
            (name,) = [n for n in names if n.startswith(f"sources/{article.slug}.")]
            assert archive.extractfile(name).read() == bytes(article.source)
    assert {"database.json", "manifest.json"} <= set(names)


def test_restore_brings_back_the_articles_and_rebuilds_the_index(seeded, tmp_path, client, django_capture_on_commit_callbacks):
    target = tmp_path / "before.tar.gz"
    call_command("backup", output=str(target), verbosity=0)
    turns = Turn.objects.count()
    with pytest.raises(CommandError, match="--replace"):
        call_command("restore", str(target), verbosity=0)
    # Each step committed, as outside a test: a restore queues its articles
    # for indexing again only once the last restore's queue was applied.
    with django_capture_on_commit_callbacks(execute=True):
        Article.objects.all().delete()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("restore", str(target), verbosity=0)
    assert Article.objects.count() == 3 and Turn.objects.count() == turns == indexed()
    assert client.get("/api/search/", {"q": "雞蛋"}).json()["count"] == 1
    with django_capture_on_commit_callbacks(execute=True):
        call_command("restore", str(target), replace=True, verbosity=0)
    assert Article.objects.count() == 3 and indexed() == turns


def test_a_file_that_is_not_a_backup_is_named_and_changes_nothing(seeded, tmp_path):
    bogus = tmp_path / "bogus.tar.gz"
    bogus.write_bytes(b"not a tarball")
    with pytest.raises(CommandError, match="bogus.tar.gz: not a backup"):
        call_command("restore", str(bogus), replace=True, verbosity=0)
    assert Article.objects.count() == 3
