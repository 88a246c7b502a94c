"""The page's structure decides what a brief says: the kind its title announces, its date
line, a transcript's place line and speaker turns, the author of a readout; and names are
read whole and once, whatever a title-case headline glues to them."""

from __future__ import annotations

import datetime as dt

import pytest

from service.schemas import Brief
from service.text.article import prepare
from service.text.extract import extract
from tests.conftest import scripted_brief


def _brief(text: str, **model: object) -> Brief:
    brief: Brief = scripted_brief(text, **model)
    return brief


@pytest.mark.parametrize(("title", "kind", "event"), [
    ("Readout of Prime Minister Oda Lien’s Call with President Rui Sampaio of Portugal",
     "readout", "call"),
    ("Joint Readout of the Nordic Ministers Meeting on Arctic Shipping", "readout", "meeting"),
    ("Readout of the Minister’s Travel to Chile for the Opening of the Port of Arica",
     "readout", "visit"),
    ("Portugal-Norway Joint Leaders’ Statement on Ocean Energy", "statement", None),
    ("Joint Statement Following the Talks Between the Foreign Ministers of Peru and Chile",
     "statement", "meeting"),
    ("Statement by the Foreign Minister on the Ceasefire", "statement", None),
    ("Background Press Call by Senior Officials Ahead of the Lisbon Summit", "briefing", "summit"),
    ("Background Press Gaggle by the Deputy Spokesperson", "briefing", None),
    ("Remarks by Chancellor Ida Brun and Prime Minister Rui Sampaio of Portugal Before Their "
     "Working Lunch", "remarks", None),
    ("Ministers Hold Talks on Fishing Quotas as Summit Nears", None, "meeting"),
])
def test_a_title_says_what_the_page_is_and_which_event_it_is_about(
    title: str, kind: str | None, event: str | None
) -> None:
    header = extract(prepare(f"{title}\n\nMay 4, 2025\n\nThe two sides met and talked.\n")).header
    assert (header.kind, header.title_event) == (kind, event)


TRANSCRIPT = """Remarks by Chancellor Ida Brun and Prime Minister Rui Sampaio of Portugal Before Bilateral Meeting

March 3, 2025

Aboard the Research Vessel Nansen En Route Bergen, Norway

10:12 A.M. CET

CHANCELLOR BRUN: Welcome aboard. We spoke about Chancellor Eva Holm's visit last year, and about the fisheries deal we hope to sign on Friday.

PRIME MINISTER SAMPAIO: Thank you. Portugal and Norway share the same ocean.

Q Will you meet President Tomas Varga next week?

CHANCELLOR BRUN: I will, in Budapest.

END 10:30 A.M. CET
"""


def test_a_transcript_is_dated_placed_and_peopled_by_its_own_header_and_turns() -> None:
    header = extract(prepare(TRANSCRIPT)).header
    assert header.kind == "remarks" and header.title_event == "meeting"
    assert header.page_date == dt.date(2025, 3, 3)
    assert header.place == "the Research Vessel Nansen"
    assert header.speakers == ["brun", "sampaio"]
    brief = _brief(TRANSCRIPT, participants=[{"name": "Tomas Varga", "country": None}],
                   event_type="summit", location="Budapest")
    # The speakers take part; people their talk mentions (a visit last year, a meeting next
    # week) do not, whatever the model says.
    assert [p.name for p in brief.participants] == ["Ida Brun", "Rui Sampaio"]
    assert brief.event.type == "meeting"
    assert brief.event.date == dt.date(2025, 3, 3)  # the page's, not Friday's
    assert brief.event.location == "the Research Vessel Nansen"


BRIEFING = """Press Gaggle by Deputy Spokesperson Lena Moss

June 9, 2025

Aboard a Government Aircraft En Route Nairobi, Kenya

MS. MOSS: Good afternoon. The Foreign Minister will meet President Amina Odhiambo of Kenya on Thursday in Nairobi.

Q Thanks, Lena. Will they sign the water agreement?

MS. MOSS: I won't get ahead of the talks.
"""


def test_a_briefing_s_participants_are_its_speakers_not_the_leaders_it_previews() -> None:
    brief = _brief(BRIEFING, participants=[{"name": "Amina Odhiambo", "country": "Kenya"}],
                   event_type="meeting", location="Nairobi")
    assert [p.name for p in brief.participants] == ["Lena Moss"]
    assert brief.event.type == "briefing"
    assert brief.event.date == dt.date(2025, 6, 9)
    assert brief.event.location == "a Government Aircraft"


