"""Transcript text to a structured interview: title, credits, speakers, turns.

Pure: no Django. ``parse(text)`` takes decoded text (``parse_bytes`` decodes
first) and returns a ``ParsedArticle`` with warnings that point at source
lines. It never raises on odd content, only on input that is not a transcript
at all (``TranscriptError``), so an editor always sees what was understood.

How a paragraph is read, in order: Markdown structure (headings, images,
rules), boilerplate (platform disclaimers, end marks), credits and datelines,
captions, 导读/编者按 leads, speaker labels, and otherwise plain text, which
continues the open turn or is narration. Short unpunctuated lines just before
a labelled turn are headings.
"""

from __future__ import annotations

import datetime
import html
import re
from dataclasses import dataclass, field
from enum import Enum

import yaml

from archive.lib.chinese import HAN, Script, detect_script, fold
from archive.lib.decoding import DecodeError, decode

WEB_ADDRESS = re.compile(r"https?://[^\s<>\"']+", re.IGNORECASE)  # never javascript: or data:


class TranscriptError(ValueError):
    """The input cannot be read as a transcript; the message says why."""


class Kind(str, Enum):
    QUESTION = "question"
    ANSWER = "answer"
    NARRATION = "narration"
    HEADING = "heading"
    CAPTION = "caption"


class Role(str, Enum):
    ASKS = "asks"
    ANSWERS = "answers"

    @property
    def kind(self) -> Kind:
        return Kind.QUESTION if self is Role.ASKS else Kind.ANSWER


@dataclass(frozen=True)
class Warning:
    line: int
    message: str

    def __str__(self) -> str:
        return f"line {self.line}: {self.message}" if self.line else self.message


@dataclass
class Speaker:
    label: str  # as the text writes it, e.g. 《中國企業家》 → 中國企業家
    name: str  # who it is; the label unless front matter says otherwise
    role: Role
    is_outlet: bool = False  # an interviewing publication (南都, 《中國企業家》), not a person
    description: str = ""  # from front matter, e.g. 360集团创始人

    @property
    def key(self) -> str:
        return fold(self.name)


@dataclass
class Turn:
    kind: Kind
    line: int
    paragraphs: list[str] = field(default_factory=list)
    label: str | None = None

    @property
    def text(self) -> str:
        return "\n".join(self.paragraphs)


@dataclass
class ParsedArticle:
    title: str
    deck: str = ""
    outlet: str = ""
    published: datetime.date | None = None
    source_url: str = ""
    credits: list[str] = field(default_factory=list)
    script: Script = Script.SIMPLIFIED
    encoding: str = "utf-8"
    speakers: list[Speaker] = field(default_factory=list)
    turns: list[Turn] = field(default_factory=list)
    warnings: list[Warning] = field(default_factory=list)

    def speaker_for(self, turn: Turn) -> Speaker | None:
        return next((s for s in self.speakers if s.label == turn.label), None) if turn.label else None

    def count(self, kind: Kind) -> int:
        return sum(turn.kind is kind for turn in self.turns)

    def describe(self) -> str:
        """A plain-text outline, for --dry-run and for reading test failures."""
        lines = [
            f"title:     {self.title}",
            f"deck:      {self.deck}" if self.deck else None,
            f"outlet:    {self.outlet or '(unknown)'}",
            f"published: {self.published or '(unknown)'}",
            f"script:    {self.script.value}   encoding: {self.encoding}",
            *(f"credit:    {credit}" for credit in self.credits),
            *(f"speaker:   {s.name} ({s.role.value}, written {s.label})" for s in self.speakers),
        ]
        for number, turn in enumerate(self.turns, 1):
            speaker = self.speaker_for(turn)
            who = f" {speaker.name}" if speaker else ""
            first = turn.paragraphs[0]
            preview = first[:40] + ("…" if len(first) > 40 else "")
            lines.append(f"{number:>3} {turn.kind.value:<9}{who} [{len(turn.paragraphs)}¶, line {turn.line}] {preview}")
        lines += [f"warning:   {warning}" for warning in self.warnings]
        return "\n".join(line for line in lines if line is not None)


def parse_bytes(data: bytes, **options) -> ParsedArticle:
    try:
        decoded = decode(data)
    except DecodeError as error:
        raise TranscriptError(str(error)) from None
    article = parse(decoded.text, **options)
    article.encoding = decoded.encoding
    return article


