"""The parser on transcripts in the other shapes the archive accepts."""

import datetime

import pytest

from archive.lib.chinese import Script
from archive.lib.transcript import Kind, Role, TranscriptError, parse, parse_bytes

MARKDOWN = """---
title: 具身智能的下一步
outlet: 星河科技评论
published: 2025-06-01
source_url: https://example.com/a/1
speakers:
  问: 星河科技评论
  答:
    name: 林晓舟
    description: 星河机器人创始人
---
# 具身智能的下一步

**导读**：林晓舟认为，具身智能的瓶颈在数据。

---

## 数据从哪里来

**问**：你们的数据从哪里来？

**答**：主要靠仿真。

真实数据太贵了。

![林晓舟在实验室](https://example.com/lin.jpg)

也有一部分来自遥操作。

**问**：开源吗？

**答**：会开源一部分模型。

（完）

责任编辑：王五
"""


def test_markdown_with_front_matter_maps_labels_to_speakers():
    article = parse(MARKDOWN)
    assert article.title == "具身智能的下一步"
    assert article.outlet == "星河科技评论"
    assert article.published == datetime.date(2025, 6, 1)
    assert article.source_url == "https://example.com/a/1"
    assert [(s.label, s.name, s.role) for s in article.speakers] == [
        ("问", "星河科技评论", Role.ASKS),
        ("答", "林晓舟", Role.ANSWERS),
    ]
    assert article.speakers[1].description == "星河机器人创始人"


def test_markdown_headings_images_and_rules_are_structure_not_text():
    article = parse(MARKDOWN)
    kinds = [turn.kind for turn in article.turns]
    assert kinds == [Kind.NARRATION, Kind.HEADING, Kind.QUESTION, Kind.ANSWER, Kind.CAPTION, Kind.QUESTION, Kind.ANSWER]
    everything = "".join(turn.text for turn in article.turns)
    assert "#" not in everything and "**" not in everything and "![" not in everything and "---" not in everything
    assert article.turns[0].text == "导读：林晓舟认为，具身智能的瓶颈在数据。"
    assert article.turns[3].paragraphs == ["主要靠仿真。", "真实数据太贵了。", "也有一部分来自遥操作。"]
    assert article.turns[4].text == "林晓舟在实验室"


def test_end_mark_is_dropped_and_editor_kept_as_credit():
    article = parse(MARKDOWN)
    assert article.turns[-1].text == "会开源一部分模型。"
    assert article.credits == ["责任编辑：王五"]


def test_bold_labels_with_colon_inside_or_outside():
    text = "**赵一鸣**：你好吗？\n**钱二：**很好。\n**赵一鸣**：再见？\n**钱二：**再见。\n"
    article = parse("标题\n" + text)
    assert [(t.kind, t.label) for t in article.turns] == [
        (Kind.QUESTION, "赵一鸣"), (Kind.ANSWER, "钱二"), (Kind.QUESTION, "赵一鸣"), (Kind.ANSWER, "钱二"),
    ]
    assert article.turns[1].text == "很好。"


def test_english_q_and_a_with_speaker_mapping():
    text = """---
speakers:
  Q: The Wire
  A: Jane Doe
---
Jane Doe on compute

Q: Why does compute matter?

A: Because scale still works.
It keeps working.

Q: And data?

A: Data matters too.
"""
    article = parse(text)
    assert article.title == "Jane Doe on compute"
    assert [(s.name, s.role) for s in article.speakers] == [("The Wire", Role.ASKS), ("Jane Doe", Role.ANSWERS)]
    assert article.turns[1].paragraphs == ["Because scale still works.", "It keeps working."]


def test_role_words_ask_and_answer_without_front_matter():
    article = parse("访谈\n问：为什么？\n答：因为。\n问：然后呢？\n答：没有然后。\n")
    assert [(s.label, s.role) for s in article.speakers] == [("问", Role.ASKS), ("答", Role.ANSWERS)]
    assert any("names no one" in w.message for w in article.warnings)


def test_reporter_label_asks_even_when_it_comes_second():
    article = parse("标题\n张三：开场白很长很长。\n记者：你怎么看？\n张三：我这样看。\n记者：为什么？\n")
    roles = {s.label: s.role for s in article.speakers}
    assert roles == {"张三": Role.ANSWERS, "记者": Role.ASKS}


