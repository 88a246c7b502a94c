"""The event's date and place where a page writes them otherwise than a White House page: a
site's masthead above the title, a "Venue, City, Weekday, date" line, a wire story about a
meeting still to come, and what the guest will do after the talks. Texts written for the
test."""

from __future__ import annotations

import datetime as dt

from service.text.article import prepare
from service.text.extract import extract
from tests.conftest import scripted_brief

STATE_HOUSE = """PRESIDENCY OF RURITANIA

PRESS SERVICE

President Anton Vidal, Moldova's President Ilie Rusu Agree to Open Air Links

Palace of the Republic, Strelsau, Thursday, 9th July 2026

President Anton Vidal has held bilateral talks with Moldova's President Ilie Rusu, who is in the country for a two-day State Visit.

The two leaders agreed to open direct flights between Strelsau and Chisinau.

Later, President Rusu will address a business forum at the Grand Exhibition Hall before travelling to the coast on Friday.
"""

PEOPLE = [{"name": "Anton Vidal", "country": None}, {"name": "Ilie Rusu", "country": "Moldova"}]


def test_a_masthead_in_capitals_stands_above_the_title() -> None:
    article = prepare(STATE_HOUSE)
    assert article.title_line() is not None
    assert article.title_line().startswith("President Anton Vidal")


def test_a_venue_city_weekday_date_line_dates_and_places_the_event() -> None:
    header = extract(prepare(STATE_HOUSE)).header
    assert header.dateline_date == dt.date(2026, 7, 9)
    assert header.dateline_place is not None and header.dateline_place.endswith("Strelsau")


def test_what_the_guest_will_do_next_neither_dates_nor_places_the_talks() -> None:
    brief = scripted_brief(STATE_HOUSE, participants=PEOPLE, location=None)
    assert brief.event.date == dt.date(2026, 7, 9)
    assert brief.event.location is not None and "Exhibition" not in brief.event.location
    assert brief.event.status == "held"


PLANNED_WIRE = """Estonia's Prime Minister Kask to visit Lisbon next week for talks with Portugal's Moura

TALLINN, Mar 3, 2031 (Baltic News wire) — Estonian Prime Minister Liisa Kask will travel to Portugal next week for her first bilateral talks with Prime Minister Rui Moura, her office said on Monday.

Kask will hold talks with Moura at the Sao Bento Palace in Lisbon on Thursday, Mar. 12, a spokesman said. The two are expected to discuss offshore wind and naval patrols.
"""


def test_a_meeting_to_come_is_dated_and_placed_by_its_own_sentences_not_the_dateline() -> None:
    brief = scripted_brief(PLANNED_WIRE, location=None, participants=[
        {"name": "Liisa Kask", "country": "Estonia"}, {"name": "Rui Moura", "country": "Portugal"}])
    assert brief.event.status == "planned"
    assert brief.event.date == dt.date(2031, 3, 12)
    assert brief.event.location is not None and "Tallinn" not in brief.event.location.upper().title()
    assert "Lisbon" in brief.event.location or "Sao Bento" in brief.event.location


def test_the_agency_in_a_dateline_is_no_person() -> None:
    names = {p.name for p in extract(prepare(PLANNED_WIRE)).persons}
    assert not any("Baltic News" in name for name in names)


BROADCASTER = """World

Spain, Chile ministers pledge to 'keep ports open' before trade talks

Albares hosts Chilean counterpart in Madrid as review nears

Ines Roca · Radio News · Posted: Mar 4, 2031 6:15 PM

Spain's Foreign Minister Pablo Albares and Chilean Foreign Minister Carla Vidal met in Madrid on Wednesday to prepare the trade review.

"We intend to act together," Albares told reporters.
"""


def test_a_deck_under_the_title_does_not_stand_for_the_lead() -> None:
    from service.text.participants import lede_participants

    article = prepare(BROADCASTER)
    found = [p.name for p in lede_participants(article, extract(article))]
    assert "Carla Vidal" in found and "Pablo Albares" in found
    assert "Ines Roca" not in found


