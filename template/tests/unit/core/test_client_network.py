import pytest

from app.core.client_network import client_network


@pytest.mark.parametrize(
    ("host", "key"),
    [
        ("198.51.100.4", "198.51.100.4"),
        ("2001:db8:1:2::a", "2001:db8:1:2::/64"),
        ("2001:db8:1:2:ffff:ffff:ffff:ffff", "2001:db8:1:2::/64"),
        ("2001:DB8:1:2:0:0:0:1", "2001:db8:1:2::/64"),
        ("::ffff:198.51.100.4", "198.51.100.4"),
        ("unknown", "unknown"),
    ],
)
def test_the_key_of_a_client(host: str, key: str) -> None:
    assert client_network(host) == key
