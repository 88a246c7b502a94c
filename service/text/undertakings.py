"""A joint statement's undertakings: the sentences in which its parties commit to, affirm or
will do something ("[Party] will lower duties on ...", "[Party] intends to buy ...", "the two
leaders reaffirmed that ..."). A joint statement is written as a list of them, each an outcome
of the event the statement is, even where it never uses the word "agree"."""

from __future__ import annotations

from collections.abc import Sequence

from spacy.tokens import Span as DocSpan
from spacy.tokens import Token

from service.lang.base import DocumentWords
from service.lang.syntax import Syntax
from service.text.article import PreparedArticle
from service.text.countries import CountryMention
from service.text.document import DocumentHeader
from service.text.statements import sentence_candidates


def joint_undertakings(
    article: PreparedArticle, header: DocumentHeader, mentions: Sequence[CountryMention],
    window: Sequence[int],
) -> list[int]:
    """1-based numbers of the sentences in `window` whose subject is the statement's parties
    (a country its title names, "we", "both sides", "the two leaders") and whose verb
    undertakes or affirms something. Empty for anything but a joint statement: elsewhere a
    government's "will" is its own plan, and a third country's is not the parties' at all."""
    words = article.lexicon.document
    if words is None or not header.joint or header.title is None:
        return []
    title = header.title
    signatories = {m.country.name for m in mentions if title.start <= m.start < title.end}
    parties = [(m.start, m.end) for m in mentions
               if m.country.name in signatories and m.start >= title.end]
    found: list[int] = []
    for number in sentence_candidates(article, "key_points", window):
        span = article.sentences[number - 1]
        if article.clean[span.start : span.end].rstrip("\"”’') ").endswith("?"):
            continue  # a question asks whether they will; it does not say so
        sentence = article.doc.char_span(span.start, span.end, alignment_mode="expand")
        if sentence is not None and any(
            _undertakes(verb, words, parties, article.syntax)
            for verb in _main_verbs(sentence, article.syntax)
        ):
            found.append(number)
    return found


def _main_verbs(sentence: DocSpan, syntax: Syntax) -> list[Token]:
    """The verbs of the sentence's main clause: its root and the verbs joined to it ("will
    lower ... and will buy ..."), and the verb whose subject opens the sentence (the small
    parser hangs a long list's clause under a later verb). A verb in a clause of its own (a
    condition, something reported of someone else) says what the main clause's subject
    does not."""
    roots = [t for t in sentence if syntax.is_root(t)]
    opening = [t for t in sentence if syntax.opens_with_subject(t, sentence.start)]
    verbs = [v for head in (*roots, *opening) for v in (head, *head.conjuncts)]
    return list(dict.fromkeys(verbs))


def _undertakes(
    verb: Token, words: DocumentWords, parties: list[tuple[int, int]], syntax: Syntax
) -> bool:
    if verb.pos_ not in ("VERB", "AUX") or verb.lemma_.lower() in words.not_undertakings:
        return False
    if verb.lemma_.lower() not in words.undertaking_verbs and not syntax.has_auxiliary(
        verb, words.undertaking_modals
    ):
        return False
    if any(t.lower_ in words.undertaking_doubts for c in verb.children
           if c.dep_ in syntax.condition_dependencies for t in c.subtree):
        return False  # "if the talks fail, we will ...", "will probably ..."
    # A verb joined to another shares its subject ("will lower ... and buy ...").
    subject = syntax.subject(verb)
    if subject is None and syntax.is_conjunct(verb):
        subject = syntax.subject(verb.head)
    if subject is None:
        return False
    # The subject's head, and those it is coordinated with, must be parties: "we", "both
    # sides", "the two leaders", "[a country the title names] and [another]". "The accord
    # between [them]" names the parties but is not one.
    heads = [subject, *subject.conjuncts]
    return all(_is_party(t, words, parties, syntax) for t in heads)


def _is_party(
    head: Token, words: DocumentWords, parties: list[tuple[int, int]], syntax: Syntax
) -> bool:
    if any(s <= head.idx < e for s, e in parties):
        return True
    if head.lower_ not in words.party_words:
        return False
    # "The Russian government", "other countries": a party's noun for someone else.
    return not any(
        c.lower_ in words.not_party_modifiers
        or (c.ent_type_ in syntax.party_labels and not any(s <= c.idx < e for s, e in parties))
        for c in head.children
    )
