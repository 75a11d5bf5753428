"""From labelled blocks to turns, speakers and the title.

A label starts a turn; plain paragraphs continue the open turn or are
narration; headings, captions and leads stand alone (a caption inside an
answer does not end it). Where only the questions are marked (bold; italic,
quoted or numbered and asking; a Q&A table's question; headings that ask; or
only the asker labelled), the plain paragraphs after a question are the
interviewee's answer. Roles come from front matter, header lines, role words,
outlets, podcast introductions, what people say at a press conference and,
failing those, from who asks questions.
"""

from __future__ import annotations

import re
from pathlib import PurePosixPath

from archive.lib.chinese import HAN, fold
from archive.lib.transcript import labels
from archive.lib.transcript.model import Block, BlockKind, Document, Kind, ParsedArticle, Position, Role, Speaker, Turn, gettext_noop

_FULLY_BOLD = re.compile(r"^\*\*[^*]+\*\*$")
_BRACKETED = re.compile(r"^【(?P<text>[^【】]+)】$")
# Marks that decorate a section's title (◆ 不融资的理由, ▍电从哪里来), and the
# 图： that points at a picture as ▲ does: typography, not words.
_DECORATION = re.compile(r"^[◆◇■□▍▌▎▐●○★☆▶►▸❖✦]+\s*")
_PICTURE_POINTER = re.compile(r"^(?:图|配图|图注|圖|配圖|圖註)\s*[:：﹕∶]\s*(?=\S)")
_NUMBERED = re.compile(r"^(?:Q\s?)?\d{1,2}\s*[.、．)）:：]\s*(?P<text>\S.*)$")
_INTERVIEW_TITLE = re.compile(
    r"(?:专访|对话|访谈|採訪|專訪|對話|訪談)\s*[:：]?\s*(?P<who>[^\s:：|｜丨,，、。！？!?\-—（(《》“”\"]{2,24})|"
    r"(?:^|\b)(?:Q\s*&\s*A|Interview|In conversation)\s*[:：\-–—]\s*(?P<named>[A-Z][A-Za-z.'\-]+(?: [A-Z][A-Za-z.'\-]+){0,3})"
    r"(?=\s+(?:on|about|talks|says|explains)\b|\s*[:：,，\-–—]|$)|"
    r"\b(?:Q\s*&\s*A|interview|conversation)\s+with\s+(?P<with>[A-Z][A-Za-z.'\-]+(?: [A-Z][A-Za-z.'\-]+){0,3})", re.IGNORECASE)


def build(doc: Document) -> list[Turn]:
    steps = [_classify(doc, block) for block in doc.blocks]
    steps = [step for step in steps if step is not None]
    questions_only = _only_questions_marked(doc, steps)
    guest_labelled = questions_only and any(what == "label" for what, *_ in steps) and not _labels_ask(doc, steps)
    interviewee = _interviewee(doc) if questions_only else None
    turns: list[Turn] = []
    asked: set[int] = set()  # ids of turns that are marked questions
    current: Turn | None = None
    deferred: list[Turn] = []
    unnamed = False  # warned that the answers have no speaker

    def close() -> None:
        nonlocal current
        if current is not None:
            turns.append(current)
            current = None
        turns.extend(deferred)
        deferred.clear()

    def new(kind: Kind, block: Block, paragraphs: list[str], label: str | None = None) -> Turn:
        return Turn(kind, block.position.number, paragraphs, label=label, start=block.start, end=block.end,
                    unit=block.position.unit)

    for index, (what, block, label, text) in enumerate(steps):
        if what == "heading" and questions_only and index > 0 and labels.asks(text):
            what = "marked"  # questions set as headings, with plain answers
        if what == "marked" and not questions_only:
            what, text = "plain", labels.strip_emphasis(text)
        if what == "plain" and not block.continues and _is_heading(text) and _next_is(steps, index, ("label", "heading", "marked")) and (
            current is None or current.kind in (Kind.QUESTION, Kind.ANSWER, Kind.NARRATION)
        ):
            what = "heading"
        if what == "heading":
            close()
            turns.append(new(Kind.HEADING, block, [_DECORATION.sub("", text) or text]))
        elif what == "caption":
            caption = new(Kind.CAPTION, block, [_PICTURE_POINTER.sub("", text)])
            if current is not None and current.kind in (Kind.QUESTION, Kind.ANSWER):
                deferred.append(caption)  # a picture inside an answer does not end it
            else:
                close()
                turns.append(caption)
        elif what == "label" and current is not None and current.label == label and current.kind is not Kind.NARRATION:
            _continue(current, block, text)  # the same speaker again: one turn
        elif what in ("label", "marked"):
            close()
            if what == "marked":
                label = _outlet_asking(doc)
            current = new(Kind.QUESTION if what == "marked" else Kind.ANSWER, block, [text] if text else [], label=label)
            if what == "marked" or questions_only and not guest_labelled:
                asked.add(id(current))
        elif what == "lead":
            close()
            current = new(Kind.NARRATION, block, [text])
        else:  # plain text continues the open turn, or is narration
            if questions_only and current is not None and id(current) in asked and current.paragraphs:
                close()  # the answer to a marked question
                current = new(Kind.ANSWER, block, [], label=interviewee)
                if interviewee is None and not unnamed:
                    unnamed = True
                    doc.warn(block.position, gettext_noop("nothing says who answers the questions; the answers have no speaker"))
            if current is None:
                current = new(Kind.NARRATION, block, [])
            _continue(current, block, text)
    close()
    for turn in turns:
        if not turn.paragraphs:
            doc.warn(turn_position(turn), gettext_noop("%(label)s has a label but nothing said; the turn is dropped"), label=turn.label)
    return [turn for turn in turns if turn.paragraphs]


