"""People in the article: names found by spaCy and by titles ("Foreign Minister X"), merged
across mentions ("Anna Berg" ... "Berg"), each with every mention, title and country."""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field

from service.lang import registry
from service.lang.base import Lexicon
from service.lang.countries import office_countries
from service.lang.registry import reading_of_every_language
from service.text.article import PreparedArticle
from service.text.countries import (
    find_country_mentions,
    fold,
    local_country,
    normalize_country,
)
from service.text.dateline import dateline_length
from service.text.document import SPEAKER_TURN
from service.text.nlp import common_words
from service.text.sections import section_headings
from service.text.spans import Span

# How names and offices are written, in every supported language (service/lang/<code>/).
_NAMES = registry.names_of_every_language()
_TITLE_WORDS = re.compile(_NAMES.title_words)
# "Gabriel Boric y Dina Boluarte" tagged as one name: two people.
_NAME_JOINER = re.compile(rf"(?<!\s)\s+(?:{_NAMES.joiners})\s+")
# English's "the" and "of" in an office's or a state's name ("Minister of the Interior").
_THE = reading_of_every_language().definite_articles
_OF = reading_of_every_language().of_words
_NAME_TOKEN = r"[A-ZÀ-ÖØ-Þ][\w'’\-]*"
# A name never runs over a line break: the line after a title is a date line, a place or
# the next paragraph ("... Foreign Minister of Indonesia Sugiono" / "Jakarta, May 2").
_GAP = r"[^\S\n]+"
# The small words inside a name ("Jana van der Berg", "Omar bin Said") and middle
# initials ("Antony J. Blinken"): a run of a name's words goes on over them. Particles are
# lower case and name words capitalised, so the run is read in one pass.
_PARTICLE = "|".join(sorted(_NAMES.particles, key=len, reverse=True))
_NAME_NEXT = (rf"(?:{_GAP}(?:(?:{_PARTICLE}){_GAP})*"
              rf"(?:[A-ZÀ-ÖØ-Þ]\.(?={_GAP}[A-ZÀ-ÖØ-Þ])|{_NAME_TOKEN}))")
# "Foreign Minister Aram Hovsepyan", "Indonesia's Sekar Wulandari"
_TITLED_NAME = re.compile(rf"{_NAMES.titles},?{_GAP}(?P<name>{_NAME_TOKEN}{_NAME_NEXT}{{1,4}})")
# "President Roe", "Prime Minister Doe's": an office and a surname alone name one person.
_TITLED_SURNAME = re.compile(rf"{_NAMES.titles}{_GAP}(?P<name>{_NAME_TOKEN})(?![\w'’-]|[^\S\n]+[A-Z])")
_POSSESSIVE_NAME = re.compile(
    rf"\b(?P<owner>[A-Z][\w.]*(?: [A-Z][\w.]*){{0,2}})['’]s{_GAP}"
    rf"(?P<name>{_NAME_TOKEN}(?:{_GAP}{_NAME_TOKEN}){{1,3}})"
)


@dataclass
class Person:
    name: str
    tokens: list[str]
    mentions: list[Span] = field(default_factory=list)
    title: str | None = None
    country: str | None = None
    inner_forms: set[str] = field(default_factory=set)
    """Words from inside the name that the text also uses alone for the person: the first
    of two family names ("Huamán" of "Rosa Huamán Quispe")."""

    @property
    def first_mention(self) -> int:
        return min(m.start for m in self.mentions) if self.mentions else 1 << 30


_POSSESSIVE_END = re.compile(r"['’]s?$")
_INITIAL = re.compile(r"[A-ZÀ-ÖØ-Þ]\.")
_ROMAN_NUMERAL = re.compile(r"[IVX]{1,4}")


def _clean_name(raw: str) -> list[str]:
    """The name in a run of capitalised words: honorifics and offices cut from its front,
    headline words and suffixes from its end, and nothing after a possessive ("Jane Roe’s
    Call with ..." is Jane Roe). Initials keep their full stop, as the text writes them."""
    tokens: list[str] = []
    for word in raw.strip().split():
        bare = word.strip(",;:") if _INITIAL.fullmatch(word.strip(",;:")) else word.strip(",.;:")
        if not bare:
            continue
        owner = _POSSESSIVE_END.sub("", bare) if re.search(r"\w['’]s?$", bare) else None
        if owner is not None and owner != bare:
            tokens.append(owner)
            break
        tokens.append(bare)
        if word.endswith(","):
            break  # "Tomas J. Varga, Jr.": what follows the comma is not the name
    def leading(t: str) -> bool:
        low = t.lower()
        return (low in _NAMES.not_name_words or low in _NAMES.honorifics
                or low in _NAMES.prefix_words or low in _NAMES.institution_words
                or normalize_country(t) is not None)  # "[Portugal] Rui Sampaio"
    # The person comes after the last office or institution word: "Minister of Foreign
    # Affairs and Trade Jane Roe", "Chair of the Senate Jane Roe".
    cut = max((i + 1 for i, t in enumerate(tokens) if leading(t)), default=0)
    if 0 < cut == len(tokens) - 1 and tokens[cut - 1] in _NAMES.country_given_names:
        cut -= 1  # "Secretary Chad Wolf": a given name, where a surname alone would be left
    tokens = tokens[cut:] if cut < len(tokens) else []
    while tokens and tokens[0].lower() in _NAMES.edge_words:
        tokens.pop(0)  # "Hence Putin": the sentence's first word, no part of the name
    while tokens and (tokens[-1].lower() in _NAME_END_WORDS
                      # "Antony J" of "Antony J. Blinken" cut at the initial's full stop
                      or (len(tokens) > 1 and len(tokens[-1]) == 1 and tokens[-1].isupper()
                          and not _ROMAN_NUMERAL.fullmatch(tokens[-1]))):
        tokens.pop()
    return tokens


