"""HTTP fetching for ``conflictmap watch``, through httpx: conditional, bounded, plain-worded errors.

Every request has a timeout (per read, and for the whole body), every body a
size cap counted after decompression (so a compressed bomb stops early), and at
most ``MAX_REDIRECTS`` redirects are followed. A conditional request sends the
validators of the last good response (``If-None-Match`` / ``If-Modified-Since``)
and a 304 answer comes back as a :class:`Response` with ``not_modified`` set.
Anything else that goes wrong is a :class:`FetchError` whose message is one
sentence a reader of the Feeds page understands.
"""
from __future__ import annotations

import time
from dataclasses import dataclass
from http import HTTPStatus
from types import TracebackType
from urllib.parse import urlsplit

import httpx

#: Sent with every request, so a site's operators can tell who polls them.
USER_AGENT = "ConflictMap feed watcher (conflictmap watch; httpx)"
#: Redirects followed before giving up (a moved feed needs one or two).
MAX_REDIRECTS = 3
#: The largest body read (bytes, after decompression); a feed or article page is far smaller.
MAX_BYTES = 10 * 1024 * 1024
#: The whole body must arrive within this many timeouts, so a server dripping bytes cannot hold us.
_TOTAL_TIMEOUTS = 3


@dataclass(frozen=True)
class Response:
    """A usable answer: 200 with a body, or 304 (not modified) without one."""

    url: str
    status: int
    body: bytes = b""
    etag: str = ""
    last_modified: str = ""
    content_type: str = ""

    @property
    def not_modified(self) -> bool:
        """True for a 304: the document is the one fetched last time."""
        return self.status == HTTPStatus.NOT_MODIFIED


class FetchError(Exception):
    """A request failed; ``str(error)`` says why in plain words.

    ``retry_after`` is the wait (seconds) the server asked for with a 429 or 503, else None.
    """

    def __init__(self, message: str, retry_after: float | None = None) -> None:
        super().__init__(message)
        self.retry_after = retry_after


class Fetcher:
    """One HTTP client for all feeds of a watch (connections are reused).

    Parameters
    ----------
    max_bytes : int
        The size cap of every body.
    user_agent : str
        The ``User-Agent`` header.
    transport : httpx.BaseTransport, optional
        For tests (``httpx.MockTransport``); default: the network.
    """

    def __init__(self, *, max_bytes: int = MAX_BYTES, user_agent: str = USER_AGENT,
                 transport: httpx.BaseTransport | None = None) -> None:
        self.max_bytes = max_bytes
        self._client = httpx.Client(
            headers={"User-Agent": user_agent, "Accept": _ACCEPT},
            follow_redirects=True,
            max_redirects=MAX_REDIRECTS,
            transport=transport,
        )

    def __enter__(self) -> Fetcher:
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None) -> None:
        self.close()

    def close(self) -> None:
        """Close the pooled connections."""
        self._client.close()

    def get(self, url: str, *, timeout: float, etag: str = "", last_modified: str = "") -> Response:
        """Fetch ``url``, conditionally when validators are given.

        Parameters
        ----------
        url : str
            An http(s) address.
        timeout : float
            Seconds for connecting and for each read; the whole body gets
            three times as long.
        etag, last_modified : str
            The validators of the last good response ("" for none).

        Returns
        -------
        Response
            The body and its validators, or a 304 without a body.

        Raises
        ------
        FetchError
            No usable answer: connection failure, timeout, too many redirects,
            an error status, or a body over the size cap.
        """
        headers = {}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        host = urlsplit(url).hostname or url
        try:
            with self._client.stream("GET", url, headers=headers, timeout=httpx.Timeout(timeout)) as answer:
                if answer.status_code == HTTPStatus.NOT_MODIFIED:
                    return Response(str(answer.url), answer.status_code, etag=etag, last_modified=last_modified)
                if answer.status_code != HTTPStatus.OK:  # 4xx, 5xx, and a 2xx/3xx without a document
                    raise FetchError(_status_error(answer), _retry_after(answer))
                body = self._read_body(answer, timeout)
                return Response(
                    str(answer.url), answer.status_code, body,
                    etag=answer.headers.get("ETag", ""),
                    last_modified=answer.headers.get("Last-Modified", ""),
                    content_type=answer.headers.get("Content-Type", ""),
                )
        except httpx.TimeoutException as exc:
            raise FetchError(f"{host} did not answer within {timeout:g} seconds") from exc
        except httpx.TooManyRedirects as exc:
            raise FetchError(f"{host} redirected more than {MAX_REDIRECTS} times") from exc
        except httpx.ConnectError as exc:
            raise FetchError(f"could not connect to {host} ({_reason(exc)})") from exc
        except (httpx.RemoteProtocolError, httpx.ReadError) as exc:
            raise FetchError(f"{host} broke off the answer ({_reason(exc)})") from exc
        except httpx.HTTPError as exc:
            raise FetchError(f"the request to {host} failed ({_reason(exc)})") from exc

    def _read_body(self, answer: httpx.Response, timeout: float) -> bytes:
        declared = answer.headers.get("Content-Length", "")
        if declared.isdigit() and int(declared) > self.max_bytes:
            raise FetchError(_too_large(self.max_bytes))
        deadline = time.monotonic() + _TOTAL_TIMEOUTS * timeout
        chunks, size = [], 0
        for chunk in answer.iter_bytes():
            size += len(chunk)
            if size > self.max_bytes:
                raise FetchError(_too_large(self.max_bytes))
            if time.monotonic() > deadline:
                raise FetchError(f"the answer took over {_TOTAL_TIMEOUTS * timeout:g} seconds to arrive")
            chunks.append(chunk)
        return b"".join(chunks)


_ACCEPT = ("application/rss+xml, application/atom+xml, application/xml;q=0.9, application/json;q=0.9, "
           "text/html;q=0.8, */*;q=0.5")


def _status_error(answer: httpx.Response) -> str:
    try:
        phrase = HTTPStatus(answer.status_code).phrase
    except ValueError:
        phrase = "unknown status"
    return f"the server answered {answer.status_code} {phrase}"


def _retry_after(answer: httpx.Response) -> float | None:
    value = answer.headers.get("Retry-After", "")
    # Only the seconds form; an HTTP date is rare for feeds and the backoff covers it.
    if answer.status_code in (429, 503) and value.strip().isdigit():
        return float(value.strip())
    return None


def _too_large(limit: int) -> str:
    return f"the answer is larger than {limit / 1048576:g} MB, the most a watch reads"


def _reason(exc: Exception) -> str:
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    return text[:160]
