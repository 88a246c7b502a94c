"""The summary and key points condense: who met whom, where and when; what the talks covered;
what came of it; each claim cut from its sentence and checked against it."""

from __future__ import annotations

from service.brief.claims import Claim
from service.brief.key_points import key_points
from service.brief.summary import place_phrase
from service.brief.warnings import Warnings
from service.schemas import Event
from service.text.article import prepare
from tests.conftest import scripted_brief

# Written for this test: a readout with a lead, an outcome, a list of subjects, background
# in the perfect and a next step.
READOUT = """Readout of Foreign Minister Ana Soto's Meeting with Foreign Minister Rui Lopes

May 6, 2025

Foreign Minister Ana Soto of Chile met Foreign Minister Rui Lopes of Peru at the Palacio de la Moneda in Santiago on Tuesday.
The ministers discussed the Humboldt fisheries accord, port fees in Arica and a rail link to Tacna, among other issues.
Relations between the two countries have improved for years, after a long dispute over the sea boundary was settled by a court.
The two ministers agreed to cut tariffs on 40 farm products by March, which officials said would help growers in the north.
Soto underscored the importance of keeping the border open to lorries during the harvest, as queues have grown.
Lopes raised concerns about illegal trawlers off the coast of Ilo and asked for joint patrols.
The ministers will meet again in Lima in October to review progress on the accord.
"""


def test_the_summary_says_who_met_where_what_they_discussed_and_what_came_of_it() -> None:
    brief = scripted_brief(READOUT, participants=[
        {"name": "Ana Soto", "country": "Chile"}, {"name": "Rui Lopes", "country": "Peru"}],
        location="Palacio de la Moneda", key_points=[5, 6, 7, 8], agreements=[7])
    sentences = brief.summary.split(". ")
    assert 2 <= len(sentences) <= 4
    assert sentences[0].startswith("Foreign Minister Ana Soto of Chile and Foreign Minister Rui "
                                   "Lopes of Peru met")
    assert "Humboldt fisheries accord" in brief.summary
    assert "cut tariffs on 40 farm products" in brief.summary
    # Background is not the summary's, nor a key point's.
    assert "sea boundary" not in brief.summary
    assert not any("sea boundary" in p for p in brief.key_points)
    # The headline replaces the page's label: who did what, about what.
    assert brief.headline.startswith("Ana Soto and Rui Lopes meet")
    # Key points: three to five short claims, outcomes first, none the summary's again, the
    # asides cut ("which officials said ...", "as queues have grown").
    assert 3 <= len(brief.key_points) <= 5
    assert all(len(p.split()) <= 30 for p in brief.key_points)
    assert not any(p in brief.summary for p in brief.key_points)
    assert "The ministers will meet again in Lima in October to review progress on the accord." \
        in brief.key_points
    assert not any("queues" in p or "officials said" in p for p in brief.key_points)
    # Every claim cites its sentences.
    fields = {e.field for e in brief.evidence}
    assert {f"summary[{i}]" for i in range(len(sentences))} <= fields
    assert {f"key_points[{i}]" for i in range(len(brief.key_points))} <= fields


def test_a_venue_is_met_at_a_city_in_and_a_visit_goes_to() -> None:
    article = prepare("The ministers met at the White House on Monday and talked for an hour.")
    assert place_phrase(Event(type="meeting", location="White House"), article) == \
        "at the White House"
    assert place_phrase(Event(type="meeting", location="Lima")) == "in Lima"
    assert place_phrase(Event(type="visit", location="Paris")) == "to Paris"
    # A headline's verb meets: "meet in Paris", never "meet to Paris".
    assert place_phrase(Event(type="visit", location="Paris"), visit=False) == "in Paris"


def test_the_goes_before_a_place_only_where_it_is_the_places_own() -> None:
    article = prepare("After the Lima talks, the ministers flew home. They met in Lima on "
                      "Monday and later walked to the Plaza Mayor.")
    assert place_phrase(Event(type="meeting", location="Lima"), article) == "in Lima"
    assert place_phrase(Event(type="meeting", location="Plaza Mayor"), article) == \
        "in the Plaza Mayor"
    # A heading the parser reads as "the Quito" that talks: the text also writes "in Quito".
    headed = prepare("Andean water\n\nThe ministers met in Quito on Monday to discuss the "
                     "river.\n\nThe Quito talks\n\nIt was the first such meeting in years.")
    assert place_phrase(Event(type="meeting", location="Quito"), headed) == "in Quito"


