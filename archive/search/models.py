from django.db import models
from django.utils.translation import gettext_lazy as _


class PendingUpdate(models.Model):
    """An article whose search documents must be brought in line with the database.

    Written in the same transaction as the change, so an update is never lost:
    if the index write fails or the process dies, the row stays and the next
    run of ``archive.search.indexing.process_pending`` (or ``rebuild_index``)
    repairs the index. No foreign key: a deleted article's row must outlive it
    so that its documents get removed.
    """

    article_id = models.BigIntegerField(db_index=True)
    queued = models.DateTimeField(auto_now_add=True)
    attempts = models.PositiveIntegerField(default=0)
    last_error = models.TextField(blank=True)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("pending index update")
        verbose_name_plural = _("pending index updates")

    def __str__(self) -> str:
        return f"article {self.article_id}"