def test_reporter_byline_is_a_credit_not_a_question():
    article = parse("标题\n记者：李明 王芳\n南都：你怎么看？\n张三：这样看。\n南都：为什么？\n张三：因为。")
    assert article.credits == ["记者：李明 王芳"]
    assert article.count(Kind.QUESTION) == 2


def test_taiwanese_reporter_byline_is_a_credit_and_the_dateline_the_date():
    article = parse("標題\n記者 李明／台北報導\n2024年3月1日 台北\n甲：問題？\n乙：回答。\n甲：再問？\n乙：再答。")
    assert article.credits == ["記者 李明／台北報導"]  # a dateline is not a credit: it says when, and where
    assert article.published == datetime.date(2024, 3, 1)
    assert article.script is Script.TRADITIONAL


def test_editors_note_is_narration_that_says_whose_note_it_is():
    article = parse("标题\n编者按：这是一篇访谈。\n甲：问题？\n乙：回答。\n甲：再问？\n乙：再答。")
    assert article.turns[0].kind is Kind.NARRATION
    assert article.turns[0].text == "编者按：这是一篇访谈。"
    assert "编者按" not in {s.name for s in article.speakers}


def test_paragraph_without_label_continues_the_turn_before_it():
    article = parse("标题\n甲：问题？\n乙：第一段。\n第二段。\n甲：再问？\n乙：再答。")
    assert article.turns[1].paragraphs == ["第一段。", "第二段。"]


def test_a_colon_phrase_used_once_is_not_a_speaker():
    article = parse("标题\n甲：问题？\n乙：有三点。\n值得担忧的有三点：第一，人才。\n甲：再问？\n乙：再答。")
    assert article.turns[1].paragraphs == ["有三点。", "值得担忧的有三点：第一，人才。"]


def test_list_items_with_colons_are_not_speakers_even_when_repeated():
    article = parse("标题\n甲：问题？\n乙：两点。\n第一：人才。\n第二：算力。\n甲：再问？\n乙：第一：好。")
    assert {s.label for s in article.speakers} == {"甲", "乙"}
    assert article.turns[1].paragraphs == ["两点。", "第一：人才。", "第二：算力。"]


def test_crlf_and_blank_line_paragraphs_read_like_one_line_paragraphs():
    lf = "标题\n甲：问题？\n乙：回答。\n甲：再问？\n乙：再答。"
    crlf = lf.replace("\n", "\r\n")
    blank = lf.replace("\n", "\n\n")
    assert [t.paragraphs for t in parse(crlf).turns] == [t.paragraphs for t in parse(lf).turns]
    assert [t.paragraphs for t in parse(blank).turns] == [t.paragraphs for t in parse(lf).turns]


def test_hard_wrapped_paragraphs_are_joined():
    text = "标题\n\n甲：这是一个很长的问题，被编辑器\n折成了两行？\n\n乙：回答也被\n折行了，而且\n折了三次。\n\n甲：还有吗？\n\n乙：没有了。"
    article = parse(text)
    assert article.turns[0].text == "这是一个很长的问题，被编辑器折成了两行？"
    assert article.turns[1].paragraphs == ["回答也被折行了，而且折了三次。"]


def test_label_on_its_own_line_takes_the_following_paragraphs():
    article = parse("标题\n甲：\n问题？\n乙：\n回答。\n甲：\n再问？\n乙：\n再答。")
    assert [(t.kind, t.text) for t in article.turns][:2] == [(Kind.QUESTION, "问题？"), (Kind.ANSWER, "回答。")]


def test_html_entities_are_decoded():
    article = parse("标题\n甲：A&amp;B？\n乙：是&nbsp;的。\n甲：再问？\n乙：再答。")
    assert article.turns[0].text == "A&B？"


def test_pinyin_after_a_latin_word_or_in_ordinary_parentheses_is_kept():
    article = parse("标题\n甲：什么是A100(一种AI芯片)？\n乙：GPU(gpu)而已(yǐ)。\n甲：再问？\n乙：再答。")
    assert article.turns[0].text == "什么是A100(一种AI芯片)？"
    assert article.turns[1].text == "GPU(gpu)而已。"


@pytest.mark.parametrize(
    "text, message",
    [
        ("", "empty"),
        ("   \n\n  ", "empty"),
        ("---\ntitle: x\n---\n\n", "no paragraphs"),
        ("---\ntitle: [unclosed\n---\n甲：问？", "front matter is not valid YAML"),
        ("---\n- a list\n---\n甲：问？", "must be a mapping"),
        ("---\npublished: next week\n---\n标题\n甲：问？", "not a date"),
        ("---\nspeakers:\n  甲: {name: 甲, role: boss}\n---\n标题\n甲：问？", "role"),
    ],
)
def test_unreadable_input_raises_a_clear_error(text, message):
    with pytest.raises(TranscriptError, match=message):
        parse_bytes(text.encode("utf-8"))


