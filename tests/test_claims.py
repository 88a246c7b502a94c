"""The claim check refuses a summary sentence or key point that states what its cited
sentences do not, and the clause condenser makes claims it accepts."""

from __future__ import annotations

import datetime as dt

import pytest

from service.text.article import prepare
from service.text.claims import unsupported
from service.text.clauses import MOST_WORDS, _tidy, main_clause

# Written for these tests: two ministers, a number, a negation and a commitment.
SOURCE = (
    "Trade Minister Ana Soto of Chile and Trade Minister Rui Lopes of Peru met in Lima on "
    "Tuesday and agreed to cut tariffs on 40 farm products by March."
)
NEGATIVE = "The two ministers did not agree on a timetable for the fisheries accord."
MENTION = "Lopes also discussed the port of Callao with business leaders."


def test_a_claim_in_the_sources_own_words_passes() -> None:
    assert unsupported("Ana Soto and Rui Lopes agreed to cut tariffs on 40 farm products.",
                       [SOURCE]) == []
    assert unsupported("The two ministers did not agree on a timetable.", [NEGATIVE]) == []


def test_a_country_may_be_named_by_another_of_its_forms() -> None:
    assert unsupported("Chilean and Peruvian ministers met in Lima.", [SOURCE]) == []


@pytest.mark.parametrize(("claim", "problem"), [
    # A wrong number.
    ("Ana Soto and Rui Lopes agreed to cut tariffs on 45 farm products.", 'number "45"'),
    ("Ana Soto and Rui Lopes agreed to cut tariffs on fifty farm products.", 'number "fifty"'),
    # A negation added, and one dropped.
    ("Ana Soto and Rui Lopes did not agree to cut tariffs.", 'negation "not"'),
    # A name swapped for one the cited sentence does not write.
    ("Ana Soto and Eva Lopes agreed to cut tariffs on 40 farm products.", 'name "Eva"'),
    # An invented commitment.
    ("Ana Soto and Rui Lopes pledged to cut tariffs on 40 farm products.",
     'commitment "pledged"'),
    ("Ana Soto and Rui Lopes will sign a trade accord.", 'commitment "will"'),
    # A place and a date the sentence does not give.
    ("Ana Soto and Rui Lopes met in Cusco.", 'name "Cusco"'),
    ("Ana Soto and Rui Lopes met on Friday.", 'date "Friday"'),
])
def test_a_planted_contradiction_is_refused(claim: str, problem: str) -> None:
    assert problem in unsupported(claim, [SOURCE])


def test_a_dropped_negation_is_refused() -> None:
    problems = unsupported("The two ministers agreed on a timetable for the fisheries accord.",
                           [NEGATIVE])
    assert problems == ['negation dropped before "agree"']


def test_a_name_from_another_sentence_of_the_article_is_not_support() -> None:
    # Callao is the article's, but not in the sentence the claim cites.
    assert unsupported("Soto and Lopes agreed on the port of Callao.", [SOURCE]) == \
        ['name "Callao"']
    assert unsupported("Soto and Lopes agreed on the port of Callao.", [SOURCE, MENTION]) == []


def test_a_date_the_brief_resolved_from_the_sources_is_supported() -> None:
    tuesday = dt.date(2025, 5, 6)
    claim = "Ana Soto and Rui Lopes met in Lima on 6 May 2025."
    assert unsupported(claim, [SOURCE], dates=[tuesday]) == []
    assert unsupported(claim, [SOURCE], dates=[dt.date(2025, 5, 7)]) == ['date "6 May 2025"']


ARTICLE = """LIMA, May 6 (Andes Wire) -- Trade Minister Ana Soto of Chile and Trade Minister Rui Lopes of Peru met in Lima on Tuesday amid a dispute over fishing quotas that has strained ties since the spring.

The readout of the meeting states the ministers discussed tariffs, the Pacific port corridor and the fisheries accord, among other issues.

It added that Soto underscored the importance of keeping the border open to trucks, which carry most of the two countries' trade, as the harvest season nears.

"We will not accept new barriers on our fruit," Soto told reporters after the talks.

Lopes, a former central banker who took office in January, said he hoped to visit Santiago before the end of the year.
"""


