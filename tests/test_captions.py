"""Page debris and background are not the story: photo captions and credits are left out, and people the story names only in background are not participants."""

from __future__ import annotations

import pytest

from service.brief.pipeline import BriefPipeline, PipelineConfig
from service.brief.prompts import load_prompts
from service.schemas import BriefRequest
from service.text.article import prepare
from service.text.sanitize import is_caption
from tests.conftest import ScriptedEngine, draft, scripted_brief

CONFIG = PipelineConfig(max_input_chars=50_000, max_input_tokens=4000, max_new_tokens=600,
                        repetition_penalty=1.05)

# A wire story as pasted from a news page: the picture's caption first, its credit cut by a
# line break, then the story.
STORY = """Trade Minister Ilse Marren (L) and Finance Minister Davi Okonjo of Ghana shake hands before talks on Thursday in Accra. Photo by Kofi Mensah/
Wire Pool
ACCRA, March 6 (Wire) -- Trade Minister Ilse Marren of the Netherlands and Finance Minister Davi Okonjo of Ghana agreed on Thursday to set up a joint fund for cocoa processing plants in Kumasi.
The two ministers also discussed port fees, vocational training and the financing of a new rail link between the capital and the coast.
"We want the value of Ghana's cocoa to stay in Ghana," Okonjo told reporters after the meeting.
Marren said a first group of engineers would arrive in Kumasi in September.
"""


@pytest.mark.parametrize("line", [
    "The minister (left) greets her counterpart at the airport on Monday.",
    "Delegates pose for a family photo; the prime minister is second from right (2nd R).",
    "Ana Ruiz (L) and Piet de Wit sign the accord in The Hague.",
    "Ana Ruiz (L) talks with Piet de Wit (R) in The Hague.",
    "The two leaders walk to the press room. (AP Photo/Jan Novak)",
    "Ministers at the table in Geneva [Photo by Lea Moser]",
    "The foreign ministers in Oslo. Photo courtesy of the Norwegian Foreign Ministry/",
    "(File photo)",
    "Le ministre (à gauche) et son homologue à Rabat. Photo : Agence Presse",
    "La canciller (izquierda) con su homólogo en Lima. Foto: Agencia Andina",
])
def test_captions_and_credits_are_recognised(line: str) -> None:
    assert is_caption(line)


@pytest.mark.parametrize("line", [
    # Party labels after names look like picture positions but are not.
    "Senator Jane Roe (R) and Senator John Doe (R) said the bill would pass.",
    "Rep. Tom Hale (R-Ohio) and Rep. Ada Price (D-Calif.) wrote to the secretary.",
    "Officials said the talks had stalled (photo opportunities were cancelled).",
    "He showed reporters a photo by the agency.",
    "The ministers met on the left bank of the river.",
])
def test_sentences_that_mention_photos_or_sides_are_content(line: str) -> None:
    assert not is_caption(line)


def test_a_caption_and_its_cut_credit_are_not_the_article() -> None:
    article = prepare(STORY)
    assert "shake hands" not in article.clean
    assert "Wire Pool" not in article.clean
    assert "Kofi Mensah" not in article.clean
    assert article.clean.index("ACCRA") == STORY.index("ACCRA")  # offsets unchanged
    assert any("furniture" in w for w in article.warnings)
    first = article.sentence_text(0)
    assert first.startswith("Trade Minister Ilse Marren of the Netherlands and Finance Minister")


def test_the_brief_of_a_story_under_a_caption_is_made_from_the_story() -> None:
    # The headline says who met where, from the story's facts, not the caption's.
    engine = ScriptedEngine([draft(headline="Talks", summary="Talks.")])
    pipeline = BriefPipeline(engine, load_prompts(), CONFIG)  # type: ignore[arg-type]
    brief = pipeline.run(BriefRequest(text=STORY))
    view = engine.requests[0].messages[1]["content"]
    assert "shake hands" not in view and "Kofi Mensah" not in view
    for text in (brief.headline, brief.summary, *brief.key_points):
        assert "shake hands" not in text and "(L)" not in text and "Photo by" not in text
    assert brief.headline.startswith("Ilse Marren and Davi Okonjo meet")
    assert brief.summary.startswith("Trade Minister Ilse Marren of the Netherlands and Finance "
                                    "Minister Davi Okonjo of Ghana met")
    assert "Kofi Mensah" not in {p.name for p in brief.participants}


