"""Saved web pages, read by trafilatura (the best of the open-source
extractors on independent benchmarks, maintained, and it keeps headings, bold
and images in its XML output): the article body only, without navigation,
scripts, share bars or comments, and the title, site name and date the page
gives.

WeChat (公众号) pages are handled first: their body is ``#js_content``, hidden
until a script shows it and with images in lazy ``data-src``; their account
name, title and time are in elements and script variables of their own.

A forum thread (an "ask me anything") is its comments: when a page holds a
tree of comments, each with its author and body, the opening post is read as
the article and each comment becomes its author's words after it, in the
order of the thread; the original poster answers, as the person the title
introduces ("I'm Mira Sandoval, …"), the others ask; a moderator's pinned
notice is a note.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass
from zoneinfo import ZoneInfo

import lxml.html
import trafilatura
from lxml import etree
from trafilatura.settings import use_config

from archive.lib.chinese import fold
from archive.lib.transcript.model import Block, BlockKind, Document, Position, Role, TranscriptError, gettext_noop
from archive.lib.transcript.readers import tables

_CONFIG = use_config()
# Interviews can be short and repeat short lines (labels, "记者："): no minimum
# size that would send trafilatura to its flattening fallback, no de-duplication,
# and dates only from the page's markup, not guessed from its text.
for _key, _value in (("MIN_EXTRACTED_SIZE", "1"), ("MIN_OUTPUT_SIZE", "1"), ("MIN_DUPLCHECK_SIZE", "100000"),
                     ("MAX_REPETITIONS", "100000"), ("EXTENSIVE_DATE_SEARCH", "off"), ("EXTRACTION_TIMEOUT", "0")):
    _CONFIG.set("DEFAULT", _key, _value)

_CHINA = ZoneInfo("Asia/Shanghai")
_IMAGE_ADDRESS = re.compile(r"\.(?:avif|bmp|gif|hei[cf]|jpe?g|png|webp)\b", re.IGNORECASE)
_IMAGE_MARK = "#image.jpg"
_DATE = re.compile(r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})")


def _has_class(name: str) -> str:
    """XPath: the element's class attribute holds the word ``name``."""
    return f"contains(concat(' ', normalize-space(@class), ' '), ' {name} ')"


def looks_like_html(text: str) -> bool:
    head = text.lstrip("\ufeff \t\r\n")[:1000].lower()
    return head.startswith(("<!doctype html", "<html")) or ("<html" in head and "<body" in text[:20000].lower())


def read(text: str, name: str = "") -> Document:
    try:
        tree = lxml.html.fromstring(text.lstrip("\ufeff"))
    except (etree.ParserError, ValueError) as error:
        raise TranscriptError(gettext_noop("it is not a readable web page (%(problem)s)"), problem=str(error)) from None
    meta: dict = {}
    body = tree.get_element_by_id("js_content", None)
    if body is not None:
        meta = _wechat_meta(tree, text)
        body.attrib.pop("style", None)  # visibility: hidden until the page's script runs
        # Inside <article>, where trafilatura keeps every paragraph: under the
        # page's own <div>/<section> it drops a bold label seen before (记者：).
        page = lxml.html.fromstring("<html><head></head><body><article></article></body></html>")
        page.find("head").extend(tree.xpath("//head/meta | //head/title | //head/link[@rel='canonical']"))
        page.find("body/article").append(body)
        tree = page
    thread = _comment_thread(tree)
    _prepare_images(tree)
    _markup_from_styles(tree)
    _prompts_by_place(tree)
    bylines, deck = _bylines(tree), _deck(tree)
    result = trafilatura.bare_extraction(
        tree, with_metadata=True, include_formatting=True, include_images=True, include_tables=True,
        include_comments=False, favor_recall=True, config=_CONFIG,
    )
    if result is None or result.body is None:
        raise TranscriptError(gettext_noop("the web page has no article text that could be found"))
    doc = Document(blocks=[], format="html", name=name, title_line=False, credits=bylines)
    page_meta = {"title": result.title, "outlet": result.sitename, "published": result.date, "source_url": result.url}
    doc.meta = {key: value for key, value in {**page_meta, **meta, "deck": deck}.items() if value}
    for element in result.body:
        _blocks(element, doc)
    if thread:
        _thread_blocks(thread, doc)
    return doc


@dataclass
class Comment:
    author: str
    paragraphs: list[str]
    by_poster: bool  # the original poster's (OP)
    pinned: bool  # a moderator's stickied notice


_COMMENTS = f"//*[{_has_class('comment')}]"
_AUTHOR = f".//*[{_has_class('author')}]"


