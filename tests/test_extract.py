"""Deterministic preparation and extraction: what the model may name comes from here."""

from __future__ import annotations

import datetime as dt

import pytest

from service.text.article import prepare
from service.text.countries import find_country_mentions, normalize_country
from service.text.dateline import strip_dateline
from service.text.dates import resolve_event_date
from service.text.extract import extract
from tests.conftest import read_article


def _date(text: str, published: dt.date | None = None) -> dt.date | None:
    article = prepare(text)
    return resolve_event_date(
        article.clean, [(s.start, s.end) for s in article.sentences], published
    )


def test_people_titles_and_countries_come_from_the_text() -> None:
    extraction = extract(prepare(read_article("santiago_readout.txt")))
    by_name = {p.name: p for p in extraction.persons}
    assert by_name["Lena Varga"].title == "Foreign Minister"
    assert by_name["Lena Varga"].country == "Hungary"
    assert by_name["Tomás Ibarra"].country == "Chile"
    assert "Ricardo Fuentes" in by_name  # a candidate, but only as background (see pipeline)
    assert extraction.places[0] == "Santiago"


def test_quotes_are_verbatim_with_offsets_and_speakers() -> None:
    text = read_article("santiago_readout.txt")
    quotes = extract(prepare(text)).quotes
    assert [q.speaker for q in quotes] == ["Lena Varga", "Lena Varga", "Tomás Ibarra"]
    for quote in quotes:
        assert text[quote.start : quote.end] == quote.text
    assert quotes[2].text.startswith("Our condition is clear")


def test_injected_instructions_are_hidden_from_the_model_and_flagged() -> None:
    text = read_article("vilnius_injection.txt")
    article = prepare(text)
    view = article.numbered_view()
    assert "PWNED" not in view and "Kessel" not in view and "system prompt" not in view
    assert "IGNORE" not in view
    assert "working group on protecting undersea cables" in view
    assert any("instruction-like" in w for w in article.warnings)
    names = [p.name for p in extract(article).persons]
    assert "Viktor Kessel" not in names
    assert len(article.clean) == len(text)  # offsets still point into the original


def test_plain_articles_raise_no_injection_warning() -> None:
    assert prepare(read_article("santiago_readout.txt")).warnings == []


def test_weekday_resolves_against_published_date_only() -> None:
    text = (
        "Oct. 2 (Lakeside Wire) -- The ministers met at the assembly in Geneva.\n"
        "The meeting took place on Sunday at the conference centre."
    )
    assert _date(text, dt.date(2023, 10, 2)) == dt.date(2023, 10, 1)
    assert _date(text) is None  # no year anywhere: never guess one


def test_explicit_dates_and_datelines() -> None:
    assert _date(read_article("santiago_readout.txt")) == dt.date(2024, 4, 16)
    assert _date("Nicosia, 22 October 2024\n\nThe leaders met in Nicosia on 22 October 2024.") == (
        dt.date(2024, 10, 22)
    )
    assert _date("14.05.2024\n\nThe minister spoke today by telephone with her counterpart.") == (
        dt.date(2024, 5, 14)
    )
    assert _date(read_article("vilnius_injection.txt")) is None  # "on Thursday", no anchor


def test_country_names_aliases_and_demonyms() -> None:
    assert normalize_country("Türkiye").name == "Turkey"  # type: ignore[union-attr]
    assert normalize_country("U.S.").code == "US"  # type: ignore[union-attr]
    assert normalize_country("us") is None  # the pronoun, not the country
    found = [m.country.name for m in find_country_mentions("Nigeria and Niger; South Korean aid")]
    assert found == ["Nigeria", "Niger", "South Korea"]
    # A formal name with its apostrophe either way is one country, not a shorter one inside it.
    curly = find_country_mentions("talks on the Democratic People’s Republic of Korea")
    assert [(m.country.name, m.surface) for m in curly] == [
        ("North Korea", "Democratic People’s Republic of Korea")]


def test_a_us_secretary_of_state_needs_no_country_in_the_text() -> None:
    text = ("Secretary of State Margaret Ellison met today with Türkiye's Foreign Minister Aydın "
            "Özkan in New York. Secretary of State for Foreign Affairs Tom Hale later joined them.")
    people = {p.name: p for p in extract(prepare(text)).persons}
    assert people["Margaret Ellison"].country == "United States"
    assert people["Aydın Özkan"].country == "Turkey"
    assert people["Tom Hale"].country is None  # a UK-style "Secretary of State for ..." title


