"""The government that published a text, where the text's own web address says it: a page
on a government's site ("https://www.gov.uk/...", "mofa.go.jp/...") is that government's
own, whatever the text says of itself. A republisher, a news site, a file name or no
address says nothing."""

from __future__ import annotations

from urllib.parse import urlsplit

from service.lang.government_sites import government_code
from service.text.countries import BY_CODE


def government_of(source: str | None) -> str | None:
    """The country (by the brief's name for it) whose government's site `source` is on, or
    None. `source` is the article's address, with or without its scheme."""
    if not source:
        return None
    address = source.strip()
    if "://" not in address:
        address = "//" + address  # "www.gov.uk/news/..." as pasted
    try:
        host = urlsplit(address).hostname
    except ValueError:
        return None  # not an address ("Reuters, 3 May")
    if not host or "." not in host:
        return None
    code = government_code(host)
    country = BY_CODE.get(code) if code else None
    return country.name if country else None
