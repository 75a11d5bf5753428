"""manage.py import_transcripts: one line per file, --dry-run, errors that name the file."""

import pytest
from django.core.management import CommandError, call_command

from archive.interviews.models import Article, Turn
from tests.conftest import FIXTURES, fixture_bytes

pytestmark = pytest.mark.django_db


def run(*args):
    from io import StringIO

    out, err = StringIO(), StringIO()
    try:
        call_command("import_transcripts", *map(str, args), stdout=out, stderr=err)
    except CommandError as error:
        return out.getvalue(), err.getvalue(), error
    return out.getvalue(), err.getvalue(), None


def test_it_imports_a_folder_with_one_line_per_file_and_a_summary(search_index):
    out, err, error = run(FIXTURES)
    assert error is None and err == ""
    lines = out.splitlines()
    assert len(lines) == 4
    assert lines[0].startswith("created") and "000-zhou-hongyi-nandu.txt: 18 turns, 0 warnings" in lines[0]
    assert "003-wang-jian-nandu.txt: 29 turns, 4 warnings" in lines[2]
    assert lines[3].startswith("3 files in ") and "3 created, 0 updated, 0 unchanged, 0 failed; 86 turns stored" in lines[3]
    assert Article.objects.count() == 3


def test_it_reports_unchanged_on_a_second_run(search_index):
    run(FIXTURES)
    out, _, _ = run(FIXTURES)
    assert [line.split()[0] for line in out.splitlines()[:3]] == ["unchanged"] * 3
    assert "0 created, 0 updated, 3 unchanged, 0 failed; 0 turns stored" in out.splitlines()[3]
    assert Article.objects.count() == 3


def test_dry_run_prints_the_structure_and_stores_nothing(tmp_path):
    out, _, error = run("--dry-run", FIXTURES / "000-zhou-hongyi-nandu.txt")
    assert error is None
    assert "title:     追赶Sora难在算力" in out and "question  南都" in out
    assert not Article.objects.exists() and not Turn.objects.exists()


def test_failures_name_each_file_and_why_and_the_good_files_still_go_in(tmp_path, search_index):
    (tmp_path / "a-empty.txt").write_bytes(b"")
    (tmp_path / "b-image.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    (tmp_path / "c-undecodable.txt").write_bytes(bytes([0x81, 0x30, 0x81, 0xFF]) * 50)
    (tmp_path / "d-no-paragraphs.md").write_text("---\ntitle: 空\n---\n\n---\n")
    (tmp_path / "e-good.txt").write_bytes(fixture_bytes("000"))
    out, err, error = run(tmp_path, tmp_path / "missing.txt")
    assert error is not None
    message = str(error)
    assert "5 file(s) failed" in message
    assert "a-empty.txt: the file is empty" in message
    assert "b-image.txt: it is a binary file" in message
    assert "c-undecodable.txt: its text encoding is not one of" in message
    assert "d-no-paragraphs.md: it has no paragraphs" in message
    assert "missing.txt: No such file or directory" in message
    assert "created" in out and "e-good.txt" in out
    assert Article.objects.count() == 1


def test_a_zip_of_transcripts_is_imported_file_by_file(tmp_path, search_index):
    import zipfile

    with zipfile.ZipFile(tmp_path / "batch.zip", "w") as archive:
        for path in sorted(FIXTURES.glob("*.txt")):
            archive.write(path, f"interviews/{path.name}")
        archive.writestr("notes.pdf", b"%PDF-1.4")  # not a transcript: not imported
    out, err, error = run(tmp_path / "batch.zip")
    assert error is None and err == ""
    assert "batch.zip/interviews/000-zhou-hongyi-nandu.txt: 18 turns" in out
    assert Article.objects.count() == 3


def test_a_failing_file_leaves_what_is_stored_untouched(tmp_path, search_index):
    run(FIXTURES / "000-zhou-hongyi-nandu.txt")
    (tmp_path / "broken.txt").write_bytes(b"\x00\x00")
    _, _, error = run(tmp_path / "broken.txt")
    assert error is not None
    assert Article.objects.count() == 1 and Turn.objects.count() == 18


def test_seed_loads_fixtures_only_into_an_empty_archive(search_index):
    from io import StringIO

    call_command("seed", stdout=StringIO())
    assert Article.objects.count() == 3
    article = Article.objects.first()
    article.title = "编辑改过的标题"
    article.save()
    call_command("seed", stdout=StringIO())
    assert Article.objects.filter(title="编辑改过的标题").exists()
