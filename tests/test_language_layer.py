"""The language layer: every language is a folder under service/lang/, text analysis and the
brief reach it only through the article or the registry, and no words of a language are
written in their code."""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from service.lang import registry
from service.lang.en.syntax import EnglishSyntax
from service.lang.fr.syntax import FrenchSyntax
from service.text.article import prepare
from service.text.language import detect_language
from service.text.nlp import PIPELINE_SHA256

ROOT = Path(__file__).resolve().parents[1]
CODE = [*sorted((ROOT / "service" / "text").glob("*.py")),
        *sorted((ROOT / "service" / "brief").glob("*.py"))]
ALLOWLIST = Path(__file__).with_name("language_allowlist.txt")

# A word of a language: lower-case letters, perhaps with an apostrophe or a hyphen inside.
_WORD = re.compile(r"[a-z][a-z'’-]+")
# The regular-expression functions whose first argument is a pattern.
_RE_FUNCTIONS = {"compile", "search", "match", "fullmatch", "finditer", "findall", "sub",
                 "subn", "split"}
# What in a pattern is syntax, not text: an escape (\b, \s, \w), a character class ([A-Z]),
# a group's opening or inline flags ((?:, (?P<name>, (?<!, (?i)), a repetition ({1,4}).
_PATTERN_SYNTAX = re.compile(
    r"\\.|\[(?:\\.|[^\]])*\]|\(\?P?<\w+>|\(\?P=\w+\)"
    r"|\(\?(?:[aiLmsux]*(?:-[imsx]+)?[:)]|[=!>]|<[=!])|\{[^}]*\}")
# A run of three letters or more left once the syntax is gone is a word ("met", "Readout").
_LETTER_RUN = re.compile(r"[A-Za-z]{3,}")


def _literal_text(node: ast.expr) -> str | None:
    """The literal text of a string, an f-string (its literal parts) or a sum of them."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.JoinedStr):
        return " ".join(v.value for v in node.values
                        if isinstance(v, ast.Constant) and isinstance(v.value, str))
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        left, right = _literal_text(node.left), _literal_text(node.right)
        if left is not None or right is not None:
            return f"{left or ''} {right or ''}"
    return None


def pattern_words(pattern: str) -> list[str]:
    """The words a regular expression's text holds, its syntax set aside."""
    return _LETTER_RUN.findall(_PATTERN_SYNTAX.sub(" ", pattern))


def findings(source: str) -> Iterator[str]:
    """What in a module's source is written in a language: a literal list, tuple or set of
    three or more lower-case words, and a literal pattern handed to `re` holding words."""
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.List | ast.Tuple | ast.Set):
            words = [e.value for e in node.elts if isinstance(e, ast.Constant)
                     and isinstance(e.value, str) and _WORD.fullmatch(e.value)]
            if len(words) >= 3:
                yield "words: " + " ".join(words)
        elif (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
              and isinstance(node.func.value, ast.Name) and node.func.value.id == "re"
              and node.func.attr in _RE_FUNCTIONS and node.args):
            text = _literal_text(node.args[0])
            if text is not None and (runs := pattern_words(text)):
                yield "pattern: " + " ".join(runs)


def _allowed() -> dict[tuple[str, str], str]:
    allowed: dict[tuple[str, str], str] = {}
    for line in ALLOWLIST.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            module, finding, reason = line.split("\t")
            allowed[(module, finding)] = reason
    return allowed


def test_no_words_of_a_language_in_text_analysis_or_the_brief() -> None:
    allowed = _allowed()
    found = {(path.relative_to(ROOT).as_posix(), finding)
             for path in CODE for finding in findings(path.read_text(encoding="utf-8"))}
    assert sorted(found - set(allowed)) == [], (
        "words of a language belong in service/lang/<code>/ (or, if not language, in "
        "tests/language_allowlist.txt with a reason)")
    assert sorted(set(allowed) - found) == [], "allowlisted findings no longer in the code"
    assert all(len(reason.split()) >= 4 for reason in allowed.values())