_NAME_END_WORDS = _NAMES.not_name_words | _NAMES.headline_words | _NAMES.suffix_words | _NAMES.edge_words


def is_country_word(token: str, language: str) -> bool:
    return normalize_country(token) is not None or local_country(token, language) is not None


def _looks_like_name(tokens: list[str], language: str = "en") -> bool:
    capitalised = [t for i, t in enumerate(tokens)
                   if not (0 < i < len(tokens) - 1 and t in _NAMES.particles)]
    if not 1 <= len(capitalised) <= 4:
        return False
    if any(t.lower() in _NAMES.not_name_words for t in capitalised):
        return False
    # A country's name is no part of a person's, save a given name some countries' names
    # are too ("Chad Wolf", "Israel Katz"), before a surname.
    if any(is_country_word(t, language)
           and not (i == 0 and len(capitalised) >= 2 and t in _NAMES.country_given_names)
           for i, t in enumerate(capitalised)):
        return False
    if any(t.lower() in _NAMES.institution_words or t.lower() in _NAMES.headline_words for t in capitalised):
        return False
    # Initials stand anywhere but last: "Tomas J. Varga", and "R. Venkatesan" as South Indian
    # names are written, the given name an initial before the family's.
    if capitalised and capitalised[0] == "Q.":
        return False  # a transcript's reporter ("Q. Thank you"), no initial
    if not all(re.fullmatch(_NAME_TOKEN, t) or (i < len(capitalised) - 1 and _INITIAL.fullmatch(t))
               or (i > 0 and _ROMAN_NUMERAL.fullmatch(t)) for i, t in enumerate(capitalised)):
        return False
    shouting = [t for t in capitalised if t.isupper() and len(t) > 1
                and not (_ROMAN_NUMERAL.fullmatch(t) or _INITIAL.fullmatch(t))]
    # A family name in capitals beside a given name that is not ("CHO Hyun-woo", "KAMIKAWA
    # Yoko", "Jan NOWAK"), as East Asian and some European ministries write them; capitals
    # throughout are an acronym or a shouted heading.
    if shouting and not (len(shouting) == 1 and len(capitalised) >= 2
                         and any(not t.isupper() for t in capitalised)):
        return False
    joined = " ".join(tokens)
    return normalize_country(joined) is None and normalize_country(tokens[-1]) is None


_TITLE_RIGHT_BEFORE = re.compile(rf"{_TITLE_WORDS.pattern}[\s,]*$")


def _names_a_thing(tokens: list[str], language: str, organisation: bool) -> bool:
    """A capitalised run that is an adjective ("UN-led", "Bank-financed") or, where the tagger
    calls it an organisation, ends in a common noun ("Blue Shield", "Trade Council",
    "Peru-Chile Relations"): a body or a thing, not a person. People the tagger calls
    organisations keep their names, which are not common nouns ("Tane Rua Wiremu")."""
    if any(t.rsplit("-", 1)[-1] in _NAMES.hyphen_adjective_ends for t in tokens if "-" in t):
        return True
    return organisation and fold(tokens[-1]) in common_words(language)


def _core(tokens: list[str]) -> list[str]:
    """The words that tell people apart, folded: without middle initials ("Tomas J. Varga")
    or a generation's numeral ("Olav K. Berg III"), which a text drops at will."""
    # A leading initial goes too: "J. Roe" is the "Jan J. Roe" the text names in full.
    kept = [t for i, t in enumerate(tokens)
            if not (_INITIAL.fullmatch(t) or (i > 0 and _ROMAN_NUMERAL.fullmatch(t)))]
    return [fold(t) for t in (kept or tokens)]


def _same_person(a: list[str], b: list[str]) -> bool:
    fa, fb = _core(a), _core(b)
    short, long_ = (fa, fb) if len(fa) <= len(fb) else (fb, fa)
    if len(short) == 1:
        # A surname, a given name or, in a long name, one of its names ("Pratiwi" of "Raden
        # Ayu Pratiwi Wulandari"): never a particle ("de").
        return short[0] in long_ and short[0] not in _NAMES.particles
    return long_[: len(short)] == short or long_[-len(short) :] == short


