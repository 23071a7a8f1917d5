"""Atom feed of the sent editions in one language (the language of the URL prefix)."""

from django.contrib.syndication.views import Feed
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from coalition.core.mail import absolute_url
from coalition.core.richtext import sanitize_html

from . import rendering
from .selectors import public_editions

FEED_LENGTH = 12


class AtomWithContent(Atom1Feed):
    """Atom with the whole edition in <content>, the introduction staying the <summary>."""

    def add_item_elements(self, handler, item):
        super().add_item_elements(handler, item)
        if item.get("content"):
            handler.addQuickElement("content", item["content"], {"type": "html"})


class EditionFeed(Feed):
    feed_type = AtomWithContent

    def get_object(self, request):
        return get_language()

    def title(self, language):
        return _("OER Dynamic Coalition Update")

    def subtitle(self, language):
        return _("The newsletter of the OER Dynamic Coalition, issue by issue.")

    def link(self, language):
        return absolute_url(reverse("updates:issue-list"))

    def feed_url(self, language):
        return absolute_url(reverse("updates:feed"))

    def items(self, language):
        return (
            public_editions()
            .filter(language=language)
            .select_related("issue")
            .annotate(published=Coalesce("sent_at", "issue__sent_at", "issue__created_at"))
            .order_by("-published", "-pk")[:FEED_LENGTH]
        )

    def item_title(self, edition):
        return edition.sent_subject or rendering.subject_for(edition.issue, edition.language)

    def item_link(self, edition):
        return absolute_url(edition.get_absolute_url())

    def item_pubdate(self, edition):
        return edition.published

    def item_updateddate(self, edition):
        return edition.published

    def _content(self, edition):
        # Resolved once per entry: the summary and the content come from the same rendering.
        if not hasattr(edition, "_content"):
            if edition.sent_web_html:  # as sent: later edits of activities do not rewrite it
                edition._content = (
                    sanitize_html(edition.introduction),
                    rendering.site_absolute(edition.sent_web_html),
                )
            else:
                edition._content = rendering.web_content(edition)
        return edition._content

    def item_description(self, edition):
        return self._content(edition)[0]

    def item_extra_kwargs(self, edition):
        return {"content": self._content(edition)[1]}
