"""Country names: common English short names, ISO 3166-1 alpha-2 codes, aliases and demonyms.

The brief reports countries by their common English short name ("United States", "China");
articles name them in many other ways ("U.S.", "Türkiye", "Beijing's", "Chinese").
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

from babel import Locale

# name | code | other names | demonyms (adjective and plural forms)
_TABLE = """
Afghanistan|AF||Afghan;Afghans
Albania|AL||Albanian;Albanians
Algeria|DZ||Algerian;Algerians
Angola|AO||Angolan;Angolans
Argentina|AR|Argentine Republic|Argentine;Argentinian;Argentinians;Argentines
Armenia|AM|Republic of Armenia|Armenian;Armenians
Australia|AU|Commonwealth of Australia|Australian;Australians
Austria|AT||Austrian;Austrians
Azerbaijan|AZ|Republic of Azerbaijan|Azerbaijani;Azerbaijanis;Azeri;Azeris
Bahrain|BH||Bahraini;Bahrainis
Bangladesh|BD||Bangladeshi;Bangladeshis
Belarus|BY||Belarusian;Belarusians
Belgium|BE|Kingdom of Belgium|Belgian;Belgians
Bolivia|BO|Plurinational State of Bolivia|Bolivian;Bolivians
Bosnia and Herzegovina|BA|Bosnia|Bosnian;Bosnians
Brazil|BR|Brasil;Federative Republic of Brazil|Brazilian;Brazilians
Brunei|BN|Brunei Darussalam|Bruneian
Bulgaria|BG||Bulgarian;Bulgarians
Cambodia|KH|Kingdom of Cambodia|Cambodian;Cambodians
Cameroon|CM||Cameroonian
Canada|CA||Canadian;Canadians
Chile|CL|Republic of Chile|Chilean;Chileans
China|CN|People's Republic of China;PRC;P.R.C.;Mainland China|Chinese
Colombia|CO||Colombian;Colombians
Croatia|HR||Croatian;Croatians
Cuba|CU||Cuban;Cubans
Cyprus|CY|Republic of Cyprus|Cypriot;Cypriots
Czechia|CZ|Czech Republic|Czech;Czechs
Denmark|DK||Danish;Danes
Djibouti|DJ||Djiboutian
Ecuador|EC||Ecuadorian;Ecuadorians
Egypt|EG|Arab Republic of Egypt|Egyptian;Egyptians
Eritrea|ER||Eritrean;Eritreans
Estonia|EE|Republic of Estonia|Estonian;Estonians
Ethiopia|ET|Federal Democratic Republic of Ethiopia|Ethiopian;Ethiopians
Fiji|FJ||Fijian;Fijians
Finland|FI||Finnish;Finns
France|FR|French Republic|French
Georgia|GE||Georgian;Georgians
Germany|DE|Federal Republic of Germany;Deutschland|German;Germans
Ghana|GH||Ghanaian;Ghanaians
Greece|GR|Hellenic Republic;Hellas|Greek;Greeks;Hellenic
Hungary|HU||Hungarian;Hungarians
Iceland|IS||Icelandic;Icelanders
India|IN|Republic of India;Bharat|Indian;Indians
Indonesia|ID|Republic of Indonesia|Indonesian;Indonesians
Iran|IR|Islamic Republic of Iran|Iranian;Iranians
Iraq|IQ||Iraqi;Iraqis
Ireland|IE||Irish
Israel|IL||Israeli;Israelis
Italy|IT|Italian Republic|Italian;Italians
Japan|JP||Japanese
Jordan|JO||Jordanian;Jordanians
Kazakhstan|KZ|Republic of Kazakhstan|Kazakh;Kazakhs;Kazakhstani
Kenya|KE||Kenyan;Kenyans
Kosovo|XK||Kosovar;Kosovars
Kuwait|KW||Kuwaiti;Kuwaitis
Kyrgyzstan|KG||Kyrgyz
Laos|LA|Lao PDR;Lao People's Democratic Republic|Laotian;Lao
Latvia|LV|Republic of Latvia|Latvian;Latvians
Lebanon|LB||Lebanese
Libya|LY||Libyan;Libyans
Lithuania|LT|Republic of Lithuania|Lithuanian;Lithuanians
Luxembourg|LU||Luxembourgish
Malaysia|MY||Malaysian;Malaysians
Mali|ML||Malian
Mexico|MX|United Mexican States|Mexican;Mexicans
Moldova|MD||Moldovan;Moldovans
Mongolia|MN||Mongolian;Mongolians
Montenegro|ME||Montenegrin
Morocco|MA||Moroccan;Moroccans
Mozambique|MZ||Mozambican;Mozambicans
Myanmar|MM|Burma|Burmese
Nepal|NP||Nepali;Nepalese
Netherlands|NL|The Netherlands;Holland;Kingdom of the Netherlands|Dutch
New Zealand|NZ|Aotearoa|New Zealander;New Zealanders
Niger|NE||Nigerien
Nigeria|NG||Nigerian;Nigerians
North Korea|KP|DPRK;D.P.R.K.;Democratic People's Republic of Korea|North Korean;North Koreans
North Macedonia|MK|Macedonia|Macedonian;Macedonians
Norway|NO|Kingdom of Norway|Norwegian;Norwegians
Oman|OM||Omani;Omanis
Pakistan|PK||Pakistani;Pakistanis
Palestine|PS|State of Palestine;Palestinian Territories|Palestinian;Palestinians
Panama|PA||Panamanian
Papua New Guinea|PG|PNG|Papua New Guinean
Paraguay|PY||Paraguayan
Peru|PE|Republic of Peru|Peruvian;Peruvians
Philippines|PH|The Philippines;Republic of the Philippines|Philippine;Filipino;Filipinos
Poland|PL|Republic of Poland|Polish;Poles
Portugal|PT||Portuguese
Qatar|QA||Qatari;Qataris
Romania|RO||Romanian;Romanians
Russia|RU|Russian Federation|Russian;Russians
Rwanda|RW||Rwandan;Rwandans
Saudi Arabia|SA|Kingdom of Saudi Arabia;KSA|Saudi;Saudis
Samoa|WS||Samoan;Samoans
Senegal|SN||Senegalese
Serbia|RS||Serbian;Serbians;Serb;Serbs
Singapore|SG|Republic of Singapore|Singaporean;Singaporeans
Slovakia|SK||Slovak;Slovakian;Slovaks
Slovenia|SI||Slovenian;Slovene;Slovenians
Solomon Islands|SB||Solomon Islander
Somalia|SO||Somali;Somalis
South Africa|ZA||South African;South Africans
South Korea|KR|Republic of Korea;ROK;R.O.K.;Korea|South Korean;South Koreans
South Sudan|SS||South Sudanese
Spain|ES|Kingdom of Spain;España|Spanish;Spaniards
Sri Lanka|LK||Sri Lankan;Sri Lankans
Sudan|SD|Republic of the Sudan;The Sudan|Sudanese
Sweden|SE|Kingdom of Sweden|Swedish;Swedes
Switzerland|CH|Swiss Confederation|Swiss
Syria|SY|Syrian Arab Republic|Syrian;Syrians
Taiwan|TW||Taiwanese
Tajikistan|TJ||Tajik;Tajiks
Tanzania|TZ||Tanzanian;Tanzanians
Thailand|TH|Kingdom of Thailand|Thai
Timor-Leste|TL|East Timor|Timorese
Tonga|TO||Tongan;Tongans
Tunisia|TN||Tunisian;Tunisians
Turkey|TR|Türkiye;Turkiye;Republic of Türkiye;Republic of Turkey|Turkish;Turks
Turkmenistan|TM||Turkmen
Uganda|UG||Ugandan;Ugandans
Ukraine|UA||Ukrainian;Ukrainians
United Arab Emirates|AE|UAE;U.A.E.;Emirates|Emirati;Emiratis
United Kingdom|GB|UK;U.K.;Britain;Great Britain|British;Briton;Britons
United States|US|U.S.;US;USA;U.S.A.;United States of America;America|American;Americans
Uruguay|UY||Uruguayan;Uruguayans
Uzbekistan|UZ||Uzbek;Uzbeks
Vanuatu|VU||Ni-Vanuatu
Venezuela|VE||Venezuelan;Venezuelans
Vietnam|VN|Viet Nam|Vietnamese
Yemen|YE||Yemeni;Yemenis
Zambia|ZM||Zambian
Zimbabwe|ZW||Zimbabwean
"""


@dataclass(frozen=True)
class Country:
    name: str
    code: str
    aliases: tuple[str, ...]
    demonyms: tuple[str, ...]


def _parse(table: str) -> tuple[Country, ...]:
    out = []
    for line in table.strip().splitlines():
        name, code, aliases, demonyms = line.split("|")
        out.append(
            Country(
                name=name,
                code=code,
                aliases=tuple(a for a in aliases.split(";") if a),
                demonyms=tuple(d for d in demonyms.split(";") if d),
            )
        )
    return tuple(out)


COUNTRIES: tuple[Country, ...] = _parse(_TABLE)
BY_NAME: dict[str, Country] = {c.name: c for c in COUNTRIES}
BY_CODE: dict[str, Country] = {c.code: c for c in COUNTRIES}


def fold(text: str) -> str:
    """Case-, accent- and punctuation-insensitive key ("Türkiye" == "turkiye"). Names and
    words are folded many times over in one article, so short strings are cached; a whole
    article is not (the cache would keep clients' text, and grow with every one)."""
    return _fold_short(text) if len(text) <= _FOLD_CACHED_CHARS else _fold(text)


_FOLD_CACHED_CHARS = 64


@lru_cache(maxsize=65_536)
def _fold_short(text: str) -> str:
    return _fold(text)


def _fold(text: str) -> str:
    text = unicodedata.normalize("NFKD", text.replace("ı", "i"))
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).lower()
    text = text.replace("\u2019", "'")
    return re.sub(r"\s+", " ", text).strip()