def _raw_names(article: PreparedArticle, places: set[str]) -> list[list[str]]:
    names: list[list[str]] = []
    language = article.language
    # A section heading capitalises every word, and the parser then finds organisations in
    # it ("Salmon Farming"): one found only there is not a person spaCy mistook for one.
    headings = section_headings(article)
    for ent in article.doc.ents:
        if ent.label_ in article.syntax.organisation_labels and any(h.start <= ent.start_char < h.end for h in headings):
            continue
        if ent.label_ in article.syntax.person_labels or (ent.label_ in article.syntax.organisation_labels and len(ent.text.split()) >= 2):
            for part in _NAME_JOINER.split(_whole_words(article.clean, ent.start_char, ent.end_char)):
                tokens = _clean_name(part)
                # An office before it ("Taoiseach Aine Roe") says it is a person, whatever
                # a word of the name means besides ("martin", "price").
                cut = part.split()[: max(0, len(part.split()) - len(tokens))]
                titled = any(_TITLE_WORDS.fullmatch(w) or w.lower() in _NAMES.prefix_words
                             for w in cut) or _TITLE_RIGHT_BEFORE.search(
                    article.clean, max(0, ent.start_char - 30), ent.start_char) is not None
                if (_looks_like_name(tokens, language) and fold(" ".join(tokens)) not in places
                        and not _names_a_thing(tokens, language,
                                               organisation=ent.label_ in article.syntax.organisation_labels and not titled)):
                    names.append(tokens)
    for ent in article.doc.ents:
        # spaCy's small model sometimes tags only the surname, as a place ("Kaido [Lepik]").
        previous = article.doc[ent.start - 1] if ent.start > 0 else None
        if (
            len(ent) == 1 and previous is not None and previous.ent_type_ == ""
            and not previous.is_sent_start and previous.is_alpha and previous.is_title
        ):
            tokens = _clean_name(f"{previous.text} {ent.text}")
            if len(tokens) == 2 and _looks_like_name(tokens, language):
                names.append(tokens)
    for pattern in (_TITLED_NAME, _POSSESSIVE_NAME):
        for m in pattern.finditer(article.clean):
            tokens = _clean_name(m.group("name"))
            if len(tokens) >= 2 and _looks_like_name(tokens, language):
                names.append(tokens)
    return names


# Each opens with `(?<!\s)`: a run of blanks is entered once, not from each of its blanks.
_OF_THE = re.compile(rf"(?<!\s)\s+(?:{_OF})\s+(?:{_THE}\s+)?")
_NAME_RUN = re.compile(rf"(?<!\s),?{_GAP}(?P<name>{_NAME_TOKEN}(?:{_GAP}{_NAME_TOKEN}){{0,3}})")


def _names_after_office_of_country(text: str, language: str) -> list[list[str]]:
    """"the President of Portugal Rui Sampaio", "Prime Minister of the Republic of Chile,
    Ana Soto": the name after an office and the country it is of. A single word there is a
    name too ("the Premier of Tonga Tupou,"): many people go by one name, and
    nothing else follows an office and its country in title case."""
    found: list[list[str]] = []
    for mention in find_country_mentions(text, language):
        of = _OF_THE.search(text, max(0, mention.start - 12), mention.start)
        if of is None or of.end() != mention.start:
            continue
        # The office may be long ("Minister of State and Foreign Affairs of X, Name").
        if _TITLE_WORDS.search(text[max(0, of.start() - 60) : of.start()]) is None:
            continue
        run = _NAME_RUN.match(text, mention.end)
        if run:
            tokens = _clean_name(run.group("name"))
            # A lone word is a name only where the name ends: at a comma, a full stop or
            # the line's end ("... of Indonesia Sugiono, who ..."), not "... of Japan
            # Concerning the Situation" or "... of France Today in Paris".
            lone_ends = _LONE_NAME_END.match(text, run.end()) is not None
            if tokens and (len(tokens) >= 2 or (len(tokens[0]) >= 4 and lone_ends)) \
                    and _looks_like_name(tokens, language):
                found.append(tokens)
    return found


# "Ruslan Roe, Russian Special Representative ...", "Mr. Taro Doe, Minister for Foreign
# Affairs", "Jane Roe, Australia's Minister ...": a name, a comma, then an office.
_NAME_THEN_OFFICE = re.compile(
    rf"(?<![\w'’-])(?P<name>{_NAME_TOKEN}{_NAME_NEXT}{{1,4}}),{_GAP}(?:{_THE}{_GAP})?"
    rf"(?:[A-ZÀ-ÖØ-Þ][\w.'’-]*{_GAP}){{0,4}}?{_TITLE_WORDS.pattern}"
)
# "the President of the European Commission Jane von der Roe", "Special Envoy for Climate
# John Doe", "Envoy on Fisheries Questions Ivan Roe": an office of a body, then the name.
_OFFICE_OF_BODY = re.compile(
    rf"{_TITLE_WORDS.pattern}{_GAP}(?:{_NAMES.office_of}){_GAP}(?:{_THE}{_GAP})?"
    rf"(?P<run>{_NAME_TOKEN}{_NAME_NEXT}{{1,8}})"
)


def _names_before_office(article: PreparedArticle, places: set[str]) -> list[list[str]]:
    """Names an office stands beside, which the tagger may not know as people: written before
    the office and a comma (an apposition), or after an office of a body, which ends where its
    last common noun does ("... for Climate John Doe")."""
    found: list[list[str]] = []
    language, text = article.language, article.clean
    common = common_words(language)
    for m in _NAME_THEN_OFFICE.finditer(text):
        tokens = _clean_name(m.group("name"))
        if (len(tokens) >= 2 and _looks_like_name(tokens, language)
                and fold(" ".join(tokens)) not in places
                and not _names_a_thing(tokens, language, organisation=True)):
            found.append(tokens)
    for m in _OFFICE_OF_BODY.finditer(text):
        words = _clean_name(m.group("run"))
        cut = max((i + 1 for i, t in enumerate(words[:-2])
                   if fold(t) in common and t[:1].isupper()), default=0)
        tokens = words[cut:]
        if (len(tokens) >= 2 and len(tokens) < len(m.group("run").split())
                and _looks_like_name(tokens, language) and fold(" ".join(tokens)) not in places):
            found.append(tokens)
    return found


