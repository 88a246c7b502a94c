"""What the event's sentences act on (text/subjects.py), and the topics and key points built
from it: lists split into their items, "including" lists read for their examples, a vague head
replaced by its subject, and no phrase that only stands for one."""

from __future__ import annotations

from service.text.article import prepare
from service.text.subjects import MOST_WORDS, sentence_subjects
from service.text.topics import names_a_subject
from tests.conftest import scripted_brief

# Written for this test: a ferry operators' round table, each sentence about one subject.
ROUND_TABLE = """Readout of the Harbour Ministers' Round Table

April 3, 2026

Harbour Minister Elin Varga of Norway hosted Harbour Minister Tomas Brandt of Denmark in Bergen on Friday.
The ministers discussed winter ferry timetables, pilotage fees and the dredging of the Skagen channel.
Varga raised further concerns, including oil spills near the fjords and the shortage of tug crews.
Brandt stressed the importance of shore power for cruise ships.
Both harbour chiefs agreed to expand the joint search-and-rescue drills in the North Sea.
"""


def _subjects(text: str) -> list[str]:
    article = prepare(text)
    return sentence_subjects(article, range(len(article.sentences)))


def test_each_item_of_a_list_a_verb_acts_on_is_a_subject() -> None:
    found = _subjects(ROUND_TABLE)
    assert "winter ferry timetables" in found
    assert "pilotage fees" in found
    assert any("dredging" in s for s in found)


def test_an_including_list_gives_its_examples_not_the_vague_phrase_before_it() -> None:
    found = _subjects(ROUND_TABLE)
    assert "oil spills near the fjords" in found
    assert any("tug crews" in s for s in found)
    assert not any("concerns" in s for s in found)


def test_a_vague_head_gives_the_subject_its_phrase_introduces() -> None:
    found = _subjects(ROUND_TABLE)
    assert any(s.startswith("shore power") for s in found)
    assert not any("importance" in s for s in found)
    # What an agreement commits to expand is a subject too.
    assert any("search-and-rescue drills" in s for s in found)


def test_a_subject_is_a_short_name_without_its_relative_clause() -> None:
    found = _subjects("The envoys discussed the new grain corridor, which opened last week "
                      "after months of delay and much haggling over insurance.")
    assert "new grain corridor" in found
    assert all(len(s.split()) <= MOST_WORDS for s in found)


def test_feelings_thanks_and_talk_about_the_talk_are_no_subjects() -> None:
    found = _subjects("The Chancellor said it was a real privilege to host the delegation. "
                      "She thanked the envoy for his two questions and expressed deep "
                      "gratitude. The envoys discussed hundreds of stranded refugees.")
    assert not any(word in s for s in found for word in ("privilege", "questions", "gratitude"))
    assert not any(s.startswith("hundreds") for s in found)


def test_a_cut_clause_or_an_action_names_no_subject() -> None:
    article = prepare("The two discussed ways to secure a truce and a grain deal that would "
                      "reopen the ports, and the future of the dam.")
    assert not names_a_subject(article, "secure a truce")
    assert not names_a_subject(article, "grain deal that would reopen")
    assert names_a_subject(article, "future of the dam")


def test_the_brief_lists_what_its_sentences_act_on_among_its_topics() -> None:
    brief = scripted_brief(ROUND_TABLE, participants=[
        {"name": "Elin Varga", "country": "Norway"}, {"name": "Tomas Brandt", "country": "Denmark"}])
    topics = " | ".join(brief.topics)
    assert "oil spills near the fjords" in topics
    assert "shore power" in topics
    assert len(brief.topics) <= 10
    assert not any(t.lower() in ("matters", "importance", "further concerns")
                   for t in brief.topics)


# Written for this test: the background repeats its own phrases more than the talks do.
BACKGROUND = """Minister Ida Berg of Sweden met Minister Paul Roux of Belgium in Brussels on Monday.
The ministers discussed rail freight corridors and their funding in detail.
Relations have soured for years over the herring quarrel, and the herring quarrel has cost both fleets dearly.
Years ago the herring quarrel closed two ports.
"""