def turn_position(turn: Turn) -> Position:
    return Position(turn.unit, turn.line)


PAUSE = 2.0  # seconds between cues that start a new paragraph


def _continue(turn: Turn, block: Block, text: str) -> None:
    """Add a block's text to a turn: running speech joins the paragraph
    before unless the speaker paused, anything else is a paragraph."""
    pause = block.start - turn.end if block.start is not None and turn.end is not None else None
    if block.continues and turn.paragraphs and pause is not None and pause < PAUSE:
        last = turn.paragraphs[-1]
        joiner = " " if last[-1:].isascii() and text[:1].isascii() else ""
        turn.paragraphs[-1] = last + joiner + text
    else:
        turn.paragraphs.append(text)
    if turn.start is None:
        turn.start = block.start
    if block.end is not None:
        turn.end = max(turn.end or 0, block.end)


def _classify(doc: Document, block: Block):
    """(what, block, label, text), or None for what is not text."""
    if block.kind is BlockKind.RULE:
        return None
    if block.kind in (BlockKind.HEADING, BlockKind.CAPTION, BlockKind.LEAD):
        return ({BlockKind.HEADING: "heading", BlockKind.CAPTION: "caption", BlockKind.LEAD: "lead"}[block.kind],
                block, None, labels.strip_emphasis(block.text))
    if block.kind is BlockKind.QUESTION:  # the format says so (a Q&A table)
        return ("marked", block, None, labels.strip_emphasis(block.text))
    text = block.text
    if block.speaker and labels.narrates(block.speaker):
        return ("lead", block, None, labels.strip_emphasis(text))  # a narrator's voice tells, it does not answer
    if block.speaker:
        label = labels.person(doc, *labels.named(block.speaker))
        found = labels.accepted(doc, block)
        other = found and fold(labels.split_role(found[1])[1]) != fold(label) and not labels.is_byline(found[2])
        if not other:  # (a different label inside a speaker's cue wins over the cue's voice)
            return ("label", block, label, labels.strip_emphasis(text))
    if not text.startswith("**"):
        text = labels.strip_emphasis(text)
    found = labels.accepted(doc, Block(text, block.position))
    if found:
        how, label, body, affiliation = found
        if labels.narrates(label):
            return ("lead", block, None, labels.strip_emphasis(body))
        if how == "marked" and text.startswith("《"):
            doc.marked_outlets.add(fold(label))  # 《中國企業家》: an outlet asking
        return ("label", block, labels.person(doc, label, affiliation), labels.strip_emphasis(body))
    if _FULLY_BOLD.match(text) or block.set_apart and labels.asks(text):
        return ("marked", block, None, labels.strip_emphasis(text))  # a marked question: bold, or italic or quoted and asking
    if (bracketed := _BRACKETED.match(text)) and labels.asks(bracketed["text"]):
        return ("marked", block, None, bracketed["text"])  # 【启芯这么多年没有融资，是不想融，还是融不到？】
    if (numbered := _NUMBERED.match(text)) and labels.asks(numbered["text"]):
        return ("marked", block, None, labels.strip_emphasis(numbered["text"]))  # 1. 你们…？ (the number is a list marker)
    return ("plain", block, None, labels.strip_emphasis(text))


