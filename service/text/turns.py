"""Who has the floor in a transcript: a speaker's turn runs from its label ("MR. ROE:") to
the next one, and a reporter's turn ("Q", "Q:", "MODERATOR:") asks rather than tells.

A briefing or a press availability is mostly questions and answers. What a reporter says in
a turn ("I'm wondering how you square X with Y") is neither the event nor anyone's account
of it, so no claim of the brief is cut from it; and a speaker's label is no part of the
claim cut from the words after it.
"""

from __future__ import annotations

import re
from bisect import bisect_right

from service.lang.registry import reading_of_every_language
from service.text.article import PreparedArticle
from service.text.document import SPEAKER_TURN

# A reporter's turn as transcripts open it: "Q" at a line's start, with or without a colon
# (a label of one letter, which a speaker's turn never is).
_BARE_QUESTION = re.compile(r"(?m)^[^\S\n]*Q[:.]?(?=[^\S\n]+\S)")


def question_sentences(article: PreparedArticle) -> frozenset[int]:
    """The sentences (0-based) of the reporters' turns of a transcript: empty for a page
    without turns."""
    return article.remembered("question_sentences", lambda: _question_sentences(article))


def _question_sentences(article: PreparedArticle) -> frozenset[int]:
    starts, labels = _turns(article)
    return frozenset(index for index, span in enumerate(article.sentences)
                     if (at := bisect_right(starts, span.start) - 1) >= 0 and labels[at] is None)


def speaker(article: PreparedArticle, index: int) -> str | None:
    """Who has the floor at sentence `index` (0-based) of a transcript, as its label names
    them ("SECRETARY ROE"); None outside a speaker's turn (a page without turns, the text
    before the first one, a reporter's turn)."""
    starts, labels = _turns(article)
    if sum(1 for label in labels if label is not None) < _FEWEST_TURNS:
        return None  # one label is a page's line ("Summary:"), not a transcript
    at = bisect_right(starts, article.sentences[index].start) - 1
    return labels[at] if at >= 0 else None


# A transcript gives the floor to its speakers at least this often.
_FEWEST_TURNS = 2


def _turns(article: PreparedArticle) -> tuple[list[int], list[str | None]]:
    """Where each turn starts, in order, and its speaker's label (None for a reporter's)."""
    return article.remembered("speaker turns", lambda: _read_turns(article))


def _read_turns(article: PreparedArticle) -> tuple[list[int], list[str | None]]:
    document = article.lexicon.document
    not_speakers = document.not_speakers if document is not None else frozenset()
    turns: list[tuple[int, str | None]] = []
    for turn in SPEAKER_TURN.finditer(article.clean):
        label = " ".join(turn.group("label").split())
        turns.append((turn.start(), None if label.lower().rstrip(".") in not_speakers else label))
    turns += [(m.start(), None) for m in _BARE_QUESTION.finditer(article.clean)]
    turns.sort(key=lambda turn: turn[0])
    return [start for start, _ in turns], [label for _, label in turns]


def label_end(article: PreparedArticle, start: int) -> int:
    """Where the words after a speaker's label begin, for text that opens at `start` with
    one ("MR. ROE: The talks went well."); `start` where there is none."""
    turn = SPEAKER_TURN.match(article.clean, start)
    if turn is None:
        return start
    after = turn.end()
    while after < len(article.clean) and article.clean[after] in " \t":
        after += 1
    return after


# A speaker's false start: words said again after a dash ("on — on the harbour side", "we
# will — we will open"). A transcript writes down the words as spoken; a claim cut from
# them says them once. A correction ("had planned — have opened") is no repeat and stays, nor
# is a score or a share ("a 50–50 split": the words start with a letter).
_FALSE_START = re.compile(
    r"(?<![\w'’])((?=[^\W\d])(?:[\w'’]+ ){0,2}[\w'’]+) ?[—–]+ ?\1(?![\w'’])", re.IGNORECASE)


def without_false_starts(text: str) -> str:
    """The words of a speaker's turn as said once: "on — on the harbour side" reads "on
    the harbour side"."""
    previous = None
    while previous != text:
        previous, text = text, _FALSE_START.sub(r"\1", text)
    return text


# "Mr. President, " before a speaker's claim: whom they turn to, not part of what they say.
_ADDRESS = re.compile(reading_of_every_language().spoken_address)


# "Obviously, ", "So, ", "The next point is: " before a speaker's claim: the manner, not the news.
_OPENER = re.compile(reading_of_every_language().spoken_openers)


def without_openers(text: str) -> str:
    """A speaker's claim without the fillers and counts it opens with: "Obviously, in
    May, both navies opened ..." reads "In May, both navies opened ..."."""
    previous = None
    while previous != text:
        previous = text
        opened = _OPENER.match(text)
        rest = text[opened.end() :].lstrip() if opened else ""
        if rest:
            text = rest[0].upper() + rest[1:]
    return text


def without_address(text: str) -> str:
    """A speaker's claim without the words that turn to the listener: "Madam Premier, on
    the harbour side we ..." reads "On the harbour side we ...". Only a bare address (a
    title, not a name: "President Roe, the host, opened ..." names the subject)."""
    addressed = _ADDRESS.match(text)
    rest = text[addressed.end() :].lstrip() if addressed else ""
    return rest[0].upper() + rest[1:] if rest else text