_LONE_NAME_END = re.compile(r"(?<![^\S\n])[^\S\n]*(?:[,.;:)]|\n|$)")  # a blank run entered once


def _titled_surnames(article: PreparedArticle, places: set[str]) -> list[list[str]]:
    """Surnames named only with an office ("President Roe"): a person even without a first
    name, unlike a lone capitalised word."""
    found: list[list[str]] = []
    for m in _TITLED_SURNAME.finditer(article.clean):
        tokens = _clean_name(m.group("name"))
        if (len(tokens) == 1 and len(tokens[0]) >= 3 and _looks_like_name(tokens, article.language)
                and fold(tokens[0]) not in places):
            found.append(tokens)
    return found


_HYPHENATED_REST = re.compile(r"(?:-[^\W\d_][\w'’]*)+")


def _whole_words(text: str, start: int, end: int) -> str:
    """An entity's text, with the rest of a hyphenated word it stops inside ("Jean" of
    "Jean-Pierre")."""
    rest = _HYPHENATED_REST.match(text, end)
    return text[start : rest.end() if rest else end]


def _merge_names(raw: list[list[str]], surnames: list[list[str]] | None = None) -> list[Person]:
    """One person per name and its shorter forms ("Lena Varga", "Varga"), fullest form first.
    Each shorter name is compared only with the people who share its first or last word,
    found through an index, not with everyone found so far. A lone word is a person only
    when an office names it (`surnames`)."""
    allowed = {fold(t[0]) for t in surnames or []}
    raw = [*raw, *(surnames or [])]
    persons: list[Person] = []
    order: dict[int, int] = {}  # id(person) -> position in `persons`
    by_edge: dict[str, list[Person]] = {}  # folded first or last word -> people
    for tokens in sorted(raw, key=len, reverse=True):
        folded = _core(tokens)
        candidates = by_edge.get(folded[0], []) + by_edge.get(folded[-1], [])
        match = min(
            (p for p in candidates if _same_person(p.tokens, tokens)),
            key=lambda p: order[id(p)], default=None,
        )
        # Longer names come first, so a match is never shorter than `tokens`: nothing to update
        # but a lone word from inside the name, which then names the person wherever it stands.
        if match is not None and len(tokens) == 1 and folded[0] not in (
                fold(match.tokens[0]), fold(match.tokens[-1])):
            match.inner_forms.add(tokens[0])
        # A lone word is too ambiguous to name someone, unless an office names it.
        if match is None and (len(tokens) >= 2 or folded[0] in allowed):
            person = Person(" ".join(tokens), tokens)
            order[id(person)] = len(persons)
            persons.append(person)
            for edge in set(folded):  # every word: a lone word may be a middle name
                by_edge.setdefault(edge, []).append(person)
    return persons


def _mention_forms(person: Person) -> list[str]:
    core = [t for i, t in enumerate(person.tokens)
            if not (i > 0 and (_INITIAL.fullmatch(t) or _ROMAN_NUMERAL.fullmatch(t)))]
    forms = {person.name, core[-1], core[0], " ".join(core), *person.inner_forms}
    if len(person.tokens) > 2:
        forms.add(" ".join(person.tokens[:2]))
    # Fuller forms first; forms of one length in a fixed order, so that which mention counts
    # as a person's first (and gives their title) never depends on the process's hash seed.
    return sorted((f for f in forms if len(f) >= 3), key=lambda f: (-len(f), f))


_WORD_START = re.compile(r"(?<![\w])[A-ZÀ-ÖØ-Þ]")
_NON_WORD = re.compile(r"\W")


def _find_mentions(text: str, persons: list[Person]) -> None:
    """Every mention of every person, in one pass over the text: at each capitalised word, the
    text up to each of the next few word ends is looked up among all the people's forms.
    Where two people's forms overlap, the mention goes to the one found first (people in
    order, fuller forms first), as if each form were searched for in turn."""
    owners: dict[str, list[tuple[int, int]]] = {}  # form -> (person index, form rank)
    for index, person in enumerate(persons):
        for rank, form in enumerate(_mention_forms(person)):
            owners.setdefault(form, []).append((index, rank))
    if not owners:
        return
    longest = max(len(form) for form in owners)
    found: list[tuple[int, int, int, int]] = []  # (person, rank, start, end)
    for word in _WORD_START.finditer(text):
        start = word.start()
        window = text[start : start + longest + 1]
        # A form ends where a non-word character follows (or the text ends), as `(?!\w)`.
        ends = [m.start() for m in _NON_WORD.finditer(window)]
        if start + len(window) == len(text):
            ends.append(len(window))
        for end in ends:
            if window[end : end + 1] == "-" and window[end + 1 : end + 2].isalpha():
                continue  # "Jean" is not a mention of its own in "Jean-Pierre"
            for index, rank in owners.get(window[:end], ()):
                found.append((index, rank, start, start + end))
    covered = bytearray(len(text))  # characters already given to someone's mention
    # The longer form first: "[Jose] Romualdez" is no mention in "Romualdez Marcos Jr.",
    # which names another person in full.
    for index, _rank, start, end in sorted(found, key=lambda f: (f[2] - f[3], f)):
        if not any(covered[start:end]):
            persons[index].mentions.append(Span(start, end))
            covered[start:end] = b"\x01" * (end - start)