def _outlet_asking(doc: Document) -> str | None:
    """Unlabelled marked questions are the interviewer's a credit names, else the outlet's."""
    asker = _credited_asker(doc) or str(doc.meta.get("outlet") or "").strip()
    if asker:
        doc.people.setdefault(fold(asker), (asker, Role.ASKS, ""))
    return asker or None


def _only_questions_marked(doc: Document, steps) -> bool:
    """Bold questions with plain answers, or only the asker labelled."""
    speakers = {fold(label) for what, _, label, _ in steps if what == "label"}
    if len(speakers) > 1:
        return False
    marked = sum(what == "marked" for what, *_ in steps)
    if len(speakers) == 1:  # only the asker labelled; or only the guest, the questions marked (【…？】 then 张总：…)
        return _labels_ask(doc, steps) or marked >= 2
    asking_headings = sum(what == "heading" and labels.asks(text) for what, _, _, text in steps[1:])  # (the first may be the title)
    return marked >= 2 or asking_headings >= 2


def _interviewee(doc: Document) -> str | None:
    """Who answers when no label says: a front-matter or header speaker who
    answers and has no label in the text, or the person a 专访X/对话X title names."""
    for key, (name, role, _) in doc.people.items():
        if role is Role.ANSWERS and key not in labels.ROLE_WORDS:
            return name
    for key, (name, role, _) in doc.people.items():
        if role is Role.ANSWERS:
            return name
    title = str(doc.meta.get("title") or "") or next((b.text for b in doc.blocks if b.kind in (BlockKind.HEADING, BlockKind.PARAGRAPH)), "")
    if found := _INTERVIEW_TITLE.search(labels.strip_emphasis(title)):
        who = found["named"] or found["with"] or labels.after_job(found["who"])
        if labels.NAME.match(who) and not labels.NOT_A_NAME.match(fold(who)):
            doc.people.setdefault(fold(who), (who, Role.ANSWERS, ""))
            return who
    return None


def _labels_ask(doc: Document, steps) -> bool:
    """Whether the one speaker labelled asks (a role word, a reporter, an outlet)."""
    key = next(fold(label) for what, _, label, _ in steps if what == "label")
    role = doc.people.get(key, ("", None, ""))[1] or labels.role_from_word(key)
    return role is Role.ASKS or key.endswith("记者") or is_outlet(doc, key)


_BULLET = re.compile(r"^[-*•·+–]\s")  # a list item, not a heading


def _is_heading(text: str) -> bool:
    return 2 <= len(text) <= 30 and not any(mark in text for mark in labels.SENTENCE_END + labels.COLON_CHARS) and bool(
        HAN.search(text) or text.isupper()) and not _BULLET.match(text)


def _next_is(steps, index: int, kinds: tuple[str, ...]) -> bool:
    return index + 1 < len(steps) and steps[index + 1][0] in kinds


# --- title ------------------------------------------------------------------------


def title(doc: Document, article: ParsedArticle, turns: list[Turn]) -> None:
    """The first line is the title if it reads like one, or a deck if it is a sentence."""
    given = str(doc.meta.get("title") or "").strip()
    if turns and turns[0].kind in (Kind.NARRATION, Kind.HEADING):
        first = turns[0]
        candidate = first.paragraphs[0]
        single = first.kind is Kind.NARRATION and len(first.paragraphs) == 1 and len(turns) == 1
        same = given and fold(candidate) == fold(given)
        deck = candidate[-1] in labels.SENTENCE_END and not re.search(r"[。！？!?]", candidate[:-1])  # one sentence
        heading = first.kind is Kind.HEADING and not given  # a Word file's or a page's first heading
        if (len(candidate) <= 80 or same) and not single and (same or heading or doc.title_line and (not given or deck)):
            first.paragraphs.pop(0)
            if not first.paragraphs:
                turns.pop(0)
            if candidate[-1] in labels.SENTENCE_END and not same:
                article.deck = candidate
                if not given:
                    doc.warn(first.line, gettext_noop("the first line is a sentence, not a title; it is used as the title until one is set"))
            article.title = candidate
            return
    if not given:
        if doc.name and not doc.carries_title:
            article.title = PurePosixPath(doc.name.replace("\\", "/")).stem
            doc.warn(0, gettext_noop("the file has no title; its name “%(name)s” is used until one is set"), name=article.title)
        else:
            doc.warn(turns[0].line if turns and turns[0].kind is Kind.NARRATION else 0, gettext_noop("no title line; set a title"))


