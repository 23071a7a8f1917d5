"""Atom feed of published activities, with the list page's filters, in the page's language.

/<lang>/activities/feed.atom?kind=event&working_group=capacity-building&action_area=2
takes the same query parameters as /<lang>/activities/, so "follow this list" is the list's
own address with feed.atom in it. Entries carry what the activity page shows everyone.
"""

from django.contrib.syndication.views import Feed
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _

from coalition.core.mail import absolute_url
from coalition.core.richtext import sanitize_html
from coalition.recommendation.content import content_in
from coalition.recommendation.languages import join_list

from . import selectors
from .forms.activities import ActivityFilterForm

FEED_SIZE = 50


class ActivityFeed(Feed):
    feed_type = Atom1Feed

    def get_object(self, request, *args, **kwargs):
        form = ActivityFilterForm(request.GET or None)
        query = request.GET.urlencode()
        return {
            "filters": form.filters(),
            "query": f"?{query}" if query else "",
            "path": request.path,
        }

    def title(self, obj):
        return _("Activities of the OER Dynamic Coalition's members")

    def subtitle(self, obj):
        if obj["filters"]:
            return _("Newest first, filtered as on the activities page.")
        return _("Events, initiatives, publications, calls and news, newest first.")

    def link(self, obj):
        return absolute_url(reverse("activities:activity-list")) + obj["query"]

    def feed_url(self, obj):
        return absolute_url(obj["path"]) + obj["query"]

    def author_name(self, obj):
        return _("OER Dynamic Coalition")

    def items(self, obj):
        return (
            selectors.published_activities(**obj["filters"])
            .order_by("-published_at", "-pk")
            .defer("access_url", "contact_name", "contact_email", "image")
            .prefetch_related("organizations", "action_areas")[:FEED_SIZE]
        )

    def item_title(self, item):
        return content_in(item, "title").value

    def item_description(self, item):
        # Sanitized on save and again here; the feed carries it as escaped HTML.
        return sanitize_html(content_in(item, "summary").value)

    def item_link(self, item):
        return absolute_url(item.get_absolute_url())

    def item_pubdate(self, item):
        return item.published_at

    def item_updateddate(self, item):
        return item.updated_at

    def item_author_name(self, item):
        return join_list(content_in(o, "name").value for o in item.organizations.all()) or None

    def item_categories(self, item):
        areas = [content_in(area, "short_title").value for area in item.action_areas.all()]
        return [str(item.get_kind_display()), *areas]
