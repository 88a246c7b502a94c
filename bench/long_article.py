"""Write a long diplomatic article whose decisive facts come only at its very end, to measure
how the service reads long input (time, memory, and whether the end reaches the brief).

    python bench/long_article.py --words 20000 > long.txt
    /usr/bin/time -v brief summarize long.txt --published 2024-05-28

The late facts: a participant who joined on the last day (Keiko Sato), an agreement (a joint
fund for deep-sea research) and the next meeting (Osaka in October).
"""

from __future__ import annotations

import argparse
import itertools

LEAD = (
    "LISBON, May 27 (Wire) - Portuguese Foreign Minister Rui Matos and Japanese Foreign "
    "Minister Haruto Ishida held two days of talks in Lisbon on Monday and Tuesday on maritime "
    "security, trade and ocean science, the two governments said."
)
SUBJECTS = [
    ("fisheries", "the quota system for Atlantic tuna"),
    ("shipping", "insurance rules for container traffic through the Strait of Gibraltar"),
    ("energy", "offshore wind farms along the Iberian coast"),
    ("trade", "tariffs on processed fish and canned goods"),
    ("science", "ocean monitoring buoys in the North Atlantic"),
    ("history", "the first Portuguese ships to reach Tanegashima in 1543"),
    ("tourism", "direct flights between Lisbon and Tokyo"),
    ("education", "student exchanges between maritime universities"),
]
TEMPLATES = [
    "Officials from both ministries reviewed {detail}, a subject that has come up in {topic} "
    "talks for more than a decade without a final settlement.",
    "A background paper circulated to delegations described {detail} as one of the oldest "
    "open questions in {topic} between Europe and Asia.",
    "Former officials quoted in regional newspapers said that {detail} had often been "
    "discussed at expert level, and that {topic} experts on both sides knew the file well.",
    "Analysts noted that {detail} matters to coastal communities, and that earlier rounds of "
    "{topic} consultations had produced studies rather than decisions.",
    "In 2019 a working group on {topic} met in Porto and issued a report on {detail}, which "
    "both governments welcomed at the time.",
]
LATE = [
    "On the second day, Japanese State Minister Keiko Sato joined the talks for the final "
    "session on ocean science.",
    "The ministers agreed to set up a joint fund for deep-sea research, with each government "
    "contributing an equal share.",
    "The next round of talks will be held in Osaka in October, the two ministries said.",
]


def article(words: int) -> str:
    paragraphs = [LEAD]
    count = len(LEAD.split()) + sum(len(p.split()) for p in LATE)
    for number in itertools.count():
        if count >= words:
            break
        template = TEMPLATES[number % len(TEMPLATES)]
        topic, detail = SUBJECTS[(number // len(TEMPLATES)) % len(SUBJECTS)]
        # A running number keeps paragraphs distinct, as in a real long report.
        text = template.format(topic=topic, detail=detail) + f" (Background note {number + 1}.)"
        paragraphs.append(text)
        count += len(text.split())
    return "\n\n".join([*paragraphs, *LATE]) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--words", type=int, default=20000)
    print(article(parser.parse_args().words), end="")


if __name__ == "__main__":
    main()
