"""Labelling alone: what is shaped like a speaker's label, who it names, and
what a role word standing alone stands for."""

import pytest

from archive.lib.transcript import Kind, Role, labels, parse


@pytest.mark.parametrize("text, label, body", [
    ("【嘉宾】我们先从成本讲起。", "嘉宾", "我们先从成本讲起。"),
    ("〔庞雪〕对，是这样。", "庞雪", "对，是这样。"),
    ("［庞雪］对。", "庞雪", "对。"),
    ("[Ivo Marsh] Right, exactly.", "Ivo Marsh", "Right, exactly."),
    ("(庞雪) 对。", "庞雪", "对。"),
    ("（庞雪）：对。", "庞雪", "对。"),
    ("**[庞雪]** 对。", "庞雪", "对。"),
    ("[说话人 2] 好的。", "说话人 2", "好的。"),
])
def test_a_name_in_any_bracket_pair_with_or_without_a_colon_is_shaped_like_a_label(text, label, body):
    found = labels.match(text)
    assert (found.how, found.label, found.body) == ("bracketed", label, body)


@pytest.mark.parametrize("text", ["（笑）那倒也是。", "[applause] Thank you.", "【版权声明】本文归作者所有", "（一）市场部分"])
def test_stage_directions_tags_and_list_numbers_in_brackets_are_not_speakers(text):
    assert not labels.speaker_like(text)


def test_bracketed_names_that_recur_are_speakers_and_a_stage_direction_is_kept_as_text():
    article = parse("圆桌\n【主持人】先谈价格？\n【庞雪】（笑）贵。\n【柯一】不贵。\n【主持人】为什么？\n【庞雪】材料。\n【柯一】人工。")
    assert [(turn.kind, turn.label) for turn in article.turns][:3] == [
        (Kind.QUESTION, "主持人"), (Kind.ANSWER, "庞雪"), (Kind.ANSWER, "柯一")]
    assert article.turns[1].text == "（笑）贵。"


def test_q_and_a_with_a_full_stop_are_labels_where_they_recur():
    article = parse("Title line\n\nQ. First thing?\n\nA. An answer.\n\nQ. Second thing?\n\nA. Another.")
    assert [(turn.kind, turn.text) for turn in article.turns] == [
        (Kind.QUESTION, "First thing?"), (Kind.ANSWER, "An answer."), (Kind.QUESTION, "Second thing?"), (Kind.ANSWER, "Another.")]


def test_a_full_stop_after_a_letter_once_is_not_a_label():
    article = parse("Title line\n\nJo: Which plan?\n\nMia: Two options.\n\nA. the cheap one, B. the fast one.\n\nJo: And?\n\nMia: That is all.")
    assert [turn.label for turn in article.turns] == ["Jo", "Mia", "Jo", "Mia"]
    assert article.turns[1].paragraphs == ["Two options.", "A. the cheap one, B. the fast one."]


def test_an_affiliation_after_a_comma_is_a_description():
    found = labels.match("Ines Varga, Northgate Daily: Why now?")
    assert (found.label, found.affiliation, found.body) == ("Ines Varga", "Northgate Daily", "Why now?")


def test_a_chinese_name_and_comma_counts_only_where_the_name_recurs():
    once = parse("标题\n甲：怎么看？\n乙：我认为，问题在于：成本。\n甲：然后？\n乙：没了。")
    assert {s.name for s in once.speakers} == {"甲", "乙"}
    twice = parse("标题\n甲：怎么看？\n柯一，凌云科技CTO：成本。\n甲：然后？\n柯一：没了。")
    assert [(s.name, s.description) for s in twice.speakers] == [("甲", ""), ("柯一", "凌云科技CTO")]


@pytest.mark.parametrize("label, role, name", [
    ("主持人 庞雪", Role.ASKS, "庞雪"),
    ("記者 柯一", Role.ASKS, "柯一"),
    ("Reporter Ivo Marsh", Role.ASKS, "Ivo Marsh"),
    ("工程师 柯一", None, "柯一"),
    ("北岸晚报记者", Role.ASKS, "北岸晚报"),
    ("特约记者", None, "特约记者"),
    ("说话人 2", None, "说话人 2"),
])
def test_a_role_or_an_occupation_before_a_name_leaves_the_person(label, role, name):
    assert labels.split_role(label) == (role, name)


def test_an_outlets_reporter_with_no_name_is_the_outlet_asking():
    article = parse("发布会\n北岸晚报记者：价格呢？\n柯一：保密。\n北岸晚报记者：何时上市？\n柯一：明年。")
    asker = article.speakers[0]
    assert (asker.name, asker.role, asker.is_outlet) == ("北岸晚报", Role.ASKS, True)


def test_a_role_word_in_capitals_after_the_role_and_name_is_the_same_person():
    article = parse("Briefing\n\nModerator Ivo Marsh: Welcome.\n\nJo Park: Thanks.\n\nMODERATOR: Next question?\n\nJo Park: Sure.")
    assert [(s.name, s.role) for s in article.speakers] == [("Ivo Marsh", Role.ASKS), ("Jo Park", Role.ANSWERS)]


