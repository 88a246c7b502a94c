"""Outcomes stated so plainly that the brief keeps them whatever the model picks
(text/statements.py plain_outcomes), on texts written for the test."""

from __future__ import annotations

import pytest

from service.text.article import prepare
from service.text.statements import about_earlier_year, plain_outcomes

SCHEDULE = """Press Briefing by the Deputy Spokesperson

May 4, 2031

MS. ROE: Good afternoon. Tomorrow, the Premier will open the new ferry terminal in Bergen with the mayor.
She will sign the fisheries accord with her Chilean counterpart on Friday, in the capital.
The Premier accepted an invitation to visit Santiago and both delegations will settle the dates.
The talks last year were difficult and both delegations said so at the time.
She will raise the quotas, as she always does with partners.
"""


def test_a_schedule_a_briefing_previews_and_an_invitation_taken_up_are_next_steps() -> None:
    article = prepare(SCHEDULE)
    found = [article.sentence_text(n - 1)
             for n in plain_outcomes(article, "next_steps", range(len(article.sentences)))]
    assert [s.split()[0] for s in found] == ["Tomorrow,", "She", "The"]
    assert not any("quotas" in s for s in found)  # a "will" with no time to come is no plan


@pytest.mark.parametrize(("sentence", "earlier"), [
    ("Chile will apply the duty set out in the decree of May 3, 2029 to every import.", False),
    ("The accord of 3 May 2029 stays in force for both sides.", False),
    ("As of May 3, 2029, Chile had already lowered its duties on salmon feed.", True),
    ("On the morning of 3 May 2029 the ministers signed the first protocol.", True),
    ("The ministers first met in 2029 in Valparaiso.", True),
])
def test_a_dated_instrument_does_not_date_its_sentence(sentence: str, earlier: bool) -> None:
    assert about_earlier_year(sentence, 2031) is earlier


# Written for this test: commitments with an aside between their words, and a question.
ASIDES = """The two ministers met in Oslo on Monday.
We look forward, all of us, to hosting the fisheries conference in 2032.
Both sides will promptly finalize the salmon feed protocol.
Will the sides settle the quota dispute before the winter?
The ministers praised the talks.
I look forward to discussing the herring quota with the Premier.
Officials expect the text in the next couple of weeks.
"""


def test_an_aside_between_its_words_keeps_a_plan_a_plan() -> None:
    article = prepare(ASIDES)
    found = [article.sentence_text(n - 1)
             for n in plain_outcomes(article, "next_steps", range(len(article.sentences)))]
    assert any("hosting the fisheries conference" in s for s in found)
    assert any("finalize the salmon feed protocol" in s for s in found)
    assert any("discussing the herring quota" in s for s in found)
    assert any("next couple of weeks" in s for s in found)
    assert not any(s.endswith("?") for s in found)
    assert not any("praised" in s for s in found)


def test_a_question_the_model_picks_is_no_next_step_or_agreement() -> None:
    from service.brief.outcomes import select_sentences

    article = prepare(ASIDES)
    window = range(len(article.sentences))
    for field in ("next_steps", "agreements"):
        numbers = select_sentences(article, field, [4, 3], window, 2031)
        assert 4 not in numbers  # "Will the sides settle …?" asks; it states nothing
        assert 3 in numbers


# Written for this test: a story whose background reaches a height, a launch and a plan
# called off, beside the outcome it reports.
BACKGROUND = """Ferry Talks in Tromsø

Relations between the two coastal states reached a new low last winter after a trawler was seized near the shelf.
The seizure saw the minister cancel a visit planned for March to the islands.
The ministers discussed the recent test launches of coastguard drones as well.
Oslo has vowed to keep the shelf closed to foreign trawlers, officials said.
Both states belong to the Northern Shelf Fisheries Agreement, a pact of 1998.
Officials speculated about a possible gas deal between the two utilities.
The envoys struck a quota deal for the herring season.
Agreement was reached on a shared coastguard radio band.
The ferry summit, called off in May, will be rescheduled for the autumn.
Norway is committed to safe ferries, and Oslo remains committed to open seas, the minister told reporters.
The two ministers reached an agreement on winter ferry fares and launched a joint pilot school.
They pledged to reopen the northern route.
"""