def parse(text: str, *, known_speakers: tuple[str, ...] = (), known_outlets: tuple[str, ...] = ()) -> ParsedArticle:
    """Parse a transcript. ``known_speakers`` and ``known_outlets`` are names
    already in the archive; a label matching one is a speaker label even if it
    occurs only once, and a label matching an outlet asks the questions."""
    return _Parser(text, known_speakers, known_outlets).parse()


# --- what lines look like ---------------------------------------------------

_SENTENCE_END = "。！？!?…；;"
_PINYIN = re.compile(
    r"(?<=[\u3400-\u9fff])[(（][a-zü]*[āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜ][a-zü]*[)）]"
)
# A tag, whole or with its "<" eaten by a mis-decoded multi-byte character
# before it ("世界。”</p>" scraped as "世界?!?/p>").
_TAGS = r"(?:p|br|div|span|strong|b|em|i|section|img|a|font)"
_HTML_RESIDUE = re.compile(
    rf"[?!\ufffd]*</?{_TAGS}\b[^<>\n]{{0,200}}?/?>|[?!\ufffd]+/{_TAGS}>",
    re.IGNORECASE,
)
_ENTITY = re.compile(r"&(?:[a-z]{2,8}|#\d{2,6}|#x[0-9a-f]{2,5});", re.IGNORECASE)

_MD_HEADING = re.compile(r"^(#{1,6})\s+(.+?)\s*#*\s*$")
_MD_IMAGE = re.compile(r"^!\[(?P<alt>[^\]]*)\]\((?P<src>[^)\s]*)(?:\s+\"(?P<title>[^\"]*)\")?\)\s*(?P<rest>.*)$")
_MD_RULE = re.compile(r"^(?:[-*_]\s*){3,}$")
_MD_LINK = re.compile(r"\[([^\]]+)\]\([^)\s]+\)")
_MD_EMPHASIS = re.compile(r"(\*\*|__)(.+?)\1")
_MD_QUOTE = re.compile(r"^>\s?")

_COLON = "[:：]"
_LABEL_CHARS = r"[^\s:：,，。！？!?、；;“”\"'‘’（）()《》【】\[\]<>*#|｜/／]"
_LABEL_PATTERNS = (
    # **赵一鸣**：  **赵一鸣：**
    ("marked", re.compile(rf"^\*\*\s*(?P<label>[^*:：]{{1,24}}?)\s*(?:\*\*\s*{_COLON}|{_COLON}\s*\*\*)\s*(?P<body>.*)$")),
    # 《中國企業家》:
    ("marked", re.compile(rf"^《(?P<label>[^》]{{1,24}})》\s*{_COLON}\s*(?P<body>.*)$")),
    # Sam Altman:   Q:
    ("plain", re.compile(rf"^(?P<label>[A-Za-z][A-Za-z.'\- ]{{0,30}}?)\s*{_COLON}\s*(?P<body>.*)$")),
    # 周鸿祎:  南都记者：
    ("plain", re.compile(rf"^(?P<label>{_LABEL_CHARS}{{1,16}}?)\s*{_COLON}\s*(?P<body>.*)$")),
)

_ASK_WORDS = {"问", "q", "question", "提问", "记者", "主持人", "主持", "采访者", "interviewer", "host", "问题"}
_ANSWER_WORDS = {"答", "a", "answer", "回答", "受访者", "嘉宾", "interviewee", "guest"}
# Labels that look like speakers but are list items or reported speech.
_NOT_A_LABEL = re.compile(
    r"^(?:第[一二三四五六七八九十百\d]+\S{0,3}|[一二三四五六七八九十\d]+|其[一二三四五六七八九十]|首先|其次|再次|最后|此外|另外|"
    r"比如|例如|譬如|注|备注|按|ps|p\.s\.|note|答案|结论|原因|问题是|核心|关键|重点|总结|包括|如下|以下.*|.+(?:说|道|表示|认为|指出|称|强调|透露|坦言|介绍|回应|提到|写道))$"
)

