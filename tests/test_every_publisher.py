"""Pages from publishers other than one government's house style: ministries that name people
with forms of address and appositions, wire stories about a meeting still to come, a summit's
roll-call, a ministry's transcript with named reporters, a site's label above the title.
Every text here is written for the test; the model's draft is scripted, so what is checked is
what the text itself settles."""

from __future__ import annotations

import datetime as dt

from service.schemas import Brief
from service.text.article import prepare
from service.text.extract import extract
from tests.conftest import scripted_brief


def _brief(text: str, **model: object) -> Brief:
    brief: Brief = scripted_brief(text, **model)
    return brief


def _people(text: str) -> dict[str, tuple[str | None, str | None]]:
    return {p.name: (p.title, p.country) for p in extract(prepare(text)).persons}


MINISTRY_TALK = """Press Releases

Norway-Peru Ministerial Telephone Call

June 3, 2026

From about 8 a.m. on June 3, for half an hour, Mr. Halvard Lunde-Berg, Minister of Foreign Affairs, spoke on the telephone with the Honorable Ximena Quilca Soto, Minister of Foreign Affairs of the Republic of Peru. The main points were these.

1. Both sides will continue fisheries consultations in Lima later this year.
"""


def test_forms_of_address_and_an_apposition_give_the_name_title_and_country() -> None:
    people = _people(MINISTRY_TALK)
    assert people["Halvard Lunde-Berg"] == ("Minister of Foreign Affairs", None)
    assert people["Ximena Quilca Soto"] == ("Minister of Foreign Affairs", "Peru")
    assert not any(name.startswith(("Honorable", "Mr")) for name in people)


def test_a_sites_label_above_the_title_leaves_the_title_to_say_it_was_a_call() -> None:
    brief = _brief(MINISTRY_TALK, event_type="meeting", location="Lima")
    assert brief.event.type == "call"
    assert brief.event.location is None
    assert {p.name for p in brief.participants} == {"Halvard Lunde-Berg", "Ximena Quilca Soto"}


HONORIFICS_STORY = """Fiji and Ghana open a fisheries partnership

By Lusia Vaka | 12 May 2026

Senator the Hon. Maren Oduya, Ghana's Minister for Fisheries, and H.E. Dr. Tevita Rokoua, Minister of Trade of the Republic of Fiji, agreed on Tuesday in Suva to open a joint fisheries office.

The pair were joined by the Hon. Dr. Kwesi Amarh MP, Ghana's Deputy Minister of Trade. The Fijian High Commissioner, H.E. Ms. Salote Naivalu, took part as well.
"""


def test_honorifics_are_no_name_or_office_and_those_who_joined_took_part() -> None:
    people = _people(HONORIFICS_STORY)
    assert people["Maren Oduya"] == ("Minister for Fisheries", "Ghana")
    assert people["Tevita Rokoua"] == ("Minister of Trade", "Fiji")
    assert people["Kwesi Amarh"][1] == "Ghana"
    brief = _brief(HONORIFICS_STORY)
    assert {p.name for p in brief.participants} == {
        "Maren Oduya", "Tevita Rokoua", "Kwesi Amarh", "Salote Naivalu"}


def test_a_middle_initial_and_a_particle_stay_in_the_name() -> None:
    text = ("Readout of the Secretary's Meeting\n\nSecretary of State Aaron J. Whitfield met the "
            "President of the European Council Maren van der Holt in Brussels on May 4, 2026. "
            "Whitfield and van der Holt discussed energy.\n")
    names = set(_people(text))
    assert {"Aaron J. Whitfield", "Maren van der Holt"} <= names
    assert "J. Whitfield" not in names and "Aaron J" not in names


def test_a_thing_the_tagger_calls_an_organisation_is_no_person() -> None:
    text = ("The Kenya-Peru Trade Council opened in Nairobi on Monday. Foreign Minister "
            "Amina Otieno welcomed the Blue Shield and a Bank-funded project.\n")
    names = set(_people(text))
    assert "Amina Otieno" in names
    assert not names & {"Trade Council", "Blue Shield", "Bank-funded"}


ROLL_CALL = """Island leaders back a fisheries fund at Apia retreat

APIA, Samoa — Leaders of six Pacific countries agreed on Friday to set up a regional fisheries fund as their weekend retreat in the Samoan capital ended.

The retreat was hosted by Prime Minister Iosefa Leaupepe of Samoa.

Seated at the table were Prime Minister Iosefa Leaupepe of Samoa, Prime Minister Sakiusa Delana of Fiji, President Tabwe Ioane of Kiribati, Prime Minister Manu Falani of Tuvalu and President Lino Reklai of Palau.
"""


def test_everyone_a_roll_call_lists_took_part() -> None:
    brief = _brief(ROLL_CALL)
    assert {p.name for p in brief.participants} == {
        "Iosefa Leaupepe", "Sakiusa Delana", "Tabwe Ioane", "Manu Falani", "Lino Reklai"}


PLANNED = """Portugal to host Moroccan, Senegalese ministers for Atlantic talks next week

By Rita Faria
Published Thursday, 4 June 2026

LISBON - Portugal will host the top diplomats of Morocco and Senegal in the Atlantic city of Porto next week for talks on fisheries and migration, the Portuguese government announced on Thursday.

Portuguese Foreign Minister Duarte Salvado will receive Moroccan Foreign Minister Youssef Alami and Senegalese Foreign Minister Awa Ndiaye on Wednesday, June 10, foreign ministry press officer Carla Mendes told reporters.

A fisheries accord is on the agenda, Mendes told reporters.
"""


