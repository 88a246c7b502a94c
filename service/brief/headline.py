"""The brief's headline and summary: the article's own title or lead where the model's would
name what the article does not, or would not be a whole headline or a real summary."""

from __future__ import annotations

import re

from service.brief.warnings import Warnings
from service.lang.registry import reading_of_every_language
from service.schemas import Event, Participant
from service.text.article import PreparedArticle
from service.text.claims import unsupported
from service.text.countries import fold
from service.text.dateline import strip_dateline
from service.text.similarity import content_words, drop_repeated_tail, unsupported_names
from service.text.statements import is_statement


def lede_summary(article: PreparedArticle, most: int = 3, max_chars: int = 600) -> str:
    """The lead: the first full sentences that report the event. News and readouts put who,
    what, where and when first, so the lead is the summary that invents nothing."""
    picked: list[str] = []
    for index in range(len(article.sentences)):
        sentence = article.sentence_text(index)
        if not is_statement(sentence):
            continue
        if picked and len(" ".join([*picked, sentence])) > max_chars:
            break
        picked.append(sentence)
        if len(picked) == most:
            break
    return " ".join(picked)


# A title that labels the page rather than saying what happened: "Readout of ...", "Joint
# Statement by ...", "Remarks by ... Ahead of Their Talks", "Press Briefing by ...".
_PAGE_LABEL = re.compile(reading_of_every_language().page_label, re.IGNORECASE)
# A headline's verbs in the present, as headlines write them: those of several, one's.
_HEADLINE_VERBS = {
    "meeting": ("meet", "holds talks"), "call": ("speak by phone", "holds call"),
    "visit": ("meet", "holds talks"), "summit": ("attend summit", "attends summit"),
    "statement": ("issue joint statement", "issues statement"),
    "briefing": ("brief reporters", "briefs reporters"),
}
_HEADLINE_MOST = 110


# A site's section or format label before a title, then a colon or a bar ("OPINION | ...",
# "UPDATE: ..."), and the date a site appends in square brackets ("... [June 2026]"; a year in
# round ones is the title's own: "the Accord (1998)").
_LEADING_LABEL = re.compile(
    r"^(?:" + "|".join(re.escape(w).replace(r"\ ", r"\s+")
                       for w in sorted(reading_of_every_language().title_labels))
    + r")\s*[:|]\s+", re.IGNORECASE)
# (No leading "\s*": from every space of a long run it would scan to the run's end.)
_TRAILING_DATE = re.compile(r"\[[^\]]{0,20}\b\d{4}\]\s*$")


def without_page_marks(title: str) -> str:
    """The title on one line without a site's label before it or the date it appends: what
    the title says of the event."""
    line = " ".join(title.split())
    return _TRAILING_DATE.sub("", _LEADING_LABEL.sub("", line)).strip()


def is_page_label(title: str) -> bool:
    """The title names the page's kind ("Readout of ...") rather than what happened."""
    return _PAGE_LABEL.match(title.strip()) is not None


def says_what_happened(article: PreparedArticle) -> bool:
    """The article's title line has a verb with a tense or an infinitive, as a headline does
    ("Peru, Chile agree to cut port fees", "Lima to receive envoys"): a title without one names
    the page ("Ministers' Video Conference", "PM call with X: 4 May 2025", a site's
    menu) and says nothing of what happened. True where the parse cannot tell."""
    index = article.title_index()
    syntax = article.syntax
    if index is None or not syntax.tells_finite:
        return True
    para = article.paragraphs[index]
    span = article.doc.char_span(para.start, para.end, alignment_mode="expand")
    return span is None or any(syntax.is_finite(t) or syntax.is_infinitive(t) for t in span)


def event_headline(
    participants: list[Participant], event: Event, topics: list[str], place: str | None,
) -> str | None:
    """"Antony Blinken and Han Zheng meet in New York City, discuss the Taiwan Strait and
    Ukraine": who did what, where, about what (`topics`: those the summary names, best
    first). None without a participant or for an event of no known kind."""
    verbs = _HEADLINE_VERBS.get(event.type)
    if not participants or verbs is None:
        return None
    names = [p.name for p in participants]
    who = " and ".join(names) if len(names) <= 2 else f"{names[0]}, {names[1]} and others"
    plural = len(names) > 1
    line = f"{who} {verbs[0] if plural else verbs[1]}"
    if place and event.type not in ("call", "statement", "briefing"):
        line += f" {place}"
    discuss = "discuss" if plural else "discusses"
    shown: list[str] = []
    named: list[set[str]] = []  # the content words of each shown topic
    for topic in topics:
        own = content_words(topic)
        if any(own <= other or other <= own for other in named):
            continue  # "matters including tariffs", then "tariffs": said once
        words = [*shown, topic]
        listed = ", ".join(words[:-1]) + " and " + words[-1] if len(words) > 1 else words[0]
        if len(f"{line}, {discuss} {listed}") > _HEADLINE_MOST:
            continue  # a shorter topic after it may fit
        shown = words
        named.append(own)
    if shown:
        listed = ", ".join(shown[:-1]) + " and " + shown[-1] if len(shown) > 1 else shown[0]
        line += f", {discuss} {listed}"
    return line