_CREDIT_WORDS = (
    "采写|采访|撰文|文字|文|作者|特约记者|实习记者|记者|摄影|摄像|视频|头图(?:摄影|来源)?|题图(?:摄影)?|封面(?:摄影)?|"
    "编辑|责任编辑|责编|编审|审核|审校|校对|出品|出品人|策划|统筹|监制|制作|编译|翻译|整理|实习生|通讯员|设计|美编|运营"
)
_CREDIT = re.compile(rf"^(?:{_CREDIT_WORDS})(?:\s*[/／、&]\s*(?:{_CREDIT_WORDS}))*\s*[:：|｜丨/／]\s*\S")
_CREDIT_REPORTED = re.compile(r"^\S{0,12}记者\s*\S.{0,30}[/／].{0,20}报[导道]$")  # 记者 李明／台北报导
_DATELINE = re.compile(
    r"^(?:[【\[]?\S{0,16}(?:讯|电|消息)[】\]]?|\d{4}年\d{1,2}月\d{1,2}日\s*\S{0,12}|\d{4}[-/.]\d{1,2}[-/.]\d{1,2}\s*\S{0,12})$"
)
_CAPTION_START = re.compile(r"^(?:来源|图源|图片来源|图片|图|配图|截图|视频截图|图注|photo|image|source)\s*[:：/／|｜丨]", re.IGNORECASE)
_CAPTION_INSIDE = re.compile(r"(?:^|\s)(?:图源|图片来源|来源|摄影|图)\s*[:：/／|｜丨]")
_LEAD_WORDS = "导读|导语|编者按|编者的话|按语|编者注|導讀|導語|編者按|編者的話|按語|編者注"
_LEAD = re.compile(rf"^(?:[【\[](?:{_LEAD_WORDS})[】\]]\s*{_COLON}?|(?:{_LEAD_WORDS})\s*{_COLON})\s*(?P<body>.+)$")
_END_MARK = re.compile(r"^[（(【\[〔<]?\s*(?:完|全文完|终|end|-end-|—end—)\s*[）)】\]〕>]?$", re.IGNORECASE)
_DISCLAIMER = re.compile(
    r"(?:平台|本站|本号|号)仅提供信息存储服务|侵权责任由|如(?:对|有)本(?:稿件|文)有异议|如有侵权|免责声明|"
    r"不构成(?:任何)?投资建议|版权归(?:原)?作者所有|转载请(?:注明|联系)|未经(?:授权|许可)(?:不得|禁止|严禁)转载|"
    r"(?:扫码|点击|长按).{0,8}关注|本文(?:仅)?代表作者(?:个人)?观点"
)


# --- the parser -------------------------------------------------------------


@dataclass
class _Paragraph:
    line: int
    text: str