def test_a_meeting_to_come_is_planned_on_its_own_day_and_its_source_took_no_part() -> None:
    brief = _brief(PLANNED, location="Atlantic")
    assert brief.event.status == "planned"
    # "said on Thursday" dates the announcement, not the meeting.
    assert brief.event.date == dt.date(2026, 6, 10)
    assert brief.event.location == "Porto"
    assert {p.name for p in brief.participants} == {"Duarte Salvado", "Youssef Alami", "Awa Ndiaye"}


def test_a_meeting_that_happened_is_held() -> None:
    assert _brief(HONORIFICS_STORY).event.status == "held"


# Written for this test: a prime minister's office on the day of talks still to come.
ARRIVED = """Chancellor in Oslo for North Sea power talks

4 June 2026

The Chancellor arrives in Oslo today for talks with Norwegian Prime Minister Eirik Dahl.

Each side will take up the North Sea power cable and the fishing quotas.
"""


def test_an_arrival_for_talks_the_story_does_not_report_held_is_a_meeting_to_come() -> None:
    brief = _brief(ARRIVED)
    assert brief.event.status == "planned"
    assert " held talks" not in brief.summary and " met " not in brief.summary
    # Once the next sentence reports the talks, the arrival led to a meeting held.
    held = ARRIVED.replace("Each side will take up", "Both envoys discussed")
    assert _brief(held).event.status == "held"


def test_a_region_is_no_venue() -> None:
    text = ("NAIROBI, May 4 (Reuters) - Kenya's foreign minister Grace Auma met Japan's trade "
            "minister Kenji Sato in the Rhine Valley on Monday to discuss wheat exports.\n")
    brief = _brief(text, location="Rhine Valley")
    assert brief.event.location in (None, "Nairobi")


TRANSCRIPT = """Transcript: Ministry of Foreign Affairs weekly press briefing, 2 June 2026

Ministry of Foreign Affairs, Oslo, Briefing Room

MS. INGRID VAAGE (Spokesperson): Good morning. The Minister met her Peruvian counterpart this morning.

MR. TANAKA (Asahi): Was fishing raised?

MS. VAAGE: It was, in general terms.

MR. TANAKA: And the next round?

MS. VAAGE: In Lima, next year.
"""


def test_a_transcripts_speaker_is_named_from_the_label_and_a_reporter_is_not_one() -> None:
    brief = _brief(TRANSCRIPT)
    assert brief.event.type == "briefing"
    assert [p.name for p in brief.participants] == ["Ingrid Vaage"]


STATEMENT = """Chile – Norway Ocean Partnership Joint Statement

March 3, 2026

What follows is the joint communiqué of the Governments of Chile and Norway.

Begin text:

The Governments of Chile and Norway opened their Ocean Partnership in Oslo on March 3, 2026. The session was chaired by Political Director Ana Riquelme, Ministry of Foreign Affairs of Chile, and State Secretary Lars Hove, Norwegian Ministry of Foreign Affairs.
"""


def test_a_joint_statement_whose_title_names_no_one_has_the_parties_its_body_names() -> None:
    brief = _brief(STATEMENT)
    assert brief.event.type == "statement"
    assert {p.name for p in brief.participants} == {"Ana Riquelme", "Lars Hove"}


def test_a_meeting_to_come_is_never_summed_up_as_held() -> None:
    summary = _brief(PLANNED).summary
    assert "are to meet" in summary
    assert " met " not in summary


def test_a_country_the_story_is_about_is_no_participants_and_the_models_guess_is_not_taken() -> None:
    text = ("Nairobi hosts talks on Chinese loans\n\nNAIROBI, May 4 (Reuters) - Grace Auma met "
            "Chinese envoy Li Wei in Nairobi on Monday to discuss loans. China has lent widely in "
            "the region, and China's banks hold much of the debt. Analysts expect China to ease "
            "terms.\n")
    brief = _brief(text, participants=[{"name": "Grace Auma", "country": "China"},
                                       {"name": "Li Wei", "country": "China"}])
    countries = {p.name: p.country for p in brief.participants}
    assert countries["Grace Auma"] is None  # the text does not say whose side she is on


def test_an_analyst_not_involved_in_the_talks_is_no_participant_even_if_the_model_picks_her() -> None:
    text = ("Peru and Ghana open cocoa talks\n\nLIMA, May 4 (Reuters) - Peru's trade minister Rosa "
            "Quispe met Ghana's trade minister Kofi Mensah in Lima on Monday.\n\n\"The talks are a "
            "start,\" said Lucia Paredes, a historian with no role in the negotiations.\n")
    brief = _brief(text, participants=[{"name": "Lucia Paredes", "country": None}])
    assert "Lucia Paredes" not in {p.name for p in brief.participants}


def test_a_leader_the_story_says_was_absent_from_the_talks_is_no_participant() -> None:
    text = ("Chile and Norway sign salmon accord\n\nSANTIAGO, May 4 (Reuters) - Chile's fisheries "
            "minister Rosa Vidal met Norway's fisheries minister Ola Berg in Santiago on Monday "
            "and signed a salmon accord.\n\nPresident Tomas Leiva wasn't at the talks, as he toured "
            "the north, according to aides.\n")
    brief = _brief(text, participants=[{"name": "Rosa Vidal", "country": "Chile"},
                                       {"name": "Ola Berg", "country": "Norway"},
                                       {"name": "Tomas Leiva", "country": "Chile"}])
    assert {p.name for p in brief.participants} == {"Rosa Vidal", "Ola Berg"}
    # Said another way, the same.
    skipped = text.replace("wasn't at the talks", "skipped the talks")
    assert "Tomas Leiva" not in {p.name for p in _brief(skipped, participants=[
        {"name": "Tomas Leiva", "country": "Chile"}]).participants}


def test_the_place_the_lead_gives_beats_a_headlines_label() -> None:
    text = ("Ministers back a reef fund at Fiji retreat\n\nBy Ana Tui | 4 May 2026\n\nForeign "
            "Minister Sela Vaka of Tonga and Foreign Minister Ioane Leota of Samoa agreed on "
            "Monday in Nadi, Fiji, to set up a reef fund.\n")
    assert _brief(text).event.location == "Nadi"


