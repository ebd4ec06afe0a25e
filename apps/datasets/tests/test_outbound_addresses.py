"""Outbound address rules (url_import.check_address): IPv6 addresses that wrap an IPv4 address are refused,
whatever they wrap, and an address that wraps a private one is refused by what it wraps."""

import ipaddress

import pytest

from apps.datasets.url_import import UrlImportError, check_address, embedded_ipv4, resolve


@pytest.mark.parametrize(
    ("address", "wrapped"),
    [
        ("2002:7f00:1::", "127.0.0.1"),  # 6to4 of loopback
        ("2002:a00:1::1", "10.0.0.1"),  # 6to4 of a private address
        ("2002:5db8:d822::1", "93.184.216.34"),  # 6to4 of a public address: the range is refused outright
        ("2001:0:4136:e378:8000:63bf:f5ff:fffe", "10.0.0.1"),  # Teredo whose client is 10.0.0.1
        ("64:ff9b::a9fe:a9fe", "169.254.169.254"),  # NAT64 of the metadata address
        ("64:ff9b::5db8:d822", "93.184.216.34"),
        ("64:ff9b:1::c0a8:101", "192.168.1.1"),  # local-use NAT64
        ("::ffff:10.1.2.3", "10.1.2.3"),  # IPv4-mapped
        ("::ffff:93.184.216.34", "93.184.216.34"),
        ("::127.0.0.1", "127.0.0.1"),  # IPv4-compatible (deprecated)
        ("::ffff:0:a00:1", "10.0.0.1"),  # IPv4-translated
    ],
)
def test_ipv6_ranges_that_wrap_ipv4_are_refused(address, wrapped):
    assert embedded_ipv4(ipaddress.IPv6Address(address)) == ipaddress.IPv4Address(wrapped)
    with pytest.raises(UrlImportError, match="not a public internet address"):
        check_address(address)


@pytest.mark.parametrize("address", ["2606:4700:4700::5efe:a00:1", "2606:4700:4700::200:5efe:7f00:1"])
def test_an_isatap_address_wrapping_a_private_one_is_refused(address):
    with pytest.raises(UrlImportError, match=r"wrapping (10\.0\.0\.1|127\.0\.0\.1)"):
        check_address(address)


def test_an_isatap_address_wrapping_a_public_one_passes():
    check_address("2606:4700:4700::5efe:5db8:d822")


@pytest.mark.parametrize("address", ["2606:4700:4700::1111", "2a00:1450:4007:80e::200e", "93.184.216.34"])
def test_plain_public_addresses_pass(address):
    assert embedded_ipv4(ipaddress.ip_address(address)) is None if ":" in address else True
    check_address(address)


def test_wrapping_ranges_are_allowed_with_outbound_allow_private(settings, monkeypatch):
    monkeypatch.setattr("socket.getaddrinfo", lambda *a, **k: [(None, None, None, None, ("2002:a00:1::1", 80, 0, 0))])
    with pytest.raises(UrlImportError):
        resolve("six-to-four.example", 80)
    settings.OUTBOUND_ALLOW_PRIVATE = True
    assert resolve("six-to-four.example", 80) == "2002:a00:1::1"
