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


# Written for these tests: a press availability with two speakers and a reporter's turn
# labelled "QUESTION".
AVAILABILITY = """Remarks by Minister Ida Berg and Minister Paul Roux

MINISTER BERG: We agreed today to open the Narva rail crossing to freight by June.

QUESTION: In May you told us the crossing would stay closed all year.

MINISTER ROUX: Our engineers will inspect the bridge at Narva in May.
"""


def test_a_turn_labelled_question_is_a_reporters() -> None:
    article = prepare(AVAILABILITY)
    asked = [article.sentence_text(i) for i in sorted(question_sentences(article))]
    assert any("stay closed all year" in t for t in asked)
    assert not any("inspect the bridge" in t for t in asked)


def test_who_has_the_floor_is_known_in_each_turn() -> None:
    from service.text.turns import speaker

    article = prepare(AVAILABILITY)
    by_sentence = {article.sentence_text(i): speaker(article, i)
                   for i in range(len(article.sentences))}
    assert next(s for t, s in by_sentence.items() if "open the Narva" in t) == "MINISTER BERG"
    assert next(s for t, s in by_sentence.items() if "inspect the bridge" in t) == "MINISTER ROUX"
    assert next(s for t, s in by_sentence.items() if "stay closed" in t) is None
    # One label on a page is a line of it, not a transcript.
    one = prepare("Statement: We condemn the attack on the Narva crossing in the strongest terms.")
    assert speaker(one, 0) is None


def test_a_claim_in_the_first_person_says_whose_words_it_is() -> None:
    from service.brief.claims import Claim, attributed

    article = prepare(AVAILABILITY)
    index = next(i for i in range(len(article.sentences))
                 if "inspect the bridge" in article.sentence_text(i))
    claim = attributed(Claim("Our engineers will inspect the bridge at Narva in May.", (index,)),
                       article)
    assert claim.text == "Minister Roux: Our engineers will inspect the bridge at Narva in May."
    # In the third person, the claim says who already.
    third = Claim("The engineers will inspect the bridge at Narva in May.", (index,))
    assert attributed(third, article) == third
