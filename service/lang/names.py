"""How names are written whatever the article's language: the particles and forms of address
that names carry from where their bearers are from ("Ursula von der Leyen", "Sheikh X",
"Dato' Sri X"), and countries' names that are also given names. Each language's own forms of
address and joining words are in its folder (`NameWords`); `registry.every_name_word` takes
them together with these."""

from __future__ import annotations

from service.lang.language import NameWords

# Lower-case particles inside a name: "Juan Ramón de la Fuente", "Ursula von der Leyen".
NAME_PARTICLES = frozenset({"de", "del", "la", "las", "los", "da", "das", "do", "dos", "di",
                            "du", "van", "von", "der", "den", "ter", "bin", "bint", "ibn", "al",
                            "el"})

# Forms of address of ministries' and embassies' pages from elsewhere: "Sheikh Dr. X",
# "Dato' Sri X". Never part of the name.
HONORIFICS = frozenset({"sheikh", "sheikha", "dato'", "datuk", "shri", "smt."})

# Countries' names that are also given names, in the languages' texts: before a surname
# they name a person ("Chad Wolf", "Israel Katz", "Jordan Bardella", "Guadalupe Ortiz").
COUNTRY_GIVEN_NAMES = frozenset({"Chad", "Israel", "Jordan", "Georgia", "Montserrat",
                                 "Guadalupe", "Kenya", "India", "Dominica"})

# A place's name may hold a hyphen between its words ("Saint-Denis"), in any language.
PLACE_PARTICLES = frozenset({"-"})

NAMES_FROM_ELSEWHERE = NameWords(
    particles=NAME_PARTICLES, honorifics=HONORIFICS, country_given_names=COUNTRY_GIVEN_NAMES,
    place_particles=PLACE_PARTICLES,
)
