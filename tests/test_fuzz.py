"""Random input against the two places strangers' text enters: the search
endpoints (any query string) and the transcript parser (any upload). Either
a result or a named error, never a crash or a server error; and no input
takes unbounded time (Hypothesis's deadline fails an example that hangs)."""

import datetime

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from archive.interviews.importer import parse_source
from archive.lib.transcript import TranscriptError, parse, parse_bytes

FUZZ = settings(max_examples=150, deadline=datetime.timedelta(seconds=5), database=None,
                suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
# The parser's deadline catches a hang or super-linear work, not slowness: its
# largest example (100,000 one-line turns) takes 2-4 s alone and more on a
# loaded 2-core machine. How fast it parses is make ingest-eval's figure.
PARSER_FUZZ = settings(FUZZ, deadline=datetime.timedelta(seconds=30))
ANY_TEXT = st.text(st.characters(blacklist_categories=("Cs",)), max_size=300)  # all of Unicode, control characters too
QUERY_LIKE = st.text(st.sampled_from(list('鸡蛋雞疯牛病开源王坚 "-+ORANDNOT()*?:^~[]{}\\/!ab1.\t\n\x00')), max_size=60)
FRONT_MATTER = st.builds(
    lambda head, body: f"---\n{head}\n---\n{body}",
    st.text(st.sampled_from(list("title:outlet:date:speakers:- []{}&*!|>'\"#@`\n 甲乙2024-13-45\t")), max_size=120),
    st.text(st.sampled_from(list("甲乙问答：:？。\n 标题")), max_size=200),
)


@pytest.fixture(scope="module")
def fuzz_client():
    from django.test import Client

    return Client(raise_request_exception=False)


@pytest.mark.django_db
@FUZZ
@given(q=st.one_of(ANY_TEXT, QUERY_LIKE), speaker=st.one_of(st.just(""), ANY_TEXT), page=st.one_of(st.just(""), st.text(max_size=8)))
@example(q="鸡" * 2000, speaker="", page="")
@example(q="0", speaker="\x00", page="")  # PostgreSQL refuses a NUL in a query
@example(q='"' * 501 + "OR " * 300, speaker="", page="99999999999999999999")
def test_the_search_endpoints_never_fail_on_any_query(seeded, fuzz_client, q, speaker, page):
    params = {"q": q, "speaker": speaker, "page": page}
    api = fuzz_client.get("/api/search/", params)
    assert api.status_code in (200, 400), api.content[:300]
    assert "error" in api.json() if api.status_code == 400 else "count" in api.json()
    assert fuzz_client.get("/search/", params).status_code in (200, 400)


@PARSER_FUZZ
@given(data=st.binary(max_size=2000))
@example(data=b"\xff\xfe" + "问：你好？\n答：好。".encode("utf-16-le"))
@example(data=b"\x00" * 5000)
def test_the_parser_reads_any_bytes_or_names_the_problem(data):
    try:
        parse_bytes(data)
    except TranscriptError as error:
        assert str(error)


@PARSER_FUZZ
@given(text=st.one_of(ANY_TEXT, FRONT_MATTER))
@example(text="---\ntitle: [unclosed\n---\n问：？")
@example(text="---\n- a list\n---\n问：？\n答：。")
@example(text="---\ntitle: " + "&a [*a, *a, *a, *a]\n" * 3 + "---\n")
@example(text="问：" + "啊" * 1_000_000)  # one huge line
@example(text="甲：问？\n乙：答。\n" * 50_000)  # a million characters of turns
def test_the_parser_reads_any_text_or_names_the_problem(text):
    try:
        parse(text)
    except TranscriptError as error:
        assert str(error)


@pytest.mark.django_db
@FUZZ
@given(text=FRONT_MATTER)
def test_the_importers_parse_step_survives_malformed_front_matter(text):
    try:
        parse_source(text.encode())
    except TranscriptError as error:
        assert str(error)