def _key(text: str) -> str:
    key = fold(text)
    key = re.sub(r"^the ", "", key)
    return re.sub(r"[^a-z0-9' ]", "", key.replace(".", "")).strip()


_BY_KEY: dict[str, Country] = {}
for _country in COUNTRIES:
    for _form in (_country.name, *_country.aliases, *_country.demonyms):
        _BY_KEY.setdefault(_key(_form), _country)
# "US" in lower case is the pronoun; only the upper-case forms map to the United States.
_CASE_SENSITIVE = {"US", "UK", "ROK", "KSA", "UAE", "PRC", "DPRK"}


def normalize_country(value: str | None) -> Country | None:
    """The country a name, alias or demonym refers to, or None."""
    if not value:
        return None
    stripped = value.strip()
    if stripped.lower() in {c.lower() for c in _CASE_SENSITIVE} and stripped not in _CASE_SENSITIVE:
        return None
    return _BY_KEY.get(_key(stripped))


def _mention_pattern() -> re.Pattern[str]:
    forms = sorted(
        {f for c in COUNTRIES for f in (c.name, *c.aliases, *c.demonyms)}, key=len, reverse=True
    )
    alternatives = "|".join(re.escape(f) for f in forms)
    # No letter may touch either side, so "Niger" is not found in "Nigeria".
    return re.compile(rf"(?<![\w.])(?:{alternatives})(?:'s|’s)?(?![\w])")


