"""make ingest-eval's corpora, in the suite: every file listed here parses to
exactly its expected structure (tests/data/ingest/README.md has the schema).

EXACT lists the development corpus and the seeds, TUNING_EXACT the files of
the tuning half the parser has been generalised to read, HELDOUT_EXACT the
files of the held-out half it reads exactly now that they have been measured
(once, unseen: 4 of 12) and their families handled; HELDOUT_2_EXACT the same
for the second blind corpus (once, unseen: 6 of 16)."""

from pathlib import Path

import pytest

from archive.lib.transcript import evaluation

EXACT = [
    "agent-founder-otter-export.txt",
    "ai-drug-discovery-podcast-notes.md",
    "ai-music-composer-asker-only.txt",
    "autonomous-driving-chips-minutes.txt",
    "big5-edge-chip-interview.txt",
    "circuit-weekly-warehouse-robotics-qa.html",
    "compute-hour-ep47-transcript.txt",
    "compute-talk-ep21-chip-timeline.md",
    "data-labeling-founder-long.txt",
    "embodied-ai-data-roundtable.docx",
    "farm-drone-livestream-auto.vtt",
    "founders-frequency-ep9.vtt",
    "hsinchu-tech-news-packaging-interview.html",
    "inference-cost-roundtable-bom.txt",
    "math-tutor-founder-emoji.txt",
    "open-source-wander-ep12-auto.srt",
    "quantum-startup-gbk.txt",
    "radiology-ai-labels-own-line.txt",
    "recorder-export-2025-05-14.txt",
    "red-team-interview-final.vtt",
    "riscv-founder-zhuanfang.docx",
    "robot-arm-expo-interview.srt",
    "robot-arm-founder-utf16.txt",
    "self-driving-cto-colon-title.md",
    "server-cooling-forum-tw.txt",
    "silicon-chat-ep32-humanoids.txt",
    "taiwanese-speech-recognition-interview.docx",
    "tech-horizon-ai-law-panel.srt",
    "weather-model-forecaster.md",
    "wechat-gpu-rental-roundtable.html",
    "wechat-robot-dog-founder.html",
    "wechat-translator-zhuanfang.html",
    "000-zhou-hongyi-nandu.txt",
    "002-zhou-hongyi-china-entrepreneur.txt",
    "003-wang-jian-nandu.txt",
]
TUNING_EXACT = [
    "ai-tutor-founder-italic-questions.docx",
    "drone-delivery-expo-paren-names.srt",
    "english-qa-byline-at-end.txt",
    "feishu-minutes-dexterous-hand.txt",
    "guipian-yehua-ep58-three-hosts.md",
    "island-digital-quantum-blockquote-questions.html",
    "robotaxi-press-briefing-cc.srt",
    "robotics-fund-partner-table-qa.docx",
    "silicon-turnpike-ep112-voices.vtt",
    "warehouse-robot-roundtable.txt",
    "wechat-sections-inference-card.html",
    "yunqi-launch-press-qa-ranges.txt",
]
HELDOUT_EXACT = [
    "ai-safety-redteam-bilingual.srt",
    "compute-rental-minutes-cover-page.docx",
    "grading-the-graders-italic-questions.md",
    "hardcore-outpost-embodied-robot-article.html",
    "hk-chip-design-numbered.txt",
    "humanoid-qa-intro-names.txt",
    "inference-weekly-substack-initials.html",
    "open-model-panel-color-classes.vtt",
    "rewiring-robotics-ep31-otter.txt",
    "strawberry-gripper-livestream-auto.vtt",
    "wafer-defect-ai-tw-labels-own-line.md",
    "xunfei-joint-module-second-half.txt",
]
HELDOUT_2_EXACT = [
    "datacenter-power-emoji-notes.txt",
    "deep-blue-cooling-regions.vtt",
    "fernleaf-grid-batteries-export.txt",
    "guangyu-lidar-heading-questions.md",
    "hengchi-eval-lab-quoted-speech.txt",
    "jingbao-packaging-halfwidth-tw.txt",
    "jingqiao-robot-font-tags-tw.srt",
    "kenji-oda-dubbed-caps.srt",
    "qixin-chairman-bracket-questions.txt",
    "room-b-recording-03.txt",
    "ruiguan-hbm-supply-editors-note.html",
    "threadmill-ama-tactile-gloves.html",
    "tokens-tradeoffs-ep63-chapters.md",
    "xiaoman-livestream-rolling.vtt",
    "xinghe-capital-chip-ceo-minutes.docx",
    "yaoguang-forum-agents-panel.docx",
]
CASES = {transcript.name: (transcript, expectation) for transcript, expectation in evaluation.cases()}