# --- speakers ---------------------------------------------------------------------


def speakers(doc: Document, turns: list[Turn]) -> list[Speaker]:
    by_label: dict[str, list[Turn]] = {}
    for turn in turns:
        if turn.label is not None:
            by_label.setdefault(turn.label, []).append(turn)
    roles: dict[str, Role | None] = {}
    for label in by_label:
        key = fold(label)
        roles[label] = doc.people.get(key, ("", None, ""))[1] or labels.role_from_word(key) or (
            Role.ASKS if is_outlet(doc, key) or key.endswith("记者") else None
        )
    undecided = [label for label, role in roles.items() if role is None]
    if len(undecided) >= 3:  # a podcast: hosts introduce their guests
        _hosts_and_guests(undecided, roles, turns)
        undecided = [label for label, role in roles.items() if role is None]
    if len(by_label) >= 3 and undecided:  # a press conference: whoever only asks, asks
        _askers_by_what_they_say(undecided, roles, by_label)
        undecided = [label for label, role in roles.items() if role is None]
    if undecided and Role.ASKS not in roles.values() and len(by_label) > 1:
        asker = max(undecided, key=lambda label: _asking_score(by_label[label], turns))
        roles[asker] = Role.ASKS
        _warn_if_unsure(doc, asker, by_label)
    result = []
    for label, role in roles.items():
        role = role or Role.ANSWERS
        key = fold(label)
        name, _, description = doc.people.get(key, (label, None, ""))
        if key in labels.ROLE_WORDS and fold(name) in labels.ROLE_WORDS:
            named = _named_for_role(doc, key, role)
            if named:
                name = named
                description = description or doc.people.get(fold(named), ("", None, ""))[2]
            else:
                doc.warn(turn_position(by_label[label][0]), gettext_noop("the label %(label)s names no one; map it to a speaker in the front matter"), label=label)
        same = next((speaker for speaker in result if fold(speaker.name) == fold(str(name))), None)
        if same is None:  # 记者林怡君 and 记者 (credited 林怡君) are one speaker
            same = Speaker(label=label, name=str(name), role=role, description=str(description or ""))
            result.append(same)
        for turn in by_label[label]:
            turn.label, turn.kind = same.label, same.role.kind
    return result


def _named_for_role(doc: Document, word: str, role: Role) -> str | None:
    """Who a role word alone (主持人：, 记者：, 答：) is: the person an earlier
    role + name label gave it (记者林晓), the one person the header lines or
    front matter give that role, the interviewer a credit names, the
    interviewee (a ``专访X`` title); failing those, an asker is the outlet."""
    if named := doc.named_roles.get(word):
        return named
    given = {name for key, (name, given_role, _) in doc.people.items() if given_role is role and key not in labels.ROLE_WORDS}
    if len(given) == 1:
        return given.pop()
    if role is Role.ASKS:
        return _credited_asker(doc) or str(doc.meta.get("outlet") or "").strip() or None
    return _interviewee(doc)


def _credit(words: str) -> re.Pattern:
    """A credit giving one of ``words`` (with others: 采访、文｜罗丹, 采访、整理：温岚) and then a name."""
    any_word = f"{words}|{_WRITER_WORDS}|整理|编辑|編輯|摄影|攝影|翻译|翻譯|编译|編譯"
    return re.compile(
        rf"(?:^|(?<=[\s、/／|｜丨&]))(?:{words})(?:\s*[、/／&和]\s*(?:{any_word}))*\s*[|｜丨:：/／]?\s*"
        r"(?P<name>[\u3400-\u9fff·]{2,4}|[A-Z][A-Za-z.'\-]+(?: [A-Z][A-Za-z.'\-]+){0,2})(?=$|[\s/／、，,|｜丨])")


