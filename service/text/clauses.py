"""A sentence cut to its claim: the main clause, its lists kept, its asides and attribution
dropped ("It added that Roe stressed calm along the river border,
which has long divided the two states, as ..." -> "Roe stressed calm along the river
border.").

The words kept are the sentence's own words in their order, so the shorter claim names
nothing, and negates nothing, that the sentence does not: what is dropped is whole subtrees
of spaCy's parse (a clause of circumstance, a relative clause set off by a comma, an
apposition, a parenthesis, "amid ..." and "according to ..."), and the reporting frame
around what was said ("The readout states [that] ...", "..., he said."). A negation is never
dropped: it hangs on the verb it negates, which is kept.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from spacy.tokens import Span as DocSpan
from spacy.tokens import Token

from service.lang.registry import reading_of_every_language
from service.lang.syntax import Syntax
from service.text.article import PreparedArticle
from service.text.countries import fold
from service.text.turns import label_end
from service.text.vague import is_vague

MOST_WORDS = 30
"""A key point is one short claim: at most this many words."""

# Verbs that report what someone said or wrote: the frame around a claim, not the claim;
# prepositions whose phrase is an aside (circumstance, "amid tensions", or a source) or a
# list the claim gives ("issues such as X and Y"), in every supported language.
_WORDS = reading_of_every_language()
_REPORTING = _WORDS.reporting_verbs
_ASIDE_PREPOSITIONS = _WORDS.aside_prepositions
_LISTING_PREPOSITIONS = _WORDS.listing_prepositions
_REFERRING = _WORDS.referring_subjects
_NEGATIONS = _WORDS.negations
_CONNECTIVES = _WORDS.connectives
_OPENING_CONNECTIVES = _WORDS.opening_connectives
_OFFICES = frozenset(fold(w) for w in _WORDS.office_heads)
_QUOTES = "\"“”„«»"
_MOST_FRAME_TOKENS = 14
_FEWEST_CLAIM_WORDS = 5


@dataclass(frozen=True)
class Clause:
    text: str
    """The claim, a sentence of the article's own words, ending with a full stop."""
    sentence: int
    """0-based index of the sentence it comes from (its evidence)."""

    @property
    def words(self) -> int:
        return len(self.text.split())


def main_clause(
    article: PreparedArticle, index: int, most_words: int = MOST_WORDS, claim: bool = True,
) -> Clause | None:
    """Sentence `index` as one short claim of at most `most_words` words, or None when it has
    no main clause of at least five words that fits (a fragment, a sentence that is all
    circumstance, a list too long to cut) or, as a `claim`, no verb with a tense."""
    span = article.sentences[index]
    sentence = article.doc.char_span(span.start, span.end, alignment_mode="expand")
    if sentence is None or len(sentence) == 0:
        return None
    body = label_end(article, _body_start(article, index))
    kept = _without_frame(sentence, body)
    if kept is None or _refers_back(sentence, kept):
        return None
    # Parts of a clause dropped first, then, if the claim is still too long, the next set.
    asides, details = article.syntax.aside_dependencies, article.syntax.detail_dependencies
    syntax = article.syntax
    words_of = article.lexicon.document
    conditions = words_of.undertaking_doubts if words_of is not None else frozenset()
    # The whole claim, then, where that does not fit, the first of several joined main
    # clauses ("X expressed support for Y and called it ..."): each with its asides dropped
    # first, then, if still too long, its details.
    for claim_tokens in (kept, _first_conjunct(sentence, kept)):
        if claim_tokens is None:
            continue
        for dropped in (asides, asides | details):
            # "... with regard.", "... for as long.": a cut no reader can finish loses the
            # phrase it leaves unfinished, or is refused.
            tokens = _finished(_without(sentence, claim_tokens, dropped, conditions, syntax), syntax)
            if tokens is None:
                continue
            text = _tidy(tokens)
            words = len(text.split())
            if words < _FEWEST_CLAIM_WORDS or (claim and not _states(tokens, syntax)):
                break
            if claim and _lost_its_subject(sentence, tokens, syntax):
                break
            # Cut of its details, a clause may keep only who and vague words: no claim.
            if dropped is not asides and not _names_something(tokens, syntax):
                break
            # A language that writes every clause's subject (`list_item_subject`): a claim
            # opening on its verb has lost its subject, or is a list's item.
            they = article.language_data.writing.list_item_subject
            if claim and they and _opens_on_verb(tokens, syntax):
                if tokens[0] != next(t for t in sentence if t.idx >= body and not t.is_space):
                    break  # its subject was cut off ("Will mark a turning point ..."): no claim
                if not _after_lead_in(article, index):
                    break
                # A communiqué's item, whose subject is the list's lead-in ("The Envoys:"
                # / "Backed the plan ..."): "They backed the plan".
                text = f"{they} {text[0].lower()}{text[1:]}"
                words += 1
            if words <= most_words:
                return Clause(text, index)
    return None