def test_the_body_an_apposition_names_gives_the_country() -> None:
    assert _people(STATEMENT)["Lars Hove"] == ("State Secretary", "Norway")


OWN_READOUT = """Premier's call with President Salas: 3 June 2026

The Premier had a call with President Marco Salas of Peru on Wednesday afternoon.

The leaders welcomed the growth of the Iceland-Peru fisheries partnership and said they would stay in touch.
"""


def test_a_readout_naming_its_own_principal_by_office_alone_counts_the_publishers_country() -> None:
    brief = _brief(OWN_READOUT)
    assert [p.name for p in brief.participants] == ["Marco Salas"]
    assert set(brief.countries) == {"Iceland", "Peru"}
    # Nothing in the text says whose Premier it is: no country is guessed.
    vague = OWN_READOUT.replace("the Iceland-Peru fisheries partnership", "fisheries")
    assert _brief(vague).countries == ["Peru"]
    # An office with a country of its own is the counterpart, not the publisher's principal.
    other = OWN_READOUT.replace("The Premier had a call with President Marco Salas of Peru",
                                "The Premier of Peru, Marco Salas, had a call with reporters")
    assert "Iceland" not in _brief(other).countries


THREE_WAY = """Ministers' Phone Call

June 3, 2026

On June 3, Mr. Halvard Lunde-Berg, Minister of Foreign Affairs, had a phone conversation with Ms. Ximena Quilca Soto, Foreign Minister of Peru.

They will work together on Norway-Peru fisheries and in the Norway-Peru-Chile format on ocean science.
"""


def test_a_three_way_format_is_not_the_two_sides_of_a_relationship() -> None:
    minister = next(p for p in _brief(THREE_WAY).participants if p.name == "Halvard Lunde-Berg")
    assert (minister.country, minister.country_inferred) == ("Norway", True)


STATEMENT_AFTER = """Joint Statement by Foreign Minister Halvard Lunde and Foreign Minister Ximena Quilca

June 5, 2026

Norway and Peru issued the statement below:

Peruvian Foreign Minister Ximena Quilca travelled to Oslo on Wednesday, June 3, 2026, as the guest of Foreign Minister Halvard Lunde.

The ministers agreed to open a fisheries dialogue this autumn.
"""


def test_a_statement_put_out_after_the_meeting_it_reports_is_dated_by_the_meeting() -> None:
    assert _brief(STATEMENT_AFTER).event.date == dt.date(2026, 6, 3)
    # A statement that reports no earlier meeting is dated by its page.
    undated = STATEMENT_AFTER.replace(" on Wednesday, June 3, 2026", "")
    assert _brief(undated).event.date == dt.date(2026, 6, 5)
    # A day after the page's is no meeting this statement reports.
    later = STATEMENT_AFTER.replace("June 3, 2026", "June 9, 2026")
    assert _brief(later).event.date == dt.date(2026, 6, 5)


MEMBERS_STATEMENT = """Ocean Ministers' Statement on Illegal Fishing

May 20, 2026

Issued on behalf of the fisheries ministers of Chile, Iceland, Norway and the Republic of Peru.

The ministers condemn the illegal fishing fleets seen off Somalia and urge Yemen and Oman to share port records.
"""


def test_the_members_a_multilateral_statement_lists_are_its_countries() -> None:
    brief = _brief(MEMBERS_STATEMENT)
    assert brief.countries == ["Chile", "Iceland", "Norway", "Peru"]
    # Two countries are a pair, which the people already give; no list of members.
    pair = MEMBERS_STATEMENT.replace("Chile, Iceland, Norway and the Republic of Peru",
                                     "Chile and Peru")
    assert "Norway" not in _brief(pair).countries


GLOSSED = """Envoys Discuss the Arctic

April 2, 2026

On April 2 Special Envoy for the Arctic Sam Kerr met with the Republic of Chile (ROC) Special Representative for Ocean Affairs Hanna Jonsdottir in Oslo to discuss Arctic fishing.

The Office of Fisheries Policy's (OFP) Director Ola Berg joined them.
"""


def test_a_countrys_acronym_before_an_office_keeps_the_country_and_a_bodys_does_not() -> None:
    people = _people(GLOSSED)
    assert people["Hanna Jonsdottir"] == ("Special Representative for Ocean Affairs", "Chile")
    assert people["Ola Berg"] == ("Director", None)
    # "Envoy for the Arctic"-style portfolios name what the office is about, not its holder's
    # country: a portfolio country is never inferred as the envoy's own.
    portfolio = GLOSSED.replace("Special Envoy for the Arctic", "Special Envoy for Greenland")
    kerr = next(p for p in _brief(portfolio).participants if p.name == "Sam Kerr")
    assert kerr.country is None


AVAILABILITY = """Minister Ola Berg and Peruvian Foreign Minister Ximena Quilca During a Joint Press Availability

June 4, 2026

Ola Berg, Minister of Foreign Affairs

Lima, Peru

Torre Tagle Palace

FOREIGN MINISTER QUILCA: Good afternoon. We welcome Minister Berg on his first visit to Lima, and we thank Norway for its help.

MINISTER BERG: Thank you, Ximena. The Kremlin's threats against its neighbours worry us all, and Russia's aggression must end. Russia cannot win by force.

FOREIGN MINISTER QUILCA: We have time for two questions.
"""


