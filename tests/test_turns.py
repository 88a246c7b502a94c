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


# Written for these tests: remarks before a meeting, where the leaders' words name neither of
# them: only the turns' labels say whose words they are.
REMARKS = """Remarks by President Lena Varga and Prime Minister Tomas Reyes in the Blue Room

PRESIDENT VARGA: Well, welcome, Prime Minister.

PRIME MINISTER REYES: Thank you.

PRESIDENT VARGA: Welcome back to the capital.

It has been a long road since the flood.

Our engineers finished the new levee on the Sava this spring, and it held in May.

We will open the rebuilt grain terminal at Kordun to your ships next month.

PRIME MINISTER REYES: Our farmers are grateful, and on — on the river side we are a steady partner.

Our navy will escort the first grain convoy to Kordun in October.

I won't go into the escort's route today.

With that, I'll stop there and take your questions.
"""


def test_a_participants_own_turn_is_near_them_though_it_never_names_them() -> None:
    from service.brief.outcomes import sentences_near
    from service.text.extract import extract

    # Longer than a short page (every sentence of which is near its people): the president
    # goes on about the river before the prime minister takes the floor.
    river = ("The river rose four metres in a night, the old levee gave way at two places, "
             "and the water stood in the streets of the lower town for eleven days.")
    long = REMARKS.replace("\n\nPRIME MINISTER REYES: Our farmers",
                           "\n\n" + "\n\n".join([river] * 8)
                           + "\n\nPRIME MINISTER REYES: Our farmers")
    article = prepare(long)
    assert len(article.clean.split()) > 300
    people = [p for p in extract(article).persons if p.name in ("Lena Varga", "Tomas Reyes")]
    assert len(people) == 2
    near = {article.sentence_text(i) for i in sentences_near(article, people)}
    assert any("grain terminal at Kordun" in t for t in near)
    assert any("escort the first grain convoy" in t for t in near)
    # Without the turns, a paragraph far from every name is not near: one person only.
    varga = [p for p in people if p.name == "Lena Varga"]
    only_hers = {article.sentence_text(i) for i in sentences_near(article, varga)}
    assert any("grain terminal at Kordun" in t for t in only_hers)
    assert not any("escort the first grain convoy" in t for t in only_hers)


def test_a_speakers_false_start_is_said_once_and_a_correction_kept() -> None:
    from service.brief.claims import Claim, attributed
    from service.text.turns import without_false_starts

    article = prepare(REMARKS)
    index = next(i for i in range(len(article.sentences))
                 if "steady partner" in article.sentence_text(i))
    claim = attributed(Claim("On — on the river side we are a steady partner.", (index,)),
                       article)
    assert claim.text == "Prime Minister Reyes: On the river side we are a steady partner."
    assert without_false_starts("I'm not — I'm not sure") == "I'm not sure"
    assert without_false_starts("we had planned — have opened a port") == (
        "we had planned — have opened a port")
    assert without_false_starts("the years 1990 – 1995") == "the years 1990 – 1995"


def test_talk_about_the_exchange_is_no_claim() -> None:
    from service.brief.claims import is_preamble

    assert is_preamble("I won't go into the escort's route today.")
    assert is_preamble("We can’t speak to what the two leaders said in private.")
    assert is_preamble("With that, I'll stop there and take your questions.")
    assert is_preamble("I’d like to offer some opening words on the week ahead.")
    assert not is_preamble("I'd like to offer the data from the pilot farms.")
    assert not is_preamble("Our navy will escort the first grain convoy to Kordun in October.")
    assert not is_preamble("The ministers agreed not to comment the rules of origin again.")
    # News in the third person is no talk about the talk.
    assert not is_preamble("Kyiv won't speak to Moscow until the troops have left.")
    assert not is_preamble("The ferry will stop there to take on fuel.")


def test_a_remarks_key_points_are_the_speakers_words_not_their_talk_about_the_talk() -> None:
    brief = scripted_brief(REMARKS, participants=[
        {"name": "Lena Varga", "country": None}, {"name": "Tomas Reyes", "country": None}])
    said = " ".join([brief.summary, *brief.key_points])
    assert "grain convoy" in said or "grain terminal" in said
    assert "escort's route" not in said and "stop there" not in said
    assert "on — on" not in said