def _lost_its_subject(sentence: DocSpan, tokens: list[Token], syntax: Syntax) -> bool:
    """The claim keeps the sentence's main verb (with a tense) and words before it, but not
    its subject, and words before the verb were cut: the parser read the subject as an
    aside of the phrase that opens the sentence ("Before the harbour talks, the two envoys
    chose ...", "the two envoys" an apposition of "talks"), and the cut took it away
    ("Before the harbour talks chose ...")."""
    root = _root(sentence)
    kept = {t.i for t in tokens}
    if root is None or root.i not in kept or not syntax.tells_finite \
            or not syntax.is_finite(root):
        return False
    subjects = [c for c in root.children if c.dep_ in syntax.subject_dependencies]
    if any(not sentence.start <= c.i < sentence.end for c in subjects):
        return False  # the parser ran two sentences together: nothing to judge by
    # A kept subject, unless it is the opening phrase read as a clause ("Looking forward to
    # the harbour talks, the two envoys chose": "Looking" the subject, the envoys its
    # apposition) that lost the apposition.
    if any(c.i in kept and not (c.dep_ in syntax.clause_subject_dependencies and any(
            t.i not in kept and t.dep_ == "appos" for t in c.subtree)) for c in subjects):
        return False
    # Between the claim's first word and its verb (a dateline or a speaker's label before
    # it is never part of it).
    before = [t for t in sentence if min(kept) <= t.i < root.i and not (t.is_punct or t.is_space)]
    return any(t.i in kept for t in before) and any(t.i not in kept for t in before)


def _opens_on_verb(tokens: list[Token], syntax: Syntax) -> bool:
    """The claim's first word is a verb with a tense: it has no subject before it."""
    first = next((t for t in tokens if not t.is_punct), None)
    return first is not None and syntax.tells_finite and syntax.is_finite(first) \
        and not any(c.dep_ in syntax.subject_dependencies for c in first.children
                    if c.i > first.i)


def _after_lead_in(article: PreparedArticle, index: int) -> bool:
    """A line before sentence `index` that ends in a colon, as the lead-in of a list of items
    does ("The Special Envoys:")."""
    lead_ins = article.remembered("lead-in lines", lambda: [
        i for i in range(len(article.sentences))
        if article.sentence_text(i).rstrip().endswith(":")])
    return bool(lead_ins) and lead_ins[0] < index


def _states(tokens: list[Token], syntax: Syntax) -> bool:
    """The claim has a verb with a tense ("agreed", "will hold"): a line without one (a byline,
    "Statement by the ministers of ...", a caption, "The release issued by the Office on
    Monday") says nothing happened. True where the parse cannot tell."""
    return not syntax.tells_finite or any(syntax.is_finite(t) for t in tokens)


