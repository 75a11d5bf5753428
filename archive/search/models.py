from django.contrib.postgres.search import SearchVectorField
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


# The index when SEARCH_BACKEND=postgres (archive.search.postgres): kept in
# the database every web host shares. The tables exist on SQLite too, unused.


class SearchDocument(models.Model):
    """One turn as PostgreSQL searches it: the terms ``archive.search.analysis``
    makes of its text, speaker's names and article's title, each a
    ``tsvector`` with positions (a GIN index each), their lengths for BM25,
    and the exact fields filters and facets read."""

    turn_id = models.BigIntegerField(primary_key=True)  # no foreign key: documents follow the turns through the queue
    article_id = models.BigIntegerField(db_index=True)
    kind = models.CharField(max_length=20)
    speaker = models.TextField(null=True)
    outlet = models.TextField(null=True)
    published = models.DateField(null=True)
    year = models.CharField(max_length=4, null=True)
    script = models.CharField(max_length=10)
    text = SearchVectorField()
    names = SearchVectorField()
    title = SearchVectorField()
    text_length = models.PositiveIntegerField()  # terms in the field, as Whoosh counts a field's length
    names_length = models.PositiveIntegerField()
    title_length = models.PositiveIntegerField()

    class Meta:
        verbose_name = _("search document")
        verbose_name_plural = _("search documents")


class SearchTerm(models.Model):
    """How many documents hold each term of a searched field: BM25's idf, a
    prefix's terms, and what pinyin can be read as. A term no document
    holds any longer keeps its row, at 0."""

    field = models.CharField(max_length=10)
    term = models.TextField()  # in the "C" collation on PostgreSQL (migration 0002): prefixes are ranges
    documents = models.PositiveIntegerField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["field", "term"], name="search_term_unique")]
        verbose_name = _("search term")
        verbose_name_plural = _("search terms")


class SearchState(models.Model):
    """The index as a whole, one row: BM25's document count and total field
    lengths, and a version that changes with every write (what answers
    kept per process are keyed by). Writers lock it, so they take turns."""

    version = models.CharField(max_length=32)
    documents = models.BigIntegerField(default=0)
    text_length = models.BigIntegerField(default=0)
    names_length = models.BigIntegerField(default=0)
    title_length = models.BigIntegerField(default=0)

    class Meta:
        verbose_name = _("search index state")
        verbose_name_plural = _("search index states")
