"""Pages of the kinds a desk receives besides White House readouts: a ministry's readout
with numbered paragraphs and a "Place, date" line, a wire story with its trailer, a
one-name minister. Every text here is written for the test."""

from __future__ import annotations

import datetime as dt

from service.schemas import Brief
from service.text.article import prepare
from service.text.extract import extract
from service.text.people import find_persons
from service.text.quotes import find_quotes
from service.text.sanitize import is_page_furniture
from tests.conftest import scripted_brief


def _brief(text: str, **model: object) -> Brief:
    brief: Brief = scripted_brief(text, **model)
    return brief


MINISTRY_READOUT = """Foreign Minister Ilse Marten's talks with Foreign Minister of the Republic of Suriname Ramdin

Vilnius, October 14, 2026

Foreign Minister of Lithuania Ilse Marten held talks with Foreign Minister of the Republic of Suriname Ramdin, who is in Lithuania on a working visit.

The ministers reviewed the state of bilateral trade and agreed to open a joint business council next year. They exchanged views about the Caribbean region and on fisheries in the Atlantic.
"""


def test_a_name_stops_at_the_line_and_one_name_after_an_office_of_a_country_is_a_person() -> None:
    people = {p.name: p for p in find_persons(prepare(MINISTRY_READOUT), set())}
    assert "Ramdin" in people and people["Ramdin"].country == "Suriname"
    assert not any("Vilnius" in name for name in people)  # the next line is no surname


def test_a_dated_place_line_under_the_title_is_the_readouts_dateline() -> None:
    header = extract(prepare(MINISTRY_READOUT)).header
    assert (header.dateline_place, header.dateline_date) == ("Vilnius", dt.date(2026, 10, 14))
    brief = _brief(MINISTRY_READOUT, location="Caribbean region")
    # Neither the region the ministers talked about nor a missing date: the line says both.
    assert (brief.event.location, brief.event.date) == ("Vilnius", dt.date(2026, 10, 14))
    assert {p.name for p in brief.participants} == {"Ilse Marten", "Ramdin"}


NUMBERED_READOUT = """Visit of the Minister of Foreign Affairs to Iceland (June 8-9, 2026)

June 9, 2026

1. Minister of Foreign Affairs Dr. K. Rasmussen paid a working visit to Iceland on 8-9 June 2026.

2. The Minister called on Prime Minister Thora Gudmundsdottir and held talks with Foreign Minister Einar Sveinsson.

3. The two Ministers co-chaired the second round of the Nordic-Baltic Fisheries Roundtable. They agreed to set up a working group on cold-water aquaculture.
"""


def test_a_numbered_readout_reads_its_paragraphs_as_sentences_and_its_second_as_the_lead_s() -> None:
    article = prepare(NUMBERED_READOUT)
    texts = [article.sentence_text(i) for i in range(len(article.sentences))]
    assert not any(t.startswith(("1. ", "2. ")) for t in texts)  # a number is no part of its sentence
    assert any(t.startswith("The Minister called on Prime Minister") for t in texts)
    people = {p.name: p for p in find_persons(article, set())}
    assert people["K. Rasmussen"].title == "Minister of Foreign Affairs"  # no "Dr."
    brief = _brief(NUMBERED_READOUT, key_points=[1, 3], location="Nordic-Baltic Fisheries Roundtable")
    # The second paragraph, right after a lead that is a paragraph of its own, says who else
    # took part.
    assert {p.name for p in brief.participants} == {
        "K. Rasmussen", "Thora Gudmundsdottir", "Einar Sveinsson"}
    assert all(not k.startswith(("Visit of", "2.", "3.")) for k in brief.key_points)
    assert brief.event.location != "Nordic-Baltic Fisheries Roundtable"  # a forum, no venue


WIRE_STORY = """Home > World > Americas

Peru and Ecuador agree to reopen border crossings
By Lucia Ferro
May 7, 2026 2:05 PM UTC Updated an hour ago

Peruvian President Marta Quispe (L) and Ecuadorean President Tomas Arroyo shake hands in Lima, Peru, May 7, 2026. REUTERS/Juan Ortiz
LIMA, May 7 (Reuters) - Peruvian President Marta Quispe and Ecuadorean President Tomas Arroyo agreed on Thursday to reopen three border crossings closed since the floods.
Speaking after talks at the Government Palace, Quispe said the two nations had "a common duty to the families of the border." Arroyo said customs teams would start work next week.
The two presidents will meet again at a regional summit in Quito on June 20.
Reporting by Lucia Ferro; Editing by Sam Holt
Our Standards: The Thomson Reuters Trust Principles.
"""


