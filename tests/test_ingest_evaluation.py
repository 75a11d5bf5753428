"""make ingest-eval's corpus, in the suite: every file listed here parses to
exactly its expected structure (tests/data/ingest/README.md has the schema)."""

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
CASES = {transcript.name: (transcript, expectation) for transcript, expectation in evaluation.cases()}


@pytest.mark.parametrize("name", EXACT)
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
