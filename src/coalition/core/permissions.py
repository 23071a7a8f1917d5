"""The one permission decorator of the pages: who may open a view.

`permission_required(perm)`: an anonymous visitor is sent to the sign-in page (and comes
back after signing in); a signed-in person without `perm` gets 403. The permission is
checked through the rules of each app (`<app>/rules.py`), as everywhere else.
"""

from django.contrib.auth.decorators import login_required
from django.contrib.auth.decorators import permission_required as _django_permission_required


def permission_required(perm):
    def decorator(view):
        return login_required(_django_permission_required(perm, raise_exception=True)(view))

    return decorator
