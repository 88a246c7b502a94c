"""The English pipeline's parse (`en_core_web_sm`): Penn tags, ClearNLP dependencies and
OntoNotes entity labels, which `Syntax` reads as it is."""

from __future__ import annotations

from service.lang.syntax import Syntax, Token

# The words of a reciprocal pronoun's possessive: "each other's", "one another's".
_RECIPROCAL = frozenset({"other", "another"})


class EnglishSyntax(Syntax):
    def is_pronoun(self, token: Token) -> bool:
        """A personal or possessive pronoun, and a reciprocal's possessive ("each other's
        supply chains"), which the tagger reads as an adjective before "'s"."""
        if super().is_pronoun(token):
            return True
        if token.lower_ not in _RECIPROCAL:
            return False
        try:
            return self.is_possessive_marker(token.nbor(1))
        except IndexError:
            return False
