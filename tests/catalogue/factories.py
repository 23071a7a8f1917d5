"""Kept for the data layer's tests: the factories live in tests/factories/catalogue.py."""

from tests.factories.catalogue import DEFAULTS, make_record, make_source

__all__ = ["DEFAULTS", "make_record", "make_source"]