# Written for this test: a subject the text names only to say it was not taken up.
REFUSED = """Minister Ida Berg of Sweden met Minister Paul Roux of Belgium in Brussels on Monday.
The ministers discussed rail freight corridors and night trains to Malmö.
Roux said Belgium would not discuss the North Sea wind tender before the autumn.
"""


def test_the_list_of_subjects_leaves_out_one_its_sentence_negates() -> None:
    from service.brief.summary import discussed_sentence

    article = prepare(REFUSED)
    claim = discussed_sentence(article, Event(type="meeting"),
                               ["rail freight corridors", "North Sea wind tender"], [], None)
    assert claim is not None
    assert claim.text == "The talks covered rail freight corridors."


def test_talks_still_to_come_are_said_to_be_expected_to_cover_their_subjects() -> None:
    from service.brief.summary import discussed_sentence

    article = prepare("Minister Ida Berg of Sweden will meet Minister Paul Roux of Belgium in "
                      "Brussels next week. The ministers are expected to discuss rail freight "
                      "corridors and night trains to Malmö.")
    claim = discussed_sentence(article, Event(type="meeting", status="planned"),
                               ["rail freight corridors"], [], None)
    assert claim is not None
    assert claim.text == "The talks are set to cover rail freight corridors."


def test_a_sentence_cut_to_who_and_vague_words_is_no_claim() -> None:
    from service.text.clauses import main_clause

    article = prepare(
        "The delegations also talked about common goals for a freer, richer and calmer "
        "Baltic region, as both capitals have long hoped.\n"
        "The delegations also talked about tariffs on timber and a new ferry line to Gdansk.\n"
        "The ministers will meet again in March.")
    # Cut to twelve words, the first keeps only who and "common goals": nothing to say.
    assert main_clause(article, 0, most_words=12) is None
    kept = main_clause(article, 1, most_words=16)
    assert kept is not None and "tariffs on timber" in kept.text
    # A plan's time is what it says.
    assert main_clause(article, 2) is not None


def test_an_event_sentence_its_sentences_do_not_bear_out_drops_the_place_not_the_event() -> None:
    from service.brief.summary import _checked_event_sentence
    from service.brief.warnings import Warnings
    from service.schemas import Participant

    article = prepare("Minister Ida Berg of Sweden met Minister Paul Roux of Belgium on Monday.\n"
                      "They discussed rail freight corridors.")
    people = [Participant(name="Ida Berg", title="Minister", country="Sweden"),
              Participant(name="Paul Roux", title="Minister", country="Belgium")]
    warnings = Warnings()
    claim = _checked_event_sentence(people, Event(type="meeting", location="Geneva"), article,
                                    warnings, [])
    assert claim is not None
    assert "Geneva" not in claim.text
    assert claim.text.startswith("Minister Ida Berg of Sweden and Minister Paul Roux of Belgium met")


def test_a_clause_whose_subject_points_back_is_no_claim() -> None:
    from service.text.clauses import main_clause

    article = prepare("The ministers launched a fund for coastal towns.\n"
                      "It is designed to pay for sea walls along the northern coast.\n"
                      "That is why the fund matters so much to the fishermen of the north.")
    assert main_clause(article, 0) is not None
    assert main_clause(article, 1) is None  # "It" is the fund: the clause alone says not
    assert main_clause(article, 2) is None


def test_more_than_four_participants_are_others_without_a_count() -> None:
    from service.brief.summary import event_sentence
    from service.schemas import Participant

    names = ["Ida Berg", "Paul Roux", "Ana Soto", "Rui Lopes", "Kadri Saar"]
    article = prepare(f"{', '.join(names[:4])} and {names[4]} met in Lisbon on Monday.")
    claim = event_sentence([Participant(name=n) for n in names], Event(type="meeting"), article)
    assert claim is not None
    assert claim.text.startswith("Ida Berg, Paul Roux, Ana Soto, Rui Lopes and others met")
    assert not any(ch.isdigit() for ch in claim.text)


