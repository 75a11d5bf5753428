"""The Atom feed of new interviews, and the sitemap."""

import datetime

from django.contrib.sitemaps import Sitemap
from django.contrib.syndication.views import Feed
from django.urls import reverse
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext_lazy as _

from archive.interviews.models import Article, Outlet, Speaker


class NewInterviews(Feed):
    feed_type = Atom1Feed
    title = _("AI Interview Archive: new interviews")
    subtitle = _("Interviews as they are added to the archive.")

    def link(self):
        return reverse("interviews:home")

    def items(self):
        return Article.objects.with_listing().with_lead().order_by("-created")[:30]

    def item_title(self, article: Article) -> str:
        return article.title

    def item_description(self, article: Article) -> str:
        return article.lead()  # plain text: the feed generator escapes it

    def item_pubdate(self, article: Article) -> datetime.datetime:
        return interview_date(article)

    def item_updateddate(self, article: Article) -> datetime.datetime:
        return interview_date(article)

    def item_author_name(self, article: Article) -> str:
        return "、".join(speaker.name for speaker in article.people())

    def item_categories(self, article: Article) -> list[str]:
        return [article.outlet.name] if article.outlet else []


def interview_date(article: Article) -> datetime.datetime:
    """What a feed entry is dated by: the day the interview appeared
    (midnight, local time), or when that is unknown, the day it was added."""
    if article.published:
        return timezone.make_aware(datetime.datetime.combine(article.published, datetime.time()))
    return article.created


class ArticleSitemap(Sitemap):
    changefreq = "monthly"

    def items(self):
        return Article.objects.order_by("pk")

    def lastmod(self, article: Article):
        return article.updated


class SpeakerSitemap(Sitemap):
    def items(self):
        return Speaker.objects.filter(participations__isnull=False).distinct().order_by("pk")


class OutletSitemap(Sitemap):
    def items(self):
        return Outlet.objects.order_by("pk")


SITEMAPS = {"interviews": ArticleSitemap, "speakers": SpeakerSitemap, "outlets": OutletSitemap}
