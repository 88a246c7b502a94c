"""Telling a job's `callback_url` that the job finished, without becoming a tool for request
forgery: callbacks are off unless allowed, go only to listed hosts, and the check is made on
the addresses the host resolves to, at each delivery.

An entry of BRIEF_CALLBACK_HOSTS is a host name, an IP address or a network (CIDR). A URL
passes when every address its host resolves to is in a listed network, or when its host name
is listed and none of those addresses is private, loopback, link-local or reserved: a listed
name whose DNS is turned to an internal address (rebinding) is refused. The request then
goes to the address that was checked, not to a second lookup (for https with the host's
name for SNI and the certificate check).

The body is signed with the job's key's own secret, so a tenant who can check its callbacks
cannot forge another tenant's: `X-Brief-Signature: sha256=<hex HMAC-SHA256 of
"<timestamp>.<url>.<body>">` keyed with `callback_key(BRIEF_CALLBACK_SECRET, owner)` (`brief
callback-key` prints it for an API key), with `X-Brief-Timestamp`, so a receiver can check
origin, freshness and that the call was meant for its URL. Redirects are never followed; a
failed delivery is retried with backoff; of the receiver's answer only its status line and
headers are read (a receiver cannot make the service read megabytes)."""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import ipaddress
import itertools
import json
import logging
import math
import socket
import time
from collections.abc import Awaitable, Callable, Iterator
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import httpx2
from tenacity import AsyncRetrying, retry_if_result, stop_after_attempt, wait_exponential

log = logging.getLogger(__name__)
IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network
Resolver = Callable[[str, int], Awaitable[list[str]]]


class CallbackRefused(Exception):
    """The URL may not be called; the message says why."""


@dataclass(frozen=True)
class CallbackPolicy:
    allowed: bool
    names: frozenset[str]
    networks: tuple[IPNetwork, ...]
    secret: bytes | None

    @classmethod
    def from_entries(cls, allowed: bool, entries: list[str], secret: str | None) -> CallbackPolicy:
        names, networks = set(), []
        for entry in entries:
            try:
                networks.append(ipaddress.ip_network(entry, strict=False))
            except ValueError:
                names.add(entry.lower().rstrip("."))
        return cls(allowed, frozenset(names), tuple(networks),
                   secret.encode() if secret else None)

    def check_url(self, url: str) -> tuple[str, str, int]:
        """(scheme, host, port) of a URL that may be called, before any lookup."""
        if not self.allowed:
            raise CallbackRefused("callbacks are off (BRIEF_ALLOW_CALLBACKS)")
        if self.secret is None:
            raise CallbackRefused("callbacks need a signing key (BRIEF_CALLBACK_SECRET)")
        try:
            parts = urlsplit(url)
            port = parts.port or (443 if parts.scheme == "https" else 80)
        except ValueError as exc:  # a bad port, an unclosed IPv6 bracket
            raise CallbackRefused(f"callback_url is not a usable URL ({exc})") from exc
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise CallbackRefused("callback_url must be an http or https URL with a host")
        if parts.username or parts.password:
            raise CallbackRefused("callback_url may not carry credentials")
        host = parts.hostname.lower().rstrip(".")
        # A host not named may still pass by its addresses, if networks are listed.
        if host not in self.names and not self.networks:
            raise CallbackRefused(f"{host} is not in BRIEF_CALLBACK_HOSTS")
        return parts.scheme, host, port

    def check_addresses(self, host: str, addresses: list[str]) -> None:
        if not addresses:
            raise CallbackRefused(f"{host} does not resolve")
        for text in addresses:
            address = ipaddress.ip_address(text)
            if any(address in network for network in self.networks):
                continue
            # An IPv6 address that carries an IPv4 one (IPv4-mapped "::ffff:127.0.0.1", NAT64
            # "64:ff9b::7f00:1") reaches that IPv4 address: it is judged as that address, so
            # "global" is not given to loopback or a private network in disguise.
            embedded = _embedded_ipv4(address)
            if host in self.names and address.is_global and (embedded is None or embedded.is_global):
                continue
            raise CallbackRefused(f"{host} resolves to {address}, which is not allowed")


_NAT64 = (ipaddress.IPv6Network("64:ff9b::/96"), ipaddress.IPv6Network("64:ff9b:1::/48"))


def _embedded_ipv4(address: ipaddress.IPv4Address | ipaddress.IPv6Address) -> ipaddress.IPv4Address | None:
    if not isinstance(address, ipaddress.IPv6Address):
        return None
    if address.ipv4_mapped is not None:
        return address.ipv4_mapped
    if any(address in network for network in _NAT64):
        return ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
    return None


async def resolve(host: str, port: int) -> list[str]:
    infos = await asyncio.get_running_loop().getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return sorted({str(info[4][0]) for info in infos})


