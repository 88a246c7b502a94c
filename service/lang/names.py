"""How people's and places' names are written in the supported languages (English, French,
Spanish and the names they carry from elsewhere): the small words inside a name, the
honorifics before it, the words that join two names."""

from __future__ import annotations

import re

# Lower-case particles inside a name: "Juan Ramón de la Fuente", "Ursula von der Leyen".
NAME_PARTICLES = {"de", "del", "la", "las", "los", "da", "das", "do", "dos", "di", "du", "van",
              "von", "der", "den", "ter", "bin", "bint", "ibn", "al", "el"}

HONORIFICS = {"the", "mr.", "ms.", "mrs.", "dr.", "prof.", "mr", "ms", "mrs", "dr", "m.", "mme", "mlle", "sr.", "sra.",
              "srta.", "don", "doña",
              # Forms of address of ministries' and embassies' pages: "H.E. Dr. X", "Senator the
              # Hon. X", "the Honorable X", "Sheikh Dr. X", "Dato' Sri X". Never part of the name.
              "h.e.", "hon.", "hon", "honorable", "honourable", "excellency", "sheikh", "sheikha",
              "sir", "dame", "dato'", "datuk", "shri", "smt.", "mx."}

# Countries' names that are also given names, in the languages' texts: before a surname
# they name a person ("Chad Wolf", "Israel Katz", "Jordan Bardella", "Guadalupe Ortiz").
COUNTRY_GIVEN_NAMES = frozenset({"Chad", "Israel", "Jordan", "Georgia", "Montserrat",
                                 "Guadalupe", "Kenya", "India", "Dominica"})

# "Gabriel Boric y Dina Boluarte" tagged as one name: two people.
NAME_JOINER = re.compile(r"(?<!\s)\s+(?:and|y|e|et)\s+")

PLACE_PARTICLES = {"de", "del", "la", "el", "du", "des", "d'", "of", "the", "upon", "on",
                    "and", "y", "et", "-"}


# French and Spanish: the "of" that ties a country to the title before it, when the title ends
# with it ("ministre des Affaires étrangères de [France]").
TRAILING_OF = re.compile(r"(?<!\s)\s+(?:de la|de l['’]|del|de|du|des|d['’])\s*$")
# "son homologue", "su homóloga": the word for a counterpart, which is no one's office.
COUNTERPART_ALONE = re.compile(
    r"(?:(?:son|sa|su|leur)\s+)?homólog[oa]|(?:(?:son|sa|leur)\s+)?homologue", re.IGNORECASE
)
LEADING_POSSESSIVE = re.compile(r"^(?:son|sa|su|leur)\s+", re.IGNORECASE)