def test_one_named_participant_of_a_visit_is_not_said_to_be_the_guest() -> None:
    from service.brief.summary import event_sentence
    from service.schemas import Participant

    article = prepare("The Premier arrived in Lima on Monday and met President Rui Lopes.")
    claim = event_sentence([Participant(name="Rui Lopes", title="President")],
                           Event(type="visit", location="Lima"), article)
    assert claim is not None
    # He may be the host: he held talks during the visit, he did not make it.
    assert claim.text.startswith("President Rui Lopes held talks during a visit to Lima")


# Written for this test: the readout's own list of subjects names the participants, so it is
# a statement near them as well as the summary's list.
LISTED = """Readout of Trade Minister Ana Soto's Meeting with Trade Minister Rui Lopes

May 6, 2025

Trade Minister Ana Soto of Chile met Trade Minister Rui Lopes of Peru in Arica on Tuesday.
Soto and Lopes discussed the Humboldt fisheries accord, port fees in Arica and a rail link to Tacna, among other issues.
Soto pressed for lower port fees for Peruvian grain shipped through Arica before the harvest.
Lopes offered to share data on illegal trawlers with the Chilean navy every month.
The two ministers agreed to open a joint customs post at Chacalluta by March.
Lopes invited Soto to visit Lima in October to review the rail link.
"""


def test_the_articles_own_list_in_the_summary_is_no_key_point_again() -> None:
    article = prepare(LISTED)
    texts = [article.sentence_text(i) for i in range(len(article.sentences))]
    listing = next(i for i, t in enumerate(texts) if t.startswith("Soto and Lopes discussed"))
    trawlers = next(i for i, t in enumerate(texts) if "illegal trawlers" in t)
    # The summary says the article's own list sentence; both it and the next are statements
    # near the participants, offered as key points: the list is not said again.
    said = [Claim(texts[listing], (listing,), "listing")]
    points = key_points(article, [], said, 100, 2025, Warnings(), near={listing, trawlers})
    assert [p.sentences for p in points] == [(trawlers,)]
    # The list the brief writes itself ("The talks covered ...") only names its subjects: the
    # article's sentence about them is still a key point.
    written = [Claim("The talks covered the Humboldt fisheries accord and port fees.",
                     (listing,), "listing", own=False)]
    points = key_points(article, [], written, 100, 2025, Warnings(), near={listing, trawlers})
    assert {p.sentences for p in points} == {(listing,), (trawlers,)}


def test_a_key_point_is_its_shorter_cut_unless_that_says_again_what_is_said() -> None:
    article = prepare(LISTED)
    texts = [article.sentence_text(i) for i in range(len(article.sentences))]
    trawlers = next(i for i, t in enumerate(texts) if "illegal trawlers" in t)
    customs = next(i for i, t in enumerate(texts) if "customs post" in t)
    near = {trawlers, customs}
    points = key_points(article, [], [], 100, 2025, Warnings(), 20, near, shortest=12)
    assert sorted(p.text for p in points) == [
        "Lopes offered to share data with the Chilean navy every month.",
        "The two ministers agreed to open a joint customs post by March."]
    # The short cut of the trawlers sentence adds nothing to a summary that says Lopes
    # offered the navy data; its fuller cut does.
    said = [Claim("Lopes offered the Chilean navy data every month.", (trawlers,), "other",
                  own=False)]
    points = key_points(article, [], said, 100, 2025, Warnings(), 20, near, shortest=12)
    assert "Lopes offered to share data on illegal trawlers with the Chilean navy every month." \
        in [p.text for p in points]


def test_what_a_discussion_sentence_names_in_its_asides_was_discussed_too() -> None:
    from service.brief.summary import discussed_sentence

    # Written for this test: the subjects after "discussed" sit in a clause the cut drops.
    article = prepare(
        "Minister Ida Berg of Sweden met Minister Paul Roux of Belgium in Brussels on Monday. "
        "Both envoys discussed how they would respond should the strait be closed, "
        "including through convoy escorts and fuel reserve releases.")
    claim = discussed_sentence(article, Event(type="meeting"),
                               ["convoy escorts", "fuel reserve releases"], [], None)
    assert claim is not None
    assert claim.text == "The talks covered convoy escorts and fuel reserve releases."