def owner_of(api_key: str) -> str:
    """The owner a job made with `api_key` is stored under ("" without keys)."""
    return hashlib.sha256(api_key.strip().encode()).hexdigest() if api_key.strip() else ""


def callback_key(secret: bytes, owner: str) -> bytes:
    """The signing key of one API key's callbacks: derived from the service's secret and
    the owner, so each tenant is given only its own (as hex text, used as its UTF-8 bytes)."""
    return hmac.new(secret, b"brief-callback-key:" + owner.encode(),
                    hashlib.sha256).hexdigest().encode()


def signature(key: bytes, timestamp: str, url: str, body: bytes) -> str:
    signed = timestamp.encode() + b"." + url.encode() + b"." + body
    return f"sha256={hmac.new(key, signed, hashlib.sha256).hexdigest()}"


class CallbackSender:
    def __init__(self, policy: CallbackPolicy, *, attempts: int = 5, backoff_s: float = 1.0,
                 timeout_s: float = 10.0, resolver: Resolver = resolve,
                 transport: httpx2.AsyncBaseTransport | None = None) -> None:
        self.policy = policy
        self.attempts = attempts
        self.backoff_s = backoff_s
        self.timeout_s = timeout_s
        self._resolve = resolver
        self._transport = transport

    async def deliver(self, url: str, payload: dict[str, Any], owner: str) -> bool:
        """True once the receiver answered 2xx; False after the last failed attempt or when
        the URL is not (or no longer) allowed. Signed with `owner`'s key. `attempts` tries,
        `backoff_s` after the first failure, doubled after each further one."""
        body = json.dumps(payload).encode()
        tries = itertools.count(1)
        retrying = AsyncRetrying(
            retry=retry_if_result(lambda delivered: not delivered),
            stop=stop_after_attempt(self.attempts),
            wait=wait_exponential(multiplier=self.backoff_s, max=math.inf),
            retry_error_callback=lambda state: False,  # every attempt failed: not delivered
        )
        try:
            delivered: bool = await retrying(self._attempt, url, body, owner, tries)
        except CallbackRefused as exc:  # never retried: the same answer every time
            log.warning("callback refused: %s", exc)
            return False
        return delivered

    async def _attempt(self, url: str, body: bytes, owner: str,
                       tries: Iterator[int]) -> bool:
        """One delivery: True when the receiver answered 2xx; False (logged) when it did not
        or could not be reached; CallbackRefused when the URL may not be called."""
        attempt = next(tries)
        try:
            return await self._send_once(url, body, owner)
        except CallbackRefused:
            raise
        except (httpx2.HTTPError, OSError) as exc:
            log.warning("callback attempt %d failed: %s", attempt, exc)
        except Exception:  # never a callback left pending for ever
            log.exception("callback attempt %d failed", attempt)
        return False

    async def check(self, url: str) -> tuple[str, str, list[str]]:
        """(scheme, host, addresses) of a URL that may be called now; CallbackRefused if not.
        Made when a job names the URL, and again at each delivery."""
        scheme, host, port = self.policy.check_url(url)
        try:
            addresses = await self._resolve(host, port)
        except (OSError, UnicodeError) as exc:  # no such host; a name IDNA cannot encode
            raise CallbackRefused(f"{host} does not resolve ({exc})") from exc
        self.policy.check_addresses(host, addresses)
        return scheme, host, addresses

    async def _send_once(self, url: str, body: bytes, owner: str) -> bool:
        scheme, host, addresses = await self.check(url)
        # To the address just checked, not to whatever a second lookup would say (DNS
        # rebinding): the URL names the address; Host, and for https the TLS server name
        # (SNI and the certificate's check), stay the host's.
        parts = urlsplit(url)
        address = addresses[0]
        shown = f"[{address}]" if ":" in address else address
        netloc = f"{shown}:{parts.port}" if parts.port else shown
        target = urlunsplit((parts.scheme, netloc, parts.path, parts.query, ""))
        headers = {"content-type": "application/json", "host": parts.netloc}
        extensions = {"sni_hostname": host} if scheme == "https" else {}
        timestamp = str(int(time.time()))
        assert self.policy.secret is not None  # check_url refuses without one
        headers["x-brief-timestamp"] = timestamp
        key = callback_key(self.policy.secret, owner)
        headers["x-brief-signature"] = signature(key, timestamp, url, body)
        async with httpx2.AsyncClient(timeout=self.timeout_s, follow_redirects=False,
                                      transport=self._transport) as client, \
                client.stream("POST", target, content=body, headers=headers,
                              extensions=extensions) as response:
            # The status is the answer; the body is never read.
            status = response.status_code
        if 200 <= status < 300:
            return True
        log.warning("callback answered HTTP %d", status)
        return False
