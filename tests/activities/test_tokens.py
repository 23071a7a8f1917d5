"""Personal cancel links: the registration's token, signed; forged links name nobody."""

import pytest

from coalition.activities import tokens
from tests.factories.activities import RegistrationFactory

pytestmark = pytest.mark.django_db


def test_cancel_link_names_its_registration():
    registration = RegistrationFactory()
    assert tokens.registration_for_link(tokens.signed_token(registration)) == registration


def test_forged_or_unknown_cancel_link_finds_nothing():
    registration = RegistrationFactory()
    signed = tokens.signed_token(registration)
    assert tokens.registration_for_link(registration.token) is None
    assert tokens.registration_for_link(signed[:-2] + "xx") is None
    assert tokens.registration_for_link("") is None