def test_a_press_availability_is_a_transcript_with_its_place_line_and_no_guessed_sides() -> None:
    brief = _brief(AVAILABILITY, event_type="meeting", location="Moscow")
    assert {p.name for p in brief.participants} == {"Ola Berg", "Ximena Quilca"}
    assert brief.event.date == dt.date(2026, 6, 4)
    assert brief.event.location is not None and brief.event.location.startswith("Lima")
    berg = next(p for p in brief.participants if p.name == "Ola Berg")
    # Russia is what they talk about, most named and its seat named too: never his country.
    assert berg.country is None
    washington = AVAILABILITY.replace("Lima, Peru", "Washington, D.C.")
    assert _brief(washington).event.location == "Washington, D.C."


JOINT_RELEASE = """Norway-Peru: Joint Press Release of Two Foreign Ministries on Talks Between State Secretary Ola Berg and Vice Minister Ana Ruiz

March 2, 2026

Both ministries issued the release below.

State Secretary Ola Berg and Vice Minister Ana Ruiz sat down in Lima on March 2 for a review of the fisheries accord.
"""


def test_a_joint_press_release_is_a_statement_whose_title_names_its_parties() -> None:
    brief = _brief(JOINT_RELEASE, event_type="meeting")
    assert brief.event.type == "statement"
    assert {p.name for p in brief.participants} == {"Ola Berg", "Ana Ruiz"}


def test_a_telephone_talk_is_a_call() -> None:
    text = MINISTRY_TALK.replace("Norway-Peru Ministerial Telephone Call", "Norway-Peru Relations") \
        .replace("spoke on the telephone with", "had telephone talks with")
    assert _brief(text, event_type="meeting").event.type == "call"


STATEMENT_WITH_HISTORY = """Norway-Peru Joint Statement on the Fisheries Dialogue

May 6, 2026

Both governments released the statement below.

Building on the pledge the two presidents made when they sat down in Lima in October 2025, Norway and Peru opened their fisheries dialogue on May 6 in Oslo.

State Secretary Ola Berg and Vice Minister Ana Ruiz met in Oslo with their delegations to set the dialogue's work plan.
"""


def test_a_statement_takes_its_parties_from_who_met_and_its_place_not_from_an_earlier_meeting() -> None:
    brief = _brief(STATEMENT_WITH_HISTORY, location="Lima")
    assert brief.event.location == "Oslo"
    assert {p.name for p in brief.participants} == {"Ola Berg", "Ana Ruiz"}
    # Without the later place, the earlier meeting's is still no venue of this one.
    only_lima = STATEMENT_WITH_HISTORY.replace(" on May 6 in Oslo", " on May 6") \
        .replace("met in Oslo with", "met with")
    assert _brief(only_lima, location="Lima").event.location is None


OTHER_MEETINGS = """Foreign Minister's Call with Minister Ruiz

June 8, 2026

Foreign Minister Ola Berg had a phone call with Minister Ana Ruiz of Peru this morning.

The two ministers looked ahead to the summit that will take place in Lima between Presidents Tomas Lind and Rosa Paz. Minister Berg was briefed on the recent meeting between Minister Ruiz and Carla Mendez, the head of the regional fisheries body.
"""


def test_people_of_a_meeting_to_come_or_of_a_recent_one_took_no_part_in_this_one() -> None:
    brief = _brief(OTHER_MEETINGS, participants=[{"name": "Carla Mendez"}, {"name": "Tomas Lind"}])
    assert {p.name for p in brief.participants} == {"Ola Berg", "Ana Ruiz"}


TWO_SIDES = """Readout of Officials' Call with Peruvian Counterparts

May 12, 2026

Trade Adviser Jon Vik and Fisheries Director Eva Holm held a call today with Vice Minister Ana Ruiz and Deputy Minister Luis Soto. The officials reviewed the fisheries accord and will next gather at the White House in June.
"""


def test_the_other_side_of_a_call_never_gets_the_publishers_country_as_its_own() -> None:
    countries = {p.name: p.country for p in _brief(TWO_SIDES).participants}
    assert countries["Jon Vik"] == countries["Eva Holm"] == "United States"
    assert countries["Ana Ruiz"] is None and countries["Luis Soto"] is None


DELEGATION = """Readout of the Delegation to the Opening of the Lima Fisheries Forum

May 3, 2026

Secretary Tom Reed travelled to Lima this week to lead the delegation at the forum's opening and to mark ten years of the U.S.-Peru fisheries accord. He was joined by U.S. Ambassador to Peru, Kari Lund; Director of the Ocean Institute, Per Dahl; and Senator Ann Cole. The White House said the delegation would report back in June.
"""


def test_an_ambassador_to_a_country_is_not_from_it_and_nobody_else_is_guessed() -> None:
    people = {p.name: (p.title, p.country) for p in _brief(DELEGATION).participants}
    assert people["Kari Lund"] == ("Ambassador to Peru", "United States")
    # The publisher's side is already qualified: the others may be either side, so none is guessed.
    assert all(country is None for name, (_, country) in people.items() if name != "Kari Lund")


DELEGATIONS = """Fourth Round of the Norway-Peru Fisheries Working Group

June 12, 2026

The fourth round of the Norway-Peru Fisheries Working Group took place in Oslo today. The Norwegian delegation was led by Ms. Kari Lund, Director General for Fisheries. The Peruvian delegation was led by Mr. Luis Soto, Director of Ocean Affairs.

The two sides reviewed catch quotas and talked about the next round of the Pacific Salmon Charter, which both hope to host.
"""


def test_those_who_led_the_delegations_took_part() -> None:
    assert {p.name for p in _brief(DELEGATIONS).participants} == {"Kari Lund", "Luis Soto"}


ARRIVAL = """PM meeting with President Salas: 3 June 2026

The Premier welcomed President Marco Salas of Peru to Oslo on Tuesday.

Their talks covered fisheries, and both agreed to stay in close touch.
"""


