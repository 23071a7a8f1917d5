"""An OAI-PMH 2.0 client over httpx that streams each page into `oai.xml`.

Why not a library: oaipmh-scythe 0.16 (the maintained one) and Sickle 0.7 both read
each response whole (`response.text`, then `etree.XML`), so memory grows with the page
and no page-size cap is possible; they decode with the HTTP library's guess rather
than the document's declaration; Sickle raises an HTTP error on servers that send OAI
errors with HTTP 4xx (e.g. 422 badResumptionToken) and its parser can lose a token on
very large pages; neither honours Retry-After nor retries a broken connection. pyoai
no longer works with lxml 5. What is written here is only that: the HTTP exchange with
retries and the streamed, entity-safe parse; the protocol logic (paging, checkpoints,
badResumptionToken restarts) is the harvester's. Both libraries are used in the tests
as independent harvesters of the Hub's own provider.

Retries: connection errors, timeouts and HTTP 5xx are retried `attempts` times with
exponential backoff (`backoff` × 2ⁿ seconds, jittered); HTTP 503/429 with Retry-After
wait what the server asks, up to `max_retry_after` (a longer wait raises
`Unavailable`, so the run stops cleanly and resumes next time instead of holding a
worker for hours). A 4xx whose body is an OAI-PMH error is read as that error; other
4xx answers raise `HTTPFailure` at once.
"""

import email.utils
import random
import time
from datetime import UTC, datetime

import httpx

from .xml import DEFAULT_MAX_BYTES, BrokenPage, FormatInfo, PageEnd, parse_response

USER_AGENT = "OER-Coalition-Hub-harvester/1.0 (OAI-PMH 2.0)"


class HarvestError(Exception):
    """A failure with a message meant for the source's focal point."""


class Unreachable(HarvestError):
    pass


class Unavailable(HarvestError):
    pass


class HTTPFailure(HarvestError):
    pass


class OAIError(HarvestError):
    def __init__(self, errors):
        self.errors = errors  # [(code, message)]
        self.codes = {code for code, _message in errors}
        super().__init__("; ".join(f"{code}: {message}".strip(": ") for code, message in errors))


class OAIClient:
    def __init__(
        self,
        base_url,
        *,
        timeout=60.0,
        attempts=4,
        backoff=2.0,
        max_retry_after=300,
        max_bytes=DEFAULT_MAX_BYTES,
        sleep=time.sleep,
        transport=None,
    ):
        self.base_url = base_url
        self.attempts = attempts
        self.backoff = backoff
        self.max_retry_after = max_retry_after
        self.max_bytes = max_bytes
        self.sleep = sleep
        self.waited = 0.0
        self.http = httpx.Client(
            timeout=httpx.Timeout(timeout, connect=min(timeout, 15.0)),
            headers={"User-Agent": USER_AGENT, "Accept": "text/xml, application/xml"},
            follow_redirects=True,
            transport=transport,
        )

    def close(self):
        self.http.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    # The HTTP exchange ----------------------------------------------------------------

    def _pause(self, attempt, retry_after=None):
        delay = retry_after if retry_after is not None else self.backoff * 2**attempt
        delay = delay * (1 + random.random() / 4) if retry_after is None else delay  # noqa: S311
        self.waited += delay
        self.sleep(delay)

    def _open(self, params):
        last = ""
        for attempt in range(self.attempts):
            try:
                request = self.http.build_request("GET", self.base_url, params=params)
                response = self.http.send(request, stream=True)
            except httpx.TimeoutException:
                last = "the server did not answer in time"
            except httpx.HTTPError as error:
                last = f"the server could not be reached ({error.__class__.__name__}: {error})"
            else:
                status = response.status_code
                if status in (429, 503):
                    retry_after = _retry_after(response.headers.get("Retry-After"))
                    response.close()
                    if retry_after is not None and retry_after > self.max_retry_after:
                        raise Unavailable(
                            f"the server is busy (HTTP {status}) and asked to come back "
                            f"in {int(retry_after)} seconds"
                        )
                    last = f"the server is busy (HTTP {status})"
                    if attempt + 1 < self.attempts:
                        self._pause(attempt, retry_after)
                    continue
                if status >= 500:
                    response.close()
                    last = f"the server failed (HTTP {status})"
                elif status >= 300 and status < 400:
                    response.close()
                    raise HTTPFailure(f"the server redirected without a location (HTTP {status})")
                else:
                    return response
            if attempt + 1 < self.attempts:
                self._pause(attempt)
        raise Unreachable(f"{last} after {self.attempts} attempts")

    def items(self, verb, **params):
        """Yield the items of one response, then its `PageEnd` (see oai.xml)."""
        response = self._open({"verb": verb, **{k: v for k, v in params.items() if v}})
        status = response.status_code
        try:
            yield from parse_response(
                response.iter_bytes(),
                http_charset=response.charset_encoding,
                max_bytes=self.max_bytes,
            )
        except BrokenPage as error:
            if status >= 400:
                raise HTTPFailure(f"the server refused the request (HTTP {status})") from error
            raise
        except httpx.HTTPError as error:
            raise BrokenPage(f"the connection broke while the page was read ({error})") from error
        finally:
            response.close()

    def page_end(self, verb, **params):
        """Read a small response whole (Identify, ListMetadataFormats) into its items."""
        items, end = [], None
        for item in self.items(verb, **params):
            if isinstance(item, PageEnd):
                end = item
            else:
                items.append(item)
        if end.errors:
            raise OAIError(end.errors)
        return items, end

    # Verbs used when a source is registered -------------------------------------------

    def identify(self):
        _items, end = self.page_end("Identify")
        if not end.identify:
            raise BrokenPage("the server's answer to Identify has no Identify element")
        return end.identify

    def list_metadata_formats(self):
        items, _end = self.page_end("ListMetadataFormats")
        return [item for item in items if isinstance(item, FormatInfo)]


def _retry_after(value):
    """Seconds from a Retry-After header (delta-seconds or an HTTP date), or None."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - datetime.now(UTC)).total_seconds())