class _Parser:
    def __init__(self, text: str, known_speakers: tuple[str, ...], known_outlets: tuple[str, ...]):
        self.text = text.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
        self.known_speakers = {fold(name) for name in known_speakers}
        self.known_outlets = {fold(name) for name in known_outlets}
        self.warnings: list[Warning] = []
        self.meta: dict = {}
        self._marked_outlets: dict[str, bool] = {}
        self.pinyin_lines: list[tuple[int, int]] = []

    def warn(self, line: int, message: str) -> None:
        self.warnings.append(Warning(line, message))

    def parse(self) -> ParsedArticle:
        lines = self.text.split("\n")
        body_start = self._front_matter(lines)
        paragraphs = self._paragraphs(lines, body_start)
        if self.pinyin_lines:
            total = sum(count for _, count in self.pinyin_lines)
            first, last = self.pinyin_lines[0][0], self.pinyin_lines[-1][0]
            where = f"lines {first}–{last}" if last != first else f"line {first}"
            self.warn(first, f"removed {total} pinyin annotations a scraper had inserted after characters ({where})")
        if not paragraphs:
            raise TranscriptError("it has no paragraphs of text")
        if self.meta.get("outlet"):
            self.known_outlets.add(fold(self.meta["outlet"]))
        mapping = self._speaker_mapping()
        labels = self._accepted_labels(paragraphs, mapping)
        article = ParsedArticle(title="")
        turns = self._turns(paragraphs, labels, article)
        self._title(article, turns)
        if not any(turn.kind in (Kind.QUESTION, Kind.ANSWER, Kind.NARRATION) for turn in turns):
            raise TranscriptError("it has no paragraphs of text")
        article.turns = turns
        article.speakers = self._speakers(turns, mapping)
        article.script = detect_script("".join(turn.text for turn in turns) + article.title)
        self._metadata(article)
        article.warnings = sorted(self.warnings, key=lambda w: w.line)
        return article

    # front matter ---------------------------------------------------------

    def _front_matter(self, lines: list[str]) -> int:
        if not lines or lines[0].strip() != "---":
            return 0
        for index in range(1, len(lines)):
            if lines[index].strip() in ("---", "..."):
                break
        else:
            return 0  # a lone rule at the top, not front matter
        block = "\n".join(lines[1:index])
        try:
            meta = yaml.safe_load(block) if block.strip() else {}
        except yaml.YAMLError as error:
            mark = getattr(error, "problem_mark", None)
            where = f"line {mark.line + 2}: " if mark else ""
            problem = getattr(error, "problem", None) or str(error)
            raise TranscriptError(f"{where}the front matter is not valid YAML ({problem})") from None
        if not isinstance(meta, dict):
            raise TranscriptError("line 1: the front matter must be a mapping of keys to values (title: …, outlet: …)")
        self.meta = {str(key).strip().lower(): value for key, value in meta.items()}
        return index + 1

    def _speaker_mapping(self) -> dict[str, tuple[str, Role | None, str]]:
        """Front matter ``speakers``: label → name, or label → {name, role, description}."""
        raw = self.meta.get("speakers") or {}
        if not isinstance(raw, dict):
            raise TranscriptError("the front matter's speakers must be a mapping of labels to names (问: 星河科技评论)")
        mapping = {}
        for label, value in raw.items():
            role, description = None, ""
            if isinstance(value, dict):
                name = str(value.get("name") or label)
                description = str(value.get("description") or "").strip()
                role_text = str(value.get("role") or "").strip().lower()
                if role_text:
                    role = _role_from_word(role_text)
                    if role is None:
                        raise TranscriptError(f"the front matter gives speaker {label} the role {role_text!r}; use asks or answers")
            else:
                name = str(value if value is not None else label)
            mapping[fold(str(label))] = (name.strip(), role, description)
        return mapping

    def _metadata(self, article: ParsedArticle) -> None:
        meta = self.meta
        if meta.get("title"):
            article.title = str(meta["title"]).strip()
        if meta.get("deck"):
            article.deck = str(meta["deck"]).strip()
        article.outlet = str(meta.get("outlet") or "").strip()
        article.source_url = str(meta.get("source_url") or meta.get("url") or "").strip()
        if article.source_url and not WEB_ADDRESS.fullmatch(article.source_url):
            self.warn(1, f"source_url {article.source_url[:80]!r} is not an http(s) address; it was left out")
            article.source_url = ""
        if "published" in meta or "date" in meta:
            article.published = _date(meta.get("published", meta.get("date")))
        for speaker in article.speakers:
            speaker.is_outlet = self._is_asking_outlet(speaker, article.credits)
        if not article.outlet:
            article.outlet = next((s.name for s in article.speakers if s.is_outlet), "")

    def _is_asking_outlet(self, speaker: Speaker, credits: list[str]) -> bool:
        """An asker that is an outlet: marked 《…》, known, or bylined as its 记者."""
        if speaker.role is not Role.ASKS or fold(speaker.label) in _ASK_WORDS:
            return False
        bylined = any(f"{fold(speaker.label)}记者" in fold(credit) for credit in credits)
        return bylined or self._is_outlet_label(speaker.label)

    # paragraphs ----------------------------------------------------------

    def _paragraphs(self, lines: list[str], start: int) -> list[_Paragraph]:
        cleaned = [(number, self._clean(line, number)) for number, line in enumerate(lines[start:], start + 1)]
        blocks: list[list[tuple[int, str]]] = [[]]
        for number, line in cleaned:
            if line:
                blocks[-1].append((number, line))
            elif blocks[-1]:
                blocks.append([])
        blocks = [block for block in blocks if block]
        wrapped = _looks_hard_wrapped(blocks)
        paragraphs: list[_Paragraph] = []
        for block in blocks:
            for number, line in block:
                if wrapped and paragraphs and paragraphs[-1].line >= block[0][0] and not self._starts_block(line):
                    joiner = " " if _latin_end(paragraphs[-1].text) and _latin_start(line) else ""
                    paragraphs[-1].text += joiner + line
                else:
                    paragraphs.append(_Paragraph(number, line))
        return paragraphs

    def _starts_block(self, line: str) -> bool:
        return bool(_MD_HEADING.match(line) or _MD_IMAGE.match(line) or _MD_RULE.match(line) or _label_match(line))

    def _clean(self, line: str, number: int) -> str:
        line = line.strip()
        if not line:
            return ""
        line, pinyin = _PINYIN.subn("", line)
        if pinyin:
            self.pinyin_lines.append((number, pinyin))
        for residue in _HTML_RESIDUE.findall(line):
            if residue.lstrip("?!\ufffd") != residue or not residue.startswith("<"):
                self.warn(number, f"removed HTML residue “{residue}”; the characters around it are damaged")
            else:
                self.warn(number, f"removed HTML tag “{residue}”")
        line = _HTML_RESIDUE.sub("", line)
        if _ENTITY.search(line):
            line = html.unescape(line)
        line = _MD_QUOTE.sub("", line)
        line = _MD_LINK.sub(r"\1", line) if not _MD_IMAGE.match(line) else line
        line = re.sub(r"[ \t\u00a0]{2,}", " ", line).strip()
        return line

    # labels ----------------------------------------------------------------

    def _accepted_labels(self, paragraphs: list[_Paragraph], mapping: dict) -> set[str]:
        """Folded labels that are speakers: mapped, known, marked, role words, or recurring."""
        seen: dict[str, int] = {}
        accepted = set(mapping)
        for paragraph in paragraphs:
            match = _label_match(paragraph.text)
            if not match:
                continue
            how, label, body = match
            key = fold(label)
            if _NOT_A_LABEL.match(key) and key not in mapping:
                continue
            seen[key] = seen.get(key, 0) + 1
            if how == "marked" or key in mapping or key in self.known_speakers or key in _ASK_WORDS | _ANSWER_WORDS:
                accepted.add(key)
        accepted |= {key for key, count in seen.items() if count >= 2}
        return accepted

    def _is_outlet_label(self, label: str) -> bool:
        key = fold(label)
        return key in self.known_outlets or self._marked_outlets.get(key, False)

    # turns -----------------------------------------------------------------

    def _turns(self, paragraphs: list[_Paragraph], labels: set[str], article: ParsedArticle) -> list[Turn]:
        blocks = [self._classify(p, labels, article) for p in paragraphs]
        blocks = [block for block in blocks if block is not None]
        turns: list[Turn] = []
        current: Turn | None = None
        deferred: list[Turn] = []

        def close() -> None:
            nonlocal current
            if current is not None:
                turns.append(current)
                current = None
            turns.extend(deferred)
            deferred.clear()

        for index, (what, paragraph, label, text) in enumerate(blocks):
            if what == "plain" and _is_heading(text) and _next_is(blocks, index, ("label", "md_heading")) and (
                current is None or current.kind in (Kind.QUESTION, Kind.ANSWER, Kind.NARRATION)
            ):
                what = "heading"
            if what in ("heading", "md_heading"):
                close()
                turns.append(Turn(Kind.HEADING, paragraph.line, [text]))
            elif what == "caption":
                caption = Turn(Kind.CAPTION, paragraph.line, [text])
                if current is not None and current.kind in (Kind.QUESTION, Kind.ANSWER):
                    deferred.append(caption)  # a picture inside an answer does not end it
                else:
                    close()
                    turns.append(caption)
            elif what == "label":
                close()
                current = Turn(Kind.ANSWER, paragraph.line, [text] if text else [], label=label)
            elif what == "lead":
                close()
                current = Turn(Kind.NARRATION, paragraph.line, [text])
            else:  # plain text continues the open turn, or is narration
                if current is None:
                    current = Turn(Kind.NARRATION, paragraph.line, [])
                current.paragraphs.append(text)
        close()
        for turn in turns:
            if not turn.paragraphs:
                self.warn(turn.line, f"{turn.label} has a label but nothing said; the turn is dropped")
        return [turn for turn in turns if turn.paragraphs]

    def _classify(self, paragraph: _Paragraph, labels: set[str], article: ParsedArticle):
        """One paragraph as (what, paragraph, label, text), or None if it is not text."""
        text = paragraph.text
        key = fold(text)
        if match := _MD_HEADING.match(text):
            return ("md_heading", paragraph, None, _strip_emphasis(match.group(2)))
        if match := _MD_IMAGE.match(text):
            caption = (match["alt"] or match["title"] or "").strip()
            if match["rest"].strip():
                caption = f"{caption} {match['rest'].strip()}".strip()
            if not caption:
                self.warn(paragraph.line, f"image {match['src']} has no caption; left out")
                return None
            return ("caption", paragraph, None, _strip_emphasis(caption))
        if _MD_RULE.match(text):
            return None
        if _DISCLAIMER.search(key):
            self.warn(paragraph.line, f"dropped platform boilerplate “{_abbreviate(text)}”")
            return None
        if _END_MARK.match(key):
            return None
        if match := _LEAD.match(_strip_emphasis(text)):
            return ("lead", paragraph, None, _strip_emphasis(match["body"]))
        text = _strip_emphasis(text) if not text.startswith("**") else text
        label_match = _label_match(text)
        if label_match and fold(label_match[1]) in labels and not _is_byline(label_match[2]):
            return self._labelled(paragraph, *label_match)
        if _CREDIT.match(key) or _CREDIT_REPORTED.match(key) or (_DATELINE.match(key) and len(key) <= 30):
            article.credits.append(_strip_emphasis(text))
            return None
        if _CAPTION_START.match(key) or (len(key) <= 40 and _CAPTION_INSIDE.search(key) and not _label_match(text)):
            return ("caption", paragraph, None, text)
        if label_match and fold(label_match[1]) in labels:
            return self._labelled(paragraph, *label_match)
        return ("plain", paragraph, None, _strip_emphasis(text))

    def _labelled(self, paragraph: _Paragraph, how: str, label: str, body: str):
        if how == "marked" and paragraph.text.startswith("《"):
            self._marked_outlets[fold(label)] = True  # 《中國企業家》: an outlet asking
        return ("label", paragraph, label, _strip_emphasis(body))

    # title -------------------------------------------------------------------

    def _title(self, article: ParsedArticle, turns: list[Turn]) -> None:
        """The first line is the title if it reads like one, or a deck if it is a sentence."""
        if not turns or turns[0].kind not in (Kind.NARRATION, Kind.HEADING):
            if not self.meta.get("title"):
                self.warn(0, "no title line; set a title")
            return
        first = turns[0]
        candidate = first.paragraphs[0]
        if len(candidate) > 80 or (first.kind is Kind.NARRATION and len(first.paragraphs) == 1 and len(turns) == 1):
            if not self.meta.get("title"):
                self.warn(first.line, "no title line; set a title")
            return
        first.paragraphs.pop(0)
        if not first.paragraphs:
            turns.pop(0)
        if candidate[-1] in _SENTENCE_END:
            article.deck = candidate
            if not self.meta.get("title"):
                self.warn(first.line, "the first line is a sentence, not a title; it is used as the title until one is set")
        article.title = candidate

    # speakers -------------------------------------------------------------

    def _speakers(self, turns: list[Turn], mapping: dict) -> list[Speaker]:
        by_label: dict[str, list[Turn]] = {}
        for turn in turns:
            if turn.label is not None:
                by_label.setdefault(turn.label, []).append(turn)
        roles: dict[str, Role] = {}
        for label in by_label:
            key = fold(label)
            mapped_role = mapping.get(key, ("", None, ""))[1]
            roles[label] = mapped_role or _role_from_word(key) or (
                Role.ASKS if self._is_outlet_label(label) or key.endswith("记者") else None
            )
        undecided = [label for label, role in roles.items() if role is None]
        if undecided and Role.ASKS not in roles.values() and len(by_label) > 1:
            asker = max(undecided, key=lambda label: _asking_score(by_label[label], turns))
            roles[asker] = Role.ASKS
            self._warn_if_unsure(asker, by_label)
        speakers = []
        for label, role in roles.items():
            role = role or Role.ANSWERS
            key = fold(label)
            name, _, description = mapping.get(key, (label, None, ""))
            if key not in mapping and key in _ASK_WORDS | _ANSWER_WORDS:
                outlet = self.meta.get("outlet")
                if role is Role.ASKS and outlet:
                    name = str(outlet)
                else:
                    self.warn(by_label[label][0].line, f"the label {label} names no one; map it to a speaker in the front matter")
            speakers.append(Speaker(label=label, name=name, role=role, description=description))
            for turn in by_label[label]:
                turn.kind = role.kind
        return speakers

    def _warn_if_unsure(self, asker: str, by_label: dict[str, list[Turn]]) -> None:
        share = _question_share(by_label[asker])
        others = max((_question_share(t) for label, t in by_label.items() if label != asker), default=0)
        if share < 0.5 or others >= share:
            self.warn(by_label[asker][0].line, f"guessed that {asker} asks the questions; check the speakers' roles")