def test_where_a_guest_was_welcomed_is_where_they_met() -> None:
    brief = _brief(ARRIVAL)
    assert brief.event.location == "Oslo"
    assert brief.event.date == dt.date(2026, 6, 3)
    # Support sent to a country is no venue.
    sent = ARRIVAL.replace("welcomed President Marco Salas of Peru to Oslo",
                           "met President Marco Salas of Peru").replace(
        "covered fisheries", "covered aid to Ecuador")
    assert _brief(sent).event.location is None



def test_a_lead_the_parser_cut_short_still_gives_its_date() -> None:
    from service.text.dates import resolve_event_date

    text = ("Ministers' Call\n\nJune 3, 2026\n\nMinister Kari Lund spoke with Republic of Peru "
            "(ROP) First Vice Minister Ana Ruiz today about fisheries.")
    cut = text.index("(ROP)") + len("(ROP)")
    lead = text.index("Minister Kari")
    spans = [(0, 15), (17, 29), (lead, cut), (cut + 1, len(text))]
    # The parser ended a sentence after the acronym: the date is in the part after it.
    assert resolve_event_date(text, spans, None) == dt.date(2026, 6, 3)


SEAT = """PM meeting with Chancellor Brun: 9 March 2026

The Premier hosted Chancellor Ida Brun of Austria at the Kantei on Monday for a working lunch.
"""


def test_a_seat_of_government_is_a_venue_though_the_tagger_does_not_know_it() -> None:
    assert _brief(SEAT).event.location == "Kantei"


COMMUNIQUE = """Communiqué of the Envoys for the Sahel

May 8, 2026

The envoys of Chile, Norway and Peru met in Oslo on May 8 to discuss the Sahel.

Sarah Thompson, the regional coordinator of the relief agency, also attended, and briefed the envoys on food aid.
"""


def test_someone_who_also_attended_a_statements_meeting_took_part() -> None:
    brief = _brief(COMMUNIQUE)
    assert [p.name for p in brief.participants] == ["Sarah Thompson"]
    assert brief.countries == ["Chile", "Norway", "Peru"]


TRADITION = """Readout of the Minister's Meeting with Minister Thompson

June 3, 2026

Foreign Minister Kari Lund met Foreign Minister Sarah Thompson of Peru in Oslo today to discuss fisheries.

In the evening, the two ministers will host the Oslo fisheries fair, a custom that goes back to 1987.
"""


def test_a_year_that_dates_a_custom_does_not_make_a_next_step_background() -> None:
    assert any("fisheries fair" in step for step in _brief(TRADITION).next_steps)


ENVOY = """Readout of the Special Envoy's Meeting with Egypt's Foreign Minister

June 3, 2026

Special Envoy for the DRC Mark Hale met Egypt's Foreign Minister Samir Adel in Cairo today to discuss the war in the Democratic Republic of the Congo (DRC).
"""


def test_the_country_an_envoys_office_serves_is_not_the_envoys() -> None:
    countries = {p.name: p.country for p in _brief(ENVOY).participants}
    assert countries == {"Mark Hale": None, "Samir Adel": "Egypt"}


WIRE_LEAD_BY_OFFICE = """Peru, Norway agree to open talks on salmon farming

By Ana Quispe
May 9, 2026 / 6:10 AM

May 9 (UPI) -- Peru and Norway agreed to form a joint panel on aquaculture, their trade ministers announced following talks in Lima on Thursday.

Peruvian Trade Minister Rosa Huamán Quispe and her Norwegian counterpart, Eirik Solbakken, talked for an hour at the ministry, a statement released on Thursday evening said.

"Each of us has much to learn," Huamán said afterwards.
"""


def test_the_sentence_after_a_lead_that_names_its_people_by_office_names_them() -> None:
    brief = _brief(WIRE_LEAD_BY_OFFICE)
    assert {(p.name, p.country) for p in brief.participants} == {
        ("Rosa Huamán Quispe", "Peru"), ("Eirik Solbakken", "Norway")}


def test_the_first_of_two_family_names_alone_is_the_same_person() -> None:
    people = {p.name: p for p in extract(prepare(WIRE_LEAD_BY_OFFICE)).persons}
    text = WIRE_LEAD_BY_OFFICE
    assert "Huamán" in [text[m.start : m.end] for m in people["Rosa Huamán Quispe"].mentions]
    assert "Huamán" not in people


def test_an_office_written_in_full_after_the_name_gives_the_country_the_title_line_did_not() -> None:
    text = ("Secretary Mara Lind and Peruvian Foreign Minister Ana Quispe at a Joint Press "
            "Availability\n\nMay 4, 2026\n\nMara Lind, Secretary of State\n\nLima, Peru\n\n"
            "SECRETARY LIND: Thank you, Ana, for the welcome. We talked about fisheries.\n")
    people = _people(text)
    assert people["Mara Lind"] == ("Secretary of State", "United States")
    assert people["Ana Quispe"] == ("Foreign Minister", "Peru")


RIVER_STORY = """Tajikistan and Uzbekistan agree on a water-sharing panel

DUSHANBE, June 2 — Foreign Minister Rustam Karimzoda of Tajikistan met Foreign Minister Laziz Tursunov of Uzbekistan in Dushanbe on Tuesday to create a joint water panel.

The region's two rivers, the Vakhsh Darya and the Kara Darya, flow down from high glaciers. Farmers depend on the Kara Darya for irrigation, and its main source is the Obi Khingou. Kazakhstan, which also depends on the Kara Darya, was not invited.
"""


def test_a_river_the_text_always_names_with_an_article_is_no_person() -> None:
    assert set(_people(RIVER_STORY)) == {"Rustam Karimzoda", "Laziz Tursunov"}
    names = {p.name for p in _brief(RIVER_STORY).participants}
    assert names == {"Rustam Karimzoda", "Laziz Tursunov"}
    # Named once by office, a person stays one, whatever "the Oduya government" writes.
    text = ("President Ama Oduya of Ghana met the Fijian trade minister in Accra on Tuesday. "
            "Critics of the Oduya government were not invited; President Oduya said so.")
    assert "Ama Oduya" in _people(text)