_MENTION = _mention_pattern()


# Demonyms in French and Spanish (masculine singular; the other forms follow the regular
# endings, irregular ones are listed after a semicolon). Country names in those languages come
# from CLDR via Babel.
_DEMONYMS_FR = """
AF afghan|DZ algérien|AR argentin|AM arménien|AU australien|AT autrichien|AZ azerbaïdjanais|
BE belge|BR brésilien|BG bulgare|CA canadien|CL chilien|CN chinois|CO colombien|HR croate|
CU cubain|CZ tchèque|DK danois|EG égyptien|EE estonien|ET éthiopien|FI finlandais|FR français|
GE géorgien|DE allemand|GR grec;grecque;grecques|HU hongrois|IN indien|ID indonésien|IR iranien|
IQ irakien|IE irlandais|IL israélien|IT italien|JP japonais|JO jordanien|KZ kazakh|KE kényan|
LB libanais|LY libyen|LT lituanien|LV letton|MX mexicain|MA marocain|NL néerlandais|
NZ néo-zélandais|NG nigérian|KP nord-coréen|NO norvégien|PK pakistanais|PS palestinien|
PE péruvien|PH philippin|PL polonais|PT portugais|QA qatari|RO roumain|RU russe|SA saoudien|
SN sénégalais|RS serbe|ZA sud-africain|KR sud-coréen|ES espagnol|SE suédois|CH suisse|SY syrien|
TW taïwanais|TN tunisien|TR turc;turque;turques|UA ukrainien|GB britannique|US américain|
VE vénézuélien|VN vietnamien|ML malien|CI ivoirien
"""
_DEMONYMS_ES = """
AF afgano|DZ argelino|AR argentino|AM armenio|AU australiano|AT austriaco|AZ azerbaiyano|
BE belga;belgas|BR brasileño|BG búlgaro|CA canadiense|CL chileno|CN chino|CO colombiano|
HR croata;croatas|CU cubano|CZ checo|DK danés|EG egipcio|EE estonio|ET etíope|FI finlandés|
FR francés|GE georgiano|DE alemán|GR griego|HU húngaro|IN indio|ID indonesio|IR iraní|IQ iraquí|
IE irlandés|IL israelí|IT italiano|JP japonés|JO jordano|KZ kazajo|KE keniano|LB libanés|
LY libio|MX mexicano|MA marroquí|NL neerlandés|NZ neozelandés|NG nigeriano|KP norcoreano|
NO noruego|PK pakistaní|PS palestino|PE peruano|PH filipino|PL polaco|PT portugués|QA catarí|
RO rumano|RU ruso|SA saudí|SN senegalés|RS serbio|ZA sudafricano|KR surcoreano|ES español|
SE sueco|CH suizo|SY sirio|TW taiwanés|TN tunecino|TR turco|UA ucraniano|GB británico|
US estadounidense|UY uruguayo|VE venezolano|VN vietnamita;vietnamitas|BO boliviano|
EC ecuatoriano|PY paraguayo|PA panameño
"""