def test_a_joint_statement_names_its_signatories_in_its_title_or_first_sentence() -> None:
    titled = (
        "Joint Statement by President Rui Sampaio of Portugal and Prime Minister Oda Lien of "
        "Norway on Ocean Energy\n\nApril 2, 2025\n\nOur two countries will build offshore wind "
        "farms together. Minister Kari Dahl will lead the work.\n"
    )
    brief = _brief(titled, participants=[{"name": "Kari Dahl", "country": None}],
                   location="Oslo")
    assert [p.name for p in brief.participants] == ["Rui Sampaio", "Oda Lien"]
    assert (brief.event.type, brief.event.date, brief.event.location) == (
        "statement", dt.date(2025, 4, 2), None)
    untitled = (
        "Portugal-Norway Joint Statement on Ocean Energy\n\nApril 2, 2025\n\nWe, the President "
        "of Portugal Rui Sampaio and Prime Minister of Norway Oda Lien, affirm our shared "
        "goals.\nMinister Kari Dahl will lead the work.\n"
    )
    assert [p.name for p in _brief(untitled).participants] == ["Rui Sampaio", "Oda Lien"]
    nobody = untitled.replace("We, the President of Portugal Rui Sampaio and Prime Minister "
                              "of Norway Oda Lien, affirm", "Portugal and Norway affirm")
    assert nobody != untitled
    assert _brief(nobody, participants=[{"name": "Kari Dahl", "country": None}]).participants == []


READOUT = """Readout by Deputy Spokesperson Lena Moss of Prime Minister Oda Lien’s Call with President Rui Sampaio of Portugal

May 5, 2025

Prime Minister Oda Lien spoke today with President Rui Sampaio of Portugal. The Prime Minister welcomed the Portugal-Norway ocean energy accord and said Norway would send engineers to Lisbon. The two leaders intend to see each other in Oslo in the autumn, and Norway will host the next round of talks.
"""


def test_a_readout_s_author_did_not_take_part_and_its_own_side_is_the_publisher_s() -> None:
    brief = _brief(READOUT, participants=[
        {"name": "Lena Moss", "country": None},
        {"name": "Oda Lien", "country": "Portugal"},  # the counterpart's country: a slip
    ], event_type="visit", location="Oslo")
    people = {p.name: p for p in brief.participants}
    assert list(people) == ["Oda Lien", "Rui Sampaio"]
    assert (people["Rui Sampaio"].country, people["Rui Sampaio"].country_inferred) == (
        "Portugal", False)
    # Not stated beside her name: the country the readout speaks for, marked as inferred.
    assert (people["Oda Lien"].country, people["Oda Lien"].country_inferred) == ("Norway", True)
    assert set(brief.countries) == {"Norway", "Portugal"}
    assert (brief.event.type, brief.event.location) == ("call", None)
    assert brief.event.date == dt.date(2025, 5, 5)  # "today" on the page's date


def test_a_seat_of_government_names_the_publisher() -> None:
    text = READOUT.replace("said Norway would send engineers to Lisbon",
                           "said the White House would send engineers to Lisbon")
    text = text.replace("Norway will host", "they will hold").replace("Portugal-Norway ", "")
    brief = _brief(text)
    lien = next(p for p in brief.participants if p.name == "Oda Lien")
    assert (lien.country, lien.country_inferred) == ("United States", True)


def test_without_a_sign_of_the_publisher_a_country_stays_unknown() -> None:
    text = READOUT.replace("said Norway would send engineers to Lisbon", "said more later")
    text = text.replace("Norway will host", "they will hold").replace("Portugal-Norway ", "")
    brief = _brief(text)
    lien = next(p for p in brief.participants if p.name == "Oda Lien")
    assert (lien.country, lien.country_inferred) == (None, False)


@pytest.mark.parametrize(("text", "names"), [
    # A title-case headline glues its words and a possessive to the name.
    ("Readout of Minister Oda Lien’s Call with President Rui Sampaio\n\nMinister Oda Lien "
     "spoke with President Rui Sampaio.", ["Oda Lien", "Rui Sampaio"]),
    ("Chancellor Ida Brun Holds Talks in Oslo\n\nChancellor Ida Brun met Foreign Minister Kari "
     "Dahl.", ["Ida Brun", "Kari Dahl"]),
    # An office's own name is not a person, and the person follows it.
    ("The Minister of Fisheries and Coastal Affairs Kari Dahl met the Secretary of Energy and "
     "Social Services Jonas Berg at the Nordic Council.", ["Kari Dahl", "Jonas Berg"]),
    # Initials as the text writes them; a generation's numeral kept; "Jr." is not the name.
    ("President Tomas J. Varga, Jr. spoke with King Olav V in Oslo. Varga thanked the King.",
     ["Tomas J. Varga", "Olav V"]),
    # An honorific before a title is not part of the name.
    ("Her Majesty Queen Ingrid Fairhair received First Lady Ana Sousa.",
     ["Ingrid Fairhair", "Ana Sousa"]),
])
def test_names_are_read_whole_and_once(text: str, names: list[str]) -> None:
    assert [p.name for p in extract(prepare(text)).persons] == names


