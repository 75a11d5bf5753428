"""Script conversion, folding and detection."""

import json
from pathlib import Path

import pytest

from archive.lib.chinese import Script, _converter, commonness, detect_script, fold, renderings, to_simplified, to_traditional

# OpenCC's own conversion cases (BYVoid/OpenCC test/testcases, Apache-2.0).
CASES = json.loads((Path(__file__).parent / "data" / "opencc-testcases.json").read_text(encoding="utf-8"))["cases"]
USED = [(case["id"], config, case["input"], expected) for case in CASES for config, expected in case["expected"].items() if config in ("tw2s", "s2tw", "t2s", "s2t")]


@pytest.mark.parametrize("case_id, config, text, expected", USED, ids=[f"{c[0]}-{c[1]}" for c in USED])
def test_the_opencc_binding_passes_opencc_own_cases_for_the_configs_we_use(case_id, config, text, expected):
    assert _converter(config).convert(text) == expected


def test_the_official_opencc_package_is_installed_not_the_reimplementation():
    import opencc

    assert hasattr(opencc, "opencc_clib") or hasattr(opencc, "clib"), "opencc-python-reimplemented is installed"


def test_fold_makes_both_scripts_widths_and_cases_equal():
    assert fold("周鴻祎") == fold("周鸿祎") == "周鸿祎"
    assert fold("王堅") == fold("王坚")
    assert fold("ＳＯＲＡ：ＧＰＴ－４") == "sora:gpt-4"
    assert fold("意味著") == fold("意味着")  # a Taiwan variant t2s alone leaves


def test_conversion_in_both_directions():
    assert to_simplified("雞蛋與瘋牛病") == "鸡蛋与疯牛病"
    assert to_traditional("鸡蛋与疯牛病") == "雞蛋與瘋牛病"


def test_renderings_keep_the_published_script_verbatim():
    mixed = "承認差距并不丢人"  # seed 002: Traditional with a converter's stray Simplified
    assert renderings(mixed, Script.TRADITIONAL) == ("承认差距并不丢人", mixed)
    assert renderings("头发", Script.SIMPLIFIED) == ("头发", "頭髮")


@pytest.mark.parametrize(
    "text, script",
    [("周鸿祎认为文生视频", Script.SIMPLIFIED), ("周鴻祎認爲文生視頻", Script.TRADITIONAL), ("Sora 2024", Script.SIMPLIFIED)],
)
def test_detect_script(text, script):
    assert detect_script(text) is script


def test_commonness_is_high_for_real_text_and_low_for_mojibake():
    text = "阿里云创始人王坚在近日接受南方都市报的采访"
    mojibake = text.encode("gb18030").decode("big5hkscs", errors="ignore")
    assert commonness(text) > 0.9
    assert commonness(mojibake) < commonness(text)
