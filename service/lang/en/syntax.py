"""The English pipeline's parse (`en_core_web_sm`): Penn tags, ClearNLP dependencies and
OntoNotes entity labels, which `Syntax` reads as it is."""

from __future__ import annotations

from service.lang.syntax import Syntax


class EnglishSyntax(Syntax):
    pass
