"""The government whose own site a text is from (text/publisher.py) and what it settles: the
country of the participants a government's readout leaves unqualified, on texts written for
the test."""

from __future__ import annotations

import pytest

from service.text.publisher import government_of
from tests.conftest import scripted_brief


@pytest.mark.parametrize(("source", "country"), [
    ("https://www.gov.uk/government/news/pm-call", "United Kingdom"),
    ("https://www.state.gov/readout-of-a-meeting/", "United States"),
    ("https://www.mofa.go.jp/press/release/page.html", "Japan"),
    ("https://sre.gob.mx/prensa/comunicado", "Mexico"),
    ("www.diplomatie.gouv.fr/en/news", "France"),  # pasted without its scheme
    ("https://www.auswaertiges-amt.de/en/newsroom", "Germany"),  # a listed ministry
    ("https://www.example-news.com/world/story", None),  # a news site
    ("https://www.wired-gov.net/wg/news.nsf", None),  # a republisher, not a government
    ("readout.txt", None),  # a file name
    ("Reuters, May 4", None),
    ("http://[not an address", None),
    (None, None),
])
def test_a_government_site_names_its_government(source: str | None, country: str | None) -> None:
    assert government_of(source) == country


READOUT = """Readout of the Deputy Secretary's Meeting with Foreign Minister Ana Lien of Chile

May 4, 2031

Deputy Secretary Tom Hale met with Foreign Minister Ana Lien of Chile in Washington today. They discussed copper supply chains and port security.
"""

TWO_UNQUALIFIED = """Readout of the President's Meeting with the Prime Minister

May 4, 2031

President Karl Borg met with Prime Minister Ana Lien at the palace today. They discussed copper supply chains and port security.
"""

PEOPLE_READOUT = [{"name": "Tom Hale", "country": None}, {"name": "Ana Lien", "country": "Chile"}]


def test_a_government_site_gives_its_own_principal_its_country() -> None:
    brief = scripted_brief(READOUT, source="https://www.state.gov/readout", participants=PEOPLE_READOUT)
    countries = {p.name: (p.country, p.country_inferred) for p in brief.participants}
    assert countries["Tom Hale"] == ("United States", True)
    assert countries["Ana Lien"][0] == "Chile"
    assert "United States" in brief.countries


def test_without_the_site_the_same_readout_leaves_its_principal_open() -> None:
    brief = scripted_brief(READOUT, source="https://www.example-news.com/x",
                           participants=PEOPLE_READOUT)
    assert {p.name: p.country for p in brief.participants}["Tom Hale"] is None


def test_two_people_named_without_a_country_stay_open_whoever_publishes() -> None:
    brief = scripted_brief(TWO_UNQUALIFIED, source="https://www.gov.uk/news/readout",
                           participants=[{"name": "Karl Borg", "country": None},
                                         {"name": "Ana Lien", "country": None}])
    assert [p.country for p in brief.participants] == [None, None]


def test_a_pasted_page_says_whose_site_it_is_by_its_canonical_address() -> None:
    from service.brief.pipeline import BriefPipeline, PipelineConfig
    from service.brief.prompts import load_prompts
    from service.schemas import BriefRequest
    from tests.conftest import ScriptedEngine, draft

    title, date, body = (part.strip() for part in READOUT.strip().split("\n\n"))
    page = ("<html><head><title>" + title + "</title>"
            '<link rel="canonical" href="https://www.state.gov/readout-of-a-meeting/">'
            "</head><body><article><h1>" + title + "</h1><p>" + date + "</p><p>" + body
            + "</p></article></body></html>")
    config = PipelineConfig(max_input_chars=50_000, max_input_tokens=4000, max_new_tokens=600,
                            repetition_penalty=1.05)
    engine = ScriptedEngine([draft(participants=PEOPLE_READOUT)])
    brief = BriefPipeline(engine, load_prompts(), config).run(BriefRequest(html=page))  # type: ignore[arg-type]
    assert {p.name: p.country for p in brief.participants}["Tom Hale"] == "United States"