def test_describe_outlines_the_structure_for_dry_runs():
    outline = parse(MARKDOWN).describe()
    assert "title:     具身智能的下一步" in outline
    assert "question  星河科技评论" in outline
    assert "speaker:   林晓舟 (answers, written 答)" in outline


def test_traditional_editors_note_is_a_lead_too():
    article = parse("標題\n【編者按】這是一篇訪談。\n甲：問題？\n乙：回答。\n甲：再問？\n乙：再答。")
    assert (article.turns[0].kind, article.turns[0].text) == (Kind.NARRATION, "【編者按】這是一篇訪談。")


def test_at_a_press_conference_everyone_who_only_asks_asks():
    text = ("Launch briefing\n\nModerator Ivo Marsh: First question.\n\nJo Park, Harbor Times: When does it ship?\n\n"
            "Lee Ames: In May, to three cities.\n\nKai Dunn, Metro Wire: What will it cost? And where?\n\n"
            "Lee Ames: Less than the old one. Everywhere, eventually.\n\nJo Park: Will it be made here?\n\nLee Ames: Partly.")
    roles = {s.name: s.role for s in parse(text).speakers}
    assert roles == {"Ivo Marsh": Role.ASKS, "Jo Park": Role.ASKS, "Lee Ames": Role.ANSWERS, "Kai Dunn": Role.ASKS}


def test_a_panel_guest_who_asks_another_guest_once_still_answers():
    text = ("圆桌\n主持人：先谈成本？\n庞雪：材料最贵。\n柯一：人工也贵。\n庞雪：柯总，你们怎么降人工？\n"
            "柯一：自动化。\n主持人：还有吗？\n庞雪：没有了。\n柯一：我也没有。")
    roles = {s.name: s.role for s in parse(text).speakers}
    assert roles["庞雪"] is Role.ANSWERS and roles["柯一"] is Role.ANSWERS


def test_outlet_and_date_under_the_title_are_metadata_not_narration():
    article = parse("芯片的账\n北岸晚报 · 2024年2月9日\n\n甲：贵吗？\n\n乙：贵。\n\n甲：为什么？\n\n乙：材料。")
    assert (article.outlet, article.published) == ("北岸晚报", datetime.date(2024, 2, 9))
    assert article.turns[0].kind is Kind.QUESTION


def test_a_byline_and_dateline_at_the_end_are_the_credit_and_the_date_and_the_writer_asks():
    text = ("Q&A: Lee Ames on small satellites\n\nLee Ames builds satellites the size of a shoebox.\n\n"
            "Q. Why so small?\n\nA. Launch is priced by the kilogram.\n\nQ. And next?\n\nA. Bigger ones.\n\n"
            "By Jo Park\n\nTACOMA, Wash., Feb. 9, 2024")
    article = parse(text)
    assert article.credits == ["By Jo Park"] and article.published == datetime.date(2024, 2, 9)
    assert [(s.name, s.role) for s in article.speakers] == [("Jo Park", Role.ASKS), ("Lee Ames", Role.ANSWERS)]
    assert article.turns[-1].text == "Bigger ones."


def test_a_date_in_the_middle_of_the_conversation_stays_text():
    article = parse("标题\n甲：哪天发布？\n乙：这一天：\n2024年2月9日 宁波\n那天下雨。\n甲：好。\n乙：嗯。")
    assert article.turns[1].paragraphs == ["这一天：", "2024年2月9日 宁波", "那天下雨。"]


@pytest.mark.parametrize("title, who", [
    ("专访北岸电池首席技术官柯一：电芯的账", "柯一"),
    ("專訪山海科技執行長庞雪：做慢一點", "庞雪"),
    ("Q&A: Lee Ames on small satellites", "Lee Ames"),
    ("A conversation with Lee Ames", "Lee Ames"),
])
def test_the_person_a_title_names_answers_with_the_job_before_the_name_left_out(title, who):
    article = parse(f"{title}\n\n**贵吗？**\n\n贵。\n\n**为什么？**\n\n材料。")
    assert [(s.name, s.role) for s in article.speakers][-1] == (who, Role.ANSWERS)


