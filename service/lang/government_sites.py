"""Which government a web address belongs to: most governments publish under a government
label in their country's domain ("gov.uk", "go.jp", "gob.mx", "gouv.fr", "govt.nz"); the
others are listed in `data/government_domains.psv`."""

from __future__ import annotations

from functools import lru_cache
from importlib import resources

# The labels governments put under their country's domain: "www.fco.gov.uk", "mofa.go.jp",
# "sre.gob.mx", "diplomatie.gouv.fr", "mfat.govt.nz", "bmeia.gv.at", "presidencia.gub.uy".
GOVERNMENT_LABELS = frozenset({"gov", "go", "gob", "gouv", "govt", "gv", "gub", "gop"})
# Country-code domains that are not the ISO code.
_DOMAIN_CODES = {"uk": "GB"}


@lru_cache(maxsize=1)
def government_domains() -> dict[str, str]:
    """Domain -> ISO code, for the governments whose address follows no pattern."""
    text = resources.files("service.lang").joinpath("data", "government_domains.psv").read_text(
        encoding="utf-8")
    rows = (line.split("|") for line in text.splitlines()
            if line.strip() and not line.startswith("#"))
    return {domain.strip().lower(): code.strip() for domain, code in rows}


def government_code(host: str) -> str | None:
    """The ISO code of the government whose site `host` is ("www.gov.uk" -> "GB"), or None
    for anyone else's."""
    labels = host.lower().rstrip(".").split(".")
    listed = government_domains()
    for start in range(len(labels)):
        code = listed.get(".".join(labels[start:]))
        if code is not None:
            return code
    if len(labels) >= 2 and labels[-2] in GOVERNMENT_LABELS and len(labels[-1]) == 2:
        return _DOMAIN_CODES.get(labels[-1], labels[-1].upper())
    return None