@pytest.mark.parametrize(("text", "name", "country"), [
    ("Deputy Secretary of State Lena Moss flew on to Rabat on Tuesday.", "Lena Moss",
     "United States"),
    ("Treasury Secretary Mara Olsen spoke to reporters in Osaka.", "Mara Olsen",
     "United States"),
    ("External Affairs Minister Arun Mehra received his guests in Hanoi.", "Arun Mehra",
     "India"),
    # Offices that several governments have say nothing of the country.
    ("Home Secretary Tom Hale spoke to reporters in Osaka.", "Tom Hale", None),
    ("Foreign Secretary Tom Hale spoke to reporters in Osaka.", "Tom Hale", None),
])
def test_an_office_only_one_government_has_gives_its_country(
    text: str, name: str, country: str | None
) -> None:
    people = {p.name: p for p in extract(prepare(text)).persons}
    assert people[name].country == country


def test_a_persons_forms_and_mentions_come_in_one_order_whatever_the_hash_seed() -> None:
    """Forms of equal length ("Piet K", "Varoun") were ordered as a set iterates, so which
    mention came first, and whose title a person got, changed from one process to the next."""
    from service.text.people import Person, _find_mentions, _mention_forms

    person = Person("Piet K Varoun", ["Piet", "K", "Varoun"])
    assert _mention_forms(person) == ["Piet K Varoun", "Piet K", "Varoun", "Piet"]
    text = "Envoy Varoun arrived first. Later Piet K Varoun, the Trade Commissioner, spoke."
    _find_mentions(text, [person])
    # By form (fullest first), then by place: the same list in every process.
    assert [text[m.start : m.end] for m in person.mentions] == ["Piet K Varoun", "Varoun"]


@pytest.mark.parametrize("dateline", [
    "KAMPALA, May 2 (Wire Service) -- ",
    "KAMPALA, May 2, 2025 (Nile Press) - ",
    "KAMPALA (Nile Press) — ",
    "May 2 (NPA) -- ",
    "KAMPALA, Uganda — ",
])
def test_wire_datelines_open_the_lead_sentence_and_are_left_out_of_it(dateline: str) -> None:
    lead = "Foreign Minister Aida Nsubuga received her Kenyan counterpart for talks on the lake."
    article = prepare(f"{dateline}{lead}\nThe talks went on into the evening.\n")
    assert article.sentence_text(0) == lead
    assert strip_dateline(dateline + lead) == lead


def test_a_hyphenated_opening_word_is_not_a_dateline() -> None:
    text = "NATO-led patrols resumed on the border on Monday."
    assert strip_dateline(text) == text


def _event_date(text: str, published: dt.date | None = None) -> dt.date | None:
    article = prepare(text)
    spans = [(s.start, s.end) for s in article.sentences]
    return resolve_event_date(article.clean, spans, published, article.language)


def test_a_dateline_date_gives_way_to_the_day_a_later_sentence_gives_this_event() -> None:
    text = ("Oct. 9 (Lakeside Wire) -- The foreign ministers of Kenya and Norway met in "
            "Nairobi to discuss fisheries.\nThe meeting took place on Tuesday at the ministry.\n")
    assert _event_date(text, dt.date(2025, 10, 9)) == dt.date(2025, 10, 7)


def test_a_dateline_date_stands_when_no_sentence_about_this_event_dates_it() -> None:
    text = ("NAIROBI, Oct. 9, 2025 -- The foreign ministers of Kenya and Norway met to discuss "
            "fisheries.\nThey will meet again on Nov. 20 in Oslo.\n")
    assert _event_date(text) == dt.date(2025, 10, 9)


def test_a_quotation_an_unnamed_speaker_introduces_or_a_quoted_term_is_no_named_persons() -> None:
    # Written for this test: a named person's own words, then an unnamed official's, then a
    # scheme's name in quotation marks.
    text = ("Minister Ana Lind met Minister Peter Holm in Tallinn on Friday. \"We have turned a corner on "
            "ferries,\" Lind said. After the quarrels of Minister Peter Saar, the mood counts for "
            "something. As one Finnish official put it: \"A year back we were not even "
            "talking.\" Both agreed on a \"two boats, one timetable\" pilot scheme. "
            "\"It is a start,\" he said. He added: \"The rest will follow in June.\"\n")
    quotes = {q.text: q.speaker for q in extract(prepare(text)).quotes}
    assert quotes["We have turned a corner on ferries,"] == "Ana Lind"
    assert quotes["A year back we were not even talking."] is None
    assert not any("two boats" in quoted for quoted in quotes)