FIRST_SINCE = """After years of quarrels, Lisbon and Rabat try a quieter diplomacy

By Ana Sousa

For decades relations between Portugal and Morocco have swung from crisis to crisis.

That approach was tested on Thursday, when Portuguese Foreign Minister Rui Costa and his Moroccan counterpart, Karim Alaoui, sat down for talks in Lisbon, the first visit by a Moroccan foreign minister to Portugal since 2019.
"""


def test_the_first_visit_since_a_year_is_this_visit_not_an_earlier_one() -> None:
    from service.text.participants import lede_participants

    article = prepare(FIRST_SINCE)
    found = [p.name for p in lede_participants(article, extract(article))]
    assert "Rui Costa" in found and "Karim Alaoui" in found
    assert "Ana Sousa" not in found


MINISTRY_NOTE = """Outcome of Korea-Norway Foreign Ministers' Meeting

Date: 2031-05-21

1. Minister of Foreign Affairs KANG Min-jun held a Foreign Ministers' Meeting with Minister of Foreign Affairs of Norway Ola Berg on May 20 in Oslo, during his visit to Norway.

2. Minister KANG asked for Norway's continued support for the efforts toward the denuclearization of the DPRK, and Minister Berg expressed support.
"""


def test_a_family_name_in_capitals_is_a_name() -> None:
    names = {p.name for p in extract(prepare(MINISTRY_NOTE)).persons}
    assert "KANG Min-jun" in names
    assert not any(name.isupper() for name in names)


def test_a_country_the_sentence_talks_about_is_not_the_unqualified_participants() -> None:
    brief = scripted_brief(MINISTRY_NOTE, location=None, participants=[
        {"name": "KANG Min-jun", "country": None}, {"name": "Ola Berg", "country": "Norway"}])
    country = {p.name: p.country for p in brief.participants}["KANG Min-jun"]
    assert country != "North Korea"


def test_a_title_in_capitals_does_not_run_a_name_into_its_verb() -> None:
    names = {p.name for p in extract(prepare(STATE_HOUSE)).persons}
    assert "Ilie Rusu" in names
    assert not any(name.endswith("Agree") for name in names)


COMMUNIQUE = """Joint Communiqué of the Third Session of the Chile-Norway Joint Commission

1. The session, held on 18 June 2031, was co-chaired by H.E. Ambassador Dr. Carla Vidal Soto, Minister of Foreign Affairs of the Republic of Chile, and H.E. Mr. Ola Berg, Minister of Foreign Affairs, Trade and Nordic Cooperation of the Kingdom of Norway. The two sides reviewed trade.
"""


def test_an_office_and_its_country_after_the_name_outweigh_a_rank_before_it() -> None:
    people = {p.name: (p.title, p.country) for p in extract(prepare(COMMUNIQUE)).persons}
    assert people["Carla Vidal Soto"] == ("Minister of Foreign Affairs", "Chile")
    assert people["Ola Berg"][1] == "Norway"


PRESS_CONFERENCE = """Joint press conference by the Minister of State and Foreign Affairs of Norway, Ola Berg, and the Minister of Foreign Affairs of Chile, Carla Vidal

Oslo
22 April 2031

MODERATOR: Good afternoon. The two ministers will make short statements, and then take two questions from each delegation.

MINISTER BERG: Thank you. We discussed trade, fisheries and the new ferry line between our ports, and we agreed to meet again next year.
"""


def test_a_long_office_of_a_country_before_a_comma_gives_the_name_after_it() -> None:
    from service.text.people import _names_after_office_of_country

    found = _names_after_office_of_country(PRESS_CONFERENCE, "en")
    assert ["Ola", "Berg"] in found and ["Carla", "Vidal"] in found
    people = {p.name: p.country for p in extract(prepare(PRESS_CONFERENCE)).persons}
    assert people.get("Ola Berg") == "Norway"


