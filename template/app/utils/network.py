"""Which network a client address belongs to, for limits that a stranger must not share."""

import ipaddress

# One IPv6 customer usually holds a whole /64 and picks addresses in it at will.
IPV6_CLIENT_PREFIX = 64


def client_network(ip: str | None) -> str:
    """The IPv4 address itself, or the IPv6 /64 around the address; "unknown" without one."""
    try:
        address = ipaddress.ip_address(ip or "")
    except ValueError:
        return "unknown"
    if address.version == 6:
        return str(ipaddress.ip_network(f"{address}/{IPV6_CLIENT_PREFIX}", strict=False))
    return str(address)