@pytest.mark.parametrize(("source", "expected"), [
    ('X = ("met", "talks", "visit")', ["words: met talks visit"]),
    ('X = frozenset({"de", "la", "del"})', ["words: de la del"]),
    ('X = ["GPE", "LOC", "FAC"]', []),
    ('X = ("a", "b", "met")', []),
    ('P = re.compile(r"\\b(?:joined|accompanied) by\\b")', ["pattern: joined accompanied"]),
    ('P = re.compile(rf"{A}\\s+(?:{B})?\\s*$")', []),
    ('P = re.compile(r"(?P<name>[A-Z][a-z]{2,})\\.\\d+")', []),
    ('P = re.sub(r"^the\\s+", "", x)', ["pattern: the"]),
])
def test_what_counts_as_words_in_code(source: str, expected: list[str]) -> None:
    assert list(findings(source)) == expected


def test_every_language_is_a_folder_with_a_pinned_pipeline() -> None:
    for code, lang in registry.LANGUAGES.items():
        folder = ROOT / "service" / "lang" / code
        assert (folder / "__init__.py").is_file() and (folder / "lexicon.py").is_file()
        assert lang.code == code
        assert lang.lexicon.spacy_pipeline in PIPELINE_SHA256
    assert registry.language("de") is registry.language("en")
    assert registry.brief_language().code == "en"


def test_rules_read_every_languages_name_words_together() -> None:
    names = registry.names_of_every_language()
    # English, French and Spanish forms of address, and one a name carries from elsewhere.
    assert {"mr.", "mme", "doña", "sheikh"} <= names.honorifics
    assert {"and", "et", "y"} <= set(names.joiners.strip("(?:)").split("|"))
    # A pattern only one language has is that language's, unchanged.
    assert names.titles == registry.language("en").names.titles
    assert registry.any_of(["a|b"]) == "a|b" and registry.any_of(["a", "", "b|c"]) == "(?:a|b|c)"


def test_the_article_carries_its_languages_syntax() -> None:
    article = prepare("The foreign ministers of Norway and Chile met in Oslo on Monday. "
                      "Envoys have travelled there often. Peru's envoy called later.",
                      language="en")
    syntax = article.syntax
    assert isinstance(syntax, EnglishSyntax) and article.language_data.code == "en"
    roots = {t.text: t for t in article.doc if syntax.is_root(t)}
    assert syntax.is_simple_past(roots["met"]) and not syntax.is_perfect(roots["met"])
    assert syntax.is_perfect(roots["travelled"]) and syntax.is_present_perfect(roots["travelled"])
    assert [t.text for t in article.doc if syntax.is_possessive_marker(t)] == ["'s"]
    subject = syntax.subject(roots["called"])
    assert subject is not None and subject.text == "envoy"
    # Spanish is read with the French pipeline, so with its labels.
    assert isinstance(registry.language("es").syntax, FrenchSyntax)
    assert registry.language("fr").syntax.person_labels == frozenset({"PER"})


@pytest.mark.parametrize(("text", "code"), [
    # A noun a language capitalises stands alone between lower-case words; a name is a run
    # of capitalised words. Without the nouns, these are too short to tell.
    ("Gespräche über Energie, Handel, Sicherheit. Zusammenarbeit, Klimaschutz, Wirtschaft.",
     "de"),
    ("Entretiens. Coopération, Énergie, Commerce, Sécurité, Pêche. Échanges, Culture, "
     "Jeunesse. Déclaration, Communiqué, Engagements.", "fr"),
    # Names alone still tell nothing.
    ("Brazilian President Tomás Reis da Cunha met Argentine President Inés Vidal Soto.",
     "en"),
])
def test_capitalised_nouns_count_and_names_do_not(text: str, code: str) -> None:
    assert detect_language(text) == code