def test_a_clause_keeps_the_main_claim_and_drops_asides_and_attribution() -> None:
    article = prepare(ARTICLE)
    clauses = [main_clause(article, i) for i in range(len(article.sentences))]
    texts = [c.text for c in clauses if c is not None]
    # The circumstance ("amid ...") and the dateline go; who met where and when stays.
    assert ("Trade Minister Ana Soto of Chile and Trade Minister Rui Lopes of Peru met in Lima "
            "on Tuesday.") in texts
    # The reporting frame goes; the list stays whole.
    assert ("The ministers discussed tariffs, the Pacific port corridor and the fisheries "
            "accord, among other issues.") in texts
    # "It added that ...", the relative clause set off by a comma and the "as ..." clause go.
    assert "Soto underscored the importance of keeping the border open to trucks." in texts
    # An apposition goes with its commas; "he" keeps the frame that says who he is.
    assert any(t.startswith("Lopes said he hoped to visit Santiago") for t in texts)
    for clause in clauses:
        if clause is not None:
            assert clause.words <= MOST_WORDS
            # Each claim passes the check against its own sentence.
            assert unsupported(clause.text, [article.sentence_text(clause.sentence)]) == []


def test_a_negation_is_never_cut_from_its_clause() -> None:
    article = prepare(ARTICLE)
    quote = next(i for i in range(len(article.sentences))
                 if "new barriers" in article.sentence_text(i))
    clause = main_clause(article, quote)
    assert clause is not None and "will not accept new barriers" in clause.text


# Written for these tests: sentences whose parse a cut could leave unfinished.
UNFINISHED = """Fisheries talks in Lima

The two ministers also reviewed the state of the fisheries accord, including in the southern ports and with regard to the tuna quotas that both fleets share.

The Chilean side pledged further funds for the river authority on top of the 5 million pesos a year for as long as required by the treaty signed in March.

The summary of the meeting is as follows.

The minister was also clear however that unless the toll regime is scrapped and the quotas abolished there is no prospect of that deal.
"""


def _clauses_of(text: str, most_words: int) -> dict[str, str | None]:
    article = prepare(text)
    return {article.sentence_text(i): (c.text if (c := main_clause(article, i, most_words))
                                       else None)
            for i in range(len(article.sentences))}


def _cut(sentence_start: str, most_words: int) -> str | None:
    clauses = _clauses_of(UNFINISHED, most_words)
    return next(c for s, c in clauses.items() if s.startswith(sentence_start))


def test_a_cut_never_ends_in_half_a_compound_preposition() -> None:
    # "with regard [to the tuna quotas]" is one preposition: the cut loses the whole item.
    cut = _cut("The two ministers also reviewed", 20)
    assert cut == ("The two ministers reviewed the state of the fisheries accord, "
                   "including in the southern ports.")


def test_a_cut_never_ends_in_half_a_comparison() -> None:
    # "for as long [as required ...]": the phrase goes whole, the rest of the claim stays.
    cut = _cut("The Chilean side pledged", 30)
    assert cut is not None and not cut.endswith("as long.")
    assert cut.startswith("The Chilean side pledged further funds")
    assert "on top of the 5 million pesos a year" in cut


def test_a_main_verb_left_without_what_followed_it_is_no_claim() -> None:
    # "The summary of the meeting is [as follows]." says nothing once cut.
    assert _cut("The summary of the meeting", 30) is None


def test_a_condition_and_a_complement_are_never_cut_as_asides() -> None:
    # Without "unless ...", the claim would say there is no prospect of a deal at all; and
    # "clear however [that ...]" would be a dangling adverb.
    cut = _cut("The minister was also clear", 30)
    assert cut is not None and "unless the toll regime is scrapped" in cut
    assert not cut.endswith("however.")
    # Too long to keep the condition within 20 words: no claim rather than a false one.
    assert _cut("The minister was also clear", 20) is None


def test_a_line_without_a_verb_with_a_tense_is_no_claim() -> None:
    text = ("Ministers meet in Quito\n\n"
            "Statement by the trade ministers of Ecuador, Peru and Bolivia and the Andean "
            "Council.\n\n"
            "The communique issued by the Andean Council on 3 May in Quito.\n\n"
            "The ministers agreed to open a joint customs office in Tumbes next year.\n")
    clauses = _clauses_of(text, MOST_WORDS)
    assert next(c for s, c in clauses.items() if s.startswith("Statement by")) is None
    assert next(c for s, c in clauses.items() if s.startswith("The communique")) is None
    assert next(c for s, c in clauses.items() if s.startswith("The ministers agreed")) == (
        "The ministers agreed to open a joint customs office in Tumbes next year.")


def test_a_claim_read_alone_drops_the_words_that_tie_it_to_the_sentence_before() -> None:
    text = ("Trade talks in Lima\n\n"
            "In addition, the two ministers also reviewed the fisheries accord.\n\n"
            "The Peruvian side, however, did not accept the new tolls on freight.\n")
    cuts = [c for c in _clauses_of(text, MOST_WORDS).values() if c is not None]
    assert "The two ministers reviewed the fisheries accord." in cuts
    # The negation stays where the connective goes.
    assert "The Peruvian side did not accept the new tolls on freight." in cuts


