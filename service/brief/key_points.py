"""The key points the model does not write: three to five claims the summary does not make,
each time the one worth most (`worth`: its kind's weight and the words it adds to what the
brief has said), within the words left (brief/summary.py: `condense`)."""

from __future__ import annotations

from dataclasses import replace

from service.brief.claims import WEIGHTS, Claim, checked, is_background, is_preamble, repeats
from service.brief.warnings import Warnings
from service.text.article import PreparedArticle
from service.text.clauses import MOST_WORDS, main_clause
from service.text.similarity import content_words
from service.text.statements import is_statement
from service.text.turns import question_sentences

FEWEST_KEY_POINTS, MOST_KEY_POINTS = 3, 5


def key_points(
    article: PreparedArticle, pool: list[Claim], summary: list[Claim], room: int,
    event_year: int | None, warnings: Warnings, most_words: int = MOST_WORDS,
    near: set[int] | None = None, shortest: int | None = None,
) -> list[Claim]:
    """Three to five claims the summary does not make, within `room` words (three always),
    each time the one worth most: its kind's weight (an outcome first) and the words it adds
    to what the brief has said, so that a reader of a few lines meets every subject. Shown
    by weight, then in the article's order. Candidates are the lists' sentences and the
    article's other statements `near` the participants (brief/outcomes.py: sentences_near),
    where they act, never background."""
    # The lead the event sentence is written from is no key point: it says who met again.
    chosen = {i for c in pool for i in c.sentences}
    chosen |= {c.sentences[0] for c in summary if c.kind == "event" and c.sentences}
    asked = question_sentences(article)
    extra = [
        Claim(c.text, (c.sentence,), "other")
        for i in range(len(article.sentences))
        if i not in chosen and i not in asked and (not near or i in near)
        and is_statement(article.sentence_text(i))
        and not is_background(article, i, event_year)
        and (c := main_clause(article, i, most_words)) is not None
        and not c.text.startswith(("\"", "“")) and not is_preamble(c.text)
    ]
    left = [c for c in [*pool, *extra] if c.words <= most_words]
    # Each as short as `shortest` asks where its sentence cuts that short; its fuller cut
    # where the short one would say again what is said.
    fuller: dict[Claim, Claim] = {}
    if shortest is not None and shortest < most_words:
        for position, claim in enumerate(left):
            if claim.own and claim.words > shortest and claim.sentences:
                clause = main_clause(article, claim.sentences[0], shortest)
                if clause is not None:
                    left[position] = replace(claim, text=clause.text)
                    fuller[left[position]] = claim
    shorter_of = {long: short for short, long in fuller.items()}
    points: list[Claim] = []
    # The list the brief writes itself ("The talks covered X") only names its subjects; the
    # article's own list sentence, once the summary says it, is said.
    stated = [c for c in summary if c.kind != "listing" or c.own]
    known: set[str] = set()
    for claim in summary:
        known |= content_words(claim.text)
    while left and len(points) < MOST_KEY_POINTS:
        used = sum(p.words for p in points)
        # The summary's list of subjects only names them: a claim of what was said or done
        # about one of them is no repeat of it.
        fits = [
            version for c in left
            if (version := next((v for v in (c, fuller.get(c)) if v is not None and (
                len(points) < FEWEST_KEY_POINTS or used + v.words <= room)
                and not repeats(v, [*stated, *points])), None)) is not None
        ]
        if not fits:
            break
        best = max(fits, key=lambda c: (worth(c, known), -c.sentences[0]))
        left.remove(shorter_of.get(best, best))
        kept = checked(best, article, warnings)
        if kept is not None:
            points.append(kept)
            known |= content_words(kept.text)
    points.sort(key=lambda c: (-WEIGHTS.get(c.kind, 0.0), c.sentences[0]))
    return points


# What a word the brief has not said yet adds to a claim's worth (an outcome's weight is
# worth eight of them).
_NEW_WORD_WORTH = 0.5


def worth(claim: Claim, known: set[str]) -> float:
    return WEIGHTS.get(claim.kind, 0.0) + _NEW_WORD_WORTH * len(content_words(claim.text) - known)
