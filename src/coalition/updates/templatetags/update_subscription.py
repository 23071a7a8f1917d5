"""`{% update_subscription_panel %}`: a member's Update subscription, or the one-click button."""

from django import template
from django.utils.translation import get_language

from coalition.recommendation.languages import UN_LANGUAGE_CHOICES

from ..models import Subscriber
from ..services import subscriptions

register = template.Library()


@register.inclusion_tag("updates/subscribers/includes/account_panel.html", takes_context=True)
def update_subscription_panel(context, heading=True):
    request = context.get("request")
    user = getattr(request, "user", None) or context.get("user")
    if user is None or not user.is_authenticated:
        return {"hidden": True}
    email = subscriptions.verified_email(user)
    subscriber = Subscriber.objects.filter(user=user).first()
    if subscriber is None and email:
        subscriber = Subscriber.objects.filter(email=email).first()
    return {
        "heading": heading,
        "subscriber": subscriber,
        "email": email,
        "language_name": dict(UN_LANGUAGE_CHOICES).get(
            subscriber.language if subscriber else get_language()
        ),
        "consent_text": subscriptions.CONSENT_TEXT,
        "next": request.get_full_path() if request is not None else "",
    }