def test_an_office_and_a_surname_name_a_person_and_the_full_name_absorbs_it() -> None:
    text = ("President Varga met Prime Minister Lien in Oslo. Later, Ida Lien, the prime "
            "minister, said the talks went well. Varga agreed.")
    assert [p.name for p in extract(prepare(text)).persons] == ["Varga", "Ida Lien"]


AFTERWARDS = """Readout of Minister Ana Soto’s Meeting with Minister Rui Lopes of Peru

May 5, 2025

Minister Ana Soto met today with Minister Rui Lopes of Peru in Lima. The ministers welcomed President Marta Vidal and Prime Minister Jorge Rey’s shared commitment to the water accord.

Later that day, Minister Soto joined a dinner hosted in her honour by Mayor Luis Pardo.
"""


def test_people_at_a_later_event_or_named_as_owners_are_not_participants() -> None:
    everyone = ["Ana Soto", "Rui Lopes", "Marta Vidal", "Jorge Rey", "Luis Pardo"]
    brief = _brief(AFTERWARDS, participants=[{"name": n, "country": None} for n in everyone])
    assert [p.name for p in brief.participants] == ["Ana Soto", "Rui Lopes"]


def test_a_statement_s_parties_are_the_countries_its_title_names() -> None:
    text = ("Portugal-Norway Joint Statement on Ocean Energy\n\nApril 2, 2025\n\nOur two countries "
            "will build offshore wind farms together, and Denmark and Denmark's ports may join.\n")
    brief = _brief(text)
    assert brief.participants == []
    assert brief.countries[:2] == ["Portugal", "Norway"]



OUTCOMES = """Readout of Minister Ana Soto’s Call with Minister Rui Lopes of Peru

May 5, 2025

Minister Ana Soto spoke today with Minister Rui Lopes of Peru about water and trade.
The ministers committed to continue their work on a shared river basin plan.
They reaffirmed their joint commitment to open markets.
Both expressed commitment to widen the fishing quotas agreed for anchovy boats.
Minister Lopes reiterated his commitment to the old port tariffs on copper.
Minister Soto raised serious concerns about the detention of two Chilean fishermen.
The two ministers profoundly differ on the route of the new pipeline.
Will they agree to meet again in Lima?
They look forward to meeting in Lima in the coming months.
"""


def test_commitments_disagreements_and_plans_are_read_even_when_the_model_misses_them() -> None:
    brief = _brief(OUTCOMES, agreements=[], disagreements=[], next_steps=[])
    assert brief.agreements == [
        "The ministers committed to continue their work on a shared river basin plan.",
        "They reaffirmed their joint commitment to open markets.",
        "Both expressed commitment to widen the fishing quotas agreed for anchovy boats.",
    ]  # not one minister's own "his commitment"
    assert brief.disagreements == [
        "Minister Soto raised serious concerns about the detention of two Chilean fishermen.",
        "The two ministers profoundly differ on the route of the new pipeline.",
    ]
    # A question asks whether something will happen; it is no plan.
    assert brief.next_steps == ["They look forward to meeting in Lima in the coming months."]


def test_an_owner_of_a_commitment_is_not_a_participant_but_the_host_of_the_meeting_is() -> None:
    text = ("Ministers of the Nordic Water Group met in Oslo on Monday.\n"
            "Director Sara Lind opened the session by praising President Tomas Varga and Prime "
            "Minister Oda Lien’s commitment to clean rivers.\n")
    brief = _brief(text, participants=[{"name": n, "country": None}
                                       for n in ("Sara Lind", "Tomas Varga", "Oda Lien")])
    assert [p.name for p in brief.participants] == ["Sara Lind"]
    hosted = "Foreign Minister Ana Soto’s talks with Foreign Minister Rui Lopes took place in Lima.\n"
    assert [p.name for p in _brief(hosted).participants] == ["Ana Soto", "Rui Lopes"]


