"""Address policy: what counts as private, and names that resolve to private addresses."""

from __future__ import annotations

import ipaddress
import socket

import aiohttp
import pytest
from aiohttp.abc import AbstractResolver, ResolveResult

from service.netguard import AddressPolicy, BlockedAddressError, GuardedResolver, find_blocked


class StaticDNS(AbstractResolver):
    """A DNS that answers every name with one fixed address (a rebinding attacker's DNS)."""

    def __init__(self, address: str) -> None:
        self.address = address

    async def resolve(self, host: str, port: int = 0,
                      family: socket.AddressFamily = socket.AF_INET) -> list[ResolveResult]:
        fam = socket.AF_INET6 if ":" in self.address else socket.AF_INET
        return [{"hostname": host, "host": self.address, "port": port, "family": fam,
                 "proto": 0, "flags": socket.AI_NUMERICHOST}]

    async def close(self) -> None:
        pass


@pytest.mark.parametrize(("address", "public"), [
    ("8.8.8.8", True), ("2001:4860:4860::8888", True),
    ("127.0.0.1", False), ("10.1.2.3", False), ("172.16.0.1", False), ("192.168.1.1", False),
    ("169.254.169.254", False), ("100.64.0.1", False), ("224.0.0.1", False), ("0.0.0.0", False),
    ("::1", False), ("fe80::1", False), ("fc00::1", False), ("::ffff:127.0.0.1", False),
])
def test_only_public_addresses_pass_the_default_policy(address, public):
    assert AddressPolicy().allows(ipaddress.ip_address(address)) is public


def test_loopback_setting_allows_loopback_only():
    policy = AddressPolicy(allow_loopback=True)
    assert policy.allows(ipaddress.ip_address("127.0.0.1"))
    assert not policy.allows(ipaddress.ip_address("10.0.0.1"))


async def test_a_name_resolving_to_loopback_is_refused_at_connect_time():
    connector = aiohttp.TCPConnector(resolver=GuardedResolver(AddressPolicy(), StaticDNS("127.0.0.1")),
                                     use_dns_cache=False)
    async with aiohttp.ClientSession(connector=connector) as session:
        with pytest.raises(aiohttp.ClientError) as caught:
            await session.get("http://innocent-looking.example/hook")
    blocked = find_blocked(caught.value)
    assert isinstance(blocked, BlockedAddressError) and blocked.address == "127.0.0.1"
