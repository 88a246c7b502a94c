"""What kind of event, where, and in what tone — read from the text where it says so plainly.

A small model guesses these poorly; readouts and wire stories state them in set phrases
("spoke by telephone", "joint declaration", "candid discussion"). The model's choice is the
fallback when the text has no such phrase.
"""

from __future__ import annotations

import re

from service.article import PreparedArticle
from service.dates import EVENT_WORDS
from service.extract import Extraction

_TYPE_CUES: list[tuple[str, re.Pattern[str]]] = [
    ("statement", re.compile(r"\bjoint (?:statement|declaration|communiqu[ée])\b|^declaration\b",
                             re.IGNORECASE)),
    ("call", re.compile(r"\b(?:(?:tele)?phone call|by (?:tele)?phone|spoke by telephone|"
                        r"video ?(?:call|conference|link)|telephone conversation|held a call)\b",
                        re.IGNORECASE)),
    ("summit", re.compile(r"\bsummit\b", re.IGNORECASE)),
    ("briefing", re.compile(r"\b(?:press briefing|news briefing|briefed reporters|daily briefing)\b",
                            re.IGNORECASE)),
    ("visit", re.compile(r"\b(?:state|official|working) visit\b", re.IGNORECASE)),
    ("meeting", re.compile(r"\b(?:met|meeting|talks|summoned|received|hosted|held discussions|"
                           r"consultations)\b", re.IGNORECASE)),
]
_TONE_CUES: dict[str, re.Pattern[str]] = {
    "hostile": re.compile(r"\b(?:hostile|unfriendly|strong protest|persona non grata|"
                          r"provocative|will not go unanswered)\b", re.IGNORECASE),
    "tense": re.compile(r"\b(?:tense|tensions? (?:ran|were) high|sharply|trade(?:d)? blame|"
                        r"deep concern|condemn\w*|strained|frosty|acrimon\w*)\b", re.IGNORECASE),
    "candid": re.compile(r"\b(?:candid|frank|blunt)\b", re.IGNORECASE),
    "constructive": re.compile(r"\b(?:constructive|productive|fruitful|pragmatic)\b",
                               re.IGNORECASE),
    "cordial": re.compile(r"\b(?:cordial|warm|friendly|friendship|pledge[ds]? closer|"
                          r"warmly)\b", re.IGNORECASE),
}


def _lead(article: PreparedArticle, sentences: int = 4) -> str:
    """The title line and the first event sentences, where the event is named."""
    picked = [article.sentence_text(0)] if article.sentences else []
    for index in range(1, len(article.sentences)):
        sentence = article.sentence_text(index)
        if EVENT_WORDS.search(sentence):
            picked.append(sentence)
        if len(picked) > sentences:
            break
    return "\n".join(picked)


def event_type(article: PreparedArticle, model_choice: str) -> str:
    lead = _lead(article)
    for kind, cue in _TYPE_CUES:
        if cue.search(lead):
            return kind
    return model_choice


def event_location(
    article: PreparedArticle, extraction: Extraction, model_choice: str | None, kind: str
) -> str | None:
    """The dateline's place, else the first place the event sentences put it in, else the
    model's choice; no place for a call."""
    if kind == "call":
        return None
    lead = _lead(article)
    for place in extraction.places:
        if re.search(rf"\b(?:in|at) (?:the )?{re.escape(place)}\b", lead):
            return place
    if extraction.dateline_place:
        return extraction.dateline_place
    return model_choice


def tone(article: PreparedArticle, model_choice: str) -> str:
    """The tone the text's own words give, weighing the lead twice; else the model's."""
    lead = _lead(article)
    scores = {
        name: len(cue.findall(article.clean)) + 2 * len(cue.findall(lead))
        for name, cue in _TONE_CUES.items()
    }
    best = max(scores, key=lambda name: scores[name])
    return best if scores[best] else model_choice
