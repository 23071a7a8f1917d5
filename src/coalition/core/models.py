from django.db import models


class ContentStamp(models.Model):
    """The version of one kind of public content ("members", "activities"), changed by every
    save or delete of it: kept pages (core.page_cache) are filed under these versions.

    A random token rather than a counter: a counter can come back to a value it had (a
    rolled-back transaction, a restored database) and find a page made from other data.
    """

    name = models.CharField(max_length=40, primary_key=True)
    token = models.CharField(max_length=32)

    class Meta:
        # The table was created by the `site` app, where this model began; moving the
        # model changed no table (see the two apps' migrations).
        db_table = "hub_site_contentstamp"

    def __str__(self):
        return f"{self.name}: {self.token}"


class SentMail(models.Model):
    """A transactional mail that left, by the key of its occasion and recipients
    (`core.mail.send_templated(..., once=...)`): a task run again after its worker died
    sends what it had not sent yet, not what it had."""

    key = models.CharField(max_length=40, unique=True)
    message_id = models.CharField(max_length=255)
    sent_at = models.DateTimeField(auto_now_add=True)

    def __str__(self):
        return self.message_id