def test_a_height_a_drone_launch_a_treatys_name_a_rumoured_deal_and_a_stance_are_no_agreements() -> None:
    from service.text.statements import sentence_candidates

    article = prepare(BACKGROUND)
    window = range(len(article.sentences))
    offered = [article.sentence_text(n - 1) for n in sentence_candidates(article, "agreements", window)]
    plain = [article.sentence_text(n - 1) for n in plain_outcomes(article, "agreements", window)]
    assert any("winter ferry fares" in s for s in offered)
    assert any("quota deal" in s for s in offered)
    assert any("radio band" in s for s in offered)  # said in the passive
    assert not any("gas deal" in s for s in offered)
    assert not any("new low" in s or "drones" in s or "belong" in s for s in offered)
    assert any("reopen the northern route" in s for s in plain)
    assert not any("vowed" in s or "committed" in s for s in plain)


def test_a_plan_called_off_is_no_next_step() -> None:
    from service.brief.outcomes import select_sentences

    article = prepare(BACKGROUND)
    window = range(len(article.sentences))
    called_off = next(n for n in range(1, len(article.sentences) + 1)
                      if "cancel" in article.sentence_text(n - 1))
    assert called_off not in select_sentences(article, "next_steps", [called_off], window, 2031)
    taken_up = next(n for n in range(1, len(article.sentences) + 1)
                    if "rescheduled" in article.sentence_text(n - 1))
    assert taken_up in select_sentences(article, "next_steps", [taken_up], window, 2031)


# Written for this test: what the sides agreed, as a list under a lead-in line, then the
# story goes on.
AGREED_LIST = """Peru and Ghana agree on cocoa steps

LIMA, May 4 (Reuters) - Peru and Ghana held trade talks in Lima on Monday.

Under the joint minute they signed, both delegations agreed to:

- set up a cocoa price committee, meeting each quarter;
- share soil data from pilot farms in Ashanti and San Martin;
* open a desk for cocoa exporters in Accra.

Shipping costs through the Panama Canal came up as well, officials said.

   Both envoys, reportedly, plan further calls:
The talks ran late into the night.
"""


def test_the_items_of_a_list_of_what_was_agreed_are_agreements() -> None:
    article = prepare(AGREED_LIST)
    window = range(len(article.sentences))
    plain = [article.sentence_text(n - 1) for n in plain_outcomes(article, "agreements", window)]
    assert [s.split()[1] for s in plain if s.startswith(("-", "*"))] == ["set", "share", "open"]
    # The story's next paragraph is no item, nor a line after a lead-in that is no list's.
    assert not any("Panama" in s or "late into the night" in s for s in plain)


def test_a_list_items_mark_is_no_word_of_the_agreement_the_brief_lists() -> None:
    from tests.conftest import scripted_brief

    brief = scripted_brief(AGREED_LIST, participants=[])
    assert "set up a cocoa price committee, meeting each quarter;" in brief.agreements
    assert not any(a.startswith(("-", "*")) for a in brief.agreements)


# Written for this test: two leaders' remarks, each speaking for their own government.
REMARKS = """Remarks by President Lena Varga and Prime Minister Tomas Reyes before their meeting

PRESIDENT VARGA: Welcome, Prime Minister.

PRIME MINISTER REYES: Good morning to all of you.

PRESIDENT VARGA: We stay committed to the reconstruction of the Sava valley, whatever it costs.

I'm also committed to a line kept open between the two of us.

Today we both agreed to open the Kordun grain terminal to your ships in October.

PRIME MINISTER REYES: We are fully committed to guarding the river convoys.
"""


def test_a_speakers_own_commitment_is_no_agreement_and_what_they_agreed_is() -> None:
    from service.brief.outcomes import select_sentences

    article = prepare(REMARKS)
    window = range(len(article.sentences))
    every = [n for n in range(1, len(article.sentences) + 1)
             if "committed" in article.sentence_text(n - 1)
             or "agreed" in article.sentence_text(n - 1)]
    kept = [article.sentence_text(n - 1)
            for n in select_sentences(article, "agreements", every, window, 2031)]
    assert kept == ["Today we both agreed to open the Kordun grain terminal to your ships in October."]
    # Outside a transcript, the same words are the parties' own: a joint statement's "we".
    statement = prepare("Joint Statement of Norway and Chile\n\nWe stay committed to the "
                        "reconstruction of the Sava valley, whatever it costs.\n")
    numbers = [n for n in range(1, len(statement.sentences) + 1)
               if "committed" in statement.sentence_text(n - 1)]
    assert select_sentences(statement, "agreements", numbers, range(len(statement.sentences)),
                            2031) == numbers