def _french_forms(masculine: str) -> list[str]:
    if masculine.endswith("e"):
        return [masculine, masculine + "s"]
    if masculine.endswith(("ien", "éen")):
        return [masculine, masculine + "s", masculine + "ne", masculine + "nes"]
    if masculine.endswith(("s", "x")):
        return [masculine, masculine + "e", masculine + "es"]
    return [masculine, masculine + "s", masculine + "e", masculine + "es"]


def _spanish_forms(masculine: str) -> list[str]:
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


def _demonyms(table: str, inflect: Callable[[str], list[str]]) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for entry in table.replace("\n", "").split("|"):
        if not entry.strip():
            continue
        code, words = entry.strip().split(" ", 1)
        base, *irregular = words.split(";")
        forms = irregular + inflect(base) if irregular else inflect(base)
        out[code] = forms + [f[:1].upper() + f[1:] for f in forms]
    return out


@lru_cache(maxsize=4)
def _local_forms(language: str) -> dict[str, tuple[str, ...]]:
    """Country code -> how articles in `language` name that country or its people."""
    if language not in ("fr", "es"):
        return {}
    territories = Locale.parse(language).territories
    demonyms = _demonyms(*((_DEMONYMS_FR, _french_forms) if language == "fr"
                           else (_DEMONYMS_ES, _spanish_forms)))
    forms: dict[str, tuple[str, ...]] = {}
    for country in COUNTRIES:
        name = territories.get(country.code, "")
        name = re.sub(r"(?<!\s)\s*\([^()\n]*\)$", "", name)
        forms[country.code] = tuple(f for f in (name, *demonyms.get(country.code, ())) if f)
    if language == "es":
        forms["US"] += ("EE. UU.", "EE.UU.", "EEUU")
    return forms


@dataclass(frozen=True)
class CountryMention:
    country: Country
    start: int
    end: int
    surface: str


@lru_cache(maxsize=4)
def _local_by_form(language: str) -> dict[str, Country]:
    """Each French or Spanish name or demonym of a country, as written -> the country."""
    return {form: BY_CODE[code] for code, forms in _local_forms(language).items()
            for form in forms}


@lru_cache(maxsize=4)
def _local_mention(language: str) -> re.Pattern[str]:
    alternatives = "|".join(
        re.escape(f) for f in sorted(_local_by_form(language), key=len, reverse=True)
    )
    return re.compile(rf"(?<![\w.-])(?:{alternatives})(?![\w-])")


def find_country_mentions(text: str, language: str = "en") -> list[CountryMention]:
    """Every place the text names a country, by name, alias or demonym: in English, and in
    the article's language where it is another one."""
    mentions = []
    for match in _MENTION.finditer(text):
        surface = re.sub(r"('s|’s)$", "", match.group(0))
        country = normalize_country(surface)
        if country is not None:
            mentions.append(CountryMention(country, match.start(), match.end(), surface))
    by_form = _local_by_form(language)
    if by_form:
        for match in _local_mention(language).finditer(text):
            if not any(m.start < match.end() and match.start() < m.end for m in mentions):
                mentions.append(CountryMention(by_form[match.group(0)], match.start(),
                                               match.end(), match.group(0)))
    return sorted(mentions, key=lambda m: m.start)


def country_forms(country: Country, language: str = "en") -> tuple[str, ...]:
    """Every way an article in `language` may name the country or its people."""
    return (country.name, *country.aliases, *country.demonyms,
            *_local_forms(language).get(country.code, ()))


def local_country(value: str, language: str) -> Country | None:
    """The country a name or demonym in the article's language refers to ("marocain")."""
    by_form = _local_by_form(language)
    return by_form.get(value) or by_form.get(value.lower())