def _refers_back(sentence: DocSpan, kept: set[int]) -> bool:
    """The claim's main verb has a subject or an object that points back ("It is designed
    to ...", "That is why ...", "Both navies back this fully"): what it is, the claim
    does not say."""
    roots = [t for t in sentence if t.i in kept and (t.head == t or t.head.i not in kept)]
    return any(c.lower_ in _REFERRING and (
        c.dep_ in ("nsubj", "nsubjpass") or (c.dep_ == "dobj" and not list(c.children)))
        for root in roots for c in root.children)


def _names_something(tokens: list[Token], syntax: Syntax) -> bool:
    """A noun that names what the claim is about is left, or a time that makes it a
    plan: not only who ("the two leaders", a person, a country) and vague words ("underscored
    their shared commitment", "discussed common goals"), which is what a sentence cut to its
    bones may keep."""
    return any(
        t.ent_type_ in syntax.time_labels  # "by March": a plan
        or (t.pos_ in ("NOUN", "PROPN") and t.ent_type_ not in syntax.person_labels
        and t.ent_type_ not in syntax.party_labels
        and not is_vague(t) and fold(t.lemma_) not in _OFFICES)
        for t in tokens
    )


def _body_start(article: PreparedArticle, index: int) -> int:
    """Where sentence `index`'s own words begin: `sentence_text` leaves out a paragraph's
    number and a dateline before them."""
    span = article.sentences[index]
    raw = article.clean[span.start : span.end]
    collapsed = " ".join(raw.split())
    body = article.sentence_text(index)
    if not collapsed.endswith(body) or collapsed == body:
        return span.start
    skipped = len(collapsed[: len(collapsed) - len(body)].split())
    words = list(re.finditer(r"\S+", raw))
    return span.start + (words[skipped].start() if skipped < len(words) else 0)


def _root(sentence: DocSpan) -> Token | None:
    """The sentence's main verb: its parse root, or where the parser ran a sentence on over
    a line break, the word within it on which most of it hangs."""
    inside = range(sentence.start, sentence.end)
    roots = [t for t in sentence if t.head == t or t.head.i not in inside]
    if not roots:
        return None
    return max(roots, key=lambda t: sum(1 for d in t.subtree if d.i in inside))


def _without_frame(sentence: DocSpan, body: int) -> set[int] | None:
    """The token indices of the claim: the sentence without a paragraph label or dateline
    before its first word, and without its reporting frame ("X said [that]" before the claim,
    ", X said" after it). None when the sentence has no root."""
    root = _root(sentence)
    if root is None:
        return None
    tokens = [t for t in sentence if not t.is_space and t.idx >= body]
    kept = {t.i for t in tokens}
    if root.lemma_.lower() not in _REPORTING:
        return kept
    claim = [c for c in root.children if c.dep_ in ("ccomp", "xcomp") and c.pos_ in ("VERB", "AUX")]
    before = [t for t in tokens if t.i < root.i]
    after = [t for t in tokens if t.i > root.i]
    if claim and _opens_with_pronoun(claim[0]):
        return kept  # "Blinken remarked that he ...": without its frame, "he" is no one
    if _speaker_is_someone(root):
        return kept  # "Ibarra said Chile would not ...": his view, not a fact; kept his
    if claim and claim[0].i > root.i and len(before) <= _MOST_FRAME_TOKENS:
        # "The readout states (that) the pair discussed ...": the reported clause.
        # Without the "that" that opened it as reported ("it was announced on Friday that
        # X": "X", not "That X"); a "whether" or an "if" stays: without it, the claim would
        # say what the frame left open.
        opening = claim[0].left_edge
        return {t.i for t in claim[0].subtree
                if t.i in kept and (t.lower_ != "that" or t.i != root.i + 1)
                and not (t == opening and t.dep_ == "mark" and t.lower_ == "that")}
    if claim and claim[0].i < root.i and len(after) <= _MOST_FRAME_TOKENS:
        # "'...,' Zheng said." / "The talks were useful, she said.": the reported clause.
        return {t.i for t in claim[0].subtree if t.i in kept}
    if not claim and len(before) <= _MOST_FRAME_TOKENS and len(after) >= _FEWEST_CLAIM_WORDS:
        # The small parser may miss the reported clause ("states the pair discussed ...").
        rest = [t for t in after if t.lower_ != "that" or t.i != root.i + 1]
        if rest and rest[0].pos_ != "PRON":
            return {t.i for t in rest}
    return kept


