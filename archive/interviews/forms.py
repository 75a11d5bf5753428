"""The admin's upload and preview forms."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from archive.interviews.importer import EDITOR, SOURCE, Overrides
from archive.interviews.models import Participant, Turn
from archive.lib.transcript import ParsedArticle


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files; an empty one is let through, to be reported by name with the rest."""

    widget = MultipleFileInput

    def __init__(self, **kwargs):
        super().__init__(allow_empty_file=True, **kwargs)

    def clean(self, data, initial=None):
        files = data if isinstance(data, (list, tuple)) else [data] if data else []
        return [super(MultipleFileField, self).clean(file, initial) for file in files]


class UploadForm(forms.Form):
    files = MultipleFileField(required=False, label=_("Files"))
    text = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 8}), label=_("Or paste a transcript"))
    urls = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        label=_("Or web addresses"),
        help_text=_("One per line (http or https): the page is fetched and read like a saved page; its address is kept as the source URL."),
    )
    title = forms.CharField(required=False, max_length=300, label=_("Title"))
    outlet = forms.CharField(required=False, max_length=200, label=_("Outlet"))
    published = forms.DateField(required=False, label=_("Date"), help_text=_("YYYY-MM-DD"))
    source_url = forms.URLField(required=False, max_length=500, assume_scheme="https", label=_("Source URL"))
    media_url = forms.URLField(required=False, max_length=500, assume_scheme="https", label=_("Recording URL"),
                               help_text=_("YouTube, Bilibili or an audio/video file: turn times link into it."))
    speakers = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        label=_("Speakers"),
        help_text=_("One per line: label = name, e.g. 答 = 王坚"),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Filled in here, in the reader's language: a lazy string with its value
        # put in at import time was fixed in the language active then.
        self.fields["files"].help_text = _(
            "Plain text or Markdown (.txt, .md), saved web pages (.html), Word (.docx), subtitles (.srt, .vtt), "
            "recorder exports with time codes, or a .zip of them; UTF-8, UTF-16, GB18030 or Big5; at most %(mb)s MB each."
        ) % {"mb": settings.TRANSCRIPT_MAX_BYTES // 2**20}

    def clean_speakers(self) -> dict[str, str]:
        mapping = {}
        for number, line in enumerate(self.cleaned_data["speakers"].splitlines(), 1):
            if not line.strip():
                continue
            label, sep, name = line.partition("=")
            if not sep or not label.strip() or not name.strip():
                raise forms.ValidationError(_("Line %(number)s is not “label = name”: %(line)s") % {"number": number, "line": line})
            mapping[label.strip()] = name.strip()
        return mapping

    def clean_urls(self) -> list[str]:
        urls = [line.strip() for line in self.cleaned_data["urls"].splitlines() if line.strip()]
        for url in urls:
            if not url.lower().startswith(("http://", "https://")):
                raise forms.ValidationError(_("%(url)s is not an http:// or https:// address.") % {"url": url})
        return urls

    def clean(self):
        data = super().clean()
        if not data.get("files") and not (data.get("text") or "").strip() and not data.get("urls"):
            raise forms.ValidationError(_("Choose a file, paste a transcript or give a web address."))
        return data

    def overrides(self) -> Overrides:
        data = self.cleaned_data
        return Overrides(title=data["title"], outlet=data["outlet"], published=data["published"],
                         source_url=data["source_url"], media_url=data["media_url"], speakers=data["speakers"])


class PreviewForm(forms.Form):
    """Corrections to a parsed upload: metadata, each speaker's name and role, each turn's kind."""

    title = forms.CharField(max_length=300, label=_("Title"))
    outlet = forms.CharField(required=False, max_length=200, label=_("Outlet"))
    published = forms.DateField(required=False, label=_("Date"))
    source_url = forms.URLField(required=False, max_length=500, assume_scheme="https", label=_("Source URL"))
    media_url = forms.URLField(required=False, max_length=500, assume_scheme="https", label=_("Recording URL"))

    def __init__(self, *args, parsed: ParsedArticle, conflicts=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.parsed = parsed
        self.conflicts = list(conflicts)
        for conflict in self.conflicts:
            self.fields[f"resolve-{conflict.key}"] = forms.ChoiceField(
                choices=[(EDITOR, _("Keep the editor's version")), (SOURCE, _("Take the source's"))],
                initial=conflict.choice, widget=forms.RadioSelect, label=conflict.key,
            )
        roles = Participant.Role.choices
        kinds = Turn.Kind.choices
        for index, speaker in enumerate(parsed.speakers):
            self.fields[f"speaker-{index}-name"] = forms.CharField(max_length=200, initial=speaker.name, label=speaker.label)
            self.fields[f"speaker-{index}-role"] = forms.ChoiceField(choices=roles, initial=speaker.role.value, label=speaker.label)
        for number, turn in enumerate(parsed.turns, 1):
            self.fields[f"turn-{number}-kind"] = forms.ChoiceField(choices=kinds, initial=turn.kind.value, label=str(number))
        for name in ("title", "outlet", "published", "source_url", "media_url"):
            self.fields[name].initial = getattr(parsed, name)

    def speaker_rows(self):
        return [(speaker, self[f"speaker-{index}-name"], self[f"speaker-{index}-role"]) for index, speaker in enumerate(self.parsed.speakers)]

    def conflict_rows(self):
        return [(conflict, self[f"resolve-{conflict.key}"]) for conflict in self.conflicts]

    def turn_rows(self):
        return [(number, turn, self[f"turn-{number}-kind"]) for number, turn in enumerate(self.parsed.turns, 1)]

    def overrides(self, base: Overrides) -> Overrides:
        data = self.cleaned_data
        speakers = dict(base.speakers)
        roles = {}
        for index, speaker in enumerate(self.parsed.speakers):
            speakers[speaker.label] = data[f"speaker-{index}-name"]
            roles[speaker.label] = data[f"speaker-{index}-role"]
        kinds = {number: data[f"turn-{number}-kind"] for number in range(1, len(self.parsed.turns) + 1)}
        resolutions = dict(base.resolutions) | {c.key: data[f"resolve-{c.key}"] for c in self.conflicts}
        return Overrides(title=data["title"], outlet=data["outlet"], published=data["published"], source_url=data["source_url"],
                         media_url=data["media_url"], speakers=speakers, roles=roles, kinds=kinds, resolutions=resolutions)
