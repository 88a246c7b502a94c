"""Topics the article itself lists: "discussed X, Y and Z", "talks on X and Y"."""

from __future__ import annotations

import re
from collections.abc import Iterable

from spacy.tokens import Span

from service.lang.registry import names_of_every_language, reading_of_every_language
from service.lang.syntax import Syntax
from service.text.article import PreparedArticle
from service.text.countries import fold
from service.text.vague import is_vague


def listed_topics(article: PreparedArticle, limit: int = 6) -> list[str]:
    topics: list[str] = []
    lex = article.lexicon
    for index in range(len(article.sentences)):
        sentence = article.sentence_text(index)
        for match in lex.topic_listing.finditer(sentence):
            items = lex.topic_trailing.sub("", match.group("items").strip())
            for item in lex.topic_split.split(items):
                item = lex.topic_leading.sub("", item.strip(" ,\"'“”«»"))
                words = item.split()
                if not 1 <= len(words) <= 6 or words[0].lower() in _WORDS.not_a_topic_start:
                    continue
                if item.lower() not in (t.lower() for t in topics):
                    topics.append(item)
        if len(topics) >= limit:
            break
    return topics[:limit]


# Every supported language's: articles mix them (a French readout quoting an English title).
_WORDS = reading_of_every_language()
_GENERIC_NOUNS = _WORDS.generic_nouns
_GENERIC_FOLDED = {fold(w) for w in _GENERIC_NOUNS}
_OCCASIONS = {fold(w) for w in _WORDS.occasion_nouns}
_ADDRESS = {fold(w).strip(".") for w in (names_of_every_language().address_words
                                         | names_of_every_language().honorifics)}


def is_generic(phrase: str) -> bool:
    """A one-word topic that names no subject: "meeting", "reunión", "minister"."""
    words = fold(phrase).split()
    return len(words) == 1 and (words[0] in _GENERIC_FOLDED or words[0].rstrip("s") in _GENERIC_FOLDED)


def names_a_subject(article: PreparedArticle, phrase: str) -> bool:
    """Where the article writes the phrase as whole words, it has a noun, and not only vague
    or generic ones: "bilateral" or "global" alone qualifies a subject without naming one,
    and "Chinese vice president" is a person's office."""
    if article.lexicon.borrowed_pipeline:
        return True  # nothing to read it by: the word checks of the caller stand
    start = _whole_word_find(article.clean, phrase)
    if start < 0:
        # As written but for case and the apostrophe's form ("Ukraine's" for "Ukraine’s").
        plain = article.remembered("plain text", lambda: _plain(article.clean))
        start = _whole_word_find(plain, _plain(phrase))
    if start < 0:
        return False  # not a phrase of the text: a word cut short ("meaningf"), or invented
    if _only_in_names(article, phrase):
        return False  # "Foreign Affairs" of "the Secretary of Foreign Affairs": a name's end
    if all(w in _ADDRESS for w in fold(phrase).split()):
        return False  # "Highness", "Excellency": how a person is addressed
    span = article.doc.char_span(start, start + len(phrase), alignment_mode="expand")
    tokens = [t for t in span or () if t.is_alpha]
    if not tokens:
        return True
    syntax = article.syntax
    if any(t.ent_type_ in syntax.time_labels for t in tokens) and not (
            span is not None and fold(span.root.lemma_) in _OCCASIONS):
        return False  # "yesterday", "later this afternoon": when, not what; but "the
        # 50th anniversary of relations" is what the talks marked
    people = {t.i for t in tokens if t.ent_type_ in syntax.person_labels}
    # Who ("Minister Lien", "Lien's visit", "greetings from Lien"), not what; but a person
    # named in the "of" phrase of a subject's head ("the jailing of Ana Lien") is what
    # happened to them.
    if people and not _happened_to(span, people, syntax):
        return False
    if tokens[0].pos_ == "ADP":
        return False  # a prepositional phrase ("from my point of view"), not a noun phrase
    last = tokens[-1]
    if (span is not None and len(tokens) > 1 and last.head.i >= span.end
            and last.head.pos_ in ("NOUN", "PROPN")
            and "\n" not in article.clean[span.end_char : last.head.idx]):
        return False  # cut before the noun it qualifies ("range of security" of "security
        # and defence capabilities", "the Almaty peace" of "the Almaty peace talks")
    if span is not None and span.root.pos_ in ("VERB", "AUX"):
        return False  # an action cut from a list ("secure a truce"), not what it concerns
    if any(syntax.is_finite(t) for t in tokens):
        return False  # a clause cut short ("a pact that would let"), not a subject's name
    # A possessor says whose ("the Mayor's attendance", "the Nordic Council's
    # concern"): the subject is what it owns, and what the phrase lists beside it
    # ("fisheries and Peru's commitment").
    doc = article.doc
    whose = {i for t in tokens if t.i + 1 < len(doc) and syntax.is_possessive_marker(doc[t.i + 1])
             for i in range(t.left_edge.i, t.i + 2)}
    nouns = [t for t in tokens
             if t.pos_ in ("NOUN", "PROPN") and t.i not in whose and t.i not in people]
    if span is not None and span.root.lemma_.lower() in _WORDS.office_heads:
        return False  # "the Latvian interior minister": a person's office
    if span is not None and _how_much(span, syntax):
        return False  # "about 300 million euros", "several students"
    return any(t.pos_ == "PROPN" or not is_vague(t) for t in nouns)