def test_a_third_country_is_a_subject_of_the_talks_and_a_side_is_not() -> None:
    from service.brief.summary import discussed_sentence

    article = prepare(
        "Minister Ida Berg of Sweden met Minister Paul Roux of Belgium in Brussels on Monday. "
        "Both envoys discussed Belgium, Moldova and rail freight corridors.")
    claim = discussed_sentence(article, Event(type="meeting"),
                               ["Belgium", "Moldova", "rail freight corridors"], [], None,
                               sides={"Sweden", "Belgium"})
    assert claim is not None
    assert claim.text == "The talks covered Moldova and rail freight corridors."


def test_an_unnamed_gathering_is_not_what_the_talks_covered_and_a_named_one_is() -> None:
    from service.brief.summary import discussed_sentence

    # Written for this test.
    article = prepare(
        "Minister Ida Berg and Minister Paul Roux held a closing photo session after "
        "lunch. Both envoys discussed the coming Nordic Energy Forum, the Narva river "
        "treaty and a closing photo session.")
    claim = discussed_sentence(
        article, Event(type="meeting"),
        ["closing photo session", "Nordic Energy Forum", "Narva river treaty"], [], None)
    assert claim is not None
    assert claim.text == "The talks covered Nordic Energy Forum and the Narva river treaty."


def test_what_the_talks_covered_is_found_in_short_opening_and_dated_sentences() -> None:
    from service.brief.summary import discussed_sentence

    # Written for this test: a six-word sentence of discussing; a sentence that opens on the
    # verb; a subject named with the date of something it mentions, in a clause of a noun
    # ("the grain accord reached last year") or after "a" ("a 2019 plan"): none is
    # background, all name what was discussed.
    article = prepare(
        "Minister Ida Berg of Sweden met Minister Paul Roux of Belgium in Brussels on 3 May 2025. "
        "Discussing the Baltic cable repairs, both sides chose to share ship time. "
        "Both weighed the grain accord reached last year and the Oder corridor, a 2019 plan "
        "for barge traffic. "
        "Both envoys discussed Tonga.")
    topics = ["Baltic cable repairs", "grain accord", "Oder corridor", "Tonga"]
    claim = discussed_sentence(article, Event(type="meeting"), topics, [], 2025)
    assert claim is not None
    assert claim.text == ("The talks covered the Baltic cable repairs, the grain accord, "
                          "the Oder corridor and Tonga.")
    # A year after "the" or "a" dates a thing; "in 2019" dates the sentence.
    from service.text.statements import about_earlier_year
    assert not about_earlier_year("The ministers backed a 2019 plan for barge traffic.", 2025)
    assert about_earlier_year("The ministers backed the plan in 2019.", 2025)


def test_a_topic_keeps_its_article_only_where_the_article_is_its_own() -> None:
    from service.brief.discussed import _as_written

    # Written for this test.
    article = prepare(
        "Minister Ida Berg of Sweden met Minister Paul Roux of Belgium in Brussels on Monday. "
        "Both envoys discussed the Lisbon Accord on ports, the port fees in Arica and the Lisbon "
        "talks.")
    assert _as_written(article, 1, "Lisbon Accord") == "the Lisbon Accord"
    assert _as_written(article, 1, "port fees") == "the port fees"
    # "the" belongs to the talks, not to the city.
    assert _as_written(article, 1, "Lisbon") == "Lisbon"


def test_the_articles_of_the_list_of_subjects_do_not_count_against_its_length() -> None:
    from service.brief.summary import discussed_sentence

    # Written for this test: eight subjects of three words, each with its article: 36 words
    # with the articles, 28 without; all are said.
    subjects = ["offshore wind farms", "inland port fees", "rail freight corridors",
                "dairy export quotas", "underground gas storage", "subsea cable repairs",
                "seasonal border checks", "student visa rules"]
    article = prepare(
        "Minister Ida Berg of Sweden met Minister Paul Roux of Belgium in Brussels on Monday. "
        "Both envoys discussed " + ", ".join(f"the {s}" for s in subjects[:-1])
        + f" and the {subjects[-1]}.")
    claim = discussed_sentence(article, Event(type="meeting"), subjects, [], None)
    assert claim is not None
    assert all(f"the {s}" in claim.text for s in subjects)