def choose_headline(
    model_headline: str, title: str | None, article: PreparedArticle, warnings: Warnings,
    from_facts: str | None = None,
) -> str:
    """The request's title, else the article's title line, each without a site's label or
    appended date and unless it only labels the page ("Readout of ...") where the facts give
    a headline; else the headline written from the facts (`from_facts`), else the model's
    line if it is a whole headline naming only what the article names, else the lead
    sentence, shortened."""
    if title and title.strip():
        given = without_page_marks(title)
        if given and not (from_facts and is_page_label(given)):
            return given
    line = article.title_line()
    if line and line.strip() and not (from_facts and (is_page_label(line)
                                                      or not says_what_happened(article))):
        return without_page_marks(line) or " ".join(line.split())
    if from_facts:
        return from_facts
    openers = article.lexicon.clause_openers
    line = tidy_headline(model_headline, openers)
    words = re.findall(r"[^\W\d_]+", line)
    missing = unsupported_names(line, fold(article.clean))
    if len(words) >= 4 and not missing and len(model_headline) < 98:
        return line
    if model_headline:
        reason = f"names {', '.join(missing)}" if missing else "was not a whole headline"
        warnings.add(f"the model's headline {reason}; the lead sentence is used instead")
    return tidy_headline(lede_summary(article, most=1), openers)


# A headline from a lead sentence: at most this long when cut at a word, a little longer when
# cut where a phrase of circumstance begins (a lead's subject of two titled names is often
# 90 characters before its verb), and never shorter than the shortest cut (who met whom).
_HEADLINE_CHARS = 90
_CLAUSE_CUT_CHARS = 110
_SHORTEST_CUT = 30


def tidy_headline(text: str, clause_openers: re.Pattern[str] | None = None) -> str:
    """One line, without a copied dateline. A long one keeps its main clause: it is cut where
    the last phrase of circumstance that fits begins ("X and Y met | at a forum in ..."),
    else at the last word that fits."""
    line = strip_dateline(" ".join(text.split()))
    if len(line) < _HEADLINE_CHARS or " " not in line:
        return line
    if clause_openers is not None:
        window = line[: _CLAUSE_CUT_CHARS + 1]
        cuts = [m for m in clause_openers.finditer(window) if m.start() >= _SHORTEST_CUT]
        for kind in ("pause", "clause", "phrase"):  # the best kind of cut there is, the last
            starts = [m.start() for m in cuts if m.group(kind) is not None]
            if starts:
                return line[: starts[-1]].rstrip(",;:-—– ")
    head = line[: _HEADLINE_CHARS + 1]
    return head[: head.rfind(" ")].rstrip(",;:-—– ")


# A full stop that ends a sentence: not after an initial ("U.S.", "J. Smith") or "Mr", "Sept".
_SENTENCE_END = re.compile(
    r"(?<!\b[A-Z])(?<!\b[A-Z][a-z])(?<!\b[A-Z][a-z]{2})(?<!\bSept)[.!?][\"”’')]*(?=\s+[A-Z\"“]|\s*$)"
)


def choose_summary(
    model_summary: str, headline: str, article: PreparedArticle, warnings: Warnings
) -> str:
    """The model's summary, cut to whole sentences without repeats, if it is a real summary
    (two sentences or more, not the headline again, naming nothing the article does not);
    otherwise the article's lead, with a warning saying why."""
    text = drop_repeated_tail(" ".join(model_summary.split()))
    sentences = [m.end() for m in _SENTENCE_END.finditer(text)]
    whole = text[: sentences[-1]].strip() if sentences else ""
    whole = _borne_out(whole, sentences, article, warnings)
    sentences = [m.end() for m in _SENTENCE_END.finditer(whole)]
    missing = unsupported_names(whole, fold(article.clean))
    problem = None
    if missing:
        problem = f"named what the article does not ({', '.join(missing)})"
    elif len(sentences) < 2 or len(whole) < 60:
        problem = "was not two whole sentences"
    elif len(content_words(whole) - content_words(headline)) < 5:
        problem = "repeated the headline"
    if problem is None:
        return whole
    warnings.add(f"the model's summary {problem}; the summary is the article's lead instead")
    return lede_summary(article)


# The article's sentences a written sentence is checked against: those sharing the most
# content words with it (a written summary cites none).
_CHECKED_AGAINST = 3


def _borne_out(
    whole: str, ends: list[int], article: PreparedArticle, warnings: Warnings
) -> str:
    """The model's summary without the sentences the claim check refuses (text/claims.py,
    as for an assembled summary): each against the article's sentences most like it, a
    name, number, date, negation or commitment they do not state is refused."""
    kept: list[str] = []
    start = 0
    sources = [article.sentence_text(i) for i in range(len(article.sentences))]
    source_words = [content_words(s) for s in sources]
    for end in ends:
        sentence = whole[start:end].strip()
        start = end
        if not sentence:
            continue
        words = content_words(sentence)
        nearest = sorted(range(len(sources)), key=lambda i: -len(words & source_words[i]))
        problems = unsupported(sentence, [sources[i] for i in nearest[:_CHECKED_AGAINST]])
        if problems:
            warnings.add(f"a sentence of the model's summary stated what the article does not "
                         f"({', '.join(problems)}); it is left out")
            continue
        kept.append(sentence)
    return " ".join(kept)