def test_a_phrase_the_background_repeats_ranks_after_those_about_the_event() -> None:
    from service.brief.claims import event_sentences
    from service.text.topics import key_phrases

    article = prepare(BACKGROUND)
    ranked = key_phrases(article, set())
    assert ranked.index("herring quarrel") < ranked.index("rail freight corridors")
    about_first = key_phrases(article, set(), within=event_sentences(article, 2026))
    assert about_first.index("rail freight corridors") < about_first.index("herring quarrel")


def test_a_phrase_graded_before_its_article_is_named_from_its_noun() -> None:
    from service.text.topics import key_phrases

    # Written for this test: a degree word and an adjective before "a" grade the noun phrase.
    article = prepare(
        "The trade ministers want so heavy a tariff schedule gone by June. They hope for as "
        "bold a grain accord as the talks allow. The tariff schedule and the grain accord "
        "were the main business of the day.")
    ranked = key_phrases(article, set())
    assert "tariff schedule" in ranked and "grain accord" in ranked
    assert not [p for p in ranked if " a " in f" {p} "]


def test_every_sentence_gives_its_first_subject_before_any_gives_a_second() -> None:
    found = _subjects("The ministers discussed ferry fares and pilot training. Later they "
                      "raised the Kattegat wind farm.")
    assert found.index("Kattegat wind farm") < found.index("pilot training")
    assert found[0] == "ferry fares"


def test_the_later_items_of_a_long_list_the_parser_hangs_from_the_verb_are_subjects() -> None:
    found = _subjects("He also raised other matters of concern, including the cyber breach "
                      "at the port, reports of Russia paying militias near the border, "
                      "interference in the 2020 Ruritanian election, and the poisoning of "
                      "Ivan Petrov.")
    assert "poisoning of Ivan Petrov" in found
    assert not any("," in s for s in found)


def test_a_hyphenated_word_and_a_bracketed_abbreviation_stay_whole() -> None:
    found = _subjects("The ministers called for the de-escalation of fighting in Moldova. "
                      "They upheld the Convention on the Law of the Sea (UNCLOS) in full.")
    assert "de-escalation of fighting in Moldova" in found
    assert not any(s.count("(") != s.count(")") for s in found)


def test_what_happened_to_a_person_is_a_subject_who_greeted_is_not() -> None:
    article = prepare("The ministers raised the poisoning of Ivan Petrov. Minister Ana Lien "
                      "passed on greetings from President Karl Borg.")
    assert names_a_subject(article, "poisoning of Ivan Petrov")
    assert not names_a_subject(article, "greetings from President Karl Borg")
    assert not names_a_subject(article, "Minister Ana Lien")


def test_a_phrase_cut_before_the_noun_it_qualifies_names_no_subject() -> None:
    article = prepare("The envoys reviewed a range of security and coastguard capabilities. "
                      "They praised the new fisheries accord. They did not raise the Greenland Sea or Greenland.")
    assert not names_a_subject(article, "range of security")
    assert not names_a_subject(article, "new fisheries")
    assert names_a_subject(article, "new fisheries accord")
    assert names_a_subject(article, "Greenland")  # one word: a name, however else it is used


def test_an_anniversary_is_a_subject_though_the_parser_reads_a_date() -> None:
    article = prepare("The ministers marked the two-year anniversary of the port deal this week.")
    assert names_a_subject(article, "two-year anniversary of the port deal")
    assert not names_a_subject(article, "this week")


def test_a_vague_head_with_a_purpose_gives_what_its_clause_acts_on() -> None:
    found = _subjects("The Secretary reiterated the commitment of Norway to support the end of "
                      "the war in Sudan and praised efforts to expand grain exports.")
    assert "grain exports" in found
    assert any("war in Sudan" in s for s in found)
    assert "Norway" not in found  # whose commitment, not what it is to


def test_adjectives_parted_by_commas_stay_in_the_subjects_name() -> None:
    found = _subjects("The envoy outlined efforts to expand access to safe, orderly, legal "
                      "fishing grounds.")
    assert any("safe, orderly, legal fishing grounds" in s for s in found)


def test_the_end_of_an_offices_name_is_no_subject() -> None:
    article = prepare("The Secretary of Maritime Affairs met the Minister of Trade. They "
                      "discussed trade and ferry routes.")
    assert not names_a_subject(article, "Maritime Affairs")
    assert names_a_subject(article, "ferry routes")


