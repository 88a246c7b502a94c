"""Section headings: where a text names its own subjects, and which lines are no heading."""

from __future__ import annotations

from service.text.article import prepare
from service.text.extract import extract
from service.text.sections import heading_subjects, section_headings
from tests.test_document import _brief

FACT_SHEET = """Chile and Norway Renew Their Partnership

May 4, 2025

Santiago

Chile's and Norway's foreign ministers met in Santiago on Sunday and renewed their partnership.

Trade, Salmon Farming and Migration

The two governments will cut tariffs on farmed salmon and copper wire by half next year.

Cooperation on Clean Hydrogen

Both sides will fund two pilot plants on the Atacama coast before 2028.

Talks stall over quotas

The quota talks ended without agreement, officials of both ministries said.

A long road back

Relations had been cool for years before the ministers began meeting again in 2024.

Copper, water and Peru

The copper trade has doubled since the tariffs were first cut, and Peru wants a share.

10:42 A.M. CLT

The ministers will meet again in Oslo in the autumn to review the pilot plants.
"""


def test_headings_stand_between_paragraphs_of_prose() -> None:
    article = prepare(FACT_SHEET)
    lines = [article.clean[s.start : s.end] for s in section_headings(article)]
    # The title, the date and place lines above the first paragraph, and a time line, are no
    # section's heading.
    assert lines == ["Trade, Salmon Farming and Migration", "Cooperation on Clean Hydrogen",
                     "Talks stall over quotas", "A long road back", "Copper, water and Peru"]


def test_title_case_headings_name_subjects_and_a_writers_subheads_only_their_places() -> None:
    subjects = heading_subjects(prepare(FACT_SHEET))
    assert subjects[:4] == ["Trade", "Salmon Farming", "Migration", "Cooperation on Clean Hydrogen"]
    assert "Peru" in subjects  # a place a sentence-case subhead names
    for line in ("Copper", "water", "Talks stall over quotas", "A long road back"):
        assert line not in subjects


def test_a_headings_subjects_are_the_briefs_topics() -> None:
    brief = _brief(FACT_SHEET, topics=["partnership"])
    assert {"Trade", "Salmon Farming", "Migration"} <= set(brief.topics)
    assert any("Clean Hydrogen" in t for t in brief.topics)
    # A heading's capitals make no one's name.
    assert brief.participants == []
    assert extract(prepare(FACT_SHEET)).persons == []


def test_a_text_without_headings_has_none() -> None:
    text = ("Foreign Minister Ana Soto met Foreign Minister Rui Lopes of Peru in Lima on Monday.\n"
            "They spoke about the anchovy catch and the port fees for fishing boats.\n")
    assert heading_subjects(prepare(text)) == []


def test_a_numbered_heading_loses_its_label_and_names_or_furniture_are_no_headings() -> None:
    text = """Chile and Norway Renew Ties

May 4, 2025

Chile's and Norway's foreign ministers met in Santiago on Sunday and renewed their partnership.

2. Energy and Ports

The two governments will cut tariffs on farmed salmon and copper wire by half next year.

Reuters

Both sides will fund two pilot plants on the Atacama coast before 2028.

Most Read

The quota talks ended without agreement, officials of both ministries said.

Lima, Peru

Relations had been cool for years before the ministers began meeting again in 2024.
"""
    assert heading_subjects(prepare(text)) == ["Energy", "Ports"]