# Who reports without being a side to what is reported: a page, an office, "it".
_SOURCES = _WORDS.sources


def _speaker_is_someone(verb: Token) -> bool:
    """The reporting verb's subject is a person or a side ("Ibarra said", "the ministers
    noted"), not a page or an office that relays what was said ("the readout said")."""
    subject = next((c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass")), None)
    return subject is not None and subject.lower_ not in _SOURCES \
        and subject.lemma_.lower() not in _SOURCES


def _opens_with_pronoun(verb: Token) -> bool:
    subject = next((c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass")), None)
    return subject is not None and subject.pos_ == "PRON"


def _without(
    sentence: DocSpan, kept: set[int], dropped: frozenset[str], conditions: frozenset[str],
    syntax: Syntax,
) -> list[Token]:
    """The kept tokens in order, less the subtrees that are asides: every dependent whose
    relation is in `dropped` (with exceptions that carry the claim, such as a clause marked
    by one of `conditions`), a phrase "amid ..." or "according to ...", a relative clause set
    off by a comma, and anything in parentheses."""
    root = _root(sentence)
    gone: set[int] = set()
    doc = sentence.doc
    inside = range(sentence.start, sentence.end)
    for token in sentence:
        if token.i not in kept or token.i in gone or token == root:
            continue
        if _is_aside(token, dropped, kept, conditions):
            aside = [t.i for t in token.subtree]
            gone.update(aside)
            # "X, an aside, does": the aside goes with the commas that set it off.
            before, after = min(aside) - 1, max(aside) + 1
            if before in inside and doc[before].text == ",":
                gone.add(before)
                if after in inside and doc[after].text == ",":
                    gone.add(after)
            elif (before < sentence.start or before not in kept) \
                    and after in inside and doc[after].text == ",":
                gone.add(after)  # an opening aside: "Amid X, they met" -> "they met"
    gone |= _parenthesised(sentence)
    gone |= _opening_ties(sentence, kept - gone, syntax)
    if root is not None:
        # "They met as A looks for X, and as B does Y": the second "as" clause, which the
        # parser may join to the main verb, goes with the first, which was dropped.
        dropped_marks = {m.lower_ for clause in root.children if clause.i in gone
                         for m in clause.children if m.dep_ == "mark"}
        joiners = {c.i for c in root.children if c.dep_ == "cc"}
        for joined in root.children:
            opening = joined.left_edge.i
            if joined.i in kept and joined.i not in gone and opening - 1 in joiners \
                    and doc[opening].lower_ in dropped_marks:
                gone.update(t.i for t in joined.subtree)
                gone.add(opening - 1)
        # "X differed on Y, which A wants and B prefers": a verb the parser joins to the main
        # one right after a dropped clause belongs to that clause ("and B prefers").
        for verb in root.children:
            if verb.dep_ == "conj" and verb.i in kept and verb.i not in gone:
                opening = verb.left_edge.i
                joiner = opening - 1 if doc[opening].dep_ != "cc" else opening
                previous = joiner - 1
                if previous in gone and doc[previous].text != ",":
                    gone.update(t.i for t in verb.subtree)
                    gone.update(c.i for c in root.children
                                if c.dep_ == "cc" and previous < c.i < verb.i)
    if root is not None and root.lemma_.lower() in _REPORTING:
        # "..., Petrova said." keeps the comma before who said it, whatever list item
        # before it the cut dropped ("through Varna Petrova said" is no sentence).
        speaker = syntax.subject(root)
        if speaker is not None and speaker.i in kept and speaker.i not in gone \
                and speaker.i > sentence.start:
            comma = speaker.left_edge.i - 1
            if comma in inside and doc[comma].text == ",":
                gone.discard(comma)
    # Kept heads only: a token whose head was dropped goes with it.
    return [t for t in sentence if t.i in kept and t.i not in gone]


def _opening_ties(sentence: DocSpan, kept: set[int], syntax: Syntax) -> set[int]:
    """The words that open the kept claim only to tie it to the sentence before ("And so,
    of course, in March he will ..." -> "In March he will ..."), with their commas: a
    claim read alone has nothing before it."""
    ties: set[int] = set()
    for token in (t for t in sentence if t.i in kept):
        if token.is_punct:
            if not ties:
                break
            ties.add(token.i)
            continue
        word = token.lower_
        if word in _OPENING_CONNECTIVES and token.dep_ in syntax.tie_dependencies \
                and (token.dep_ in syntax.preposition_object_dependencies
                     or token.head.pos_ in ("VERB", "AUX")) \
                and all(c.i in ties or c.is_punct for c in token.children):
            ties.add(token.i)
        elif token.dep_ == syntax.preposition_dependency and any(
                c.lower_ in _OPENING_CONNECTIVES for c in token.children):
            ties.add(token.i)  # "of course": its noun, a tie, follows
        else:
            break
    return ties


def _is_aside(
    token: Token, dropped: frozenset[str], kept: set[int], conditions: frozenset[str],
) -> bool:
    dep = token.dep_
    if token.head.i not in kept:
        return False  # the head of the claim (a frame's reported verb): never an aside
    if dep == "prep" and token.lower_ in _ASIDE_PREPOSITIONS:
        return True
    if _connects(token):
        return True  # "They also agreed", "In addition, they agreed": "They agreed"
    if dep == "appos" and _after_comma(token) and any(c.dep_ == "conj" for c in token.head.children):
        # "through Faroe and Shetland, gas sales ... and work on ...": after a pair, what
        # a comma adds is the list going on (the parser's "apposition"), not an aside.
        return False
    if dep in ("relcl", "appos") and _after_comma(token):
        return True
    if dep == "appos":
        return False  # "Trade Minister Rui Lopes": a name, not an aside
    if dep == "advcl" and (_is_purpose(token) or _binds(token, conditions)):
        return False
    if dep == "prep" and token.lower_ in _LISTING_PREPOSITIONS:
        return False  # "issues including X and Y": the list is the claim
    if _glued(token):
        return False  # "face-to-face", "self-governing": part of a word, not a phrase
    if dep == "prep" and token.lower_ == "of":
        return False  # "the importance of X": what the noun is, not a detail of it
    if dep == "prep" and "prep" in dropped and token.head.pos_ not in ("NOUN", "PROPN"):
        # A verb's own prepositions say with whom and about what ("met with X", "builds
        # on Y"): kept even when the claim must lose the details of its nouns.
        return False
    return dep in dropped


def _glued(token: Token) -> bool:
    """Part of a hyphenated word ("to" in "face-to-face")."""
    doc, i = token.doc, token.i
    return (i > 0 and doc[i - 1].text in "-–" and not doc[i - 1].whitespace_) or (
        i + 1 < len(doc) and doc[i + 1].text in "-–" and not token.whitespace_)


def _is_purpose(clause: Token) -> bool:
    """"(met) to discuss trade", "(committed) to support the islands": what it was for."""
    return any(c.dep_ == "aux" and c.lower_ == "to" for c in clause.children)


def _connects(token: Token) -> bool:
    """A word or phrase that ties the sentence to the one before it ("also", "however", "in
    addition"): nothing of the claim."""
    if token.dep_ == "advmod":
        return token.lower_ in _CONNECTIVES and not any(token.children)
    if token.dep_ != "prep":
        return False
    words = [t for t in token.subtree if t != token]
    return len(words) == 1 and words[0].lower_ in _CONNECTIVES


def _binds(clause: Token, conditions: frozenset[str]) -> bool:
    """A clause the claim does not hold without: the condition of a negation ("no deal
    unless the tolls go": without it, "no deal" is a refusal the sentence does not make) or
    a complement the small parser takes for a circumstance ("was clear that there is no
    deal")."""
    marks = {c.lower_ for c in clause.children if c.dep_ == "mark"}
    if "that" in marks:
        return True
    own = {t.i for t in clause.subtree}
    return bool(marks & conditions) and any(
        t.lower_ in _NEGATIONS for t in clause.head.subtree if t.i not in own)


# How many unfinished phrases a cut may lose before it is refused.
_MOST_MENDS = 3


def _finished(tokens: list[Token], syntax: Syntax) -> list[Token] | None:
    """The cut without the phrases it leaves unfinished (`_dangling`): "pledged funds on top
    of the grant for as long as needed" cut to "... for as long" loses "for as long". None
    where that does not finish it."""
    for _ in range(_MOST_MENDS):
        kept = {t.i for t in tokens}
        loose = _dangling(tokens, kept)
        if loose is None:
            return tokens
        phrase = loose
        # Up to the phrase the word opens, or to the item of a list it is ("in X and with
        # regard [to Y]": only the second item goes).
        links = syntax.phrase_dependencies
        while phrase.head.i in kept and phrase.head != phrase and phrase.dep_ != "conj" and (
                phrase.dep_ in syntax.preposition_object_dependencies
                or phrase.head.dep_ in links):
            phrase = phrase.head
        if phrase.dep_ not in links:
            return None  # the unfinished word is the clause's own: no phrase to lose
        gone = {t.i for t in phrase.subtree}
        before = phrase.left_edge.i - 1
        if before in kept and phrase.doc[before].dep_ == "cc":
            gone.add(before)
        tokens = [t for t in tokens if t.i not in gone]
    return None


def _dangling(tokens: list[Token], kept: set[int]) -> Token | None:
    """A word the cut leaves waiting for what it dropped: a preposition without its object,
    a bare noun that with its dropped preposition was one ("with regard [to X]", "on top [of
    X]"), the first half of a comparison ("as long [as needed]"), a participle that lost its
    agent but not what follows it, or a main "is" that lost all that followed it."""
    for token in tokens:
        lost = [c for c in token.children if c.i not in kept and c.dep_ != "punct"]
        if not lost:
            continue
        if token.dep_ in ("prep", "agent") and not any(
                c.dep_ in ("pobj", "pcomp") and c.i in kept for c in token.children):
            return token
        if (token.dep_ == "pobj" and token.pos_ == "NOUN" and token.head.i in kept
                and token.head.head.pos_ not in ("NOUN", "PROPN")
                and all(c.dep_ == "prep" and c.i not in kept for c in token.children)):
            # A bare noun between two prepositions, the first hung from a verb or another
            # preposition, is one preposition ("with regard to", "on top of"); "the campaign
            # of discrimination [against X]" is a noun and its own.
            return token
        degrees = {c.lower_ for c in token.children if c.i in kept and c.i < token.i
                   and c.dep_ == "advmod"}
        if any(c.i > token.i and c.left_edge.lower_ in degrees for c in lost):
            return token
        if token.dep_ == "conj" and token.pos_ in ("NOUN", "PROPN") \
                and token.head.pos_ in ("VERB", "AUX") and any(c.dep_ == "prep" for c in lost):
            # "... share data to fight smuggling, travel [by traffickers]": a noun the parser
            # joined to a verb, its own phrase gone, reads as something else ("fight travel").
            return token
        if token.dep_ == "acl" and any(c.dep_ == "agent" for c in lost) \
                and any(c.i > token.i and c.i in kept for c in token.children):
            return token  # "a dinner hosted [by X] the evening before": who hosted, gone
        if token.pos_ == "AUX" and token.head == token and any(c.i > token.i for c in lost) \
                and not any(c.i > token.i and c.i in kept and c.dep_ != "punct"
                            for c in token.children):
            return token  # "The outline of the call is [as follows]."
    return None


def _after_comma(token: Token) -> bool:
    left = token.left_edge
    return left.i > 0 and token.doc[left.i - 1].text == ","


def _parenthesised(sentence: DocSpan) -> set[int]:
    gone: set[int] = set()
    depth = 0
    for token in sentence:
        if token.text in ("(", "["):
            depth += 1
        if depth:
            gone.add(token.i)
        if token.text in (")", "]") and depth:
            depth -= 1
    return gone


def _first_conjunct(sentence: DocSpan, kept: set[int]) -> set[int] | None:
    """The claim's first main clause where the root joins several ("X met Y, and Z said
    ..."): the root's subtree less its joined verbs and what joins them."""
    root = _root(sentence)
    if root is None:
        return None
    joined = [c for c in root.children if c.dep_ == "conj" and c.pos_ in ("VERB", "AUX")]
    if not joined:
        return None
    if any(c.pos_ == "AUX" and not any(s.dep_.startswith("nsubj") for s in c.children)
           for c in joined) and any(
            d.lower_ == "that" and d.dep_ == "det"
            for c in root.children if c.dep_ == "dobj" for d in c.children):
        # "They affirmed that talks for their own sake are pointless", parsed as "affirmed
        # [that talks]" and a second verb "are": a joined "is" with no subject of its own
        # after an object opened by "that" is the parser's misreading of one reported
        # clause, not a second claim to cut off.
        return None
    gone = {t.i for c in joined for t in c.subtree}
    gone |= {c.i for c in root.children if c.dep_ == "cc" and c.i > root.i and c.i < joined[0].left_edge.i}
    return {i for i in kept if i not in gone}


# `(?<!\s)`: a run of blanks is entered once, not from each of its blanks.
_TRAILING_JOINER = re.compile(rf"(?<!\s)\s+(?:{_WORDS.list_joiners})$")
_JOINER_BEFORE_STOP = re.compile(rf"(?<!\s)\s+(?:{_WORDS.list_joiners})\s*([.!?])$")
_SPACE_BEFORE = re.compile(r"(?<!\s)\s+([,.;:!?%)\]’'])")
_SPACE_AFTER = re.compile(r"([(\[])\s+")
_REPEATED_PUNCT = re.compile(r"([,;:])(?:\s*[,;:])+")


def _tidy(tokens: list[Token]) -> str:
    """The kept words as one sentence: spacing as written, no stray or doubled commas, no
    unmatched quotation mark, a capital first letter and one full stop."""
    # Each word with the space written after it, and a space where words were cut out.
    text = "".join(
        t.text + (t.whitespace_ if i + 1 < len(tokens) and tokens[i + 1].i == t.i + 1 else " ")
        for i, t in enumerate(tokens))
    text = " ".join(text.split())
    if sum(text.count(q) for q in _QUOTES) % 2 or text.count("\"") % 2:
        text = "".join(ch for ch in text if ch not in _QUOTES)
    text = _SPACE_BEFORE.sub(r"\1", text)
    text = _SPACE_AFTER.sub(r"\1", text)
    text = _REPEATED_PUNCT.sub(r"\1", text)
    text = " ".join(text.split())
    text = text.strip(" ,;:—–-")
    text = re.sub(r"(?: ?[,;:—–-])+ ?([.!?])$", r"\1", text)
    text = _TRAILING_JOINER.sub("", text).rstrip(" ,;:—–-")
    # "... the loss of life and.": a joiner left before the full stop by a cut item.
    text = _JOINER_BEFORE_STOP.sub(r"\1", text)
    if not text:
        return ""
    if text.rstrip(_QUOTES + "’')")[-1:] not in ".!?":
        text = text.rstrip(" ,;:") + "."
    return text[0].upper() + text[1:]