def _speaker_names(text: str) -> list[tuple[list[str], Span]]:
    """The people a transcript's turns name in capitals ("MR. JAN ROE (Spokesperson):"), in
    the text's own words with a name's capitals ("Jan Roe"), and where the label names them.
    A label that is an office and a surname ("SECRETARY ROE") names no one new: the surname
    is matched to the person the text names in full."""
    found: list[tuple[list[str], Span]] = []
    for turn in SPEAKER_TURN.finditer(text):
        label = turn.group("label")
        tokens = _clean_name(" ".join(w.title() if len(w) > 2 or not w.endswith(".") else w
                                      for w in label.split()))
        if len(tokens) < 2 or not _looks_like_name(tokens):
            continue
        start = turn.start("label") + label.upper().find(tokens[0].upper())
        found.append((tokens, Span(start, turn.end("label"))))
    return found


def find_persons(article: PreparedArticle, places: set[str]) -> list[Person]:
    after_office = [t for t in _names_after_office_of_country(article.clean, article.language)
                    if fold(" ".join(t)) not in places]
    speakers = _speaker_names(article.clean)
    raw = [_without_headline_word(article, tokens) for tokens in _raw_names(article, places)]
    persons = _merge_names(
        raw + after_office + _names_before_office(article, places)
        + [tokens for tokens, _ in speakers],
        # A lone word after an office and its country names a person, like "President Roe".
        _titled_surnames(article, places) + [t for t in after_office if len(t) == 1],
    )
    text = article.clean
    _find_mentions(text, persons)
    for tokens, span in speakers:  # the label's capitals are no mention _find_mentions sees
        person = next((p for p in persons if _same_person(p.tokens, tokens)), None)
        if person is not None and all(m.start != span.start for m in person.mentions):
            person.mentions.append(span)
            person.mentions.sort(key=lambda m: m.start)
    persons = [p for p in persons if p.mentions and not _always_with_an_article(text, p)
               and not _only_in_datelines(article, p)]
    lex = article.lexicon
    mentions = MentionIndex(persons)
    for person in persons:
        if lex.title_words is not None:
            person.title, person.country = _title_and_country_before(text, person, lex, mentions)
        else:
            person.title, person.country = _title_and_country(text, person)
    return sorted(persons, key=lambda p: p.first_mention)


def _without_headline_word(article: PreparedArticle, tokens: list[str]) -> list[str]:
    """The name without its last word where only the title writes it so and the body writes
    the name without it: a title in capitals runs the name into its verb ("... President
    Ana Roe Agree to ...")."""
    index = article.title_index()
    if len(tokens) < 3 or index is None:
        return tokens
    title = article.paragraphs[index]
    text = article.clean

    def spots(name: str) -> list[int]:
        return [m.start() for m in re.finditer(rf"(?<!\w){re.escape(name)}(?!\w)", text)]

    full, short = spots(" ".join(tokens)), spots(" ".join(tokens[:-1]))
    in_title = all(title.start <= at < title.end for at in full)
    if full and in_title and any(not title.start <= at < title.end for at in short):
        return tokens[:-1]
    return tokens


def _only_in_datelines(article: PreparedArticle, person: Person) -> bool:
    """Named in full only inside a dateline ("TOKYO, Jan 8 (Nikkei Asia wire) —"): the
    agency that filed the story, which the tagger may take for a person (a word of its name
    elsewhere, "Southeast Asia", is no mention of it)."""
    text = article.clean
    lines = [(p.start, p.start + length) for p in article.paragraphs
             if (length := dateline_length(text[p.start : p.end]))]
    whole = [m for m in person.mentions if len(text[m.start : m.end].split()) > 1]
    return bool(lines and whole) and all(
        any(start <= m.start < end for start, end in lines) for m in whole)


# "the Syr Darya", "the Hindu Kush": a definite article right before the name.
_ARTICLE_BEFORE = re.compile(rf"(?:^|\s)(?:{_THE})\s+$")
_CAPITALISED_BEFORE = re.compile(r"\b[A-Z][\w-]*[^\S\n]+$")


def _always_with_an_article(text: str, person: Person) -> bool:
    """Every mention of the name has a definite article right before it: a river, a range or
    a region the parse took for a person ("the Amu Darya"). A person's name takes no
    article; a form of address between them ("the Hon. Jane Roe") is no part of the name's
    mention."""
    with_article = False
    for mention in person.mentions:
        word = _CAPITALISED_BEFORE.search(text, max(0, mention.start - 40), mention.start)
        if word is not None:
            if _TITLE_WORDS.search(word.group(0)) or word.group(0).strip().lower() in _ADDRESS_WORDS:
                return False  # "President Roe": an office names a person
            continue  # the tail of another name ("[Amu] Darya")
        if not _ARTICLE_BEFORE.search(text, max(0, mention.start - 8), mention.start):
            return False
        with_article = True
    return with_article


