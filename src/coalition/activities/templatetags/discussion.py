"""The discussion panel of an event page: `{% load discussion %}{% discussion_panel activity %}`."""

from django import template
from django.db.models import Prefetch

from coalition.activities.forms.materials import PostForm
from coalition.activities.models import PostReport
from coalition.activities.services.discussion import display_name

register = template.Library()


@register.inclusion_tag("activities/discussion/panel.html", takes_context=True)
def discussion_panel(context, activity):
    """The event's thread, then one thread per presentation, with the reports for moderators.

    A fixed number of queries whatever the number of posts: the posts with their authors'
    people records (and, for moderators, the reports with their reporters'), the
    presentations, the reader's own reports, and the permission checks.
    """
    request = context.get("request")
    user = getattr(request, "user", None) or context.get("user")
    if user is None or not activity.is_event or not activity.is_published:
        return {"show": False}
    can_moderate = user.has_perm("activities.hide_post", activity)
    can_post = user.has_perm("activities.post", activity)
    posts = activity.posts.select_related("author__person").order_by("created_at", "pk")
    if can_moderate:
        posts = posts.prefetch_related(
            Prefetch(
                "reports",
                queryset=PostReport.objects.select_related("reporter__person").order_by(
                    "created_at", "pk"
                ),
            )
        )
    reported_by_me = set()
    if user.is_authenticated:
        reported_by_me = set(
            PostReport.objects.filter(reporter=user, post__activity=activity).values_list(
                "post_id", flat=True
            )
        )
    by_thread = {}
    reported = []
    for post in posts:
        entry = {
            "post": post,
            "author_name": display_name(post.author),
            "show_body": can_moderate or not post.is_hidden,
            "reported_by_me": post.pk in reported_by_me,
        }
        if can_moderate:
            entry["reports"] = [
                {"report": report, "reporter_name": display_name(report.reporter)}
                for report in post.reports.all()
            ]
            if entry["reports"]:
                reported.append(entry)
        by_thread.setdefault(post.presentation_id, []).append(entry)

    def thread(presentation):
        key = presentation.pk if presentation else None
        form = None
        if can_post:
            form = PostForm(
                activity=activity,
                initial={"presentation": key},
                auto_id=f"id_thread_{key or 'event'}_%s",
            )
        return {"presentation": presentation, "entries": by_thread.get(key, []), "form": form}

    threads = [thread(None)] + [thread(p) for p in activity.presentations.all()]
    return {
        "show": True,
        "activity": activity,
        "threads": threads,
        "reported": reported,
        "can_moderate": can_moderate,
        "can_post": can_post,
        "user": user,
        "request": request,
        "csrf_token": context.get("csrf_token"),
    }