def test_topics_name_subjects_and_a_country_the_talks_were_about_is_one() -> None:
    text = ("Foreign Minister Ana Soto of Chile met Foreign Minister Rui Lopes of Peru in Lima on "
            "Monday. They discussed bilateral, regional and maritime issues, such as the Humboldt "
            "Current fisheries and Bolivia.\nSoto raised the Humboldt Current fisheries again "
            "and the Humboldt Current fisheries dominated the talks.\n")
    brief = _brief(text, topics=["bilateral", "Bolivia", "Chile"])
    folded = [t.lower() for t in brief.topics]
    assert "bilateral" not in folded and "regional" not in folded  # adjectives alone
    assert "bolivia" in folded  # not a participant's country: a subject of the talks
    assert "chile" not in folded  # who took part is not a topic
    assert not any(t.startswith("such as") for t in folded)


PAIRED = """Readout of President Elin Berg’s Call with President Marco Salas of Peru

March 3, 2025

President Elin Berg spoke today with President Marco Salas of Peru. The leaders praised the warm ties between Iceland and Peru and discussed fisheries. They noted the trade forum Chile hosted last year and the port Chile is building in the north.
"""


def test_the_country_paired_with_the_other_sides_is_the_publishers() -> None:
    brief = _brief(PAIRED)
    berg = next(p for p in brief.participants if p.name == "Elin Berg")
    # Chile is named more often; the text pairs Iceland with Peru as the two sides.
    assert (berg.country, berg.country_inferred) == ("Iceland", True)
    assert set(brief.countries) == {"Iceland", "Peru"}
    dashed = PAIRED.replace("the warm ties between Iceland and Peru", "the Iceland-Peru ties")
    assert next(p for p in _brief(dashed).participants if p.name == "Elin Berg").country == "Iceland"


GAGGLE = """Press Gaggle by Deputy Adviser Nora Quist

June 2, 2025

MS. QUIST: Good morning. The talks on the grain corridor continue today, and we expect progress on shipping.

Q Is it true, as the Kremlin claims, that the corridor talks have ended?

MS. QUIST: That is not our understanding. The talks continue, and we will say more later.
"""


def test_a_seat_of_government_in_a_reporters_question_is_not_the_publisher() -> None:
    brief = _brief(GAGGLE)
    quist = next(p for p in brief.participants if p.name == "Nora Quist")
    assert quist.country is None  # the question quotes Moscow; nothing says whose side she is
    said = GAGGLE.replace("That is not our understanding.",
                          "That is not what the State Department understands.")
    assert next(p for p in _brief(said).participants if p.name == "Nora Quist").country == \
        "United States"


HARM = """Readout of Chancellor Ida Brun’s Meeting with Two Nordic Ministers

April 9, 2025

Chancellor Ida Brun met today with Minister Oda Lien of Norway and Minister Kari Dahl of Finland in Geneva. They reviewed Belarus’s military build-up along the border and the sanctions Iceland has proposed in answer to Belarusian provocations.

The Chancellor said Iceland stands with its neighbours against Belarus’s coercion, and the ministers said any Belarusian attacks on shipping would meet a joint answer.
"""


def test_a_country_named_as_doing_harm_is_no_participants_side() -> None:
    """Belarus is named most, always as the one doing harm: a readout never writes its own
    side so. The publisher is the other country the text keeps naming."""
    brief = _brief(HARM, participants=[{"name": "Ida Brun", "country": "Belarus"}])
    brun = next(p for p in brief.participants if p.name == "Ida Brun")
    assert (brun.country, brun.country_inferred) == ("Iceland", True)
    assert "Belarus" not in brief.countries
    # Without Iceland nothing says whose side she is: not the model's guess of the aggressor.
    alone = HARM.replace("the sanctions Iceland has proposed", "the sanctions proposed")
    alone = alone.replace("said Iceland stands", "said they stand")
    brief = _brief(alone, participants=[{"name": "Ida Brun", "country": "Belarus"}])
    brun = next(p for p in brief.participants if p.name == "Ida Brun")
    assert brun.country is None


TALK = """Press Briefing by Press Secretary Lena Moss

October 2, 2025

MS. MOSS: Good afternoon. President Lindqvist spoke with the Chilean president this morning about the copper export agreement and the desalination plants in the north. They also covered salmon farming (inaudible) and other important issues, and the vice presidents will meet later.

PRESIDENT LINDQVIST: Thank you. Sweden's commitment is firm. We will sign the copper — copper exports deal later this afternoon.

Q Thanks, Lena. Will the desalination plants be finished by spring?

MS. MOSS: The desalination plants are on schedule, and the copper export agreement will follow yesterday's draft. From my point of view, the long conversation also covered port fees (inaudible) tariffs and new trade across the U.S. border, and President Lindqvist thanked the Chilean side.
"""