def test_consecutive_paragraphs_with_one_speakers_label_are_one_turn():
    article = parse("标题\n甲：贵吗？\n乙：贵。\n乙：材料贵。\n甲：好。")
    assert [(turn.label, turn.paragraphs) for turn in article.turns] == [
        ("甲", ["贵吗？"]), ("乙", ["贵。", "材料贵。"]), ("甲", ["好。"])]


def test_a_reporter_from_another_outlet_at_a_press_conference_is_not_the_articles_outlet():
    article = parse("发布会\n主持人 庞雪：请提问。\n北岸晚报记者：价格呢？\n柯一：保密。\n记者 林默：何时上市？\n柯一：明年。")
    assert article.outlet == "" and "北岸晚报" in {s.name for s in article.speakers}
    alone = parse("专访柯一\n北岸晚报记者：价格呢？\n柯一：保密。\n北岸晚报记者：何时上市？\n柯一：明年。")
    assert alone.outlet == "北岸晚报"


def test_numbered_questions_with_plain_answers_are_questions_and_the_number_is_not_kept():
    text = ("专访柯一：电芯的账\n\n文｜庞雪\n\n一、成本\n\n1. 电芯为什么贵？\n\n材料贵。\n\n人工也贵。\n\n"
            "2、什么时候便宜？\n\n明年。\n\n3. 谁会先降价\n\n我们。")
    article = parse(text)
    assert [(turn.kind, turn.label, turn.text) for turn in article.turns] == [
        (Kind.HEADING, None, "一、成本"), (Kind.QUESTION, "庞雪", "电芯为什么贵？"), (Kind.ANSWER, "柯一", "材料贵。\n人工也贵。"),
        (Kind.QUESTION, "庞雪", "什么时候便宜？"), (Kind.ANSWER, "柯一", "明年。\n3. 谁会先降价\n我们。")]


def test_who_the_letters_are_can_be_said_in_the_introduction():
    text = "电芯的账\n编者按：以下Q为北岸晚报记者庞雪，A为山海电池总经理柯一。内容有删节。\nQ：贵吗？\nA：贵。\nQ：为什么？\nA：材料。"
    article = parse(text)
    assert [(s.name, s.role, s.description) for s in article.speakers] == [("庞雪", Role.ASKS, ""), ("柯一", Role.ANSWERS, "")]
    assert article.turns[0].text.startswith("编者按：以下Q为") and article.notes == []


def test_initials_in_brackets_are_an_alias_not_a_description():
    text = "Ep. 3\n\nIvo Marsh (IM): Welcome.\n\nJo Park (JP): Thanks.\n\nIM: Why now?\n\nJP: Prices fell.\n\nIM: Thanks, Jo."
    article = parse(text)
    assert [(s.name, s.description) for s in article.speakers] == [("Ivo Marsh", ""), ("Jo Park", "")]
    assert [turn.label for turn in article.turns] == ["Ivo Marsh", "Jo Park", "Ivo Marsh", "Jo Park", "Ivo Marsh"]


def test_a_second_host_who_only_reacts_and_follows_up_is_a_host():
    text = ("Tide Talk, Ep. 2\n\nMara Quill: Hello and welcome, I'm Mara.\n\nOtto Brenn: I'm Otto, and joining us is someone who "
            "builds wave farms.\n\nWen Li: Hi both.\n\nMara Quill: How big is a wave farm?\n\nWen Li: Ours is forty buoys.\n\n"
            "Otto Brenn: Forty? That many?\n\nWen Li: Yes, in a grid a mile wide.\n\nOtto Brenn: Wild.\n\nMara Quill: Thanks for coming.")
    roles = {s.name: s.role for s in parse(text).speakers}
    assert roles == {"Mara Quill": Role.ASKS, "Otto Brenn": Role.ASKS, "Wen Li": Role.ANSWERS}


def test_without_a_guest_introduced_a_follow_up_asker_is_not_made_a_host():
    text = ("圆桌\n主持人：先谈成本？\n庞雪：材料最贵。\n柯一：人工也贵。\n庞雪：柯总，你们怎么降人工？\n"
            "柯一：自动化。\n林默：欢迎大家来我们的展台看看。\n主持人：还有吗？\n庞雪：没有了。\n林默：我也没有。")
    roles = {s.name: s.role for s in parse(text).speakers}
    assert roles["庞雪"] is Role.ANSWERS and roles["柯一"] is Role.ANSWERS and roles["林默"] is Role.ANSWERS