def test_what_a_thing_could_be_or_how_far_it_got_is_no_subject_of_the_talks() -> None:
    from service.brief.summary import discussed_sentence

    # Written for this test.
    article = prepare(
        "Minister Ida Berg of Sweden met Minister Paul Roux of Belgium in Brussels on Monday. "
        "Both envoys discussed its status, a real potential, a new path, a brighter future, "
        "their video talk, the biggest gathering and the North Sea grid.")
    claim = discussed_sentence(
        article, Event(type="meeting"),
        ["status", "real potential", "new path", "brighter future", "video talk",
         "biggest gathering", "North Sea grid"], [], None)
    assert claim is not None
    assert claim.text == "The talks covered the North Sea grid."


# Written for this test: a short call readout whose every statement is long, with nothing a
# cut can drop to bring it to 20 words.
LONG_SENTENCES = """Readout of Minister Ida Berg's Call with Minister Paul Roux

June 2, 2026

Minister Ida Berg of Sweden spoke by phone today with Minister Paul Roux of Belgium about the North Sea wind grid.
Minister Berg reaffirmed the commitment of Sweden to finish the undersea power cable between the Swedish and Belgian grids before the winter storms of 2027 begin.
Minister Roux welcomed the choice by the Swedish grid operator to share the maintenance costs of the converter station near the port of Zeebrugge with its Belgian partner.
The two ministers stressed how much it matters to train enough engineers in both countries to maintain the offshore wind farms and the undersea power cables that connect them.
They agreed that their senior officials would meet in Stockholm in September to prepare a joint plan for the maintenance of the converter stations and cables.
"""


def test_a_short_readout_of_long_sentences_is_not_left_without_key_points() -> None:
    brief = scripted_brief(LONG_SENTENCES, participants=[
        {"name": "Ida Berg", "country": "Sweden"}, {"name": "Paul Roux", "country": "Belgium"}])
    assert 3 <= len(brief.key_points) <= 5, brief.key_points
    assert all(len(p.split()) <= 30 for p in brief.key_points)
    assert not any(p in brief.summary for p in brief.key_points)


def test_the_list_of_subjects_after_the_articles_own_names_them_as_other_subjects() -> None:
    from service.brief.summary import discussed_sentence

    # Written for this test: the article's own sentence of what was discussed, then subjects
    # it names elsewhere.
    text = ("Readout of Minister Ida Berg's Meeting with Minister Paul Roux\n\nJune 2, 2026\n\n"
            "Minister Ida Berg of Sweden met Minister Paul Roux of Belgium in Ghent today.\n"
            "Both envoys talked over the North Sea wind grid and the Zeebrugge converter "
            "station.\n"
            "Berg raised the dredging of the Scheldt estuary, which has slowed ferry traffic.\n"
            "Roux welcomed Swedish interest in the Antwerp hydrogen terminal.\n")
    article = prepare(text)
    own = next(i for i in range(len(article.sentences))
               if "wind grid" in article.sentence_text(i))
    listing = Claim(article.sentence_text(own), (own,), "listing")
    event = Event(type="meeting")
    topics = ["North Sea wind grid", "Scheldt estuary", "Antwerp hydrogen terminal"]
    alone = discussed_sentence(article, event, topics, [], None)
    after = discussed_sentence(article, event, topics, [listing], None)
    assert alone is not None and alone.text.startswith("The talks covered")
    assert after is not None and after.text.startswith("Other subjects included")
    planned = discussed_sentence(article, Event(type="meeting", status="planned"), topics,
                                 [listing], None)
    assert planned is not None and planned.text.startswith("Other subjects may include")
    assert "wind grid" not in after.text  # the article's own sentence says it already


# Written for this test: a long claim of thanks that adds many words, then a short agreement.
PRAISE_THEN_OUTCOME = """Readout of the Premier's Call with President Ilse Berg

June 2, 2026

The Premier spoke with President Ilse Berg of Estonia on Tuesday.
The Premier warmly thanked Estonia for its steadfast support of Ukrainian refugees arriving through Narva during the long winter months of heavy snowfall and power cuts.
Both leaders agreed to open a cyber centre.
"""


def test_what_came_of_the_talks_is_said_before_a_longer_claim_that_adds_more_words() -> None:
    brief = scripted_brief(PRAISE_THEN_OUTCOME, participants=[
        {"name": "Ilse Berg", "country": "Estonia"}], key_points=[4, 5], agreements=[5])
    assert "agreed to open a cyber centre" in brief.summary
    # The summary's words are few: the thanks is a key point.
    assert "warmly thanked" not in brief.summary
    assert any("warmly thanked" in p for p in brief.key_points)
