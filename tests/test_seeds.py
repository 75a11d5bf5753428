"""The three raw seeds, parsed without front matter, give exactly what the
foundation issue lists."""

from pathlib import Path

import pytest

from archive.lib.chinese import Script, fold
from archive.lib.transcript import Kind, Role, parse
from tests.conftest import ROOT, raw_seed

SHARED_SEEDS = ROOT.parent / "shared" / "seeds"


def answers(article):
    return [turn for turn in article.turns if turn.kind is Kind.ANSWER]


def speaker(article, role):
    return next(s for s in article.speakers if s.role is role)


@pytest.mark.parametrize("number", ["000", "002", "003"])
def test_fixtures_carry_the_seed_text_verbatim(number):
    seeds = sorted(SHARED_SEEDS.glob(f"{number}_*.txt"))
    if not seeds:
        pytest.skip(f"no shared/seeds beside the checkout at {SHARED_SEEDS}")
    assert raw_seed(number) == seeds[0].read_text(encoding="utf-8")


def test_000_has_title_seven_questions_by_nandu_and_seven_answers_by_zhou():
    article = parse(raw_seed("000"))
    assert article.title == "追赶Sora难在算力 或再现“百模大战”"
    assert article.script is Script.SIMPLIFIED
    assert article.count(Kind.QUESTION) == 7
    assert speaker(article, Role.ASKS).name == "南都"
    assert speaker(article, Role.ANSWERS).name == "周鸿祎"
    assert [len(turn.paragraphs) for turn in answers(article)] == [2, 3, 1, 3, 3, 3, 1]
    assert article.count(Kind.HEADING) == 3
    assert article.credits == ["采写/摄影:南都记者 樊文扬 王子黎 杨博雯"]
    assert article.warnings == []


def test_000_lead_is_narration_and_byline_is_not_part_of_the_last_answer():
    article = parse(raw_seed("000"))
    assert article.turns[0].kind is Kind.NARRATION
    assert article.turns[0].paragraphs[0].startswith("2024开年")
    assert "采写" not in answers(article)[-1].text


def test_000_headings_are_the_three_section_titles():
    headings = [turn.text for turn in parse(raw_seed("000")).turns if turn.kind is Kind.HEADING]
    assert headings == [
        "发展垂直化企业化大模型能更好满足企业需求",
        "人不会被AI淘汰,但可能被用AI的人淘汰",
        "大模型红利期尚未到,至少持续十年以上",
    ]


def test_002_has_fifteen_questions_by_the_outlet_and_fifteen_answers_by_zhou():
    article = parse(raw_seed("002"))
    assert article.script is Script.TRADITIONAL
    assert article.count(Kind.QUESTION) == 15
    assert fold(speaker(article, Role.ASKS).name) == "中国企业家"
    assert speaker(article, Role.ANSWERS).name == "周鴻祎"
    assert [len(turn.paragraphs) for turn in answers(article)] == [2, 7, 5, 9, 3, 1, 1, 3, 3, 1, 1, 3, 5, 4, 2]
    assert article.count(Kind.HEADING) == 4
    assert article.count(Kind.CAPTION) == 3


def test_002_uses_its_first_line_deck_as_the_title_and_says_so():
    article = parse(raw_seed("002"))
    assert article.title == article.deck == "承認差距并不丢人,知道差距在哪兒,我們迎頭趕上。"
    assert [w.line for w in article.warnings] == [1]
    assert "title" in article.warnings[0].message


def test_002_photo_credit_is_a_credit_and_captions_are_captions():
    article = parse(raw_seed("002"))
    assert article.credits == ["頭圖攝影|鄧攀"]
    captions = [turn for turn in article.turns if turn.kind is Kind.CAPTION]
    assert [caption.line for caption in captions] == [6, 30, 41]
    assert all(caption.text.startswith("來源:") for caption in captions)


def test_002_caption_inside_an_answer_does_not_end_it():
    article = parse(raw_seed("002"))
    fourth = answers(article)[3]
    assert fourth.line == 38 and len(fourth.paragraphs) == 9
    assert fourth.paragraphs[3].startswith("還有一個是女人在床上躺着睡覺")  # line 42, after the caption
    assert all("來源" not in paragraph for paragraph in fourth.paragraphs)


def test_002_outlet_is_inferred_from_the_label_in_book_title_marks():
    assert fold(parse(raw_seed("002")).outlet) == "中国企业家"


def test_003_title_has_no_pinyin_and_thirteen_questions_by_nandu():
    article = parse(raw_seed("003"))
    assert article.title == "阿里云創始人王堅:Sora的意義不止在影響短視頻等行業"
    assert article.count(Kind.QUESTION) == 13
    assert article.count(Kind.ANSWER) == 13
    assert speaker(article, Role.ASKS).name == "南都"
    assert speaker(article, Role.ANSWERS).name == "王堅"
    assert article.count(Kind.CAPTION) == 1


def test_003_scraper_damage_is_gone_and_reported():
    article = parse(raw_seed("003"))
    everything = article.title + "".join(turn.text for turn in article.turns)
    for residue in ("chuàng", "(yè)", "/p>", "?!?", "侵權", "info@dsb.cn", "信息存儲服務"):
        assert residue not in everything
    messages = {w.line: w.message for w in article.warnings}
    assert "pinyin" in messages[1]
    assert "damaged" in messages[3]
    assert "boilerplate" in messages[32] and "boilerplate" in messages[33]


def test_003_damaged_lead_keeps_its_words():
    lead = parse(raw_seed("003")).turns[0]
    assert lead.paragraphs[1].endswith("如果能創造視頻,它也就能創造世界")


def test_four_speakers_across_the_seeds_with_zhou_in_two():
    names = {}
    for number in ("000", "002", "003"):
        for s in parse(raw_seed(number)).speakers:
            names.setdefault(fold(s.name), set()).add(number)
    assert names == {"周鸿祎": {"000", "002"}, "南都": {"000", "003"}, "中国企业家": {"002"}, "王坚": {"003"}}
