"""A synthetic archive for measuring: ``build`` makes any number of turns
from the seed interviews' paragraphs straight in the database,
``write_transcripts`` writes them as transcript files for
``import_transcripts`` to read, and ``QUERIES`` is the fixed mix of searches
that ``benchmark_search`` and ``loadtest`` run against it."""

import random
import re
from pathlib import Path

from django.conf import settings
from django.db import transaction

from archive.interviews.models import Article, Outlet, Participant, Speaker, Turn
from archive.lib.chinese import Script, renderings

QUERIES = [
    ("common", {"q": "大模型"}),
    ("common", {"q": "算力"}),
    ("common", {"q": "视频"}),
    ("common", {"q": "人工智能"}),
    ("common", {"q": "openai"}),
    ("rare", {"q": "疯牛病"}),
    ("rare", {"q": "万元户"}),
    ("one character", {"q": "猫"}),
    ("one character", {"q": "雪"}),
    ("one character", {"q": "车"}),
    ("phrase", {"q": '"百模大战"'}),
    ("phrase", {"q": '"大模型的红利期"'}),
    ("phrase", {"q": '"stable diffusion"'}),
    ("English", {"q": "GPT-4"}),
    ("English", {"q": "transformer"}),
    ("pinyin", {"q": "suanli"}),
    ("pinyin", {"q": "da mo xing"}),
    ("pinyin", {"q": "yīngwěidá"}),
    ("pinyin", {"q": "ren2gong1zhi4neng2"}),
    ("pinyin", {"q": "shijie"}),
    ("near-quote", {"q": "大模型的红利期已经过去了"}),
    ("near-quote", {"q": "雪花被风吹起来"}),
    ("near-quote", {"q": "一手交钱一手交货的生意"}),
    ("near-quote", {"q": "Sora对算力的需求非常大"}),
    ("vocabulary", {"q": "晶片"}),
    ("vocabulary", {"q": "輝達"}),
    ("vocabulary", {"q": "軟體 開源"}),
    ("zero-hit", {"q": "量子纠缠"}),
    ("zero-hit", {"q": "区块链 元宇宙"}),
    ("zero-hit", {"q": "xyzzy"}),
    ("zero-hit", {"q": "鸡蛋", "speaker": "wang-jian"}),
    ("filter", {"q": "算力", "speaker": "wang-jian"}),
    ("filter", {"q": "开源", "kind": "answer", "from": "2024-01-01"}),
    ("cross-script", {"q": "雞蛋"}),
    ("cross-script", {"q": "瘋牛病 OR 開源"}),
    ("several words", {"q": "王坚 开源 -周鸿祎"}),
]


def build(count: int) -> None:
    """Add ``count`` turns in articles of 50, paragraphs drawn from the seeds,
    a third of the articles in Traditional script; the same corpus every time."""
    random.seed(20240312)
    paragraphs = seed_paragraphs()
    outlets = [Outlet.objects.create(name=f"媒体{i}") for i in range(20)]
    speakers = [Speaker.objects.create(name=name) for name in ("王坚", "周鸿祎", "南都", "中国企业家")]
    speakers += [Speaker.objects.create(name=f"嘉宾{i}") for i in range(200)]
    per_article = 50
    with transaction.atomic():
        for start in range(0, count, per_article):
            number = start // per_article
            script = Script.TRADITIONAL if number % 3 == 0 else Script.SIMPLIFIED
            article = Article.objects.create(
                title=f"合成访谈 {number}", slug=f"bench-{number}", outlet=random.choice(outlets),
                published=f"202{number % 5}-0{number % 9 + 1}-1{number % 9}", script=script.value,
                import_ref=f"bench/{number}", source=b"", source_hash=f"{number:064d}",
            )
            asker, answerer = random.sample(speakers, 2)
            Participant.objects.bulk_create([
                Participant(article=article, speaker=asker, role="asks", label=asker.name),
                Participant(article=article, speaker=answerer, role="answers", label=answerer.name),
            ])
            rows = []
            for seq in range(1, min(per_article, count - start) + 1):
                text = "\n".join(random.sample(paragraphs, random.randint(1, 3)))
                hans, hant = renderings(text, Script.SIMPLIFIED)
                original = hant if script is Script.TRADITIONAL else hans
                asking = seq % 2
                rows.append(Turn(
                    article=article, seq=seq, kind="question" if asking else "answer",
                    speaker=asker if asking else answerer, text=original, text_hans=hans, text_hant=hant,
                ))
            Turn.objects.bulk_create(rows)


def seed_paragraphs() -> list[str]:
    from archive.lib.transcript import parse

    paragraphs = []
    for path in sorted((settings.BASE_DIR / "fixtures").glob("*.txt")):
        article = parse(path.read_text(encoding="utf-8"))
        paragraphs += [renderings(p, article.script)[0] for turn in article.turns for p in turn.paragraphs]
    return paragraphs


TURNS_PER_FILE = 200  # 500 files for 100,000 turns, as issue 16 measures
GUESTS = 200  # at a million turns each answers in about 25 interviews: thousands of answers


def write_transcripts(folder: Path, turns: int, per_file: int = TURNS_PER_FILE) -> list[Path]:
    """Write ``turns`` turns as Markdown transcripts of ``per_file`` turns
    each, as an editor's folder of them would look: front matter with the
    title, outlet, date and speakers, then the interviewer and the guest in
    turn, each turn 1–3 seed paragraphs. The same files every time."""
    rng = random.Random(20240312)
    # Not the paragraphs that open like a speaker's label (问题：…), which
    # would each become a speaker of their own.
    paragraphs = [p for p in seed_paragraphs() if not re.match(r"^[^。，,]{1,20}[:：]", p)]
    # The seed interviews' guests too: the query mix filters by one of them.
    guests = ["王坚", "周鸿祎", *(f"嘉宾{number}" for number in range(GUESTS))]
    folder.mkdir(parents=True, exist_ok=True)
    files = []
    for number, start in enumerate(range(0, turns, per_file)):
        outlet, guest = f"媒体{number % 20}", rng.choice(guests)
        lines = [
            "---", f"title: 合成访谈 {number}", f"outlet: {outlet}", f"published: 202{number % 5}-{number % 12 + 1:02d}-{number % 28 + 1:02d}",
            "speakers:", f"  记者: {outlet}", f"  {guest}:", f"    name: {guest}", "    role: answers", "---", "",
        ]
        for seq in range(min(per_file, turns - start)):
            # A turn's paragraphs on lines of their own, without a blank line
            # between them: each turn is one turn however the seeds read.
            text = "\n".join(rng.sample(paragraphs, rng.randint(1, 3)))
            lines += [f"{'记者' if seq % 2 == 0 else guest}：{text}", ""]
        path = folder / f"interview-{number:05d}.md"
        path.write_text("\n".join(lines), encoding="utf-8")
        files.append(path)
    return files