_AMOUNT_UNITS = {fold(w) for w in _WORDS.amount_units}
_VAGUE_COUNTS = {fold(w) for w in _WORDS.vague_counts}


def _how_much(span: Span, syntax: Syntax) -> bool:
    """The phrase is a sum and no more ("about 300 million euros"; not "$5 million for
    the port fund"), or a vague count and its noun ("several students"):
    how much or how many, not of what. A count by number stays ("three detained sailors"):
    it says which."""
    root = span.root
    money = root.ent_type_ in syntax.amount_labels
    if money or fold(root.lower_) in _AMOUNT_UNITS or fold(root.lemma_) in _AMOUNT_UNITS:
        # Its number, the amount's own words ("about", "$") and whose unit it is ("Swiss",
        # "New Zealand"); a number there is, or it is the currency itself ("the euro").
        rest = [t for t in span if t.i != root.i
                and not (t.is_punct or t.pos_ in ("ADV", "DET", "SYM", "PROPN", "ADJ"))]
        counted = money or any(t.like_num for t in span)
        if counted and all(t.like_num or t.ent_type_ in syntax.amount_labels
                           or t.ent_type_ in syntax.party_labels for t in rest):
            return True
    words = span.text.split()
    return len(words) == 2 and fold(words[0]) in _VAGUE_COUNTS


# "Secretary of [the] ", "Ministry of ": the start of a name an office or a body has.
_NAME_OF = re.compile(
    rf"[A-Z][\w'’-]+ (?:{_WORDS.of_words}) (?:(?:{_WORDS.definite_articles}) )?$")


def _only_in_names(article: PreparedArticle, phrase: str) -> bool:
    """The text writes the phrase only as the end of an office's or a body's name, in
    capitals after its "of" ("Secretary of Foreign Affairs", "Department of Homeland
    Security"): a part of who, not a subject."""
    plain = article.remembered("plain text", lambda: _plain(article.clean))
    target = _plain(phrase)
    found, at = False, plain.find(target)
    while at >= 0:
        end = at + len(target)
        if (at == 0 or not plain[at - 1].isalnum()) and (end == len(plain) or not plain[end].isalnum()):
            written = article.clean[at:end]
            if not (written[:1].isupper() and _NAME_OF.search(article.clean, max(0, at - 60), at)):
                return False
            found = True
        at = plain.find(target, at + 1)
    return found


def _happened_to(span: Span | None, people: set[int], syntax: Syntax) -> bool:
    """The phrase's head is a subject of its own and the people it names are in the phrase
    that says what it concerns ("the release of X", "a trial over X")."""
    if span is None or is_vague(span.root):
        return False
    concerns = [c for c in span.root.rights if c.dep_ == syntax.preposition_dependency
                and c.lower_ in _WORDS.subject_prepositions]
    return all(any(c.left_edge.i <= i <= c.right_edge.i for c in concerns) for i in people)


