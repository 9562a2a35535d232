"""Refuse outgoing connections to addresses the service must never reach (SSRF).

Feeds and webhook targets are URLs typed by other people; without a check, a URL such as
``http://169.254.169.254/`` or a name that resolves to ``127.0.0.1`` turns the service
into a proxy into its own network. The check runs on the addresses DNS actually returns,
at connection time, so a name cannot resolve to one address when checked and another when
used (svix/svix-webhooks, miniflux/v2).
"""

from __future__ import annotations

import ipaddress
import socket
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from aiohttp.abc import AbstractResolver, ResolveResult
from aiohttp.resolver import DefaultResolver

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address


class BlockedAddressError(OSError):
    """A URL resolved to an address the policy refuses."""

    def __init__(self, host: str, address: str) -> None:
        super().__init__(f"{host} resolves to {address}, a non-public address; refused")
        self.host = host
        self.address = address


@dataclass(frozen=True)
class AddressPolicy:
    """Which non-public addresses a client may reach."""

    allow_loopback: bool = False
    allow_private: bool = False  # private, link-local, shared and reserved ranges too

    def allows(self, address: IPAddress) -> bool:
        if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
            address = address.ipv4_mapped
        if address.is_multicast or address.is_unspecified:
            return False
        if address.is_loopback:
            return self.allow_loopback or self.allow_private
        if address.is_global:
            return True
        return self.allow_private


def check_url(url: str, policy: AddressPolicy) -> None:
    """Refuse a URL that is not http(s) or that names a refused IP literal.

    Host names are checked later, after resolution, by ``GuardedResolver``; aiohttp does
    not call the resolver for IP literals, so those are checked here.
    """
    parts = urlsplit(url)
    if parts.scheme not in {"http", "https"}:
        raise ValueError(f"only http and https URLs are allowed, not {parts.scheme or 'none'!r}")
    host = parts.hostname
    if not host:
        raise ValueError("the URL has no host")
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        is_localhost = host.lower() == "localhost" or host.lower().endswith(".localhost")
        if is_localhost and not (policy.allow_loopback or policy.allow_private):
            raise BlockedAddressError(host, "loopback") from None
        return
    if not policy.allows(address):
        raise BlockedAddressError(host, str(address))


class GuardedResolver(AbstractResolver):
    """A resolver that drops refused addresses and fails when none is left."""

    def __init__(self, policy: AddressPolicy, inner: AbstractResolver | None = None) -> None:
        self._policy = policy
        self._inner = inner or DefaultResolver()

    async def resolve(
        self, host: str, port: int = 0, family: socket.AddressFamily = socket.AF_INET
    ) -> list[ResolveResult]:
        results = await self._inner.resolve(host, port, family)
        allowed = [r for r in results if self._policy.allows(ipaddress.ip_address(r["host"]))]
        if not allowed:
            raise BlockedAddressError(host, results[0]["host"] if results else "nothing")
        return allowed

    async def close(self) -> None:
        await self._inner.close()


def find_blocked(error: BaseException | None) -> BlockedAddressError | None:
    """The ``BlockedAddressError`` somewhere in an exception's cause chain, if any."""
    seen: set[int] = set()
    current: Any = error
    while current is not None and id(current) not in seen:
        if isinstance(current, BlockedAddressError):
            return current
        seen.add(id(current))
        current = getattr(current, "os_error", None) or current.__cause__ or current.__context__
    return None
