"""The brief's headline and summary: the article's own title or lead where the model's would
name what the article does not, or would not be a whole headline or a real summary."""

from __future__ import annotations

import re

from service.brief.grounding import content_words, drop_repeated_tail, unsupported_names
from service.brief.warnings import Warnings
from service.text.article import PreparedArticle
from service.text.countries import fold
from service.text.dateline import strip_dateline
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


def choose_headline(
    model_headline: str, title: str | None, article: PreparedArticle, warnings: Warnings
) -> str:
    """The request's title, else the article's title line, else the model's line if it is a
    whole headline naming only what the article names, else the lead sentence, shortened."""
    for given in (title, article.title_line()):
        if given and given.strip():
            return " ".join(given.split())
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