def test_a_form_of_address_is_no_subject() -> None:
    article = prepare("The minister conveyed the greetings of His Highness the Emir and "
                      "discussed Highness Park.")
    assert not names_a_subject(article, "Highness")
    assert names_a_subject(article, "Highness Park")



def test_a_judgement_of_a_thing_is_no_subject_and_the_thing_it_judges_is() -> None:
    # Written for this test.
    article = prepare("The ministers called the shelling of Narva a blatant violation and "
                      "urged a quick end to the blockade of the Narva crossing.")
    assert not names_a_subject(article, "blatant violation")
    assert not names_a_subject(article, "quick end")
    assert names_a_subject(article, "blockade of the Narva crossing")
    assert names_a_subject(article, "shelling of Narva")


def test_a_topic_is_said_without_the_pronouns_that_point_back_into_its_sentence() -> None:
    from service.text.topics import without_pronouns

    # Written for this test.
    article = prepare(
        "Minister Elin Varga of Norway met Minister Tomas Brandt of Denmark in Bergen. "
        "Brandt took a query on its pilotage fees and farmers in our valley. "
        "Oslo and its ferries were praised. "
        "They discussed their ferry timetables and the U.S. Coast Guard.")
    assert without_pronouns(article, "query on its pilotage fees") == "pilotage fees"
    assert without_pronouns(article, "their ferry timetables") == "ferry timetables"
    # A lone common noun after the pronoun places nothing; a name before it places it.
    assert without_pronouns(article, "farmers in our valley") is None
    assert without_pronouns(article, "Oslo and its ferries") == "Oslo and its ferries"
    # No pronoun: as it is; "U.S." is no "us".
    assert without_pronouns(article, "U.S. Coast Guard") == "U.S. Coast Guard"
    assert without_pronouns(article, "ferry timetables") == "ferry timetables"


def test_a_phrase_cut_at_a_hyphen_or_inside_a_quotation_is_no_topic() -> None:
    from service.text.topics import is_clean_topic

    # Written for this test.
    article = prepare(
        "Oslo talks\n\nThe ministers agreed to deepen Norway-Chile co-operation on salmon "
        "farming and said the new unit would \"watch over fjord traffic and pilotage\" in the "
        "northern waters. Chile confirmed its order for two ferries.\n")
    assert not is_clean_topic(article, "Chile co")  # of "Chile co-operation", not "Chile confirmed"
    assert not is_clean_topic(article, "Chile co-operation")  # of "Norway-Chile co-operation"
    assert is_clean_topic(article, "Norway-Chile co-operation")
    assert is_clean_topic(article, "salmon farming")
    assert not is_clean_topic(article, "pilotage\" in the northern waters")
    assert is_clean_topic(article, "fjord traffic")


def test_a_reciprocals_possessive_is_a_pronoun_and_a_pull_aside_no_subject() -> None:
    from service.brief.discussed import _is_gathering
    from service.text.topics import without_pronouns

    # Written for this test.
    article = prepare("Ferry talks\n\nThe two ministers pledged to open each other's ferry "
                      "ports to freight and held several pull-asides with port officials.\n")
    assert without_pronouns(article, "other's ferry ports") == "ferry ports"
    assert _is_gathering("several pull-asides")


def test_an_amount_or_a_vague_count_is_no_subject() -> None:
    article = prepare("The ministers pledged about 300 million Danish kroner to the ferry fund, "
                      "about 70 million Canadian dollars to the pier, "
                      "40 million Swiss francs to the port, 9 million Hong Kong dollars to the "
                      "coastguard and $5 million for the pilot school. Several "
                      "pilots spoke, and a couple of matters were left for later. They "
                      "discussed three detained trawler crews and the krone with their closest partners.")
    assert not names_a_subject(article, "about 300 million Danish kroner")
    assert not names_a_subject(article, "40 million Swiss francs")
    assert not names_a_subject(article, "about 70 million Canadian dollars")
    assert not names_a_subject(article, "9 million Hong Kong dollars")
    assert not names_a_subject(article, "Several pilots")
    assert not names_a_subject(article, "couple of matters")
    assert not names_a_subject(article, "closest partners")  # who, not what
    assert names_a_subject(article, "ferry fund")
    assert names_a_subject(article, "the krone")  # the currency itself: a subject
    assert names_a_subject(article, "$5 million for the pilot school")  # of what: said
    assert names_a_subject(article, "three detained trawler crews")  # by number: which
