"""What follows every write to the archive, whichever code makes it.

``articles_changed`` is sent with the ids of the articles whose stored data
changed: by the receivers below for each saved or deleted object (Django
sends ``post_save``/``post_delete`` for those, cascades and
``QuerySet.delete()`` included), and by ``ArchiveQuerySet`` for ``update``,
``bulk_create`` and ``bulk_update``, which send no model signals. The search
index listens (``archive.search.apps``); nothing else need remember it.

Also here, because they must hold for every deletion and save: a deleted
turn leaves its words under its number (``RemovedTurn``); a turn brought
back (a restored version) takes its number back; an article whose slug
changes keeps the old one as a ``FormerSlug``.
"""

from __future__ import annotations

from django.db.models.signals import post_delete, post_save, pre_save
from django.dispatch import Signal, receiver
from django.utils import timezone

from archive.interviews.models import (
    Article, FormerSlug, Outlet, Participant, RemovedTurn, Speaker, SpeakerName, Turn,
)

articles_changed = Signal()  # article_ids: set[int]

# Every model whose rows make up what the search index holds.
ARTICLE_DATA = (Article, Turn, Participant, Speaker, SpeakerName, Outlet)


def changed_articles(instance) -> set[int]:
    """The articles an object's stored data belongs to."""
    if isinstance(instance, Article):
        return {instance.pk}
    if isinstance(instance, (Turn, Participant)):
        return {instance.article_id}
    if isinstance(instance, Speaker):
        return Speaker.objects.filter(pk=instance.pk).article_ids()
    if isinstance(instance, SpeakerName):
        return Speaker.objects.filter(pk=instance.speaker_id).article_ids()
    if isinstance(instance, Outlet):
        return set(Article.objects.filter(outlet_id=instance.pk).values_list("pk", flat=True))
    raise TypeError(f"{type(instance).__name__} is not article data")


def _announce(sender, instance, **kwargs) -> None:
    if ids := {pk for pk in changed_articles(instance) if pk is not None}:
        articles_changed.send(sender=sender, article_ids=ids)


for model in ARTICLE_DATA:
    post_save.connect(_announce, sender=model, dispatch_uid=f"announce-save-{model.__name__}")
    post_delete.connect(_announce, sender=model, dispatch_uid=f"announce-delete-{model.__name__}")


@receiver(post_delete, sender=Turn, dispatch_uid="remember-removed-turn")
def remember_removed_turn(sender, instance: Turn, **kwargs) -> None:
    RemovedTurn.objects.update_or_create(number=instance.number, defaults=_fields(RemovedTurn.of(instance)) | {"removed": timezone.now()})


@receiver(post_save, sender=Turn, dispatch_uid="turn-back-in-place")
def forget_removal(sender, instance: Turn, created: bool, **kwargs) -> None:
    if created:
        RemovedTurn.objects.filter(number=instance.number).delete()


@receiver(pre_save, sender=Article, dispatch_uid="keep-former-slug")
def keep_former_slug(sender, instance: Article, raw: bool = False, **kwargs) -> None:
    if instance.pk is None:
        return
    old = Article.objects.filter(pk=instance.pk).values_list("slug", flat=True).first()
    if old and old != instance.slug:
        FormerSlug.objects.update_or_create(slug=old, defaults={"article": instance})
        FormerSlug.objects.filter(slug=instance.slug, article=instance).delete()  # its own former slug, taken back


def _fields(removed: RemovedTurn) -> dict:
    return {field.name: getattr(removed, field.name) for field in RemovedTurn._meta.concrete_fields
            if field.name not in ("id", "number", "removed")}
