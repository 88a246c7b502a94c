"""What the event's sentences are about, read from their parse: the noun phrases their main
verbs act on ("raised the cyber attack on the port"), each list split into its items
("discussed trade, fisheries and a new ferry line"), and a phrase that only stands for its
subject replaced by the subject it introduces ("other concerns, including X and Y" gives X
and Y; "support for the ceasefire" gives the ceasefire).

A readout tells about one subject a sentence, and an article's own lists ("discussed X, Y
and Z", text/topics.py) name only some of them: the rest are what its verbs act on. Each
subject is cut to a short name (its modifiers and at most one prepositional phrase, without
relative clauses, appositions or the next item of its list).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from spacy.tokens import Doc, Token

from service.lang.registry import reading_of_every_language
from service.lang.syntax import Syntax
from service.text.article import PreparedArticle
from service.text.countries import fold
from service.text.vague import is_vague, is_vague_word

# A subject's name longer than this is cut to its head and modifiers, or left out.
MOST_WORDS = 6
# How far a verb's completing clauses ("agreed to work to expand X") and a vague noun's
# subjects ("the importance of support for X") are followed.
_DEPTH = 2

# Every supported language's words: a vague noun in a quoted title is vague in any language.
_WORDS = reading_of_every_language()
_SUBJECT_PREPOSITIONS = _WORDS.subject_prepositions
_NUMBER_WORDS = frozenset(fold(w) for w in _WORDS.number_words)
_LISTING_PREPOSITIONS = _WORDS.listing_prepositions
# Tokens a subject's name neither opens nor ends with: "the", "our", a comma, "and".
_EDGE_POS = frozenset({"DET", "PRON", "PUNCT", "CCONJ", "SCONJ", "ADP", "PART", "SPACE"})
_NOUNS = frozenset({"NOUN", "PROPN"})


def sentence_subjects(article: PreparedArticle, indices: Iterable[int]) -> list[str]:
    """The subjects of the sentences at `indices` (0-based), each once, as the article
    writes them: every sentence's first, in the text's order, then every sentence's second. Empty for a language whose pipeline the
    article borrows: its parse is no reading of the text."""
    if article.lexicon.borrowed_pipeline:
        return []
    syntax = article.syntax
    by_sentence: list[list[str]] = []
    for index in indices:
        span = article.sentences[index]
        sentence = article.doc.char_span(span.start, span.end, alignment_mode="expand")
        if sentence is None:
            continue
        own: list[str] = []
        for head in _acted_on(sentence.root, syntax, _DEPTH):
            for item in _items(head, syntax, _DEPTH):
                phrase = _name(item, syntax, article.clean)
                if (phrase and "\n" not in phrase and not _only_vague(phrase)
                        and (" " in phrase or item.pos_ == "PROPN")):
                    own.append(phrase)
        by_sentence.append(own)
    # Each sentence's first subject before any sentence's second: a list of six items in
    # one sentence would otherwise leave no room for what the next paragraphs were about.
    found: dict[str, str] = {}
    for rank in range(max((len(own) for own in by_sentence), default=0)):
        for own in by_sentence:
            if rank < len(own):
                found.setdefault(fold(own[rank]), own[rank])
    return list(found.values())


def _acted_on(verb: Token, syntax: Syntax, depth: int) -> Iterator[Token]:
    """The nouns a verb (and the verbs joined to it) acts on: its objects, what its
    "on"/"about" phrase and its "including" list introduce, and those of the clause that
    completes it."""
    for each in (verb, *(c for c in verb.conjuncts if c.pos_ in ("VERB", "AUX"))):
        for child in each.children:
            if child.dep_ in syntax.object_dependencies and child.pos_ in _NOUNS:
                yield child
            elif child.dep_ == syntax.preposition_dependency and (
                    _is_listing(child) or child.lower_ in _SUBJECT_PREPOSITIONS):
                yield from _introduced(child, syntax)
            elif depth and child.dep_ in syntax.complement_dependencies and child.pos_ == "VERB":
                yield from _acted_on(child, syntax, depth - 1)
    # A verb has no nouns for conjuncts: a noun joined to it is an item of its object's list
    # that the parser hung one level too high, as it does with the later items of a long
    # list ("raised X, reports of Y, interference in Z").
    yield from (c for c in verb.conjuncts if c.pos_ in _NOUNS and c.i > verb.i)


def _items(head: Token, syntax: Syntax, depth: int) -> Iterator[Token]:
    """Each item of the list `head` opens, an item that only stands for its subject
    replaced by what it introduces ("matters such as X and Y", "support for X")."""
    for item in (head, *(c for c in head.conjuncts if c.i > head.i and c.pos_ in _NOUNS)):
        listing = [c for c in item.children
                   if c.dep_ == syntax.preposition_dependency and _is_listing(c)]
        if listing:
            if depth:
                for noun in _introduced(listing[0], syntax):
                    yield from _items(noun, syntax, depth - 1)
            continue
        # A count ("hundreds of refugees") stands for what it counts, as a vague head does.
        if (item.like_num or item.pos_ == "NUM" or is_vague(item)
                or fold(item.lemma_) in _NUMBER_WORDS):
            # "the commitment of Norway to end the war": what its clause acts on, before
            # whose it is.
            purpose = [c for c in item.children if c.dep_ in syntax.noun_clause_dependencies
                       and c.pos_ == "VERB"]
            if purpose and depth:
                for noun in _acted_on(purpose[0], syntax, depth - 1):
                    yield from _items(noun, syntax, depth - 1)
                continue
            subject = [c for c in item.children if c.dep_ == syntax.preposition_dependency
                       and c.lower_ in _SUBJECT_PREPOSITIONS]
            if subject and depth:
                for noun in _introduced(subject[0], syntax):
                    yield from _items(noun, syntax, depth - 1)
            continue
        complement = _cut_complement(item, syntax)
        if complement is not None and depth:
            # "the steady supply of [a long phrase]": the head alone names nothing; what
            # its phrase is about does.
            yield from _items(complement, syntax, depth - 1)
            continue
        yield item


def _cut_complement(item: Token, syntax: Syntax) -> Token | None:
    """The noun of the item's first "of"/"for"/"on" phrase when that phrase is too long for
    the item's name to keep, else None."""
    for child in item.rights:
        if child.dep_ in syntax.phrase_aside_dependencies:
            return None
        if child.dep_ == syntax.preposition_dependency and child.lower_ in _SUBJECT_PREPOSITIONS:
            if _words(item.doc, item.left_edge.i, child.right_edge.i) <= MOST_WORDS:
                return None
            nouns = _introduced(child, syntax)
            return nouns[0] if nouns else None
    return None


