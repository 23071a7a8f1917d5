"""The OpenAPI description names each schema once.

django-ninja names a component after its Schema class; two apps declaring a class of the
same name (a `ReportOut` in monitoring and in consultations) silently share one entry in
`components.schemas`, so one of the two operations is described with the other's body and
clients (and the fuzzing in test_api_schema.py) read the wrong contract.
"""

from collections import defaultdict

from ninja import Schema

from coalition.api import api


def _subclasses(cls):
    for sub in cls.__subclasses__():
        yield sub
        yield from _subclasses(sub)


def test_no_two_schemas_of_the_api_share_a_component_name():
    described = set(api.get_openapi_schema()["components"]["schemas"])
    modules_by_name = defaultdict(set)
    for schema in _subclasses(Schema):
        if schema.__module__.startswith("coalition.") and schema.__name__ in described:
            modules_by_name[schema.__name__].add(schema.__module__)

    shared = {
        name: sorted(modules) for name, modules in modules_by_name.items() if len(modules) > 1
    }

    assert shared == {}
