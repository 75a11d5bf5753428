"""Which turns of a corrected transcript continue which old ones (pure)."""

from archive.lib.alignment import THRESHOLD, align, comparable, containment, similarity

OLD = [
    "你们为什么先做仓库里的机器人？",
    "仓库的环境相对固定，货架和箱子的尺寸都有规律，我们可以先把抓取做稳定。",
    "仿真数据和真实数据，哪个更重要？",
    "两者都重要，但真实数据决定上限，摩擦和反光只有真实世界才教得会。",
]


def test_script_width_case_and_punctuation_do_not_count():
    assert comparable("Sora 橫空出世之後，你是焦慮多一點?") == comparable("sora横空出世之后,你是焦虑多一点？")
    assert similarity("AI，真的。", "ai,真的") == 1.0


def test_a_fixed_typo_is_nearly_the_same_words_and_a_different_turn_is_not():
    assert similarity(OLD[1], OLD[1].replace("抓取", "抓娶")) > 0.9
    assert similarity(OLD[1], OLD[3]) < THRESHOLD


def test_a_question_added_near_the_top_shifts_nothing():
    new = [OLD[0], "公司是哪一年成立的？", "二〇一九年，最早只有四个人。", *OLD[1:]]
    assert align(OLD, new) == [(0, 0), (1, 3), (2, 4), (3, 5)]


def test_corrected_turns_pair_with_their_originals_in_order():
    new = [OLD[0], OLD[1].replace("稳定", "足够稳定"), OLD[2].replace("？", "?"), "完全不同的回答，谈的是融资和估值。"]
    assert align(OLD, new) == [(0, 0), (1, 1), (2, 2)]


def test_a_split_keeps_the_identity_with_the_larger_part():
    first, rest = "两者都重要，但真实数据决定上限，", "摩擦和反光只有真实世界才教得会。"
    pairs = align(OLD, [*OLD[:3], first + "还有很多细节。", rest])
    assert (3, 3) in pairs or (3, 4) in pairs


def test_containment_finds_words_merged_into_a_neighbour():
    assert containment(OLD[2], OLD[1] + OLD[2]) == 1.0
    assert containment(OLD[2], OLD[1]) < 0.5
    assert containment("", OLD[1]) == 0.0


def test_nothing_and_everything_new():
    assert align([], OLD) == [] and align(OLD, []) == []
    assert align(OLD, ["天气很好。", "我们去公园吧。"]) == []