def test_a_gathering_of_many_countries_leaders_is_a_summit_whatever_it_is_called() -> None:
    retreat = ("Caribbean leaders back a shared coastguard at a Bridgetown retreat\n\n"
               "BRIDGETOWN, Barbados — Leaders of nine Caribbean nations agreed on Friday to pool "
               "coastguard patrols, as their leaders' retreat, hosted in the Barbadian capital by "
               "Prime Minister Ana Lisle, ended.\n")
    assert _brief(retreat, event_type="meeting").event.type == "summit"
    pair = ("The leaders of both countries met in Bridgetown on Friday and agreed to pool "
            "coastguard patrols, Prime Minister Ana Lisle said.\n")
    assert _brief(pair, event_type="other").event.type == "meeting"


def test_a_speaker_whose_label_keeps_its_accents_in_capitals_took_part() -> None:
    text = ("Transcript: Foreign Ministry weekly press briefing, 3 June 2026\n\n"
            "Ministry of Foreign Affairs, Oslo, Press Room\n\n"
            "MR. EIRIK LUNDE (Spokesperson): Good morning. The Minister met her Peruvian "
            "colleague today.\n\n"
            "MS. VIK (Aftenposten): Was fishing raised?\n\n"
            "MR. LUNDE: It was. I will let my colleague add a word.\n\n"
            "MS. SØLVI ØDEGÅRD (Deputy Spokesperson): Thanks. Fisheries talks resume in May.\n")
    assert {p.name for p in _brief(text).participants} == {"Eirik Lunde", "Sølvi Ødegård"}


def test_the_journey_the_sentence_before_the_lead_reports_places_the_meeting() -> None:
    text = ("Joint Statement of Secretary Mara Lind and Foreign Minister Ana Quispe\n\n"
            "May 6, 2026\n\n"
            "Invited by Secretary of State Mara Lind, Peruvian Foreign Minister Ana Quispe "
            "travelled to Washington D.C. last Tuesday, May 5, 2026.\n\n"
            "In their talks, the two reviewed fisheries cooperation and agreed to open a "
            "dialogue on ports.\n")
    assert _brief(text, location=None).event.location == "Washington D.C."


def _press_availability(place: str) -> str:
    return ("Secretary Mara Lind and Peruvian Foreign Minister Ana Quispe at a Joint Press "
            f"Availability\n\nMay 4, 2026\n\nMara Lind, Secretary of State\n\n{place}\n\n"
            "SECRETARY LIND: Thank you, Ana, for the welcome. We talked about fisheries.\n\n"
            "FOREIGN MINISTER QUISPE: Thank you, Mara. We agreed to meet again in June.\n")


def test_two_sides_remarks_to_the_press_are_a_visit_abroad_and_a_meeting_at_home() -> None:
    assert _brief(_press_availability("Lima, Peru"), event_type="briefing").event.type == "visit"
    assert _brief(_press_availability("Washington, D.C."), event_type="other").event.type == "meeting"


ADVISORS = """Deputy Secretary Lind’s Talks in Lima with President-Elect Ortiz Salinas, Jr.

June 9, 2026

Deputy Secretary of State Mara Lind held talks in Lima today with Peruvian President-Elect Manuel Ortiz Salinas Jr., and his team, including Peru's Ambassador in Washington Jose Luis Ortiz, incoming Chief of Staff Luis Paredes, and Under Secretary Rosa Vega. Deputy Secretary Lind congratulated President-Elect Ortiz Salinas on his election.
"""


def test_a_title_ending_in_a_suffix_is_a_title_and_the_advisors_listed_took_part() -> None:
    names = {p.name for p in _brief(ADVISORS).participants}
    assert names == {"Mara Lind", "Manuel Ortiz Salinas", "Jose Luis Ortiz", "Luis Paredes",
                     "Rosa Vega"}


def test_a_working_group_led_by_two_officials_names_who_took_part() -> None:
    text = ("First Session of the Norway-Peru Fisheries Working Group\n\n"
            "May 6, 2026\n\n"
            "From May 4-5, Norway held the first session of the Norway-Peru Fisheries "
            "Working Group in Oslo. The Fisheries Directorate's Director, Kari Lund, opened the "
            "meeting by recalling the two governments' commitment to sustainable catches. The "
            "Working Group, led by the Directorate's Deputy Director, Ola Brekke, and the "
            "Peruvian Ministry of Production's Director General, Rosa Vega, steered the "
            "two delegations towards concrete results.\n")
    names = {p.name for p in _brief(text).participants}
    assert {"Kari Lund", "Ola Brekke", "Rosa Vega"} <= names


def test_a_name_after_an_abbreviated_rank_is_found_and_the_rank_is_no_office() -> None:
    text = ("Readout of the Minister's Call with Peruvian Counterparts\n\nMay 4, 2026\n\n"
            "Minister of Defence Kari Lund and Chief of Defence Gen. Eirik Solbakken spoke "
            "today with Minister of Defence Rosa Vega and Commander of the Peruvian Armed "
            "Forces Gen. Valerio Quenta to discuss naval exercises.\n")
    people = _people(text)
    assert people["Valerio Quenta"][1] == "Peru"
    assert people["Eirik Solbakken"][0] == "Chief of Defence"


LATE_MEETING = """ANALYSIS | Why the valley's water deals keep failing

By Ana Roe, correspondent
3 February 2026 · 9 min read

Talks on water have stalled for years. Each round of talks ended with a promise and no schedule. A meeting of engineers was held every autumn. The meetings rarely changed anything. Farmers stopped following the talks. Officials said a summit would be needed.

So it came about that Kazakhstan's and Uzbekistan's foreign ministers met in Astana on 2 February and agreed on a release schedule.
"""