# A transcript's editorial note ("(inaudible)", "[laughter]") or a speaker breaking off and
# starting again (" — "): a phrase holding one was cut from talk, not a subject's name.
_TALK_MARKS = re.compile(r"[(\[][^\W\d_A-Z][^\W\d_]*[)\]]|\s[—–]\s")


def is_clean_topic(article: PreparedArticle, phrase: str) -> bool:
    """Not transcript debris or a cut phrase: an editorial note, a speaker's label in capitals
    ("PRESIDENT LINDQVIST"), the opening of a reporter's line ("Q Thanks"), an aside or an
    abbreviation cut in two."""
    if _TALK_MARKS.search(phrase):
        return False
    if phrase.count("(") != phrase.count(")") or phrase.count("[") != phrase.count("]"):
        return False  # cut inside an aside
    if (phrase.count('"') + phrase.count("“") + phrase.count("”")) % 2:
        return False  # cut inside a quotation ('patrols" off the coast')
    words = phrase.split()
    if words and len(words[-1]) == 1 and words[-1].isupper():
        return False  # cut at an abbreviation's first full stop ("trade with the U")
    if sum(1 for w in words if len(w) > 1 and w.isalpha() and w.isupper()) >= 2:
        return False
    if _only_inside_hyphenated(article.clean, phrase):
        return False  # "UK co" of "UK co-operation", "UK relationship" of "US-UK relationship"
    document = article.lexicon.document
    return not (document is not None and words and words[0].isupper()
                and words[0].rstrip(":.").lower() in document.not_speakers)


def _only_inside_hyphenated(text: str, phrase: str) -> bool:
    """The text writes `phrase` only as part of a hyphenated word at its start or end: a
    phrase cut at a hyphen, no subject of its own."""
    found = list(re.finditer(rf"(?<!\w){re.escape(phrase)}(?!\w)", text))
    return bool(found) and all(
        (m.start() >= 2 and text[m.start() - 1] in "-‐" and text[m.start() - 2].isalnum())
        or (m.end() + 1 < len(text) and text[m.end()] in "-‐" and text[m.end() + 1].isalnum())
        for m in found)


def without_pronouns(article: PreparedArticle, phrase: str) -> str | None:
    """The phrase as a reader can place it without the sentence around it: what follows its
    last pronoun ("a query on its port fees" -> "port fees"), where that still names a
    subject; None where nothing does ("farmers in our valley"). A phrase with no pronoun, or
    whose pronoun points back to a name in the phrase itself ("Oslo and its ferries"), as it
    is."""
    if article.lexicon.borrowed_pipeline:
        return phrase  # no parse to read it by
    start = _whole_word_find(article.clean, phrase)
    span = None if start < 0 else article.doc.char_span(start, start + len(phrase),
                                                         alignment_mode="expand")
    # Not in capitals: "US" may be tagged as the pronoun "us".
    pronouns = [t for t in span or ()
                if article.syntax.is_pronoun(t) and not t.text.isupper()]
    if span is None or not pronouns:
        return phrase
    if any(t.pos_ == "PROPN" for t in span if t.i < pronouns[-1].i):
        return phrase
    after = [t for t in span if t.i > pronouns[-1].i and not t.is_punct and t.pos_ != "PART"]
    if not after or after[-1].idx + len(after[-1]) > start + len(phrase):
        return None
    rest = article.clean[after[0].idx : after[-1].idx + len(after[-1])]
    if len(after) == 1 and (is_vague(after[0]) or after[0].pos_ != "PROPN"):
        return None  # "our country", "its people": a lone common noun says too little
    return rest if names_a_subject(article, rest) else None


def _plain(text: str) -> str:
    """Lower case, curly apostrophes straight: the same length as `text`, so a position found
    in it is one in `text`."""
    plain = text.replace("’", "'").lower()
    return plain if len(plain) == len(text) else text


