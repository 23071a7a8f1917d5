"""Pages for an event's materials and discussion. The event page shows both panels (see
templatetags/materials.py and discussion.py); these views handle what the panels submit."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_ratelimit.decorators import ratelimit

from ..forms.materials import MaterialForm, PostForm, ReportForm
from ..models import Activity, Material, Post
from ..services import discussion, materials


def _event_for(request, slug, permission):
    activity = get_object_or_404(Activity, slug=slug)
    if not request.user.has_perm(permission, activity):
        raise PermissionDenied
    if not activity.is_event:
        raise Http404
    return activity


def _back_to(activity, anchor):
    return redirect(f"{activity.get_absolute_url()}#{anchor}")


@login_required
def material_add(request, slug):
    activity = _event_for(request, slug, "activities.manage_event")
    form = MaterialForm(request.POST or None, request.FILES or None, activity=activity)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            materials.add_material(
                activity,
                user=request.user,
                kind=data["kind"],
                title=data["title"],
                upload=data.get("file"),
                url=data.get("url", ""),
                language=data.get("language"),
                presentation=data.get("presentation"),
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The material was added."))
            return _back_to(activity, "materials")
    return render(
        request, "activities/materials/material_form.html", {"activity": activity, "form": form}
    )


@login_required
def material_remove(request, slug, pk):
    activity = _event_for(request, slug, "activities.manage_event")
    material = get_object_or_404(activity.materials.select_related("presentation"), pk=pk)
    if request.method == "POST":
        materials.remove_material(material, user=request.user)
        messages.success(request, _("The material was removed."))
        return _back_to(activity, "materials")
    return render(
        request,
        "activities/materials/material_confirm_remove.html",
        {"activity": activity, "material": material},
    )


def material_download(request, slug, pk):
    """A stored document, as an attachment: never rendered inline by the browser."""
    material = get_object_or_404(
        Material.objects.select_related("activity"),
        pk=pk,
        activity__slug=slug,
        kind=Material.Kind.FILE,
    )
    if not request.user.has_perm("activities.view_activity", material.activity):
        raise PermissionDenied
    document = materials.document_type_of(material)
    if document is None:
        raise Http404
    try:
        handle = material.file.open("rb")
    except (OSError, ValueError):
        raise Http404 from None
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=materials.download_name(material),
        content_type=document.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    if not material.activity.is_published:
        # Organizers' drafts must not linger in a shared cache.
        patch_cache_control(response, private=True, no_store=True)
    return response


@login_required
@ratelimit(key="user_or_ip", rate=discussion.POST_RATE, method="POST", block=True)
def post_create(request, slug):
    activity = _event_for(request, slug, "activities.post")
    form = PostForm(
        request.POST or None,
        activity=activity,
        initial={"presentation": request.GET.get("presentation")},
    )
    if request.method == "POST" and form.is_valid():
        try:
            post = discussion.create_post(
                activity,
                user=request.user,
                body=form.cleaned_data["body"],
                presentation=form.cleaned_data["presentation"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Your message was posted."))
            return _back_to(activity, f"post-{post.pk}")
    value = str(form["presentation"].value() or "")
    presentation = activity.presentations.filter(pk=value).first() if value.isdigit() else None
    return render(
        request,
        "activities/discussion/post_form.html",
        {"activity": activity, "form": form, "presentation": presentation},
    )


@require_POST
@login_required
def post_hide(request, slug, pk):
    post = get_object_or_404(Post.objects.select_related("activity"), pk=pk, activity__slug=slug)
    hidden = request.POST.get("action") != "show"
    discussion.hide_post(post, user=request.user, hidden=hidden)
    if hidden:
        messages.success(request, _("The message is hidden; only moderators can read it now."))
    else:
        messages.success(request, _("The message is visible to everyone again."))
    return _back_to(post.activity, f"post-{post.pk}")


@login_required
@ratelimit(key="user_or_ip", rate=discussion.POST_RATE, method="POST", block=True)
def post_report(request, slug, pk):
    post = get_object_or_404(
        Post.objects.select_related("activity", "presentation", "author__person"),
        pk=pk,
        activity__slug=slug,
    )
    activity = post.activity
    if not request.user.has_perm("activities.view_activity", activity):
        raise PermissionDenied
    form = ReportForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            discussion.report_post(post, user=request.user, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            if error.code == "duplicate":
                messages.info(request, error.messages[0])
                return _back_to(activity, f"post-{post.pk}")
            form.add_error(None, error)
        else:
            messages.success(
                request, _("Thank you. The organizers and the secretariat will look at it.")
            )
            return _back_to(activity, f"post-{post.pk}")
    can_moderate = request.user.has_perm("activities.hide_post", activity)
    return render(
        request,
        "activities/discussion/report_form.html",
        {
            "activity": activity,
            "post": post,
            "form": form,
            "author_name": discussion.display_name(post.author),
            "show_body": can_moderate or not post.is_hidden,
        },
    )