def test_an_analysis_that_comes_to_the_meeting_late_places_it_where_it_dates_it() -> None:
    brief = _brief(LATE_MEETING, location=None, event_type="meeting")
    assert brief.event.location == "Astana"
    assert brief.event.date == dt.date(2026, 2, 2)


def test_a_journey_that_leads_the_readout_dates_and_places_the_visit() -> None:
    text = ("Readout of the Minister's Travel to Peru\n\nMay 8, 2026\n\n"
            "From May 4 – 6, Minister of Trade Kari Lund travelled to Lima, heading the "
            "Norwegian delegation at the swearing-in of President Rosa Vega. The delegation "
            "included State Secretary Ola Brekke.\n")
    brief = _brief(text, location=None)
    assert brief.event.date == dt.date(2026, 5, 4)
    assert brief.event.location == "Lima"
    assert "Kari Lund" in {p.name for p in brief.participants}


def test_a_date_in_numbers_is_read_where_its_numbers_or_language_settle_the_order() -> None:
    from service.text.dates import find_dates

    def read(text: str, language: str = "en") -> list[tuple[int | None, int | None, int | None]]:
        return [(d.year, d.month, d.day) for d in find_dates(text, language=language)]

    assert read("Vienna, 17/02/2026") == [(2026, 2, 17)]
    assert read("Posted 2-17-2026") == [(2026, 2, 17)]
    assert read("Vienna, 05/05/2026") == [(2026, 5, 5)]
    # Day or month first? An English page may mean either: no date rather than a guess.
    assert read("Vienna, 04/05/2026") == []
    # French writes the day first.
    assert read("Vienne, le 04/05/2026", "fr") == [(2026, 5, 4)]
    # Written for this test: an agency's release dated in numbers, "today" in its lead, and an
    # earlier meeting's date further on.
    text = ("Delegation Press Team\n\nCouncil of Partners meets in Vienna\n\nVienna, 17/02/2026\n\n"
            "The fourth Council of Partners between Austria and Chile took place today in Vienna. "
            "It welcomed progress since its last meeting, in Santiago on 9 October 2024.\n")
    brief = _brief(text)
    assert brief.event.date == dt.date(2026, 2, 17)
    assert brief.event.location == "Vienna"
    # Undated, the release gives no date: not the earlier meeting's.
    undated = text.replace("Vienna, 17/02/2026\n\n", "")
    assert _brief(undated).event.date is None


def test_a_date_line_under_a_long_site_menu_still_dates_the_story() -> None:
    # Written for this test: a news site's menus and a subscription plea fill the first
    # several hundred characters; the byline's time stamp comes after them.
    menu = "\n".join(["The Harbour Courier", "Home  World  Business  Climate  Culture  Podcasts",
                      "Subscribe to the Courier: independent reporting for less than a coffee a week, "
                      "delivered to your inbox every morning and on every device you own", "",
                      "World", "Europe", "Trade", "Fisheries", "Newsletters  Puzzles  Events  Shop",
                      "Sign in  Register  Help  Accessibility  Contact us  About us  Careers"])
    text = (f"{menu}\n\nMinisters strike a deal on herring quotas in Bergen\n\n"
            "Ola Dahl Fisheries correspondent\nFri 6 Mar 2026 17.05 GMT\n\n"
            "Fisheries Minister Elin Varga of Norway and Fisheries Minister Tomas Brandt of "
            "Denmark met in Bergen on Thursday and agreed to cut the North Sea herring quota "
            "by a tenth for the coming season.\n")
    assert text.index("Fri 6 Mar") > 400
    assert _brief(text).event.date == dt.date(2026, 3, 5)


def test_an_office_with_a_portfolio_of_two_parts_is_the_whole_title() -> None:
    # Written for this test.
    text = ("Ministers meet in Graz\n\nFederal Minister Lisa Gruber welcomed Slovenian Minister "
            "for Cohesion and Regional Development Marko Zupan to Graz. The Governor of Styria "
            "and Mayor Elke Kahr joined them for lunch.\n")
    people = _people(text)
    assert people["Marko Zupan"] == ("Minister for Cohesion and Regional Development", "Slovenia")
    # Two offices, two people: the governor's is not the mayor's.
    assert people["Elke Kahr"][0] == "Mayor"


def test_people_of_a_sentence_told_in_the_past_perfect_met_before_the_event() -> None:
    # Written for this test: the lead's paragraph goes on to an earlier meeting, told in the
    # past perfect.
    text = ("Ministers meet in Graz\n\nFederal Minister Lisa Gruber today welcomed Slovenian "
            "Minister Marko Zupan to Graz for talks on the Karawanken rail tunnel. Chancellor "
            "Anton Reiter had already discussed the tunnel with Prime Minister Jana Novak in "
            "Ljubljana on 5 March.\n\nGruber and Zupan agreed to publish one rail timetable.\n")
    brief = _brief(text, participants=[{"name": "Lisa Gruber", "country": None},
                                       {"name": "Marko Zupan", "country": "Slovenia"},
                                       {"name": "Anton Reiter", "country": None},
                                       {"name": "Jana Novak", "country": "Slovenia"}])
    assert {p.name for p in brief.participants} == {"Lisa Gruber", "Marko Zupan"}
    assert "Reiter" not in " ".join([brief.summary, *brief.key_points])