def _comment_thread(tree) -> list[Comment]:
    """The page's comments in thread order, taken out of the page (so the
    extractor reads the opening post alone); none unless there are three or
    more, each with an author and a body of its own."""
    elements = tree.xpath(_COMMENTS)
    nested = set(elements)
    comments: list[Comment] = []
    for element in elements:
        own = [child for child in element if isinstance(child.tag, str) and child not in nested]
        author = element.get("data-author") or next(
            (found.text_content().strip() for child in own for found in child.xpath(f"self::*[{_has_class('author')}] | {_AUTHOR}")), "")
        body = [child for child in own if any(word in (child.get("class") or "") for word in ("body", "content", "text"))]
        paragraphs = [" ".join(p.text_content().split()) for part in body for p in (part.xpath(".//p") or [part])]
        paragraphs = [text for text in paragraphs if text]
        if not (author and paragraphs):
            continue
        # The badges beside the author, as class words: op-badge → op; badge mod → mod.
        marks = {word for child in own if child not in body for badge in child.iter() if isinstance(badge.tag, str)
                 for word in re.split(r"[\s\-_]+", (badge.get("class") or "").lower())}
        marks |= set(re.split(r"[\s\-_]+", (element.get("class") or "").lower()))
        comments.append(Comment(author, paragraphs, by_poster="op" in marks, pinned=bool(marks & {"mod", "moderator", "stickied", "pinned"})))
    if len(comments) < 3:
        return []
    for element in [*elements, *tree.xpath(_THREAD_CHROME)]:
        if element.getparent() is not None:
            element.getparent().remove(element)
    return comments


# A thread's furniture: votes, reply and share links, sorting, "View 398 more comments".
_THREAD_CHROME = "//*[" + " or ".join(f"contains(@class, '{name}')" for name in ("actions", "vote", "sort", "more-comments")) + "]"


_INTRODUCED = re.compile(r"\b(?:I'm|I am|This is|We are)\s+(?P<name>[A-Z][a-z'\-]+(?: [A-Z][a-z'\-]+){1,2})|我是(?P<han>[\u4e00-\u9fff·]{2,4})[，,。]")


def _thread_blocks(thread: list[Comment], doc: Document) -> None:
    """The comments as their authors' turns after the opening post."""
    introduced = _INTRODUCED.search(str(doc.meta.get("title") or ""))
    for comment in thread:
        if comment.pinned:
            doc.notes.append(" ".join(comment.paragraphs))
            continue
        if comment.by_poster:
            name = introduced and (introduced["name"] or introduced["han"]) or comment.author
            doc.people.setdefault(fold(comment.author), (name, Role.ANSWERS, ""))
        else:
            doc.people.setdefault(fold(comment.author), (comment.author, Role.ASKS, ""))
        for text in comment.paragraphs:
            doc.blocks.append(Block(text, Position("paragraph", len(doc.blocks) + 1), speaker=comment.author))


_BYLINE = f"//*[{_has_class('byline')} or @rel='author' or @itemprop='author'][not(ancestor::*[{_has_class('byline')}])]"


_DECK = "//*[" + " or ".join(_has_class(name) for name in ("dek", "standfirst", "subtitle", "subheadline")) + "]"


def _deck(tree) -> str:
    """The standfirst under the title (class="dek", "standfirst", "subtitle"): the deck, not body text."""
    for element in tree.xpath(_DECK):
        text = " ".join(element.text_content().split())
        element.drop_tree()
        if text:
            return text
    return ""


def _bylines(tree) -> list[str]:
    """The page's byline (class="byline", rel/itemprop="author"): a credit, which
    trafilatura leaves out of the body."""
    found = []
    for element in tree.xpath(_BYLINE):
        text = " ".join(element.text_content().split())
        if text and len(text) <= 80 and text not in found:
            found.append(text)
    return found


_BOLD_STYLE = re.compile(r"font-weight\s*:\s*(?:bold|bolder|[6-9]00)", re.IGNORECASE)
_ITALIC_STYLE = re.compile(r"font-style\s*:\s*(?:italic|oblique)", re.IGNORECASE)
_INLINE = {"span", "strong", "b", "em", "i", "a", "font", "img", "br", "u", "sup", "sub", "small", "mark", "code"}


def _markup_from_styles(tree) -> None:
    """Pages laid out with styled <span>s inside <section>s (WeChat's editors,
    many CMSs) say with inline styles what markup says elsewhere: a span in
    bold is <strong>, in italics <em>; a <section> or <div> holding only
    inline content is a paragraph. Said in markup, the extractor keeps them."""
    for element in tree.iter("span", "font"):
        style = element.get("style") or ""
        if _BOLD_STYLE.search(style):
            element.tag = "strong"
        elif _ITALIC_STYLE.search(style):
            element.tag = "em"
    for element in list(tree.iter("section", "div")):
        if element.getparent() is not None and "".join(element.itertext()).strip() \
                and all(child.tag in _INLINE for child in element.iterdescendants() if isinstance(child.tag, str)):
            element.tag = "p"


_PROMPT = "//*[contains(@class, 'subscri') or contains(@class, 'newsletter') or contains(@id, 'subscri') or contains(@id, 'newsletter')]"