@pytest.mark.parametrize("name", EXACT + TUNING_EXACT + HELDOUT_EXACT + HELDOUT_2_EXACT)
def test_the_file_parses_to_exactly_its_expected_structure(name):
    result = evaluation.evaluate(*CASES[name])
    assert result.exact, "\n".join(result.differences)


def test_the_report_gives_accuracy_per_format_and_per_shape_and_what_differed(tmp_path):
    import io

    expectation = tmp_path / "x.txt.yaml"
    transcript = Path(CASES["quantum-startup-gbk.txt"][0])
    (tmp_path / "x.txt").write_bytes(transcript.read_bytes())
    expectation.write_text(Path(CASES["quantum-startup-gbk.txt"][1]).read_text(encoding="utf-8").replace("title: ", "title: 不是这个"),
                           encoding="utf-8")
    results = [evaluation.evaluate(tmp_path / "x.txt", expectation), evaluation.evaluate(*CASES["000-zhou-hongyi-nandu.txt"])]
    out = io.StringIO()
    evaluation.report(results, out=out)
    text = out.getvalue()
    assert "exact structure: 1 of 2 files (50%)" in text
    assert "header-lines" in text and "text" in text
    assert "title: expected '不是这个" in text


def test_the_development_and_tuning_corpora_are_measured_apart():
    development = {path.name for path, _ in evaluation.cases("development")}
    tuning = {path.name for path, _ in evaluation.cases("tuning")}
    assert set(EXACT) <= development and not development & tuning
    assert len(tuning) == 12 and set(TUNING_EXACT) <= tuning
    held_out = {path.name for path, _ in evaluation.cases("held-out")}
    assert len(held_out) == 12 and set(HELDOUT_EXACT) <= held_out and not held_out & (development | tuning)


def test_an_inexact_file_shows_every_difference_with_its_turns_aligned(tmp_path):
    import io

    (tmp_path / "x.txt").write_text("标题\n甲：你好吗？\n乙：很好。\n甲：真的吗？\n乙：真的。\n还有一段。", encoding="utf-8")
    expected = {
        "format": "text", "encoding": "utf-8", "shapes": ["one-to-one"], "title": "标题", "outlet": None,
        "published": None, "media_url": None, "notes": 0,
        "speakers": [{"name": "甲", "role": "asks"}, {"name": "乙", "role": "answers"}],
        "turns": [
            {"kind": "question", "speaker": "甲", "starts_with": "你好吗"},
            {"kind": "answer", "speaker": "乙", "paragraphs": 2, "starts_with": "很好"},  # differs: one paragraph
            {"kind": "narration", "paragraphs": 1, "starts_with": "开场白"},  # missing
            {"kind": "question", "speaker": "甲", "starts_with": "真的吗"},
            # the last answer is not expected at all
        ],
    }
    (tmp_path / "x.txt.yaml").write_text(__import__("yaml").safe_dump(expected, allow_unicode=True), encoding="utf-8")
    result = evaluation.evaluate(tmp_path / "x.txt", tmp_path / "x.txt.yaml")
    assert [(row.want_number, row.got_number, row.exact) for row in result.rows] == [
        (1, 1, True), (2, 2, False), (3, None, False), (4, 3, True), (None, 4, False)]
    assert result.rows[2].where == "not in the parsed article"
    out = io.StringIO()
    evaluation.report([result], out=out)
    text = out.getvalue()
    assert "turns: expected 4, got 4" not in text and "paragraphs 2 ≠ 1" in text
    assert "2 as expected, 1 differ, 1 missing, 1 not expected" in text
    assert (result.exact_turns, result.expected_turns) == (2, 4)
    assert "turns exactly as expected: 2 of 4 turns (50%)" in text  # beside the file figure, 0 of 1
    assert "text                          0      1        0%        2      4       50%" in text  # per format
    assert "−    3  narration “开场白”: not in the parsed article" in text
    assert "+    ·  parsed 4 (line 5): answer 乙 “真的。”" in text
