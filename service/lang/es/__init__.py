"""Spanish: readouts of Latin American and Spanish ministries, and Spanish news. Its parse is
the French pipeline's (no Spanish one is pinned), so its syntax is French's."""

from __future__ import annotations

from service.lang.es import lexicon as words
from service.lang.fr.syntax import FrenchSyntax
from service.lang.language import Language, NameWords, PageWords, ReadingWords

SPANISH = Language(
    lexicon=words.SPANISH,
    # The French pipeline's parse: its digest is pinned with French.
    syntax=FrenchSyntax(),
    names=NameWords(
        honorifics=frozenset({"sr.", "sra.", "srta.", "don", "doña"}),
        joiners="y|e",
        place_particles=frozenset({"de", "del", "la", "el", "y"}),
        # "ministra de Relaciones Exteriores de [Chile]": the "of" before the country.
        trailing_of=r"(?<!\s)\s+(?:de la|de l['’]|del|de)\s*$",
        counterpart_alone=r"(?:(?:su)\s+)?homólog[oa]",
        former_markers="ex-|ex |antigu[oa]s? ",
        leading_possessive=r"^(?:su)\s+",
    ),
    # "the decree of 3 May": the "of" before a date.
    reading=ReadingWords(generic_nouns=words.GENERIC_NOUNS, date_of_words="de|del",
                         amount_units=frozenset({"euro", "euros", "dólar", "dólares",
                                                 "peso", "pesos", "yen", "yenes", "yuan",
                                                 "yuanes", "libra", "libras", "rublo",
                                                 "rublos"}),
                         vague_counts=frozenset({"varios", "varias", "numerosos",
                                                 "numerosas", "diversos", "diversas"}),
                         # "La visita se produce en medio de ...", "... coincidió con ...".
                         beside_the_event=(r"\b(?:se produce|llega|tiene lugar) (?:en medio de|"
                                           r"en (?:un )?momento en (?:el )?que)|"
                                           r"coincid(?:e|ió|iendo) con"),
                         happening_nouns=frozenset({"incidente", "escalada", "crisis", "disputa",
                                                    "enfrentamiento", "cancelación",
                                                    "expulsión"})),
    page=PageWords(order_words=words.ORDER_WORDS, caption_patterns=tuple(words.CAPTION_PATTERNS)),
    demonym_forms=words.demonym_forms,
    extra_country_names=words.EXTRA_COUNTRY_NAMES,
    not_country_names=words.NOT_COUNTRY_NAMES,
)
