"""A transcript's turns (text/turns.py): a reporter's question is never a claim of the brief,
and a speaker's label is never part of one."""

from __future__ import annotations

from service.text.article import prepare
from service.text.clauses import main_clause
from service.text.turns import question_sentences
from tests.conftest import scripted_brief

# Written for this test: a ministry's briefing, with bare "Q" turns and a labelled one.
BRIEFING = """Press Briefing by Spokesperson Ines Moreau

March 3, 2026

MS. MOREAU: Good afternoon. The Minister met the Chilean Foreign Minister this morning and both agreed to open a consulate in Valparaíso by June.

Q I'm wondering how you square the new consulate with the budget cuts to the embassy network announced last month.

MS. MOREAU: The consulate is paid for by savings on rented offices in Santiago.

Q: Will the Minister travel to Chile this year?

MS. MOREAU: Our Minister is due in Santiago in October for the joint commission on copper.
"""


def test_a_reporters_turn_is_known_by_its_q() -> None:
    article = prepare(BRIEFING)
    asked = question_sentences(article)
    texts = [article.sentence_text(i) for i in sorted(asked)]
    assert any("square the new consulate" in t for t in texts)
    assert any("travel to Chile this year" in t for t in texts)
    assert not any("consulate in Valparaíso" in t for t in texts)


def test_a_speakers_label_is_no_part_of_the_claim() -> None:
    article = prepare(BRIEFING)
    index = next(i for i in range(len(article.sentences))
                 if "paid for by savings" in article.sentence_text(i))
    clause = main_clause(article, index)
    assert clause is not None
    assert clause.text.startswith("The consulate is paid for")


def test_no_key_point_or_summary_sentence_is_a_reporters_question() -> None:
    brief = scripted_brief(BRIEFING, key_points=[5, 6, 7, 8])
    said = " ".join([brief.summary, *brief.key_points])
    assert "wondering" not in said and "budget cuts" not in said
    assert "MS. MOREAU:" not in said