class MentionIndex:
    """Every person's mentions sorted by position: who is named between two offsets, found by
    bisection rather than by scanning every mention of every person."""

    def __init__(self, persons: list[Person]) -> None:
        pairs = sorted(((m.start, i) for i, p in enumerate(persons) for m in p.mentions))
        self._starts = [start for start, _ in pairs]
        self._owners = [persons[i] for _, i in pairs]

    def between(self, lo: int, hi: int) -> list[tuple[int, Person]]:
        """(start, person) of the mentions that start in [lo, hi), in text order."""
        first = bisect.bisect_left(self._starts, lo)
        last = bisect.bisect_left(self._starts, hi)
        return list(zip(self._starts[first:last], self._owners[first:last], strict=True))

    def last_before(self, position: int) -> Person | None:
        at = bisect.bisect_left(self._starts, position)
        return self._owners[at - 1] if at > 0 else None


# The most words a country's name takes before an office ("Republic of the Marshall Islands").
_COUNTRY_WORDS = 5
# "(RF)", "(U.K.)": an acronym in brackets glossing the name before it.
_ACRONYM_GLOSS = re.compile(r"\([A-Z][A-Za-z.]{1,7}\)")


def _title_and_country(text: str, person: Person) -> tuple[str | None, str | None]:
    """The title written before a person's full name, and the country it or the text names."""
    full = [m for m in person.mentions if text[m.start : m.end] == person.name]
    title: str | None = None
    country: str | None = None
    for mention in full or person.mentions[:1]:
        phrase = _phrase_before(text, mention.start)
        words = phrase.split()
        # A leading country: "Türkiye's Foreign Minister", "U.S. Secretary", "South Korean
        # President", "the Republic of Fiji (RF) Minister": a country's formal name, and the
        # acronym a ministry glosses it with, come before the office.
        for cut in range(1, min(_COUNTRY_WORDS, len(words)) + 1):
            head = re.sub(r"['’]s$", "", " ".join(words[:cut]))
            found = normalize_country(head)
            if found:
                country = country or found.name
                words = words[cut:]
                if words and _ACRONYM_GLOSS.fullmatch(words[0]):
                    words = words[1:]
                break
        phrase = " ".join(words)
        of_country = re.search(r"(?<!\s)\s+of\s+", phrase)
        if of_country:
            mentions = find_country_mentions(phrase[of_country.end() :])
            if mentions:
                country = country or mentions[0].country.name
                phrase = phrase[: of_country.start()]
        after = re.match(rf"(?<!\s)\s+(?:{_OF})\s+(?:{_THE}\s+)?(.{{0,60}})", text[mention.end : mention.end + 70])
        if after and not country:
            mentions = find_country_mentions(after.group(1))
            if mentions and mentions[0].start < 25:
                country = mentions[0].country.name
        if not country:
            # "his Azerbaijani counterpart, Elnur Mammadli"
            near = re.search(rf"(?<!\S)(\S+)\s+(?:{_NAMES.counterpart_nouns})s?,?\s*$",
                             text[max(0, mention.start - 60) : mention.start])
            if near:
                found = normalize_country(re.sub(r"['’]s$", "", near.group(1)))
                country = found.name if found else None
        if title is None and _TITLE_WORDS.search(phrase):
            # "Minister for Foreign Affairs Dr. [name]": the honorific is no part of the office.
            kept = phrase.strip(" ,").split()
            # "... Chief of the Defence Staff Gen. [name]": a rank's abbreviation likewise.
            while kept and (kept[-1].lower() in _NAMES.honorifics or (
                    kept[-1].endswith(".") and kept[-1].lower() in _NAMES.prefix_words)):
                kept.pop()
            title = " ".join(kept) or None
        if title and country:
            break
    if title is None or all(w.lower() in _ADDRESS_WORDS for w in title.split()):
        # "Mr. Taro Roe, Minister for Foreign Affairs, ...", "Senator the Hon. Jane Roe,
        # Australia's Minister for ...": the office follows the name, a form of address
        # before it is no office.
        for mention in full or person.mentions[:1]:
            after_title, after_country = _office_after(text, mention.end)
            if after_title:
                title, country = after_title, country or after_country
                break
    if country is None and title is not None:
        country = office_country(title)
    if country is None and title is not None:
        # "Secretary Jan Roe" in the title, "Jan Roe, Secretary of State" on the line below:
        # the fuller office, written after the name, is one only one government has.
        for mention in full:
            after_title, _ = _office_after(text, mention.end)
            if after_title and after_title.startswith(title) and (
                    of_office := office_country(after_title)):
                title, country = after_title, of_office
                break
    if country is None:
        # "H.E. Ambassador Dr. Ana Roe, Minister of Foreign Affairs of Ruritania,": a rank
        # before the name, the office and its country in the apposition after it.
        for mention in full or person.mentions[:1]:
            after_title, after_country = _office_after(text, mention.end)
            if after_title and after_country:
                title, country = after_title, after_country
                break
    if country is None:
        # "Deputy Director Ana Roe, Estonian Ministry of Trade,": the body the
        # apposition names is the country's.
        for mention in full or person.mentions[:1]:
            country = _country_of_apposition(text, mention.end)
            if country:
                break
    return title, country


def _office_shaped(words: list[str]) -> bool:
    """An office's or a body's name is written in capitals but for its small words ("Minister
    for Foreign Affairs of the Republic of Fiji"); a lower-case word of another kind starts a
    clause of its own ("..., Foreign Minister X traveled to ..."), which is no apposition."""
    return all(w[:1].isupper() or w.lower() in _NAMES.title_connectors
               or w.lower() in _NAMES.office_small_words for w in words)