_WRITER_WORDS = "文|撰文|作者|文字|written by|words by|text by|[Bb]y"
_ASKER_CREDIT = _credit("采访|採訪|记者|記者|采写|採寫|主持人|主持|提问|提問|访问|訪問|访谈|訪談|[Ii]nterview by|[Ii]nterviewed by")
_WRITER_CREDIT = _credit(_WRITER_WORDS)


def _credited_asker(doc: Document) -> str | None:
    """采访｜宋雨桐, 记者｜赵一鸣, 記者林怡君／新竹報導: the one person a credit names
    as asking; failing that, the one writer a credit names (文／張雅筑, By Maya Okafor)."""
    for credit in (_ASKER_CREDIT, _WRITER_CREDIT):
        names = {found["name"] for line in doc.credits for found in credit.finditer(line)}
        if names:
            return names.pop() if len(names) == 1 else None
    return None


_INTRODUCING = re.compile(r"guest|welcome|joining us|with us|嘉宾|请到|欢迎|邀请|來賓|請到|歡迎", re.IGNORECASE)
# A guest introduced by what they do rather than by the name on their label
# ("Today's guest trains robots…", 今天的嘉宾是一位老工程师): whoever speaks first after that is the guest.
_INTRODUCING_A_GUEST = re.compile(r"\bguests?\b|joining us|joined by|with us today|嘉宾|来宾|來賓|请到|請到|邀请到|邀請到|做客", re.IGNORECASE)


def _hosts_and_guests(undecided: list[str], roles: dict, turns: list[Turn]) -> None:
    """Guests are the speakers someone introduced before they spoke, by name
    or as the next new voice after a guest is introduced; whoever spoke
    before the first guest is a host and asks (a second host who only
    reacts and asks follow-ups included)."""
    first = {}
    for index, turn in enumerate(turns):
        first.setdefault(turn.label, index)
    guests = []
    for label in undecided:
        names = {label, label.split()[0]} if " " in label else {label}
        if any(turn.label != label and _INTRODUCING.search(turn.text) and any(name in turn.text for name in names)
               for turn in turns[: first[label]]):
            guests.append(label)
    introduction = next((index for index, turn in enumerate(turns) if turn.label is not None and _INTRODUCING_A_GUEST.search(turn.text)), None)
    if introduction is not None:
        heard = {turn.label for turn in turns[: introduction + 1]}
        newcomer = next((turn.label for turn in turns[introduction + 1:] if turn.label is not None and turn.label not in heard), None)
        if newcomer in undecided and newcomer not in guests:
            guests.append(newcomer)
    if not guests:
        return
    arrival = min(first[label] for label in guests)
    for label in undecided:
        roles[label] = Role.ANSWERS if label in guests or first[label] > arrival else Role.ASKS


def _askers_by_what_they_say(undecided: list[str], roles: dict, by_label: dict[str, list[Turn]]) -> None:
    """Among several speakers, those whose turns mostly end asking something
    ask (reporters at a press conference), where someone else answers."""
    asking = [label for label in undecided if _ending_in_questions(by_label[label]) > 0.5]
    if asking and (len(asking) < len(undecided) or Role.ANSWERS in roles.values()):
        for label in asking:
            roles[label] = Role.ASKS


def _ending_in_questions(turns: list[Turn]) -> float:
    return sum(labels.asks(turn.paragraphs[-1]) for turn in turns) / len(turns)


def is_outlet(doc: Document, key: str) -> bool:
    return key in doc.known_outlets or key in doc.marked_outlets


def _warn_if_unsure(doc: Document, asker: str, by_label: dict[str, list[Turn]]) -> None:
    share = _question_share(by_label[asker])
    others = max((_question_share(t) for label, t in by_label.items() if label != asker), default=0)
    if share < 0.5 or others >= share:
        doc.warn(turn_position(by_label[asker][0]), gettext_noop("guessed that %(label)s asks the questions; check the speakers' roles"), label=asker)


_ASKING = re.compile(r"[?？]|[吗呢么][。]?$")


def _question_share(turns: list[Turn]) -> float:
    asking = sum(bool(_ASKING.search(turn.text)) for turn in turns)
    return asking / len(turns)


def _asking_score(turns: list[Turn], all_turns: list[Turn]) -> tuple:
    """Askers end turns with question marks, speak briefly and speak first."""
    mean_length = sum(len(turn.text) for turn in turns) / len(turns)
    first = next(index for index, turn in enumerate(all_turns) if turn in turns)
    return (round(_question_share(turns), 1), -mean_length, -first)
