"""Factories, one module per app: `tests.factories.members`, `.activities`, `.updates`.

They build data the way the Hub does, through the services where it matters (a published
activity is submitted and approved), so that a test starts from a state users can reach.
"""