# A story whose second sentence turns to background, and whose later sentence about the talks
# names a minister who was elsewhere at the time.
BACKGROUND = """Foreign Minister Ilse Marren of the Netherlands and Foreign Minister Davi Okonjo of Ghana met in Accra on Thursday for talks on cocoa processing and port fees.
Over the past year, several Dutch officials have made visits to West Africa, including Trade Minister Pieter Vos in May.
The two ministers agreed to set up a joint fund for processing plants in Kumasi.
The talks also came as Nigerian Foreign Minister Bola Adeyemi arrived in Paris for a three-day visit on energy.
"""


def test_people_in_background_sentences_or_clauses_are_not_participants() -> None:
    everyone = ["Ilse Marren", "Davi Okonjo", "Pieter Vos", "Bola Adeyemi"]
    engine = ScriptedEngine([draft(participants=[{"name": n, "country": None} for n in everyone])])
    pipeline = BriefPipeline(engine, load_prompts(), CONFIG)  # type: ignore[arg-type]
    brief = pipeline.run(BriefRequest(text=BACKGROUND))
    assert [p.name for p in brief.participants] == ["Ilse Marren", "Davi Okonjo"]


def test_a_person_in_the_main_clause_of_a_sentence_about_the_talks_takes_part() -> None:
    text = BACKGROUND.replace(
        "The talks also came as Nigerian Foreign Minister Bola Adeyemi arrived in Paris",
        "Nigerian Foreign Minister Bola Adeyemi joined the talks as an observer after he arrived",
    )
    engine = ScriptedEngine([draft(participants=[{"name": "Bola Adeyemi", "country": None}])])
    pipeline = BriefPipeline(engine, load_prompts(), CONFIG)  # type: ignore[arg-type]
    brief = pipeline.run(BriefRequest(text=text))
    assert "Bola Adeyemi" in [p.name for p in brief.participants]


def test_the_sentence_right_after_the_lead_names_participants_too() -> None:
    text = (
        "Environment ministers from four Baltic Sea states met in Gdansk on Friday to agree "
        "limits on nutrient run-off.\n"
        "The meeting was chaired by Polish Climate Minister Jan Wrona. He was joined by "
        "Estonia's Liis Tamm, Latvia's Andris Ozols and Finland's Aino Koski.\n"
        "Over the past decade, officials such as former minister Piotr Nowak have visited "
        "every coastal state.\n"
    )
    names = ["Jan Wrona", "Liis Tamm", "Andris Ozols", "Aino Koski", "Piotr Nowak"]
    engine = ScriptedEngine([draft(participants=[{"name": n, "country": None} for n in names])])
    pipeline = BriefPipeline(engine, load_prompts(), CONFIG)  # type: ignore[arg-type]
    brief = pipeline.run(BriefRequest(text=text))
    assert [p.name for p in brief.participants] == names[:4]


def test_a_readout_title_does_not_take_the_lead_s_place() -> None:
    # The title line names the people too, but the lead is the body's first event sentence;
    # the date line between them is its own paragraph.
    text = (
        "Readout of Foreign Secretary Amara Osei's Meeting with the Foreign Minister of "
        "Austria on Danube Shipping and Regional Energy Questions\n"
        "June 4, 2025\n"
        "Today, Foreign Secretary Amara Osei met in Accra with Foreign Minister Lukas Brandt of "
        "Austria. The two discussed river shipping and energy.\n"
    )
    engine = ScriptedEngine([draft(participants=[])])
    pipeline = BriefPipeline(engine, load_prompts(), CONFIG)  # type: ignore[arg-type]
    brief = pipeline.run(BriefRequest(text=text))
    assert {"Amara Osei", "Lukas Brandt"} <= {p.name for p in brief.participants}


# Written for this test: a news site's page around a short story, as pasted.
PASTED_PAGE = """Skip to main content
Home | Nations | Markets | Culture | Weather
Subscribe   Sign in

NATIONS › EUROPE

Estonia and Finland agree to share a ferry terminal

Share via Email   Share on Reddit   Share on LinkedIn   Print   Comments (3)

Foreign Minister Kadri Saar of Estonia and Foreign Minister Mikko Lahti of Finland agreed in Tallinn on Monday to share a new ferry terminal.

Related
› Port strike ends in Turku
› Ferry fares to rise in spring

Get our Baltic Morning newsletter
Enter your email to join   Join
By signing up you accept the terms. You can unsubscribe from it whenever you wish.

Tags: Estonia · Finland · Ferries · Ports
"""


