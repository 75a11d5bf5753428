from haystack import indexes

from archive.interviews.models import Turn


class TurnIndex(indexes.SearchIndex, indexes.Indexable):
    """One search document per turn; the article's title and the speaker's
    names are part of its text so that 王坚 开源 finds 王堅's answers."""

    text = indexes.CharField(document=True)
    article = indexes.IntegerField(model_attr="article_id")
    kind = indexes.CharField(model_attr="kind")
    speaker = indexes.CharField(null=True)
    outlet = indexes.CharField(null=True)
    published = indexes.DateField(null=True)
    script = indexes.CharField()

    def get_model(self):
        return Turn

    def index_queryset(self, using=None):
        return Turn.objects.select_related("article__outlet", "speaker").prefetch_related("speaker__names")

    def prepare_text(self, turn: Turn) -> str:
        names = turn.speaker.variants() if turn.speaker else []
        return "\n".join([turn.article.title, *names, turn.text_hans])

    def prepare_speaker(self, turn: Turn):
        return turn.speaker.slug if turn.speaker else None

    def prepare_outlet(self, turn: Turn):
        return turn.article.outlet.slug if turn.article.outlet else None

    def prepare_published(self, turn: Turn):
        return turn.article.published

    def prepare_script(self, turn: Turn) -> str:
        return turn.article.script