def test_a_wire_lead_that_names_the_outcome_names_the_event_and_its_people() -> None:
    brief = _brief(WIRE_STORY, event_type="summit")
    assert {p.name for p in brief.participants} == {"Marta Quispe", "Tomas Arroyo"}
    # The next meeting's date and kind are not this one's.
    assert brief.event.date == dt.date(2026, 5, 7)
    assert brief.event.type == "meeting"
    assert "Standards" not in brief.summary
    assert all("Standards" not in k and "Reporting by" not in k for k in brief.key_points)


def test_a_wire_trailer_is_page_furniture() -> None:
    for line in ("Reporting by Lucia Ferro; Editing by Sam Holt", "(Additional reporting by Ana Ruiz)",
                 "Associated Press writer Tom Lee in Quito contributed to this report.", "___",
                 "Our Standards: The Thomson Reuters Trust Principles.", "Get all your news in one place"):
        assert is_page_furniture(line), line
    assert not is_page_furniture("Editing by hand is no longer needed, the minister said.")


def test_a_name_after_a_quote_is_its_speaker_only_in_the_quotes_own_sentence() -> None:
    article = prepare(WIRE_STORY)
    quotes = find_quotes(article, find_persons(article, set()))
    assert [(q.speaker, q.text[:12]) for q in quotes] == [("Marta Quispe", "a common dut")]


def test_every_country_and_territory_is_known_by_name_demonym_and_cldr_name() -> None:
    from service.text.countries import BY_CODE, find_country_mentions, normalize_country
    assert len(BY_CODE) >= 240  # ISO 3166-1's countries and territories, as CLDR lists them
    text = ("Envoys of Suriname, Chad and the Ivory Coast met a Malagasy minister, officials "
            "from the Turks & Caicos Islands and the Governor of New Jersey.")
    found = [(m.surface, m.country.name) for m in find_country_mentions(text)]
    assert found == [("Suriname", "Suriname"), ("Chad", "Chad"), ("Ivory Coast", "Côte d'Ivoire"),
                     ("Malagasy", "Madagascar"),
                     ("Turks & Caicos Islands", "Turks and Caicos Islands")]  # no "Jersey"
    country = normalize_country("Greenland")
    assert country is not None and country.code == "GL"


def test_a_commitment_to_meet_at_an_upcoming_meeting_is_a_next_step() -> None:
    text = ("Readout of the Minister's Call with Foreign Minister Aino Koski of Finland\n\n"
            "May 4, 2026\n\n"
            "Minister Rui Sampaio spoke today with Foreign Minister Aino Koski of Finland. "
            "They discussed Arctic shipping lanes and the protection of fish stocks. "
            "Both ministers committed to meet face to face at the upcoming Nordic ministerial session.\n")
    brief = _brief(text, key_points=[2])
    assert [s for s in brief.next_steps if "upcoming Nordic" in s]
    assert brief.event.type == "call"


def test_a_ministry_headlines_verb_is_no_part_of_the_name_before_it() -> None:
    text = ("Lin Hao Speaks with Estonian Foreign Minister Kadri Tamm on the Phone\n\n"
            "On March 3, 2026, Foreign Minister Lin Hao spoke with Estonian Foreign Minister "
            "Kadri Tamm on the phone. Both sides discussed trade in dairy products.\n")
    names = {p.name: p.title for p in find_persons(prepare(text), set())}
    assert names == {"Lin Hao": "Foreign Minister", "Kadri Tamm": "Foreign Minister"}


def test_a_credit_line_is_read_in_linear_time() -> None:
    import time
    line = "Reporting by a and b and c" + "; reporting by a and b and c" * 400 + " !"
    started = time.perf_counter()
    assert not is_page_furniture(line)
    # Each " and " is read one way only; the old pattern took seconds at a dozen segments.
    assert time.perf_counter() - started < 0.5