def _country_of_apposition(text: str, end: int) -> str | None:
    found = _APPOSITION.match(text, end, min(len(text), end + 200))
    if found is None:
        return None
    words = found.group("phrase").split()
    if words and words[0].lower() == "the":
        words = words[1:]
    if len(words) < 2 or not _office_shaped(words) or not any(w.lower() in _NAMES.not_name_words | _NAMES.institution_words
                                 for w in words[1:]):
        return None  # a country alone is where, not whose; a body must follow it
    for cut in range(min(3, len(words) - 1), 0, -1):
        head = normalize_country(re.sub(r"['’]s$", "", " ".join(words[:cut])))
        if head is not None:
            return head.name
    return None


# Forms of address and ranks that are no office of their own ("Senator", "Sheikh").
_ADDRESS_WORDS = _NAMES.honorifics | _NAMES.address_words
# ", Minister for Foreign Affairs of the Republic of Ruritania," after a name: the apposition
# runs to the next comma or the sentence's end; a country alone after it ("..., Federal
# Minister for Foreign Affairs, Ruritania,") is the office's country.
_APPOSITION = re.compile(
    r"(?<!\s)(?:[^\S\n]+[A-Z]{2,4}\b)?,[^\S\n]+(?P<phrase>[^,;:()\n]{3,110}?)(?=[^\S\n]*(?:[,;:()\n]|\.(?:\s|$)|$))"
    r"(?:,[^\S\n]+(?P<country>[A-Z][^,;:()\n]{2,40}?)(?=[^\S\n]*(?:[,;:()\n]|\.(?:\s|$)|$)))?"
)


# "... of the Republic" left once "of Fiji" is cut from "... of the Republic of Fiji".
_STATE_FORM = re.compile(
    rf"(?<!\s)\s+(?:{_OF})\s+(?:{_THE}\s+)?(?:(?:{_NAMES.state_qualifiers})\s+)*"
    rf"(?:{_NAMES.state_forms})$"
)


def _office_after(text: str, end: int) -> tuple[str | None, str | None]:
    """The office (and its country) an apposition gives right after a name."""
    found = _APPOSITION.match(text, end, min(len(text), end + 200))
    if found is None:
        return None, None
    phrase = found.group("phrase").strip()
    words = phrase.split()
    if not _office_shaped(words):
        return None, None
    if not words or not _TITLE_WORDS.search(phrase) or not (
            words[0][:1].isupper() or words[0].lower() in ("the", "a", "an")):
        return None, None
    country: str | None = None
    if words[0].lower() in ("the", "a", "an"):
        words = words[1:]
    for cut in range(min(3, len(words)), 0, -1):  # "Australia's", "the Russian", "U.S."
        head = normalize_country(re.sub(r"['’]s$", "", " ".join(words[:cut])))
        if head is not None:
            country, words = head.name, words[cut:]
            break
    phrase = " ".join(words)
    for named in find_country_mentions(phrase):
        # "Secretary of State of the United States": the "of" right before the country.
        of_country = re.search(rf"(?<!\s)\s+(?:{_OF})\s+(?:{_THE}\s+)?$", phrase[: named.start])
        if of_country:
            country = country or named.country.name
            phrase = _STATE_FORM.sub("", phrase[: of_country.start()])
            break
    if country is None and found.group("country"):
        alone = normalize_country(found.group("country").strip())
        country = alone.name if alone is not None else None
    if country is None:
        country = _country_ending_office(text, found.end())
    if not _TITLE_WORDS.search(phrase) or len(phrase.split()) > 12:
        return None, None
    return phrase.strip() or None, country


def _country_ending_office(text: str, end: int) -> str | None:
    """The country an office's name ends with after a comma of its own ("Minister of Foreign
    Affairs, Trade and Expatriates of the Kingdom of Ruritania"): the next part of the
    apposition, still in an office's capitals, with "of" right before the country."""
    more = _APPOSITION.match(text, end, min(len(text), end + 200))
    if more is None or not _office_shaped(more.group("phrase").split()):
        return None
    part = more.group("phrase")
    for named in find_country_mentions(part):
        if re.search(rf"(?<!\s)\s+(?:{_OF})\s+(?:{_THE}\s+)?$", part[: named.start]):
            return named.country.name
    return None


def office_country(title: str) -> str | None:
    """The country of an office only one government has, when the title is that office or
    ends with it ("Deputy Secretary of State")."""
    for office, country in office_countries(registry.BRIEF_LANGUAGE).items():
        if title == office or title.endswith(" " + office):
            return country
    return None


_FORMER = re.compile(rf"\b(?:{_NAMES.former_markers})$", re.IGNORECASE)


