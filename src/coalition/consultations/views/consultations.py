"""The public consultation pages, and members' comments per working group."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from coalition.members.models import WorkingGroup

from .. import selectors
from ..forms import CommentForm, QuoteForm, TagsForm
from ..models import Comment, Consultation
from ..services import comments as services


def consultation_list(request):
    return render(
        request,
        "consultations/consultation_list.html",
        {"consultations": selectors.published_consultations()},
    )


def consultation_detail(request, slug):
    try:
        consultation = selectors.consultation_page(
            slug, include_unpublished=request.user.has_perm("consultations.manage")
        )
    except Consultation.DoesNotExist:
        raise Http404 from None
    return render(
        request,
        "consultations/consultation_detail.html",
        {
            "consultation": consultation,
            "sessions": consultation.sessions.all(),
            "surveys": consultation.surveys.all(),
            "reports": consultation.published_reports,
            "comments_open": consultation.comments_are_open(),
            "can_read_comments": request.user.has_perm("consultations.read_any_comments"),
            "rapporteur_groups": list(selectors.groups_with_role(request.user, ["rapporteur"])),
        },
    )


def _consultation(slug):
    return get_object_or_404(Consultation, slug=slug, is_published=True)


@login_required
@require_http_methods(["GET", "POST"])
def comment_create(request, slug):
    consultation = _consultation(slug)
    refusal = services.comment_refusal(consultation)
    if not request.user.has_perm("consultations.comment"):
        raise PermissionDenied(_("Only members of the Coalition with a profile may comment."))
    form = CommentForm(request.POST or None, initial={"working_group": request.GET.get("group")})
    if request.method == "POST" and form.is_valid() and not refusal:
        try:
            services.post_comment(
                consultation,
                user=request.user,
                working_group=form.cleaned_data["working_group"],
                body=form.cleaned_data["body"],
                quote_consent=form.cleaned_data["quote_consent"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                _(
                    "Thank you: your comment is sent to the rapporteur and the chairs "
                    "of the working group."
                ),
            )
            return redirect(consultation.get_absolute_url())
    elif request.method == "POST" and refusal:
        messages.error(request, refusal)
    return render(
        request,
        "consultations/comment_form.html",
        {"consultation": consultation, "form": form, "refusal": refusal},
    )


@login_required
def comment_list(request, slug):
    consultation = _consultation(slug)
    groups = list(selectors.readable_groups(request.user))
    if not groups:
        raise PermissionDenied(
            _(
                "Comments are private to the secretariat and the working groups' "
                "chairs and rapporteurs."
            )
        )
    chosen = request.GET.get("group")
    if chosen:
        groups = [g for g in groups if g.slug == chosen] or groups
    tag = request.GET.get("tag", "")
    comments = list(selectors.comments_for(consultation, groups))
    if tag:
        comments = [c for c in comments if tag in c.tags]
    curated = {g.pk for g in groups if request.user.has_perm("consultations.curate_comments", g)}
    by_group = []
    for group in groups:
        mine = [c for c in comments if c.working_group_id == group.pk]
        tags = sorted({t for c in mine for t in c.tags})
        by_group.append(
            {"group": group, "comments": mine, "tags": tags, "curates": group.pk in curated}
        )
    return render(
        request,
        "consultations/comment_list.html",
        {
            "consultation": consultation,
            "groups": by_group,
            "tag": tag,
            "tags_form": TagsForm(),
            "quote_form": QuoteForm(),
        },
    )


@login_required
@require_POST
def comment_tags(request, slug, pk):
    comment = get_object_or_404(Comment, pk=pk, consultation__slug=slug)
    form = TagsForm(request.POST)
    if form.is_valid():
        try:
            services.tag_comment(comment, user=request.user, tags=form.cleaned_data["tags"])
        except PermissionDenied as denied:
            messages.error(request, str(denied))
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Tags saved."))
    group = WorkingGroup.objects.get(pk=comment.working_group_id)
    url = reverse("consultations:comment-list", kwargs={"slug": slug})
    return redirect(f"{url}?group={group.slug}#comment-{comment.pk}")