def test_only_a_place_opens_a_dated_place_line() -> None:
    for line, place in (("Tuesday, May 3, 2026", None), ("By Jane Doe, May 7, 2026", None),
                        ("Press Release, 7 May 2026", None), ("Moscow, April 2, 2026", "Moscow")):
        text = (f"Foreign Minister Lin Hao's talks with Foreign Minister Kadri Tamm\n\n{line}\n\n"
                "Foreign Minister Lin Hao held talks with Foreign Minister Kadri Tamm of Estonia.\n")
        assert extract(prepare(text)).header.dateline_place == place, line


def test_a_lone_word_after_an_office_of_a_country_is_a_name_only_where_the_name_ends() -> None:
    text = ("Statement by the Minister of Foreign Affairs of Japan Concerning the Fisheries Talks\n\n"
            "The minister welcomed the talks.\n")
    assert find_persons(prepare(text), set()) == []


def test_a_country_that_is_also_a_given_name_still_names_a_person_before_a_surname() -> None:
    article = prepare("Acting Secretary Chad Wolf met Israel Katz in Hong Kong on Monday. "
                      "Envoys from Chad attended.")
    assert [p.name for p in find_persons(article, set())] == ["Chad Wolf", "Israel Katz"]
    assert "Hong Kong" in extract(article).places  # a city that is a territory is a place


def test_a_white_house_readouts_next_paragraph_does_not_make_whom_they_discussed_participants() -> None:
    text = ("Readout of President Roe's Call with Premier Aino Koski of Finland\n\n"
            "May 4, 2026\n\n"
            "President Jane Roe spoke by video link with Premier Aino Koski of Finland.\n\n"
            "The two leaders talked over their support for President Petro Lind of Estonia.\n")
    brief = _brief(text, participants=[])
    assert {p.name for p in brief.participants} == {"Jane Roe", "Aino Koski"}


def test_a_quote_closed_by_a_question_mark_goes_on_to_its_attribution() -> None:
    article = prepare('President Tomas Arroyo met Marta Quispe. "Why should we wait any longer?" '
                      "Arroyo asked reporters in Lima.")
    assert [q.speaker for q in find_quotes(article, find_persons(article, set()))] == ["Tomas Arroyo"]


def test_a_title_announcing_a_visit_to_come_does_not_hide_the_leads_date() -> None:
    text = ("Secretary Roe's Upcoming Visit to Japan\n\n"
            "Secretary of State Jane Roe will visit Tokyo on May 12, 2026 to meet Foreign "
            "Minister Aiko Sato.\n")
    assert _brief(text).event.date == dt.date(2026, 5, 12)


def test_who_came_along_in_a_readouts_next_paragraph_takes_part_and_whom_they_thanked_does_not() -> None:
    text = ("Readout of President Roe's Call with Premier Aino Koski of Finland\n\n"
            "May 4, 2026\n\n"
            "President Jane Roe spoke by video link with Premier Aino Koski of Finland.\n\n"
            "President Roe, joined by Trade Secretary Ola Berg, thanked Premier Koski for her "
            "support for President Petro Lind of Estonia.\n")
    brief = _brief(text, participants=[])
    assert {p.name for p in brief.participants} == {"Jane Roe", "Aino Koski", "Ola Berg"}


def test_a_statements_markers_around_its_text_are_page_furniture() -> None:
    # Written for this test: a joint statement published between "Begin text:" and "End text."
    for marker in ("Begin text:", "Begin Text.", "End text.", "End of text"):
        assert is_page_furniture(marker)
    # A sentence that only starts alike is content.
    assert not is_page_furniture("End text messages to the ferry office by noon.")
    brief = scripted_brief(
        "The following is a joint statement of the ferry authorities of Norway and Denmark.\n\n"
        "Begin text:\n\n"
        "Harbour Minister Elin Varga of Norway met Harbour Minister Tomas Brandt of Denmark in "
        "Bergen on March 3, 2026. Both envoys chose to share winter pilotage crews.\n\n"
        "End text.\n",
        participants=[{"name": "Elin Varga", "country": "Norway"},
                      {"name": "Tomas Brandt", "country": "Denmark"}])
    assert not any("text" in t.lower().split() for t in brief.topics)
    assert "End text" not in brief.summary