FEATURE = """After years of quarrels, Lisbon and Rabat try a quieter diplomacy

By Ana Sousa

For decades relations between Portugal and Morocco have swung from crisis to crisis.

The floods that struck both coasts opened a different chapter. Portuguese divers searched the harbour of Tangier, Moroccan lorries carried sandbags to Faro, and the two governments began an agenda of fisheries and ferry talks.

That approach was tested on Thursday, when Portuguese Foreign Minister Rui Costa and his Moroccan counterpart, Karim Alaoui, sat down for talks in Lisbon. They discussed the tuna quota and a new ferry line to Tangier, and agreed to open a joint coastguard centre in Faro.
"""


def test_a_story_that_opens_on_background_reaches_the_event_at_its_lead() -> None:
    from service.brief.claims import is_background

    article = prepare(FEATURE)
    divers = next(i for i in range(len(article.sentences))
                  if "divers" in article.sentence_text(i))
    tuna = next(i for i in range(len(article.sentences)) if "tuna" in article.sentence_text(i))
    assert is_background(article, divers, 2031)
    assert not is_background(article, tuna, 2031)


def test_a_place_that_qualifies_a_noun_in_the_lead_is_not_where_the_event_sat() -> None:
    # Written for this test: the meeting's city is one the tagger may not know; the lead
    # then names another city only to qualify a terminal ("the Antwerp hydrogen terminal").
    text = ("Readout of Minister Ida Berg's Meeting with Minister Paul Roux\n\nJune 2, 2026\n\n"
            "Minister Ida Berg of Sweden met Minister Paul Roux of Belgium in Ghent today.\n"
            "Roux welcomed Swedish interest in the Antwerp hydrogen terminal.\n"
            "They agreed that engineers from both grids would meet in September.\n")
    article = prepare(text)
    assert "Antwerp" in extract(article).places
    brief = scripted_brief(text, participants=[
        {"name": "Ida Berg", "country": "Sweden"}, {"name": "Paul Roux", "country": "Belgium"}])
    assert brief.event.location != "Antwerp"
    assert "in Antwerp" not in brief.summary


# Written for this test: a wire story whose background goes on in a sentence that points back
# at it ("The spat saw ..."), and that sets the talks beside other news ("The meeting came
# as ...").
WIRE_WITH_SETTING = """GENEVA, March 12 (Wire) -- Foreign Minister Lena Varga of Hungary and Foreign Minister Tomas Ibarra of Chile met in Geneva on Wednesday to discuss copper exports and a new air link.
Ties between Budapest and Santiago have soured since a customs quarrel over smelter parts. The spat saw Ibarra call off a state visit to Budapest.
Varga and Ibarra agreed to form a copper export panel. The move was welcomed by exporters in Antofagasta.
The meeting came as Chilean dockworkers staged a strike over pay at northern ports.
"""


def test_a_sentence_that_goes_on_telling_the_background_or_sets_the_event_beside_other_news_is_background() -> None:
    from service.brief.claims import is_background

    article = prepare(WIRE_WITH_SETTING)

    def at(words: str) -> int:
        return next(i for i in range(len(article.sentences)) if words in article.sentence_text(i))

    assert is_background(article, at("The spat saw"), 2026)
    assert is_background(article, at("dockworkers"), 2026)
    # A happening noun after a sentence about the talks points back at the talks.
    assert not is_background(article, at("The move was welcomed"), 2026)
    assert not is_background(article, at("copper export panel"), 2026)
    brief = scripted_brief(
        WIRE_WITH_SETTING, participants=[{"name": "Lena Varga", "country": "Hungary"},
                                         {"name": "Tomas Ibarra", "country": "Chile"}],
        key_points=[3, 4, 5, 6], topics=["copper exports", "state visit", "strike over pay"])
    told = " ".join([brief.summary, *brief.key_points])
    assert "copper export panel" in told
    # The lead says they met; the visit a later sentence names is the one called off.
    assert brief.event.type == "meeting"
    assert "state visit" not in told and "dockworkers" not in told