def _prompts_by_place(tree) -> None:
    """A subscribe or newsletter box is judged by where it is, not by its
    name: inside the article body it is kept (the notes rule makes it a
    note), outside it is page chrome the extractor leaves out."""
    for element in tree.xpath(_PROMPT):
        for attribute in ("class", "id"):
            element.attrib.pop(attribute, None)


def _prepare_images(tree) -> None:
    """Lazy images get their address; a figure's caption becomes its image's
    alt text (the caption is what the page shows; alt text is for when it cannot)."""
    for image in tree.iter("img"):
        if image.get("data-src") and not (image.get("src") or "").startswith("http"):
            image.set("src", image.get("data-src"))
        if not _IMAGE_ADDRESS.search(image.get("src") or ""):
            image.set("src", (image.get("src") or "") + _IMAGE_MARK)  # WeChat's ?wx_fmt=jpeg: trafilatura wants a suffix
    for figure in tree.iter("figure"):
        caption = figure.find(".//figcaption")
        image = figure.find(".//img")
        if caption is not None and image is not None:
            text = caption.text_content().strip()
            if text:
                image.set("alt", text)
            caption.drop_tree()


def _blocks(element, doc: Document, set_apart: bool = False) -> None:
    tag = element.tag
    position = Position("paragraph", len(doc.blocks) + 1)
    if tag == "head":
        doc.blocks.append(Block(_inline(element), position, BlockKind.HEADING))
    elif tag == "graphic":
        caption = (element.get("alt") or element.get("title") or "").strip()
        doc.blocks.append(Block(caption, position, BlockKind.IMAGE, source=(element.get("src") or "").removesuffix(_IMAGE_MARK)))
    elif tag == "table":
        rows = [[_cell(cell) for cell in row.iter("cell")] for row in element.iter("row")]
        for kind, text in tables.blocks(rows):
            doc.blocks.append(Block(text, Position("paragraph", len(doc.blocks) + 1), kind))
    elif tag in ("list", "quote", "div"):
        for child in element:
            _blocks(child, doc, set_apart or tag == "quote")  # a block quote sets its paragraphs apart
    else:  # p, item, and anything else that holds text
        text = _inline(element)
        for image in element.iter("graphic"):
            _blocks(image, doc)
        text = _join_lines(text)  # a <br> inside a paragraph does not start another
        if text:
            term = tag == "item" and (element.get("rend") or "").startswith("dt")  # a definition list's term
            doc.blocks.append(Block(text, Position("paragraph", len(doc.blocks) + 1), set_apart=set_apart or term or _italic(element)))


def _cell(cell) -> list[str]:
    """A table cell's paragraphs."""
    paragraphs = [_join_lines(_inline(child)) for child in cell if child.tag in ("p", "item", "head")]
    return paragraphs or [_join_lines(_inline(cell))]


def _italic(element) -> bool:
    """Whether all of a paragraph's text is in italics (<em>, <i>)."""
    children = [child for child in element if child.tag != "lb"]
    return (len(children) == 1 and children[0].tag == "hi" and children[0].get("rend") == "#i"
            and not (element.text or "").strip() and not (children[0].tail or "").strip())


def _join_lines(text: str) -> str:
    joined = ""
    for line in (line.strip() for line in text.split("\n")):
        if line:
            joined += (" " if joined and joined[-1].isascii() and line[0].isascii() else "") + line
    return joined


def _inline(element) -> str:
    """Text with bold as **…** and line breaks as newlines."""
    parts = [element.text or ""]
    for child in element:
        if child.tag == "lb":
            parts.append("\n")
        elif child.tag == "graphic":
            pass
        else:
            inner = _inline(child)
            bold = child.tag == "hi" and "b" in (child.get("rend") or "") and inner.strip()
            parts.append(f"**{inner.strip()}**" if bold else inner)
        parts.append(child.tail or "")
    return re.sub(r"\*\*\*\*", "", "".join(parts))


def _wechat_meta(tree, text: str) -> dict:
    meta = {}
    title = _text(tree, "activity-name") or _script_variable(text, "msg_title")
    if title:
        meta["title"] = title
    outlet = _text(tree, "js_name") or _script_variable(text, "nickname")
    if outlet:
        meta["outlet"] = outlet
    found = _DATE.search(_text(tree, "publish_time") or _script_variable(text, "publish_time"))
    stamp = _script_variable(text, "ct") or _script_variable(text, "create_time")
    if found:
        meta["published"] = "-".join(found.groups())
    elif stamp.isdigit():
        meta["published"] = datetime.datetime.fromtimestamp(int(stamp), _CHINA).date().isoformat()
    return meta


def _text(tree, element_id: str) -> str:
    element = tree.get_element_by_id(element_id, None)
    return " ".join(element.text_content().split()) if element is not None else ""


def _script_variable(text: str, name: str) -> str:
    match = re.search(rf"\bvar\s+{name}\s*=\s*(?:htmlDecode\()?\s*[\"']([^\"']*)[\"']", text)
    return match.group(1).strip() if match else ""
