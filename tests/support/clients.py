"""Test clients as a given person, and reading the API's answers."""


def signed_in(client, user):
    """`client` signed in as `user`; anonymous when `user` is None (a role matrix's first row)."""
    if user is not None:
        client.force_login(user)
    return client


def api_items(response):
    """The items of a successful API list answer."""
    assert response.status_code == 200, response.content
    return response.json()["items"]
