"""An HTTP session for one webhook request that connects to an address checked beforehand.

`resolve_checked` resolves the host once and refuses the request when any address is not public
(domain/egress.py); `pinned_session` then connects to the first checked address while the request still names
the host: the Host header for routing on the receiver, and for https the SNI name and certificate check against
the host name (not the address). A DNS answer that changes between our check and the connection therefore
cannot redirect the request.

The session ignores the environment (`trust_env = False`): no HTTP(S)_PROXY, no ~/.netrc credentials, no
REQUESTS_CA_BUNDLE swap. A webhook goes straight to the receiver with nothing but what we put in it.
"""
import socket
from urllib.parse import urlsplit, urlunsplit

from services.notification.domain.egress import address_allowed


class AddressNotAllowed(Exception):
    """The host resolved to an address a webhook may not reach (or did not resolve)."""


def system_resolver(host: str, port: int) -> list[str]:
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return [info[4][0] for info in infos]


def resolve_checked(host: str, port: int, allow_loopback: bool, resolver=system_resolver) -> str:
    """The address to connect to. Every resolved address must pass: a name with one internal address among public
    ones is refused as a whole (round-robin DNS must not pick the internal one on a retry)."""
    try:
        addresses = resolver(host, port)
    except OSError:
        raise AddressNotAllowed("webhook_dns_error") from None
    if not addresses or not all(address_allowed(address, allow_loopback) for address in addresses):
        raise AddressNotAllowed("webhook_address_not_allowed")
    return addresses[0]


def pinned_request(url: str, address: str):
    """(URL aimed at `address`, Host header value) for a request to `url`."""
    parts = urlsplit(url)
    literal = f"[{address}]" if ":" in address else address
    netloc = f"{literal}:{parts.port}" if parts.port else literal
    return urlunsplit((parts.scheme, netloc, parts.path, parts.query, "")), parts.netloc


def pinned_session(url: str):
    """A requests.Session that connects to whatever address the URL names, checks the certificate against the
    original host of `url`, and ignores proxies and .netrc. Imported lazily (see channels/webhook.py)."""
    import requests
    from requests.adapters import HTTPAdapter

    host = urlsplit(url).hostname

    class PinnedHostAdapter(HTTPAdapter):
        def init_poolmanager(self, connections, maxsize, block=False, **pool_kwargs):
            # SNI and the certificate's name are the host's, although the socket goes to the checked address
            pool_kwargs["server_hostname"] = host
            pool_kwargs["assert_hostname"] = host
            super().init_poolmanager(connections, maxsize, block=block, **pool_kwargs)

    session = requests.Session()
    session.trust_env = False
    session.mount("https://", PinnedHostAdapter(max_retries=0))
    session.mount("http://", HTTPAdapter(max_retries=0))
    return session