def test_a_role_word_alone_is_the_one_person_the_header_gives_that_role():
    article = parse("圆桌\n主持：庞雪（北岸晚报记者）\n〔主持人〕先谈价格？\n〔柯一〕贵。\n〔主持人〕为什么？\n〔柯一〕材料。")
    assert [(s.name, s.role, s.description) for s in article.speakers][0] == ("庞雪", Role.ASKS, "北岸晚报记者")


def test_an_answer_word_alone_is_the_person_the_title_names():
    article = parse("专访柯一：材料的账\n问：贵吗？\n答：贵。\n问：为什么？\n答：材料。")
    assert [(s.name, s.role) for s in article.speakers][1] == ("柯一", Role.ANSWERS)


def test_q_and_a_with_a_dash_are_labels_where_they_recur():
    article = parse("Title\n\nQ - Why now?\n\nA - Prices fell.\n\nQ - And then?\n\nA - We shipped.")
    assert [(turn.kind, turn.text) for turn in article.turns] == [
        (Kind.QUESTION, "Why now?"), (Kind.ANSWER, "Prices fell."), (Kind.QUESTION, "And then?"), (Kind.ANSWER, "We shipped.")]


def test_a_bold_name_without_a_colon_is_a_label_where_it_recurs():
    article = parse("# 对话柯一\n\n**庞雪** 贵吗？\n\n**柯一** 贵。\n\n**庞雪** 为什么？\n\n**柯一**材料。\n\n**注意** 这一点。")
    assert [(turn.label, turn.text) for turn in article.turns] == [
        ("庞雪", "贵吗？"), ("柯一", "贵。"), ("庞雪", "为什么？"), ("柯一", "材料。\n注意 这一点。")]


def test_a_role_word_with_the_person_in_brackets_is_that_person():
    article = parse("交流会\n主持人（庞雪）：先谈成本？\n嘉宾A（柯一，山海电池）：材料贵。\n嘉宾B（林默）：人工贵。\n主持人（庞雪）：然后？\n嘉宾A：降价。")
    assert [(s.name, s.role, s.description) for s in article.speakers] == [
        ("庞雪", Role.ASKS, ""), ("柯一", Role.ANSWERS, "山海电池"), ("林默", Role.ANSWERS, "")]
    assert article.turns[-1].label == "柯一"


def test_an_outlet_in_brackets_after_a_role_word_is_where_the_reporter_works():
    article = parse("发布会\n记者（北岸财经）：价格呢？\n柯一：保密。\n记者（北岸财经）：何时上市？\n柯一：明年。")
    assert [(s.role, s.description) for s in article.speakers][0] == (Role.ASKS, "北岸财经")


def test_a_web_address_after_words_is_not_a_label():
    assert labels.match("Captions by https://captions.example.net") is None
    assert labels.match("Source: https://example.net").label == "Source"  # a colon and a space is one


def test_a_name_alone_on_its_line_is_a_label_where_it_recurs_or_is_declared():
    article = parse("风电运维\n\n主持人 韦青\n海上风机多久检修一次？\n\n来宾 龙舟（海湾电力 运维主管）\n半年一次。\n\n"
                    "韦青\n台风季呢？\n\n龙舟\n台风过后每台都要看。\n\n叶片最怕雷击。")
    assert [(s.name, s.role, s.description) for s in article.speakers] == [
        ("韦青", Role.ASKS, ""), ("龙舟", Role.ANSWERS, "海湾电力 运维主管")]
    assert [(t.label, len(t.paragraphs)) for t in article.turns] == [("韦青", 1), ("龙舟", 1), ("韦青", 1), ("龙舟", 2)]


def test_a_bold_name_in_capitals_alone_on_its_line_is_a_label_where_it_recurs():
    article = parse("# Kites\n\n**JUNE OKAFOR**\n\nWhy kites?\n\n**LEO VANCE**\n\nThey fly higher than towers.\n\n"
                    "**JUNE OKAFOR**\n\nAnd in storms?\n\n**LEO VANCE**\n\nWe reel them in.")
    assert [s.name for s in article.speakers] == ["June Okafor", "Leo Vance"]  # the person, not the typography
    assert [t.kind for t in article.turns] == [Kind.QUESTION, Kind.ANSWER, Kind.QUESTION, Kind.ANSWER]


def test_a_short_line_once_or_a_reply_alone_is_not_a_label():
    article = parse("风电运维\n\n甲：台风季呢？\n\n乙：都要看。\n\n好的\n\n我们再说叶片。\n\n甲：叶片呢？\n\n乙：怕雷击。\n\n好的\n\n"
                    "那就说到这里。\n\n结语\n\n海上的活，总要有人干。")
    assert {s.name for s in article.speakers} == {"甲", "乙"}
    assert article.turns[-1].paragraphs[-2:] == ["结语", "海上的活，总要有人干。"]
