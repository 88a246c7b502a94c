"""The tone of the talks as the text's own words give it (text/tone.py): words of friction
aimed at a third party are common ground, a tone word in a name is a name, a figure that
rose sharply is no sharp exchange. Every text here is written for the test."""

from __future__ import annotations

from service.text.article import prepare
from service.text.event import tone


def _tone(text: str, model_choice: str = "neutral") -> str:
    return tone(prepare(text), model_choice)


def test_sides_condemning_a_third_country_together_are_not_at_odds() -> None:
    text = ("Readout of the Foreign Minister's Meeting with the Chilean Foreign Minister\n\n"
            "Foreign Minister Ilse Brandt of Austria met Chilean Foreign Minister Andrés Vera in "
            "Vienna today. Both ministers condemned Iran's missile strikes on its neighbours, "
            "and agreed to coordinate at the United Nations.\n")
    assert _tone(text) == "neutral"


def test_condemning_what_the_other_side_did_is_friction_between_them() -> None:
    text = ("Readout of the High Representative's Call with Moldova's Foreign Minister\n\n"
            "The High Representative held a call today with Moldova's top diplomat, "
            "Andrei Lupu. She condemned the arrest of opposition journalists and conveyed deep "
            "concern about the new media law.\n")
    assert _tone(text) == "tense"


def test_a_tone_word_that_is_part_of_a_name_is_no_tone() -> None:
    text = ("Meeting between the Foreign Ministers of Austria and Peru\n\n"
            "Foreign Minister Ilse Brandt of Austria held a meeting with Dr. Frank Alvarado, "
            "Peru's Foreign Minister, in Vienna. They discussed trade.\n")
    assert _tone(text, "constructive") == "constructive"


def test_a_figure_that_rose_sharply_is_no_sharp_exchange() -> None:
    text = ("Greece and Egypt discuss migration\n\n"
            "ATHENS, May 4 — Greece's and Egypt's foreign ministers met in Athens on Monday. "
            "Crossings towards the islands rose sharply this spring, officials said.\n")
    assert _tone(text, "cordial") == "cordial"


def test_on_equal_counts_the_tone_named_first_wins() -> None:
    text = ("The foreign ministers of Norway and Chile held warm and productive talks in Oslo "
            "on Monday. They discussed fisheries.\n")
    assert _tone(text) == "cordial"
    text = text.replace("warm and productive", "productive and warm")
    assert _tone(text) == "constructive"


def test_a_tone_word_in_a_title_case_headline_is_a_tone_word() -> None:
    text = ("Norway and Peru Hold Warm and Productive Talks\n\n"
            "The foreign ministers of Norway and Peru met in Oslo on Monday and discussed "
            "fisheries.\n")
    assert _tone(text) == "cordial"


def test_a_counterpart_called_a_friend_or_a_reliable_partner_is_a_cordial_meeting() -> None:
    text = ("Norway and Peru sign fisheries memorandum\n\n"
            "OSLO, May 4 — The foreign ministers of Norway and Peru met in Oslo on Monday and "
            "signed a memorandum on fisheries. The Norwegian minister called Peru \"a reliable "
            "partner across two oceans\".\n")
    assert _tone(text) == "cordial"
    assert _tone(text.replace("a reliable partner", "a country")) == "neutral"