def _is_listing(preposition: Token) -> bool:
    """"including", or "such as" and its like: what follows gives examples of what precedes."""
    return preposition.lower_ in _LISTING_PREPOSITIONS


def _introduced(preposition: Token, syntax: Syntax) -> list[Token]:
    """The noun a preposition introduces (the first item of its list: `_items` reads the
    rest)."""
    nouns = [c for c in preposition.children
             if c.dep_ in syntax.preposition_object_dependencies and c.pos_ in _NOUNS]
    # A hyphenated word the tokenizer split ("de-escalation of X") can come out as several
    # objects: the one whose phrase runs on is the noun.
    return sorted(nouns, key=lambda c: c.left_edge.i - c.right_edge.i)[:1]


def _name(item: Token, syntax: Syntax, text: str) -> str | None:
    """The item's noun phrase as the text writes it, without its asides and the rest of its
    list, at most MOST_WORDS words: its farthest phrases dropped first."""
    kept = _phrase_tokens(item, syntax)
    if kept is None:
        return None
    start, end = kept
    doc = item.doc
    # The start of a word the tokenizer split at its hyphen ("de" "-" "escalation").
    while start > 0 and not doc[start - 1].whitespace_ and (
            doc[start - 1].text == "-"
            or (doc[start - 1].text[-1:].isalpha() and doc[start].text == "-")):
        start -= 1
    while start < item.i and (doc[start].pos_ in _EDGE_POS or doc[start].tag_ == "PRP$"
                              or _qualifies_outside(doc[start], start, end)):
        start += 1
    while end > item.i and doc[end].pos_ in _EDGE_POS:
        end -= 1
    if _words(doc, start, end) > MOST_WORDS:
        return None
    if any(doc[i].text == "," and not _between_adjectives(doc, i, end) for i in range(start, end)):
        return None  # it runs into the next item of a list, or an aside
    opened = [i for i in range(start, end + 1) if doc[i].text == "("]
    if opened and not any(doc[i].text == ")" for i in range(opened[-1], end + 1)):
        # Its abbreviation in brackets, whole ("the Law of the Sea (UNCLOS)"), or none of it.
        if end + 1 < len(doc) and doc[end + 1].text == ")":
            end += 1
        else:
            end = opened[-1] - 1
            if end < item.i:
                return None
    return text[doc[start].idx: doc[end].idx + len(doc[end].text)]


def _phrase_tokens(item: Token, syntax: Syntax) -> tuple[int, int] | None:
    """First and last token of the item's phrase: from its first modifier to its last kept
    child's end, prepositional phrases after the first dropped when it runs long."""
    doc = item.doc
    start = item.i
    for child in item.lefts:
        if child.dep_ not in syntax.phrase_aside_dependencies:
            start = min(start, child.left_edge.i)
    end = item.i
    for child in item.rights:
        if child.dep_ in syntax.phrase_aside_dependencies:
            break  # what follows an aside or the next item is not the item's name
        if child.dep_ == syntax.preposition_dependency and _is_listing(child):
            break
        if _words(doc, start, child.right_edge.i) > MOST_WORDS:
            break
        end = child.right_edge.i
    if _words(doc, start, end) > MOST_WORDS:
        start = item.i - sum(1 for c in item.lefts if c.i == item.i - 1)
    return (start, end) if _words(doc, start, end) <= MOST_WORDS else None


def _between_adjectives(doc: Doc, comma: int, end: int) -> bool:
    """The comma parts two adjectives of one noun ("safe, orderly, legal migration")."""
    after = doc[comma + 1] if comma + 1 <= end else None
    return (after is not None and after.pos_ == "ADJ" and comma > 0
            and doc[comma - 1].pos_ == "ADJ" and after.head.i <= end)


def _qualifies_outside(token: Token, start: int, end: int) -> bool:
    """An adverb the phrase opens with that qualifies a word outside it ("raised also the
    fisheries quota"), not one of the phrase's own ("about 400 tonnes", "newly elected")."""
    return token.pos_ == "ADV" and not start <= token.head.i <= end


def _words(doc: Doc, start: int, end: int) -> int:
    """Words (as written, "search-and-rescue" one) from token `start` to token `end`."""
    return len(doc[start: end + 1].text.split())


def _only_vague(phrase: str) -> bool:
    words = [w for w in fold(phrase).replace("-", " ").split() if w.isalpha()]
    return not words or all(is_vague_word(w) for w in words)