def _whole_word_find(text: str, phrase: str) -> int:
    """Where `phrase` first stands as whole words in `text` ("North Korea", not inside
    "North Korean"), or -1."""
    at = text.find(phrase)
    while at >= 0:
        end = at + len(phrase)
        if (at == 0 or not text[at - 1].isalnum()) and (end == len(text) or not text[end].isalnum()):
            return at
        at = text.find(phrase, at + 1)
    return -1


_SKIP_POS = {"DET", "PRON", "NUM", "PUNCT", "ADP", "CCONJ", "PART"}


def named_subjects(article: PreparedArticle, exclude: set[str], limit: int = 2) -> list[str]:
    """Named places, events and laws the article writes ("the Strait of Hormuz", "the Clean
    Air Act"), by first appearance: a named subject is what an analyst looks for first,
    however seldom the text repeats it."""
    labels = article.syntax.named_subject_labels
    found: list[str] = []
    for ent in article.doc.ents:
        if ent.label_ not in labels:
            continue
        tokens = [t for t in ent if t.pos_ not in _SKIP_POS]
        if not tokens:
            continue
        phrase = article.clean[tokens[0].idx : tokens[-1].idx + len(tokens[-1].text)]
        if ("\n" in phrase or fold(phrase) in exclude or phrase in found
                or not is_clean_topic(article, phrase)):
            continue
        found.append(phrase)
        if len(found) >= limit:
            break
    return found


def key_phrases(
    article: PreparedArticle, exclude: set[str], limit: int = 6,
    within: Iterable[int] | None = None,
) -> list[str]:
    """The article's most repeated multi-word noun phrases (names of people and countries
    aside): what it keeps coming back to is what it is about. With `within`, the phrases of
    those sentences (0-based) come first, then the others: background repeats itself too."""
    spans = None if within is None else [
        (article.sentences[i].start, article.sentences[i].end) for i in within]
    from collections import Counter

    lemma_counts: Counter[str] = Counter(
        t.lemma_.lower() for t in article.doc if t.is_alpha and not t.is_stop
    )
    scored: dict[str, tuple[bool, float, str]] = {}
    syntax = article.syntax
    for chunk in article.doc.noun_chunks:
        tokens = [t for t in chunk if t.pos_ not in _SKIP_POS and not t.is_stop]
        # A determiner after the phrase's first word opens the noun's own phrase: the words
        # before it grade it ("as broad a deal as the talks allow", "so large a debt burden").
        inner = [t for t in chunk if t.pos_ == "DET" and tokens and t.i > tokens[0].i]
        if inner:
            tokens = [t for t in tokens if t.i > inner[-1].i]
        if not 2 <= len(tokens) <= 5:
            continue
        if any(t.ent_type_ in syntax.person_labels or t.ent_type_ in syntax.not_topic_labels
               for t in tokens):
            continue
        # A common noun's phrase, or a named place or event the talks were about ("the
        # Taiwan Strait", "the Strait of Hormuz").
        if not any(t.pos_ == "NOUN" or t.ent_type_ in syntax.subject_labels for t in tokens):
            continue
        phrase = article.clean[tokens[0].idx : tokens[-1].idx + len(tokens[-1].text)]
        if "\n" in phrase or all(
            t.lemma_.lower() in _GENERIC_NOUNS for t in tokens if t.pos_ == "NOUN"
        ):
            continue
        key = " ".join(t.lemma_.lower() for t in tokens)
        if key in exclude or phrase.lower() in exclude:
            continue
        early = 1.5 if chunk.start_char < len(article.clean) / 2 else 1.0
        score = early * sum(lemma_counts[t.lemma_.lower()] for t in tokens) / len(tokens)
        outside = spans is not None and not any(a <= tokens[0].idx < b for a, b in spans)
        if key not in scored or scored[key][:2] > (outside, -score):
            scored[key] = (outside, -score, phrase)
    ranked = sorted(scored.values(), key=lambda x: x[:2])
    return [phrase for _, _, phrase in ranked[:limit]]