def _title_and_country_before(
    text: str, person: Person, lex: Lexicon, mentions: MentionIndex
) -> tuple[str | None, str | None]:
    """Languages that write the title in lower case before the name: "le ministre marocain
    des Affaires étrangères, Nasser Bourita", "el canciller de México, Juan Ramón de la
    Fuente". The country is a demonym or a country named in that phrase."""
    assert lex.title_words is not None
    trailing_of = registry.name_pattern(lex.code, "trailing_of")
    counterpart_alone = registry.name_pattern(lex.code, "counterpart_alone", re.IGNORECASE)
    leading_possessive = registry.name_pattern(lex.code, "leading_possessive", re.IGNORECASE)
    title: str | None = None
    country: str | None = None
    full = [m for m in person.mentions if text[m.start : m.end] == person.name]
    for mention in full or person.mentions[:1]:
        window_start = max(0, mention.start - 160)
        window = text[window_start : mention.start]
        # The phrase runs from the title word nearest the name to the name.
        clause_start = max((m.end() for m in re.finditer(
            r"[.;:!?«»\"“”()\n]|,(?=[^,]*,\s*$)", window)), default=0)
        clause = window[clause_start:]
        found = list(lex.title_words.finditer(clause))
        if not found:
            continue
        start = found[-1].start()
        former = _FORMER.search(clause[:start])
        if former:
            start = former.start()
        phrase = clause[start:].strip(" ,")
        last_segment = clause[start:].rstrip().rstrip(",").split(",")[-1]
        phrase_start = window_start + clause_start + start
        if (
            len(phrase.split()) > 12 or not lex.title_words.search(last_segment)
            or any(p is not person for _, p in mentions.between(phrase_start, mention.start))
        ):
            # The title belongs to someone named in between: "presidentes de Chile y Perú,
            # Gabriel Boric y [Dina Boluarte]", "le président Emmanuel Macron a reçu ...".
            continue
        named_countries = find_country_mentions(phrase, lex.code)
        if named_countries:
            country = country or named_countries[0].country.name
            for m in reversed(named_countries):
                # Drop the country from the title, with its "de"/"du"/"of" when it ends it.
                before = phrase[: m.start]
                before = trailing_of.sub("", before) if trailing_of else before
                phrase = (before.rstrip() + " " + phrase[m.end :].lstrip()).strip(" ,")
        if title is None and not (counterpart_alone and counterpart_alone.fullmatch(phrase)):
            title = (leading_possessive.sub("", phrase) if leading_possessive else phrase) or None
        if title and country:
            break
    return title, country


def _office_word(word: str) -> bool:
    """A word of an office's name: "Minister", "Affairs" ("... of Foreign Affairs and ...")."""
    return _TITLE_WORDS.fullmatch(word) is not None or word.lower() in _NAMES.institution_words


# An office's portfolio, written after the office ("Minister for ...", "Secretary of ..."),
# and how many words of it may come before its "and" (more may be a name: "Secretary of
# State Ana Lind and ...").
_PORTFOLIO_OF = re.compile(rf"(?:{_NAMES.office_of})")
_PORTFOLIO_WORDS = 1
# How far before the portfolio's "of" its office may be named ("Head of the Bureau of Ports
# and ...").
_OFFICE_REACH = 4


def _phrase_before(text: str, position: int) -> str:
    """The run of capitalised words and connectors right before `position` in its line."""
    line_start = max(text.rfind("\n", 0, position) + 1, position - 200)
    window = text[line_start:position]
    # A full stop ends a sentence unless it closes an abbreviation ("U.S.", "Sept.", "Mr.").
    stops = [m.end() for m in re.finditer(r"(?<![A-Z.])(?<!\b[A-Z][a-z])(?<!\b[A-Z][a-z]{2})[.!?]\s", window)]
    if stops:
        window = window[stops[-1] :]
    words = re.findall(r"\S+", window)
    taken: list[str] = []
    for position in range(len(words) - 1, -1, -1):
        word = words[position]
        bare = word.rstrip(",")
        if (bare != word and taken) or bare.endswith((":", ";")):
            break
        # "First Vice-President and Secretary of ...": one office of two, joined by "and".
        joins_offices = (
            bare == "and" and bool(taken) and position > 0
            and _office_word(taken[0]) and _office_word(words[position - 1])
        )
        # "Minister for Trade and Regional Development": one portfolio of two, after an office's
        # "of"/"for", the part after "and" no office of its own, the part before no country.
        joins_portfolio = (
            bare == "and" and bool(taken) and position > 1
            and not any(_TITLE_WORDS.fullmatch(part) for w in taken for part in re.split(r"[-‐]", w))
            and not re.search(r"['’]s$", taken[0])
            and re.fullmatch(r"[A-Z][\w-]*", words[position - 1]) is not None
            and normalize_country(words[position - 1]) is None
            and any(_PORTFOLIO_OF.fullmatch(words[j])
                    and any(_office_word(w) for w in words[max(0, j - _OFFICE_REACH) : j])
                    for j in range(max(1, position - 1 - _PORTFOLIO_WORDS), position - 1))
        )
        if bare[:1].isupper() or bare in _NAMES.title_connectors or "/" in bare or joins_offices \
                or joins_portfolio or _ACRONYM_GLOSS.fullmatch(bare):
            taken.insert(0, bare)
        else:
            break
    # A title-case headline's own words are not the office: "Readout of [President]".
    headline = [i for i, w in enumerate(taken) if w.lower() in _NAMES.headline_words and w[:1].isupper()]
    if headline:
        taken = taken[headline[-1] + 1 :]
    glosses = [i for i, w in enumerate(taken) if _ACRONYM_GLOSS.fullmatch(w)]
    if glosses and not _ends_in_country(taken[: glosses[-1]]):
        # "the Office of Trade Policy's (OTP) Director": a body's acronym; the office is after it.
        taken = taken[glosses[-1] + 1 :]
    while taken and (taken[0] in _NAMES.title_connectors or taken[0] in ("The", "by", "from")):
        taken.pop(0)
    return " ".join(taken)


def _ends_in_country(words: list[str]) -> bool:
    return any(normalize_country(" ".join(words[start:])) is not None
               for start in range(max(0, len(words) - _COUNTRY_WORDS), len(words)))
