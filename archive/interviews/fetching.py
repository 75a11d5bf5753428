"""Import by web address: the server fetches a page for the admin upload.

Only http and https; a timeout; at most TRANSCRIPT_MAX_BYTES; only HTML
content types; and never a loopback, private, link-local or otherwise
non-public address (the server must not become a way into its own network)
unless IMPORT_ALLOW_PRIVATE_ADDRESSES is set, as the tests do to serve pages
from a local server. The address is checked after every redirect, and the
connection goes to the address that was checked, so a name that resolves
differently a moment later cannot slip past.
"""

from __future__ import annotations

import http.client
import ipaddress
import socket
from urllib.parse import urljoin, urlsplit

from django.conf import settings

from archive.lib.transcript import TranscriptError, gettext_noop

HTML_TYPES = ("text/html", "application/xhtml+xml")
MAX_REDIRECTS = 5
USER_AGENT = "ai-interview-archive (transcript import)"


class FetchError(TranscriptError):
    """The page could not be fetched; the message says why."""


def fetch_page(url: str) -> tuple[bytes, str]:
    """The page's bytes and the address it was finally fetched from."""
    for _ in range(MAX_REDIRECTS + 1):
        parts = urlsplit(url.strip())
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise FetchError(gettext_noop("only http:// and https:// addresses can be imported"))
        port = parts.port or (443 if parts.scheme == "https" else 80)
        address = _public_address(parts.hostname, port)
        connection_class = _PinnedHTTPSConnection if parts.scheme == "https" else _PinnedHTTPConnection
        connection = connection_class(parts.hostname, port, address=address, timeout=settings.IMPORT_FETCH_TIMEOUT)
        try:
            path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
            connection.request("GET", path, headers={"User-Agent": USER_AGENT, "Accept": ", ".join(HTML_TYPES)})
            response = connection.getresponse()
            if response.status in (301, 302, 303, 307, 308) and response.getheader("Location"):
                url = urljoin(url, response.getheader("Location"))
                continue
            return _body(response), url
        except (OSError, http.client.HTTPException) as error:
            raise FetchError(gettext_noop("the page could not be fetched (%(problem)s)"), problem=str(error) or type(error).__name__) from None
        finally:
            connection.close()
    raise FetchError(gettext_noop("it redirects more than %(count)s times"), count=MAX_REDIRECTS)


def _body(response: http.client.HTTPResponse) -> bytes:
    if response.status != 200:
        raise FetchError(gettext_noop("the server answered %(status)s %(reason)s"), status=response.status, reason=response.reason)
    content_type = (response.getheader("Content-Type") or "").split(";")[0].strip().lower()
    if content_type not in HTML_TYPES:
        raise FetchError(gettext_noop("it is %(type)s, not a web page (text/html)"), type=content_type or "of no declared type")
    limit = settings.TRANSCRIPT_MAX_BYTES
    declared = response.getheader("Content-Length")
    data = b"" if declared and declared.isdigit() and int(declared) > limit else response.read(limit + 1)
    if len(data) > limit or not data and declared and declared.isdigit() and int(declared) > limit:
        raise FetchError(gettext_noop("the page is larger than the limit of %(limit)s bytes"), limit=f"{limit:,}")
    return data


def _public_address(host: str, port: int) -> str:
    try:
        found = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except socket.gaierror as error:
        raise FetchError(gettext_noop("the address %(host)s cannot be resolved (%(problem)s)"), host=host, problem=error.strerror) from None
    for *_, sockaddr in found:
        address = ipaddress.ip_address(sockaddr[0])
        if address.is_global or settings.IMPORT_ALLOW_PRIVATE_ADDRESSES:
            return str(address)
    raise FetchError(gettext_noop("%(host)s is a loopback or private address; only public web pages can be imported"), host=host)


class _PinnedHTTPConnection(http.client.HTTPConnection):
    def __init__(self, host, port, *, address: str, timeout: float):
        super().__init__(host, port, timeout=timeout)
        self.address = address

    def connect(self):
        self.sock = socket.create_connection((self.address, self.port), self.timeout)


class _PinnedHTTPSConnection(http.client.HTTPSConnection):
    def __init__(self, host, port, *, address: str, timeout: float):
        super().__init__(host, port, timeout=timeout)
        self.address = address

    def connect(self):
        sock = socket.create_connection((self.address, self.port), self.timeout)
        self.sock = self._context.wrap_socket(sock, server_hostname=self.host)
