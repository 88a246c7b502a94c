"""The sentences a long article's one model call reads (brief/selection.py), and the two
centrality measures that rank the rest."""

from __future__ import annotations

import pytest

from service.brief.outcomes import select_sentences, sentences_near
from service.brief.selection import sentence_ranks, sentences_to_read
from service.text.article import prepare
from service.text.centrality import TfidfCentrality
from service.text.extract import extract

LEAD = ("OSLO, June 4 — Norwegian Foreign Minister Ada Lind met Chilean Foreign Minister "
        "Pablo Rojas in Oslo on Tuesday for talks on fisheries and polar research.")
OUTCOME = "Lind and Rojas agreed to set up a joint committee on salmon farming standards."
ENDING = "The two ministers will meet again in Santiago in November."


def _article(quotes: int = 40, filler: int = 40) -> str:
    quoted = [f'"We have studied the currents of the southern ocean for {i + 2} years," '
              f"a museum guide told visitors at the maritime exhibition." for i in range(quotes)]
    background = [f"Shipyards along the coast built {i + 3} research vessels in the decades "
                  "before the two countries opened embassies." for i in range(filler)]
    middle = background[: filler // 2] + quoted + [OUTCOME] + background[filler // 2 :]
    return "\n\n".join([LEAD, *middle, ENDING])


def _select(text: str, budget: int) -> tuple[list[str], int]:
    article = prepare(text)
    extraction = extract(article)
    costs = [len(article.sentence_text(i).split()) + 1 for i in range(len(article.sentences))]
    chosen = sentences_to_read(article, extraction, costs, budget, TfidfCentrality())
    assert chosen.tokens <= budget
    return [article.sentence_text(i) for i in chosen.indices], chosen.total


def test_the_lead_the_end_and_an_outcome_of_the_participants_come_before_quotes() -> None:
    # Too small a budget for every quoted sentence: the ranked must-keeps go first.
    kept, total = _select(_article(), budget=200)
    assert kept[0].startswith("Norwegian Foreign Minister Ada Lind met")
    assert kept[-1] == ENDING
    assert OUTCOME in kept
    quoted = [s for s in kept if "museum guide" in s]
    assert 0 < len(quoted) < 40
    assert len(kept) < total / 3


def test_a_budget_that_holds_everything_keeps_everything() -> None:
    kept, total = _select(_article(quotes=3, filler=4), budget=10_000)
    assert len(kept) == total


def test_ranks_follow_what_a_sentence_carries() -> None:
    article = prepare(_article(quotes=2, filler=8))
    ranks, named = sentence_ranks(article, extract(article))
    by_text = {article.sentence_text(i): (r, n) for i, (r, n) in enumerate(zip(ranks, named,
                                                                                strict=True))}
    assert by_text[OUTCOME] == (1, 2)  # names both event participants and states an outcome
    assert by_text[ENDING][0] == 0
    quoted = [r for s, (r, _) in by_text.items() if "museum guide" in s]
    assert quoted == [3, 3]
    background = [r for s, (r, _) in by_text.items() if s.startswith("Shipyards")]
    # The last three paragraphs are the end, kept whatever they say.
    assert background == [5] * 6 + [0, 0]


def test_tfidf_centrality_prefers_a_sentence_about_what_the_article_is_about() -> None:
    sentences = [
        "The ministers discussed fishing quotas for cod in the Barents Sea.",
        "Fishing quotas for cod were the main subject of the talks.",
        "Cod stocks and fishing quotas worry coastal towns.",
        "A brass band played at the airport.",
    ]
    scores = TfidfCentrality().centrality(sentences)
    assert scores[3] < min(scores[:3])
    assert TfidfCentrality().centrality(["1 2 3", "4 5"]) == [0.0, 0.0]
    assert TfidfCentrality().centrality([]) == []


@pytest.mark.real_model
def test_embedding_centrality_sees_paraphrase_and_is_loaded_once() -> None:
    from service.engines import load_centrality
    from service.settings import Settings

    centrality = load_centrality(Settings(salience="embeddings"))
    assert centrality is not None
    assert load_centrality(Settings(salience="embeddings")) is centrality
    assert load_centrality(Settings(salience="tfidf")) is None
    scores = centrality.centrality([
        "The ministers discussed fishing quotas for cod in the Barents Sea.",
        "Limits on how much cod trawlers may land were the main subject of the talks.",
        "Catch limits for northern fish stocks worry coastal towns.",
        "A brass band played at the airport.",
    ])
    assert scores[3] < min(scores[:3])


def test_outcomes_near_the_participants_outlast_others_when_there_are_too_many() -> None:
    # More plainly stated agreements than a brief lists; the participants' own comes last.
    others = ["A regional water commission agreed to share river data among its members.",
              "The port authority agreed to extend opening hours at the container terminal.",
              "Coffee exporters agreed to publish their prices every week.",
              "The national railway agreed to buy new carriages for the coastal line.",
              "Two teachers' unions agreed to a new pay scale for rural schools."]
    filler = "Officials described the dry season as the longest in a generation."
    own = "Wekesa and Ferreira agreed to open a joint office for water technology."
    text = "\n\n".join([
        "NAIROBI, March 3 — Kenyan Foreign Minister Amina Wekesa met Uruguayan Foreign "
        "Minister Diego Ferreira in Nairobi on Monday for talks on water management.",
        filler, filler.replace("dry", "rainy"),
        *[p for other in others for p in (other, filler)], "The talks ended in the evening.",
        own,
    ])
    article = prepare(text)
    extraction = extract(article)
    people = [p for p in extraction.persons if p.name in ("Amina Wekesa", "Diego Ferreira")]
    assert len(people) == 2
    near = sentences_near(article, people)
    everyone = range(len(article.sentences))
    cap = 4
    plain = select_sentences(article, "agreements", [], everyone, None, cap)
    # Without knowing who took part, the first four in text order.
    assert [article.sentence_text(n - 1) for n in plain] == others[:cap]
    kept = [article.sentence_text(n - 1)
            for n in select_sentences(article, "agreements", [], everyone, None, cap, near)]
    assert len(kept) == cap and kept[-1] == own
    assert kept[:-1] == others[: cap - 1]  # the rest in text order


def test_every_sentence_of_joint_statements_and_short_pages_is_near_their_parties() -> None:
    # Written for this test: the parties named once, at the top, then "we" throughout, with
    # blank lines between paragraphs, longer than a short page.
    paragraphs = [
        "Joint Statement by Premier Ida Berg of Sweden and Premier Paul Roux of Belgium",
        "Premier Ida Berg and Premier Paul Roux met in Ghent on Monday.",
        *[f"Paragraph {n}: the harbour pilots of both countries keep their shared logbook "
          "of the estuary tides, the dredging depths and the buoys moved by storms." for n in
          range(1, 12)],
        "We will open a joint pilot school in Ghent for the estuary by the autumn of next year.",
    ]
    text = "\n\n".join(paragraphs)
    assert len(text.split()) > 300
    article = prepare(text)
    people = [p for p in extract(article).persons if p.name in ("Ida Berg", "Paul Roux")]
    last = len(article.sentences) - 1
    assert "joint pilot school" in article.sentence_text(last)
    assert last not in sentences_near(article, people)
    assert last in sentences_near(article, people, joint=True)
    # A short page: every sentence is near, whatever its distance from a name; a short
    # story filed from somewhere (its dateline) is read as any other.
    body = [*paragraphs[2:5], paragraphs[-1]]
    short = prepare("\n\n".join([paragraphs[1], *body]))
    assert len(short.clean.split()) <= 300
    assert sentences_near(short, extract(short).persons) == set(range(len(short.sentences)))
    filed = prepare("\n\n".join(["GHENT, May 4 — " + paragraphs[1], *body]))
    assert len(filed.sentences) - 1 not in sentences_near(filed, extract(filed).persons)
    # A wire's place line in another language is a filed story too.
    wired = prepare("\n\n".join(["OSLO, 4 mai (AFP) - " + paragraphs[1], *body]))
    assert len(wired.sentences) - 1 not in sentences_near(wired, extract(wired).persons)
    # Up to a section of its own: what "Background" heads may be another story.
    headed = prepare("\n\n".join([paragraphs[1], *body[:3], "Background", body[-1]]))
    assert len(headed.sentences) - 1 not in sentences_near(headed, extract(headed).persons)
