"""Country names: common English short names, ISO 3166-1 alpha-2 codes, aliases and demonyms.

The brief reports countries by their common English short name ("United States", "China");
articles name them in many other ways ("U.S.", "Türkiye", "Beijing's", "Chinese").
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

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


def fold(text: str) -> str:
    """Case-, accent- and punctuation-insensitive key ("Türkiye" == "turkiye")."""
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


@dataclass(frozen=True)
class CountryMention:
    country: Country
    start: int
    end: int
    surface: str


def find_country_mentions(text: str) -> list[CountryMention]:
    """Every place the text names a country, by name, alias or demonym."""
    mentions = []
    for match in _MENTION.finditer(text):
        surface = re.sub(r"('s|’s)$", "", match.group(0))
        country = normalize_country(surface)
        if country is not None:
            mentions.append(CountryMention(country, match.start(), match.end(), surface))
    return mentions