# Written for this test: a news agency's item in which the guest passes on his leader's
# greetings to the host's, and a list of who attended comes at the end.
AGENCY_ITEM = """DOHA, 4th May, 2026 (QNA) -- Minister of State for Foreign Affairs Khalid bin Saad Al Thani received today Foreign Minister Ilse Brandt of Austria, who is on a two-day working trip.

During the meeting, Brandt conveyed the greetings of President Walter Hofer to Amir Tamim bin Hamad Al Thani, and his wishes for further progress.

Both delegations went over energy, aviation and culture links.

Regional security came up as well.

The minister welcomed the Austrian guest.

Each side called for more dialogue.

Brandt thanked her host for the warm reception.

The session was also attended by Ambassador Nora Weiss of Austria and Mohammed Al Kuwari, head of the Europe desk.
"""


def test_a_leader_whose_greetings_are_passed_on_takes_no_part_and_a_late_list_of_attendees_does() -> None:
    brief = _brief(AGENCY_ITEM, participants=[
        {"name": "Khalid bin Saad Al Thani", "country": "Qatar"},
        {"name": "Ilse Brandt", "country": "Austria"},
        {"name": "Walter Hofer", "country": "Austria"},
        {"name": "Tamim bin Hamad Al Thani", "country": "Qatar"}])
    names = {p.name for p in brief.participants}
    assert {"Khalid bin Saad Al Thani", "Ilse Brandt", "Nora Weiss", "Mohammed Al Kuwari"} <= names
    assert not names & {"Walter Hofer", "Tamim bin Hamad Al Thani"}


def test_a_dispute_between_two_countries_or_a_chain_of_three_is_no_side_of_the_publishers() -> None:
    # Written for this test: the publisher's own minister is never qualified; the text names
    # a border quarrel of Peru's with Ecuador, which the two took up, and a three-country accord.
    text = ("Minister Lunde meets Peru's Foreign Minister\n\nJune 3, 2026\n\n"
            "Today, Foreign Minister Halvard Lunde met with Ximena Quilca Soto, "
            "Foreign Minister of Peru, in Geneva. Minister Lunde and Minister Quilca discussed "
            "the border dispute between Peru and Ecuador and the review of the Chile-Peru-Bolivia "
            "Water Accord. A further round is planned in Lima.\n")
    lunde = next(p for p in _brief(text).participants if p.name == "Halvard Lunde")
    assert lunde.country not in ("Ecuador", "Chile", "Bolivia")
    # Warm ties of the two sides still say whose the minister is.
    ties = text.replace("the border dispute between Peru and Ecuador",
                        "the warm ties between Norway and Peru")
    lunde = next(p for p in _brief(ties).participants if p.name == "Halvard Lunde")
    assert lunde.country == "Norway"


def test_ministers_a_wire_lead_names_by_office_are_named_in_the_next_paragraph() -> None:
    # Written for this test: the lead names the host by name, the guests by office alone.
    text = ("Chile, Bolivia ministers hold talks on water, Peru hosts\n\n"
            "LIMA, June 3 (Wire) - The water ministers of Chile and Bolivia met in Lima on "
            "Tuesday for their first talks in two years on the Silala waters, in a meeting "
            "hosted by Peruvian Foreign Minister Rosa Quispe.\n\n"
            "Chile's Water Minister Ana Lagos and Bolivia's Water Minister Juan Mamani held "
            "two hours of talks at the Torre Tagle palace, diplomats said.\n\n"
            "Bolivia's President Luis Arce said last month that the waters were Bolivian.\n")
    names = {p.name for p in _brief(text).participants}
    assert names == {"Rosa Quispe", "Ana Lagos", "Juan Mamani"}


def test_a_lead_that_opens_on_he_takes_the_person_the_sentences_before_it_name() -> None:
    # Written for this test: a presidency's story that opens on what its president said and
    # reaches the meeting in a sentence about "he".
    text = ("Ruritania, Borduria agree to open border posts\n\nPalace, Strelsau | 4 June 2026\n\n"
            "President Anton Vidal has said Ruritania and Borduria will open two new border "
            "posts this year.\n\nHe said both nations must trade more freely.\n\n"
            "He spoke at the Palace on Thursday when he hosted Bordurian President Ilie Rusu, who "
            "is in the country for a state visit.\n")
    names = {p.name for p in _brief(text).participants}
    assert names == {"Anton Vidal", "Ilie Rusu"}


def test_a_release_announcing_a_visit_to_come_reports_it_as_planned() -> None:
    # Written for this test: a ministry's notice under a number, a second title line with the
    # visit's dates, and a lead in the future.
    text = ("Press Release No. 41\n"
            "State visit of Chile's Fisheries Minister Ana Lagos to Norway – "
            "Oslo and Bergen, May 4-6, 2026\n\n"
            "Chile's Fisheries Minister, Ana Lagos, will make a state visit to "
            "Norway from May 4 to 6. In Oslo, on May 4, she will be received by Minister Halvard "
            "Lunde for a working meeting.\n\nThe ministers will review trade and ocean science.\n")
    assert _brief(text).event.status == "planned"


def test_one_governments_own_office_before_a_name_is_the_title() -> None:
    # Written for this test.
    people = _people("Readout\n\nPresident Ana Lind met Taoiseach Sean Byrne in Dublin today.\n")
    assert people["Sean Byrne"] == ("Taoiseach", "Ireland")


def test_a_titles_span_of_days_gives_way_to_the_day_the_body_gives_the_talks() -> None:
    # Written for this test: a ministry's page on a three-day visit whose talks fell on its
    # second day.
    text = ("Visit of the Fisheries Minister of Chile to Norway (June 2-4, 2026)\n\nJune 3, 2026\n\n"
            "Fisheries Minister Halvard Lunde held talks with Fisheries Minister Ana Lagos of "
            "Chile in Bergen on 3rd June 2026.\n")
    assert _brief(text).event.date == dt.date(2026, 6, 3)
    # With no day of its own in the body, the visit's first day.
    undated = text.replace(" on 3rd June 2026", "")
    assert _brief(undated).event.date == dt.date(2026, 6, 2)
