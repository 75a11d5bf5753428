from haystack import indexes

from archive.interviews.models import Turn


class TurnIndex(indexes.SearchIndex, indexes.Indexable):
    """One search document per turn: its text, its speaker's names, and the
    article's title and outlet, so that 王坚 开源 finds 王堅's answers about
    開源 (how they combine: archive.search.query)."""

    text = indexes.CharField(document=True, model_attr="text_hans")
    names = indexes.CharField()
    title = indexes.CharField()
    article = indexes.IntegerField(model_attr="article_id")
    kind = indexes.CharField(model_attr="kind")
    speaker = indexes.CharField(null=True)
    outlet = indexes.CharField(null=True)
    published = indexes.DateField(null=True)
    year = indexes.CharField(null=True)
    script = indexes.CharField()

    def get_model(self):
        return Turn

    def index_queryset(self, using=None):
        return Turn.objects.select_related("article__outlet", "speaker").prefetch_related("speaker__names")

    def prepare_names(self, turn: Turn) -> str:
        return "\n".join(turn.speaker.variants()) if turn.speaker else ""

    def prepare_title(self, turn: Turn) -> str:
        outlet = turn.article.outlet.all_names() if turn.article.outlet else []
        return "\n".join([turn.article.title, *outlet])

    def prepare_speaker(self, turn: Turn):
        return turn.speaker.slug if turn.speaker else None

    def prepare_outlet(self, turn: Turn):
        return turn.article.outlet.slug if turn.article.outlet else None

    def prepare_published(self, turn: Turn):
        return turn.article.published

    def prepare_year(self, turn: Turn):
        return str(turn.article.published.year) if turn.article.published else None

    def prepare_script(self, turn: Turn) -> str:
        return turn.article.script