# --- helpers ----------------------------------------------------------------


def _label_match(text: str) -> tuple[str, str, str] | None:
    for how, pattern in _LABEL_PATTERNS:
        if match := pattern.match(text):
            label = match["label"].strip()
            if label:
                return how, label, match["body"].strip()
    return None


def _is_byline(body: str) -> bool:
    """记者：张三 李四 is a byline; 记者：你怎么看？ is a question."""
    return len(body) <= 30 and not any(mark in body for mark in _SENTENCE_END + "，,")


def _role_from_word(word: str) -> Role | None:
    word = fold(word)
    if word in _ASK_WORDS or word in ("asks", "ask", "question", "questions", "interviewer"):
        return Role.ASKS
    if word in _ANSWER_WORDS or word in ("answers", "answer", "interviewee"):
        return Role.ANSWERS
    return None


def _question_share(turns: list[Turn]) -> float:
    asking = sum(bool(re.search(r"[?？]|[吗呢么][。]?$", turn.text)) for turn in turns)
    return asking / len(turns)


def _asking_score(turns: list[Turn], all_turns: list[Turn]) -> tuple:
    """Askers end turns with question marks, speak briefly and speak first."""
    mean_length = sum(len(turn.text) for turn in turns) / len(turns)
    first = next(index for index, turn in enumerate(all_turns) if turn in turns)
    return (round(_question_share(turns), 1), -mean_length, -first)