def test_a_speakers_address_to_the_listener_is_no_part_of_the_claim() -> None:
    from service.text.turns import without_address, without_false_starts

    assert without_address("Mr. President, at the harbour level we are ready.") == (
        "At the harbour level we are ready.")
    assert without_address("Your Excellency, the ferries sail on Monday.") == (
        "The ferries sail on Monday.")
    # A name and its aside are the subject, no address.
    assert without_address("President Roe, who landed today, opened the port.") == (
        "President Roe, who landed today, opened the port.")
    assert without_address("President Roe, the host, opened the port.") == (
        "President Roe, the host, opened the port.")
    assert without_address("Mr. President,  ") == "Mr. President,  "
    # A score or a share is no false start.
    assert without_false_starts("a 50–50 share of the catch") == "a 50–50 share of the catch"


def test_a_claim_whose_object_points_back_is_no_claim() -> None:
    article = prepare(REMARKS.replace("Welcome back to the capital.",
                                      "Our two navies have done this for ages."))
    index = next(i for i in range(len(article.sentences))
                 if "done this" in article.sentence_text(i))
    assert main_clause(article, index) is None


def test_a_key_point_with_its_speakers_label_stays_within_thirty_words() -> None:
    from service.brief.claims import Claim
    from service.brief.summary import _attributed_point

    # Written for this test: 30 words in the first person, which the label takes past them.
    long_turn = ("Our navy will escort the first grain convoy from the rebuilt terminal at Kordun "
                 "to the southern ports in October, and our coast guard will patrol the route "
                 "every week.")
    article = prepare(REMARKS.replace("Our navy will escort the first grain convoy to Kordun in October.",
                                      long_turn))
    index = next(i for i in range(len(article.sentences))
                 if "coast guard" in article.sentence_text(i))
    assert len(long_turn.split()) == 30
    point = _attributed_point(Claim(long_turn, (index,)), article)
    assert point is not None and point.words <= 30
    assert point.text.startswith("Prime Minister Reyes: Our navy will escort")


def test_a_speakers_fillers_and_counts_are_no_part_of_the_claim() -> None:
    from service.brief.claims import Claim, attributed
    from service.text.turns import without_openers

    assert without_openers("Obviously, in March, the two navies opened a joint channel.") == (
        "In March, the two navies opened a joint channel.")
    assert without_openers("The last point is: frankly, the port stays open.") == (
        "The port stays open.")
    assert without_openers("As the final priority, we back the grain corridor.") == (
        "We back the grain corridor.")
    assert without_openers("And we signed the ferry accord.") == "We signed the ferry accord."
    assert without_openers("Okay — well, the ferries sail.") == "The ferries sail."
    # A word of the claim is no filler: "So far", "Now that", "Second-hand", "First Lady".
    for kept in ("So far, the ferries sail on time.", "Now that the port is open, we sail.",
                 "Second-hand vessels are exempt.", "First Lady Roe opened the school."):
        assert without_openers(kept) == kept
    # In a transcript's claim, what the speaker opens with goes with the address.
    article = prepare(REMARKS)
    index = next(i for i in range(len(article.sentences))
                 if "steady partner" in article.sentence_text(i))
    claim = attributed(Claim("Look, on the river side we are a steady partner.", (index,)),
                       article)
    assert claim.text == "Prime Minister Reyes: On the river side we are a steady partner."


def test_a_claim_that_falls_back_to_a_speakers_sentence_says_whose_words_it_is() -> None:
    from service.brief.claims import Claim, attributed, checked
    from service.brief.warnings import Warnings

    article = prepare(REMARKS)
    index = next(i for i in range(len(article.sentences))
                 if "grain terminal" in article.sentence_text(i))
    # The brief's own list of subjects, which its sentence does not bear out (a date it never
    # gives), falls back to that sentence's main clause: the speaker's words, in the first
    # person, said with their label.
    listing = Claim("The talks covered the grain terminal on 4 May 2031.", (index,), "listing",
                    own=False)
    kept = checked(listing, article, Warnings())
    assert kept is not None and kept.own
    assert attributed(kept, article).text.startswith("President Varga: We will open")
