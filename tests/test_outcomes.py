"""Outcomes stated so plainly that the brief keeps them whatever the model picks
(text/statements.py plain_outcomes), on texts written for the test."""

from __future__ import annotations

from service.text.article import prepare
from service.text.statements import plain_outcomes

SCHEDULE = """Press Briefing by the Deputy Spokesperson

May 4, 2031

MS. ROE: Good afternoon. Tomorrow, the Premier will open the new ferry terminal in Bergen with the mayor.
She will sign the fisheries accord with her Chilean counterpart on Friday, in the capital.
The Premier accepted an invitation to visit Santiago and the two sides will settle the dates.
The talks last year were difficult and both delegations said so at the time.
She will raise the quotas, as she always does with partners.
"""


def test_a_schedule_a_briefing_previews_and_an_invitation_taken_up_are_next_steps() -> None:
    article = prepare(SCHEDULE)
    found = [article.sentence_text(n - 1)
             for n in plain_outcomes(article, "next_steps", range(len(article.sentences)))]
    assert [s.split()[0] for s in found] == ["Tomorrow,", "She", "The"]
    assert not any("quotas" in s for s in found)  # a "will" with no time to come is no plan
