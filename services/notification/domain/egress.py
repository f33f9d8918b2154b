"""Which resolved addresses a webhook may connect to (plain Python, no I/O).

The allow-list names hosts; DNS decides where a name points, and a changed record could aim an allow-listed name
at the database, the broker or a cloud metadata service. So the name is resolved once, every address it resolves to
is checked here, and the connection goes to the checked address (use_cases/channels/pinned_http.py), never to a
second lookup that could answer differently.
"""
import ipaddress


def address_allowed(address: str, allow_loopback: bool = False) -> bool:
    """True for a public unicast address. Private, loopback, link-local, multicast, reserved, unspecified,
    shared (100.64/10) and site-local addresses are refused; IPv4 mapped into IPv6 is judged as IPv4.

    `allow_loopback`: the test-only escape hatch (NOTIFICATION_WEBHOOK_TEST_LOOPBACK_HTTP) lets loopback through,
    and nothing else of the refused ranges.
    """
    try:
        ip = ipaddress.ip_address(address.split("%", 1)[0])  # an IPv6 zone id ("fe80::1%eth0") is not part of it
    except ValueError:
        return False
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    if ip.is_loopback:
        return allow_loopback
    return ip.is_global and not (ip.is_private or ip.is_link_local or ip.is_multicast or ip.is_reserved
                                 or ip.is_unspecified or getattr(ip, "is_site_local", False))