def test_a_sentence_of_two_claims_too_long_for_one_gives_its_first_whole() -> None:
    # Cut of its details, the whole would keep only vague words ("expressed firm support and
    # called it a valuable opportunity"): the first claim, with its own details, is one.
    text = ("River talks in Lima\n\n"
            "Minister Roe expressed firm support for the new river council and called it a "
            "valuable opportunity for broader representation of the northern provinces.\n")
    cuts = [c for c in _clauses_of(text, 20).values() if c is not None]
    assert cuts == ["Minister Roe expressed firm support for the new river council."]


def test_a_claim_cut_before_a_speaker_starts_again_ends_with_its_words() -> None:
    # "X, — but then ...": the words kept end before the dash and the joiner, not with them.
    article = prepare("Roe thanked the river council, — but")
    assert _tidy(list(article.doc)) == "Roe thanked the river council."


def test_a_participle_never_loses_its_agent_and_keeps_what_follows() -> None:
    # "a dinner hosted [by President Roe of Peru] the evening before ...": no claim at 15
    # words rather than a dinner that "hosted the evening".
    text = ("Trade talks in Lima\n\n"
            "The two ministers attended a dinner hosted by President Roe of Peru the evening "
            "before the summit in Lima.\n")
    assert list(_clauses_of(text, 15).values())[-1] is None
    assert list(_clauses_of(text, 20).values())[-1] == (
        "The two ministers attended a dinner hosted by President Roe of Peru the evening "
        "before the summit in Lima.")


# Written for these tests: a communiqué whose items leave their subject to the lead-in line.
COMMUNIQUE = """Communiqué of the Harbour Envoys

The Special Envoys for the Northern Ports:

Welcomed the reopening of the grain terminal at Varna and the return of the pilots.

Agreed to meet again in Constanta before the winter storms close the lanes.
"""


def test_a_communiques_item_takes_its_subject_from_the_lead_in() -> None:
    article = prepare(COMMUNIQUE)
    texts = [c.text for i in range(len(article.sentences))
             if (c := main_clause(article, i)) is not None]
    assert texts == [
        "They welcomed the reopening of the grain terminal at Varna and the return of the pilots.",
        "They agreed to meet again in Constanta.",  # the "before ..." clause an aside
    ]


def test_a_sentence_opening_on_its_verb_with_no_lead_in_is_no_claim() -> None:
    # No line before it says whose item it is: no one the claim could name.
    article = prepare("Welcomed the reopening of the grain terminal at Varna and the return "
                      "of the pilots.")
    assert main_clause(article, 0) is None


@pytest.mark.parametrize(("sentence", "claim"), [
    ("And we plan to welcome the ministers to Varna in December.",
     "We plan to welcome the ministers to Varna in December."),
    ("But the two sides could not agree on the fishing quotas for the northern fleet.",
     "The two sides could not agree on the fishing quotas for the northern fleet."),
    ("So we are going to clear the mines from the shipping lanes by spring.",
     "We are going to clear the mines from the shipping lanes by spring."),
    ("And so, of course, in March, the minister will open the new rail link to the port.",
     "In March, the minister will open the new rail link to the port."),
    # Not a tie: "so far" says how far.
    ("So far, the ministers have agreed on nothing at all about the quotas.",
     "So far, the ministers have agreed on nothing at all about the quotas."),
])
def test_words_that_only_tie_a_sentence_to_the_one_before_open_no_claim(
        sentence: str, claim: str) -> None:
    clause = main_clause(prepare(sentence), 0)
    assert clause is not None and clause.text == claim


def test_a_second_clause_of_circumstance_goes_with_the_first() -> None:
    # Written for this test: the parser joins the second "as" clause to the main verb (as a
    # conjunct in one sentence, as a preposition in the other).
    for text in (
        "The summit falls as coastal states look for lenders beyond the old creditors, "
        "which financed most of the ports over ten years, and as new tariff rules in the "
        "north unsettle exporters from the coast to the capital.",
        "The visit comes as inland provinces seek buyers beyond their usual markets, which "
        "bought most of the wheat over the last ten years, and as fresh customs rules in the "
        "south worry traders from the hills to the sea.",
    ):
        # "The summit falls." is all that is left: too little for a claim, and never the
        # garbled "The summit falls, and as new tariff rules ...".
        assert main_clause(prepare(text), 0) is None


def test_who_said_it_keeps_its_comma_when_the_list_before_it_is_cut() -> None:
    # Written for this test: the cut drops the list's last items and the comma with them.
    article = prepare(
        "The envoys are expected to review a new undersea power link tying Oman's network to "
        "India via Gujarat and Goa, gas sales from the western coast and joint lifeboat drills "
        "in the bay, Nair said.")
    clause = main_clause(article, 0, 30)
    assert clause is not None
    assert clause.text.endswith("via Gujarat and Goa, Nair said.")