def _is_heading(text: str) -> bool:
    return 2 <= len(text) <= 30 and not any(mark in text for mark in _SENTENCE_END + ":：") and bool(HAN.search(text) or text.isupper())


def _next_is(blocks: list, index: int, kinds: tuple[str, ...]) -> bool:
    return index + 1 < len(blocks) and blocks[index + 1][0] in kinds


def _strip_emphasis(text: str) -> str:
    return _MD_EMPHASIS.sub(r"\2", text).strip()


def _abbreviate(text: str, length: int = 30) -> str:
    return text if len(text) <= length else text[:length] + "…"


def _latin_end(text: str) -> bool:
    return bool(text) and text[-1].isascii() and text[-1].isalnum() or text.endswith((",", ".", ";"))


def _latin_start(text: str) -> bool:
    return bool(text) and text[0].isascii()


def _looks_hard_wrapped(blocks: list[list[tuple[int, str]]]) -> bool:
    """Blank-line paragraphs whose lines mostly break mid-sentence are wrapped text."""
    if len(blocks) < 2:
        return False
    inner = [line for block in blocks if len(block) > 1 for _, line in block[:-1]]
    if len(inner) < max(2, len(blocks) // 4):
        return False
    unfinished = sum(line[-1] not in _SENTENCE_END + "”\"』」)）:：" for line in inner)
    return unfinished / len(inner) > 0.5


def _date(value) -> datetime.date | None:
    if value in (None, ""):
        return None
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    text = fold(str(value)).strip()
    for pattern in (r"^(\d{4})-(\d{1,2})-(\d{1,2})$", r"^(\d{4})[/.](\d{1,2})[/.](\d{1,2})$", r"^(\d{4})年(\d{1,2})月(\d{1,2})日$"):
        if match := re.match(pattern, text):
            try:
                return datetime.date(*map(int, match.groups()))
            except ValueError:
                break
    raise TranscriptError(f"the front matter's published date {value!r} is not a date (write it as 2024-03-12)")
