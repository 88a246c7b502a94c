"""Topics the article itself lists: "discussed X, Y and Z", "talks on X and Y"."""

from __future__ import annotations

import re

from service.article import PreparedArticle

_LISTING = re.compile(
    r"\b(?:discussed|discussing|talks (?:on|about)|talked about|exchanged views on|focused on|"
    r"covered|addressed|touched on|consultations on|held talks on|issues such as|"
    r"topics (?:such as|including)|agenda (?:included|covered)|concern (?:about|over)|"
    r"cooperation (?:on|in))\s+(?P<items>[^.;:!?]+)",
    re.IGNORECASE,
)
_SPLIT = re.compile(r",\s*(?:and\s+|as well as\s+)?|\s+and\s+|\s+as well as\s+")
_TRAILING = re.compile(r"\s+(?:among other (?:topics|issues)|and other issues|between .*|"
                       r"with .*|at .*|during .*|after .*|before .*|amid .*)$",
                       re.IGNORECASE)
_LEADING = re.compile(r"^(?:the|a|an|their|its|his|her|bilateral,?\s+global and regional issues"
                      r")\s+", re.IGNORECASE)


_NOT_A_TOPIC_START = {"which", "that", "who", "whose", "where", "when", "while", "it", "they"}


def listed_topics(article: PreparedArticle, limit: int = 6) -> list[str]:
    topics: list[str] = []
    for index in range(len(article.sentences)):
        sentence = article.sentence_text(index)
        for match in _LISTING.finditer(sentence):
            items = _TRAILING.sub("", match.group("items").strip())
            for item in _SPLIT.split(items):
                item = _LEADING.sub("", item.strip(" ,\"'“”"))
                words = item.split()
                if not 1 <= len(words) <= 6 or words[0].lower() in _NOT_A_TOPIC_START:
                    continue
                if item.lower() not in (t.lower() for t in topics):
                    topics.append(item)
        if len(topics) >= limit:
            break
    return topics[:limit]