def test_a_transcripts_debris_and_vague_heads_are_not_topics() -> None:
    junk = ["salmon farming (inaudible)", "PRESIDENT LINDQVIST", "Q Thanks",
            "later this afternoon", "yesterday", "important issues", "Sweden's commitment",
            "vice presidents", "copper — copper exports", "inaudible) tariffs",
            "new trade across the U", "From my point of view", "long conversation",
            "President Lindqvist"]
    brief = _brief(TALK, topics=[*junk, "desalination plants"])
    assert not {t.lower() for t in brief.topics} & {j.lower() for j in junk}
    # The subject, as the model names it or as the sentence about it does ("... in the north").
    assert any(t.startswith("desalination plants") for t in brief.topics)
    assert any("copper export" in t for t in brief.topics)


PASSAGE = """Foreign Minister Ana Soto met Foreign Minister Rui Lopes of Peru in Lima on Monday.
The ministers discussed fishing quotas for anchovy boats, port fees and the fishing quotas of next season.
Soto insisted on safe passage through the Strait of Magellan for both fleets.
They agreed to review the fishing quotas and the port fees next year.
"""


def test_a_named_sea_or_strait_named_once_is_still_a_topic() -> None:
    brief = _brief(PASSAGE, topics=["port fees", "anchovy boats", "fishing quotas"])
    assert "Strait of Magellan" in brief.topics
    assert "Lima" not in brief.topics  # the event's place, not a subject


AGENDA = """Foreign Minister Ana Soto met Foreign Minister Rui Lopes of Peru in Lima on Monday.
The delegations reviewed progress in the Andean Water Accord and the open issues include river dredging near the border.
Soto conveyed the Andean Council’s lingering concern and praised Peru’s progress there.
"""


def test_an_agenda_the_text_lists_is_topics_and_a_sides_attitude_is_not() -> None:
    brief = _brief(AGENDA, topics=["Andean Council’s lingering concern", "Peru’s progress"])
    assert "Andean Water Accord" in brief.topics
    # Its name, with where it happens at most ("near …"), not the rest of its clause.
    assert any(t.startswith("river dredging") for t in brief.topics)
    assert not {"Andean Council’s lingering concern", "Peru’s progress"} & set(brief.topics)


COVERAGE = """Foreign Minister Ana Soto met Foreign Minister Rui Lopes of Peru in Lima on Monday.
Soto and Lopes agreed to open a second border crossing for lorries near Tacna next spring.
Soto and Lopes agreed to open the second border crossing for lorries next spring.
Lopes raised the anchovy fishing quotas and asked for joint patrols against illegal trawlers.
Both ministers also condemned the smuggling of gold from the Amazon rainforest.

Background

In 1998 the two countries ended a long war over the border, and in 2010 a court settled the sea boundary.
Historians still argue over which maps the court relied on when it drew that line.
"""


def test_key_points_cover_what_the_model_left_out_and_say_nothing_twice() -> None:
    brief = _brief(COVERAGE, key_points=[2], participants=[
        {"name": "Ana Soto", "country": "Chile"}, {"name": "Rui Lopes", "country": "Peru"}])
    said = " ".join(brief.key_points)
    assert "anchovy fishing quotas" in said and "gold from the Amazon" in said
    # The same point in other words, and background far from the ministers, are no key point.
    assert not any(p.startswith("Soto and Lopes agreed to open the second") for p in brief.key_points)
    assert "Historians" not in said
    assert "Background" not in brief.topics  # a part of the page, not a subject


HIGHLANDS = """Foreign Minister Ana Soto met Foreign Minister Rui Lopes of Peru in Lima on Monday.
The two ministers talked about drought relief for the highlands and river transport.
Soto said the drought had already cut harvests by a third.
"""


def test_a_one_word_topic_another_topic_contains_is_left_out() -> None:
    brief = _brief(HIGHLANDS, topics=["drought", "river transport"])
    assert "drought" not in brief.topics  # "drought relief" says more
    assert "drought relief for the highlands" in brief.topics
    assert "river transport" in brief.topics


def test_a_subject_listed_beside_a_possessor_still_names_a_subject() -> None:
    from service.text.topics import names_a_subject

    article = prepare("The ministers spoke about fisheries and Peru's commitment, and the "
                      "Nordic Council's concern was noted by everyone there.")
    assert names_a_subject(article, "fisheries and Peru's commitment")
    assert not names_a_subject(article, "the Nordic Council's concern")
