"""A joint statement's undertakings (text/undertakings.py), on a statement written for the test."""

from __future__ import annotations

import pytest

from service.text.article import prepare
from service.text.extract import extract
from service.text.undertakings import joint_undertakings

JOINT = """Norway-Chile Joint Statement

March 3, 2031

Norway and Chile announce a framework for a fisheries and trade partnership.

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
    from service.brief.outcomes import select_sentences

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


@pytest.mark.parametrize(("sentence", "undertaking"), [
    ("Chile will lower its duties on Norwegian salmon feed to five percent next year.", True),
    ("We'll fund two research vessels for the polar programme from next year on.", True),
    ("Both governments confirmed their intention to expand the polar research programme.",
     True),
    ("Norway will lower its duties on copper wire and buy more Chilean lithium each year.", True),
    # A condition, what someone else reports, a question, a forecast, what befalls a party:
    ("If Chile raises its tariffs again, Norway will suspend the salmon feed quota at once.",
     False),
    ("Unless the talks succeed, Chile will impose new duties on Norwegian feed in spring.", False),
    ("Russia said that Norway will not be allowed to fish in the Barents zone this year.", False),
    ("Will Norway and Chile lower their tariffs on copper wire and salmon feed soon?", False),
    ("Chile will probably see its copper exports to Norway fall sharply next year.", False),
    ("Both countries will face higher energy prices in the coming winter months.", False),
    # Someone who is not a party, though named with a party's word:
    ("Peru and Argentina have said they will join the partnership talks next year.", False),
    ("The Russian government will send observers to the fisheries talks next spring.", False),
    ("Other countries will be invited to join the partnership in a later round.", False),
])
def test_only_the_parties_own_undertakings_count(sentence: str, undertaking: bool) -> None:
    text = JOINT.replace("Peru will host a regional conference on ocean governance in the autumn "
                         "of that year.", sentence)
    assert (sentence in _sentences(text)) is undertaking


def test_a_statement_on_a_joint_plan_is_not_a_joint_statement() -> None:
    title = "Statement by the Press Secretary on the Joint Plan of Action"
    assert _sentences(JOINT.replace("Norway-Chile Joint Statement", title)) == []
