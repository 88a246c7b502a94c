"""A headline made from a lead sentence keeps the lead's main clause: who did what."""

from __future__ import annotations

import pytest

from service.brief.headline import tidy_headline
from service.lang.lexicon import lexicon

ENGLISH = lexicon("en").clause_openers


@pytest.mark.parametrize(("lead", "headline"), [
    # Cut before the phrase of circumstance, not in the middle of "at the close of ...".
    ("Interior Minister Oskar Lindqvist of Sweden and Deputy Premier Mei Tanaka of Japan met at "
     "the close of the Arctic Forum amid tension over fishing rights.",
     "Interior Minister Oskar Lindqvist of Sweden and Deputy Premier Mei Tanaka of Japan met"),
    # A comma is a better place to cut than any preposition before it.
    ("President Aino Virtanen spoke by phone with Prime Minister Tomas Berg to discuss energy "
     "security, the war at sea and trade.",
     "President Aino Virtanen spoke by phone with Prime Minister Tomas Berg to discuss energy "
     "security"),
    # A clause of circumstance ("after ...") before a mere preposition.
    ("The health ministers of Peru and Chile signed a vaccine accord in Lima after two days of "
     "talks in the capital on the supply of doses.",
     "The health ministers of Peru and Chile signed a vaccine accord in Lima"),
])
def test_a_long_lead_is_cut_where_its_main_clause_ends(lead: str, headline: str) -> None:
    assert tidy_headline(lead, ENGLISH) == headline


def test_a_short_lead_is_the_headline_as_it_is() -> None:
    lead = "Ministers of Peru and Chile met in Lima."
    assert tidy_headline(lead, ENGLISH) == lead


def test_without_a_place_to_cut_a_long_line_ends_at_a_whole_word() -> None:
    line = " ".join(["Ministers"] + ["and delegates"] * 30)
    headline = tidy_headline(line, ENGLISH)
    assert len(headline) <= 90 and line.startswith(headline) and line[len(headline)] == " "


def test_a_dateline_is_not_part_of_the_headline() -> None:
    lead = "LIMA, May 3 (Andes Wire) -- Ministers of Peru and Chile met in Lima."
    assert tidy_headline(lead, ENGLISH) == "Ministers of Peru and Chile met in Lima."


def test_a_page_label_is_no_headline() -> None:
    from service.brief.headline import is_page_label

    assert is_page_label("Readout of President Ana Soto's Meeting with Prime Minister Rui Lopes")
    assert is_page_label("Joint Statement by Chile and Peru")
    assert is_page_label("Remarks by President Soto Before Bilateral Meeting")
    assert is_page_label("Foreign Minister Soto's Call with Foreign Minister Lopes")
    assert not is_page_label("Chile and Peru agree to cut tariffs on farm goods")
    # A ministry's own formula: who, the kind of event, and the page's date.
    assert is_page_label("FM meeting with Peru's top diplomat: 4 May 2025")
    assert is_page_label("Premier call with President Lopes")
    assert not is_page_label("Premier to call President Lopes on port fees")


def test_a_title_without_a_verb_names_the_page_not_the_event() -> None:
    from service.brief.headline import says_what_happened
    from service.text.article import prepare

    labelled = prepare("Chile-Peru Foreign Ministers' Telephone Conversation\n\n"
                       "Foreign Minister Ana Soto of Chile spoke by phone to Foreign Minister "
                       "Rui Lopes of Peru on Monday. They discussed port fees.")
    assert not says_what_happened(labelled)
    headline = prepare("Chile and Peru agree to cut port fees\n\n"
                       "Foreign Minister Ana Soto of Chile spoke by phone to Foreign Minister "
                       "Rui Lopes of Peru on Monday. They discussed port fees.")
    assert says_what_happened(headline)
    planned = prepare("Peru to host Chilean minister for port talks\n\n"
                      "Foreign Minister Rui Lopes of Peru will receive Foreign Minister Ana Soto "
                      "of Chile next week.")
    assert says_what_happened(planned)


def test_a_word_cut_short_or_a_cut_clause_is_no_topic() -> None:
    from service.text.article import prepare
    from service.text.topics import names_a_subject

    article = prepare("The envoys urged both sides to hold serious talks on the dam.")
    assert not names_a_subject(article, "hold serious tal")
    assert names_a_subject(article, "serious talks on the dam")
    # Written with a straight apostrophe and in lower case, still the text's phrase.
    other = prepare("Ministers discussed Peru’s Fisheries Accord at length.")
    assert names_a_subject(other, "peru's fisheries accord")


def test_the_headline_from_the_facts_says_who_did_what_where_and_about_what() -> None:
    from service.brief.headline import event_headline
    from service.schemas import Event, Participant

    people = [Participant(name="Ana Soto"), Participant(name="Rui Lopes")]
    meeting = Event(type="meeting", location="White House")
    assert event_headline(people, meeting, ["the Andean fisheries accord", "port fees"],
                          "at the White House") == (
        "Ana Soto and Rui Lopes meet at the White House, discuss the Andean fisheries accord "
        "and port fees")
    call = Event(type="call", location=None)
    assert event_headline(people[:1], call, [], None) == "Ana Soto holds call"
    # Topics that would make the line too long are left out; a shorter one after them fits.
    long_topic = "the long-running dispute over the allocation of anchovy quotas in shared waters"
    line = event_headline(people, meeting, [long_topic, "port fees"], "at the White House")
    assert line is not None and len(line) <= 110 and line.endswith("discuss port fees")
    # A subject another one already names is not said twice.
    assert event_headline(people, call, ["issues including anchovy quotas", "port fees",
                                         "anchovy quotas"], None) == (
        "Ana Soto and Rui Lopes speak by phone, discuss issues including anchovy quotas and "
        "port fees")


def test_a_sites_label_and_appended_date_are_no_part_of_the_headline() -> None:
    from service.brief.headline import without_page_marks

    # Written for this test.
    assert without_page_marks("OPINION | Ferry fares will not fall soon") \
        == "Ferry fares will not fall soon"
    assert without_page_marks("UPDATE: Ferry chiefs gather in Bergen [June 2026]") \
        == "Ferry chiefs gather in Bergen"
    # A name before a colon is what the title is about; a year in round brackets is its own.
    assert without_page_marks("NATO: Allies agree on ferry drills") \
        == "NATO: Allies agree on ferry drills"
    assert without_page_marks("Ferry ministers revisit the Bergen Accord (1998)") \
        == "Ferry ministers revisit the Bergen Accord (1998)"


def test_a_given_title_that_only_labels_the_page_gives_way_to_the_facts() -> None:
    from service.brief.headline import choose_headline
    from service.brief.warnings import Warnings
    from service.text.article import prepare

    article = prepare("Minister Elin Varga of Norway met Minister Tomas Brandt of Denmark "
                      "in Bergen on Friday to discuss ferry timetables.")
    facts = "Elin Varga and Tomas Brandt meet in Bergen, discuss ferry timetables"
    assert choose_headline("", "Readout of the Minister's Meeting", article, Warnings(),
                           facts) == facts
    assert choose_headline("", "Norway and Denmark agree ferry timetables", article,
                           Warnings(), facts) == "Norway and Denmark agree ferry timetables"
