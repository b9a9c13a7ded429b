"""The client key of every per-client rate limit: an IPv4 address, or an IPv6 client's /64."""

import ipaddress

# One IPv6 subscriber holds at least a /64 (SLAAC and privacy addresses pick freely inside
# it): counted per address, one client would have 2**64 budgets. RFC 6177, RFC 7381.
IPV6_CLIENT_PREFIX = 64


def client_network(host: str) -> str:
    """`host` as rate limits count it: an IPv4 address (an IPv4-mapped IPv6 one included)
    as it is, an IPv6 address as its /64 network."""
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return host  # no address (a Unix socket, a test transport): its name is the key
    if isinstance(address, ipaddress.IPv4Address):
        return str(address)
    if address.ipv4_mapped is not None:
        return str(address.ipv4_mapped)
    return str(ipaddress.IPv6Network((address, IPV6_CLIENT_PREFIX), strict=False))