def test_a_sites_menus_share_bar_and_sign_up_box_are_never_content() -> None:
    from service.text.sanitize import is_page_furniture

    for line in ("Home | Nations | Markets | Culture | Weather", "NATIONS › EUROPE",
                 "Share via Email   Share on Reddit   Share on LinkedIn   Print   Comments (3)",
                 "› Port strike ends in Turku", "Get our Baltic Morning newsletter",
                 "Enter your email to join   Join", "Tags: Estonia · Finland · Ferries · Ports",
                 "By signing up you accept the terms. You can unsubscribe from it whenever you wish.",
                 "For more details, please visit ferries.example.org."):
        assert is_page_furniture(line), line
    for line in ("Trade rose by a third in the year to March, officials said.",
                 "Estonia and Finland agree to share a ferry terminal"):
        assert not is_page_furniture(line), line
    brief = scripted_brief(PASTED_PAGE, key_points=[1, 2, 3, 4, 5, 6])
    said = " ".join([brief.headline, brief.summary, *brief.key_points])
    assert "Share on" not in said and "signing up" not in said and "Turku" not in said


def test_links_to_other_stories_and_a_sites_footer_are_never_content() -> None:
    from service.text.sanitize import is_page_furniture

    for line in ("Related: Premier Holm, President Vik spoke by phone on fishing quotas",
                 "Watch: The ministers speak after their talks (2:04)",
                 "Listen: Our correspondent on the port deal",
                 "Corrections and clarifications | Submit a news tip | Report error",
                 "ABOUT THE AUTHOR"):
        assert is_page_furniture(line), line
    for line in ("Related talks on fishing quotas will follow in June.",
                 "The ministers watched a naval parade in the harbour."):
        assert not is_page_furniture(line), line


# Written for this test: a ministry's release with its site's cookie banner, breadcrumb,
# feedback prompt, link bar, press contacts and related links around the text.
MINISTRY_PAGE = """Ministry of Coastal Affairs > Newsroom > Ministerial releases
We use cookies to make this site work better. Accept all | Manage preferences

Ferry timetable settled in Tallinn

5 May 2026

Minister Ana Lind met Minister Peter Holm in Tallinn today. Lind and Holm settled on a shared ferry timetable for June.

Please check against delivery

Media enquiries
Minister's office: +372 600 1234
Press desk, Ministry of Coastal Affairs, +372 600 5678

Related news
Minister Lind visits the port of Muuga
Ferry fares frozen until autumn

Was this page helpful?  Yes  No
List   Prev: Minister Lind meets port workers   Next: Fisheries council (4 May)
Sections: Ferries | Ports
"""


def test_a_ministrys_banners_contacts_and_related_links_are_never_content() -> None:
    from service.text.sanitize import sanitize

    clean = sanitize(MINISTRY_PAGE).clean
    for gone in ("Newsroom", "cookies", "check against delivery", "+372", "Press desk",
                 "Related news", "Muuga", "Ferry fares", "helpful", "Fisheries council",
                 "Sections"):
        assert gone not in clean, gone
    assert "Lind and Holm settled on a shared ferry timetable for June." in clean
    brief = scripted_brief(MINISTRY_PAGE, key_points=[1, 2, 3, 4, 5, 6, 7, 8])
    assert brief.event.location == "Tallinn"
    said = " ".join([brief.headline, brief.summary, *brief.key_points, *brief.topics])
    assert "Muuga" not in said and "cookies" not in said and "delivery" not in said


def test_a_lists_bullet_is_no_word_of_its_sentence() -> None:
    from service.text.sanitize import sanitize

    clean = sanitize("Outcome of the meeting\n\n ㅇ Minister Kang asked for support.\n"
                     "• Trade rose by a third.\nPrices · wages").clean
    assert "ㅇ" not in clean and "•" not in clean
    assert "Minister Kang asked for support." in clean
    assert "Prices · wages" in clean  # a dot between words is no bullet
