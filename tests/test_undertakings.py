"""A joint statement's undertakings (text/undertakings.py), on a statement written for the test."""

from __future__ import annotations

from service.text.article import prepare
from service.text.extract import extract
from service.text.undertakings import joint_undertakings

JOINT = """Norway-Chile Joint Statement

March 3, 2031

Norway and Chile are pleased to announce a framework for a fisheries and trade partnership.

Chile will lower its duties on Norwegian salmon feed and processing equipment to five percent.

Norway intends to purchase two billion dollars of Chilean copper and lithium over four years.

Both sides affirmed that the polar research accord of 1998 remains in force.

The framework between Norway and Chile will represent a new chapter in relations between them.

Peru will host a regional conference on ocean governance in the autumn of that year.

Officials described the partnership as a model for other coastal states in the region.
"""


def _sentences(text: str) -> list[str]:
    article = prepare(text)
    extraction = extract(article)
    found = joint_undertakings(article, extraction.header, extraction.country_mentions,
                               range(len(article.sentences)))
    return [article.sentence_text(n - 1) for n in found]


def test_a_joint_statements_parties_undertakings_are_found() -> None:
    found = _sentences(JOINT)
    assert [s.split()[0] for s in found] == ["Chile", "Norway", "Both"]
    assert "affirmed" in found[2]


def test_what_names_the_parties_without_being_one_is_no_undertaking() -> None:
    found = " ".join(_sentences(JOINT))
    assert "framework between" not in found  # the subject is the framework, not a party
    assert "Peru" not in found  # a country the title does not name is no party
    assert "Officials described" not in found  # no undertaking verb


def test_only_a_joint_statement_has_undertakings() -> None:
    # One government's statement: its "will" is its own plan, not a joint undertaking.
    solo = JOINT.replace("Norway-Chile Joint Statement", "Statement by the Government of Chile")
    assert _sentences(solo) == []
    readout = JOINT.replace("Norway-Chile Joint Statement", "Readout of a Norway-Chile Meeting")
    assert _sentences(readout) == []


def test_undertakings_are_agreements_even_where_the_model_chose_none() -> None:
    from service.brief.grounding import select_sentences

    article = prepare(JOINT)
    extraction = extract(article)
    everyone = range(len(article.sentences))
    found = joint_undertakings(article, extraction.header, extraction.country_mentions, everyone)
    chosen = select_sentences(article, "agreements", [], everyone, 2031, 6, None, found)
    texts = [article.sentence_text(n - 1) for n in chosen]
    assert any(t.startswith("Chile will lower") for t in texts)
    assert any(t.startswith("Norway intends") for t in texts)
    # A dated instrument named in a sentence does not date the sentence before the event.
    dated = JOINT.replace("to five percent", "under the decree of May 3, 2029")
    article = prepare(dated)
    extraction = extract(article)
    found = joint_undertakings(article, extraction.header, extraction.country_mentions, everyone)
    chosen = select_sentences(article, "agreements", [], everyone, 2031, 6, None, found)
    assert any(article.sentence_text(n - 1).startswith("Chile will lower") for n in chosen)