def test_a_reported_clause_loses_the_word_that_opened_it_not_its_subject() -> None:
    # "it was announced on Friday that X": the claim is X, not "That X".
    text = ("Grid news\n\nIn a welcome step, it was announced on Friday that Norway has sold "
            "two ferries to Iceland – easing the shortage of boats on the northern routes.\n")
    cuts = [c for c in _clauses_of(text, 20).values() if c is not None]
    assert cuts and all(not c.startswith("That") for c in cuts)
    assert any(c.startswith("Norway has sold two ferries to Iceland") for c in cuts)


def test_a_cut_list_leaves_no_joiner_before_the_full_stop() -> None:
    # A cut that drops a list's second item keeps the sentence's own full stop after "and".
    article = prepare("On the Baltic, they will review the silting of the harbour and.")
    assert _tidy(list(article.doc)) == "On the Baltic, they will review the silting of the harbour."


def test_a_subjectless_is_joined_to_the_main_verb_is_no_second_claim_to_cut_off() -> None:
    # The parser reads "that contact" as the object of "affirmed" and "is meaningless ..." as
    # a second verb: cut off as one, it would leave "affirmed that contact with the junta for
    # its own sake", which says nothing of the premiers' view. Too long for 20 words whole,
    # the sentence gives no claim rather than that one.
    text = ("Talks\n\nFurthermore, both premiers affirmed that contact with the junta for its "
            "own sake is meaningless without the release of every political prisoner held in "
            "the northern prison camps of the country.\n")
    article = prepare(text)
    assert [t.dep_ for t in article.doc if t.lower_ in ("that", "is")] == ["det", "conj"]
    cuts = [c for c in _clauses_of(text, 20).values() if c is not None]
    assert not any(c.endswith("own sake.") for c in cuts)


def test_a_reported_whether_stays_with_its_clause() -> None:
    # "It was not confirmed whether X": without "whether", the claim would say X happened.
    text = ("Talks\n\nIt was not confirmed on Friday whether Norway will send its fisheries "
            "minister to the summit in Reykjavik.\n")
    cuts = [c for c in _clauses_of(text, 20).values() if c is not None]
    assert not any(c.startswith("Norway will send") for c in cuts)


def test_a_list_going_on_after_a_pair_is_no_aside() -> None:
    # The parser reads "gas sales ..." after "Faroe and Shetland" as an apposition to
    # "Faroe": it is the list's next item, not an aside to drop.
    article = prepare("Talks\n\nThe envoys are set to take up a planned power cable tying "
                      "Iceland's grid to Norway through Faroe and Shetland, gas sales from the "
                      "North Sea and cooperation on fisheries, Roe said.\n")
    assert [t.head.text for t in article.doc if t.dep_ == "appos"] == ["Faroe"]  # the misreading
    clause = main_clause(article, 1, 30)
    assert clause is not None and "gas sales" in clause.text


def test_a_cut_that_takes_the_subject_with_an_opening_phrase_is_no_claim() -> None:
    # The parser reads the Premier and the Chancellor as an apposition of "Council" (and,
    # after "Looking forward", the opening phrase as the clause's subject): a cut that drops
    # the apposition would leave "Ahead of Friday's EU Council agreed to ...".
    article = prepare("Ahead of Friday’s EU Council, the Premier and Chancellor Weber agreed "
                      "to widen the pier and to keep their funds for the quay in Bergen. "
                      "Looking forward to next month’s Nordic Forum, the Premier and "
                      "Chancellor Weber agreed to widen the pier and to keep their funds for "
                      "the quay. On Monday, the ministers agreed on a new ferry timetable for "
                      "the islands and the coast.")
    assert [t.dep_ for t in article.doc if t.text == "Premier"] == ["appos", "appos"]  # the misreading
    cut = [main_clause(article, i, most) for i in range(len(article.sentences))
           for most in (30, 15)]
    assert all(c is None or "Weber agreed" in c.text for c in cut[:4])
    assert cut[4] is not None and cut[4].text.startswith("On Monday, the ministers agreed")


def test_a_noun_the_parser_joins_to_a_verb_never_loses_its_own_phrase() -> None:
    # Written for this test: the parser reads "travel" as a verb's conjunct; cut of "by
    # traffickers", the claim would say the ministers fight travel.
    article = prepare("Readout\n\nMay 4, 2031\n\nThey plan to share data to fight drug "
                      "smuggling, travel by traffickers, and illegal fishing across the region "
                      "this year.\n")
    index = len(article.sentences) - 1
    for most in (15, 20, 30):
        clause = main_clause(article, index, most)
        assert clause is not None
        assert "travel by traffickers" in clause.text or "travel" not in clause.text
