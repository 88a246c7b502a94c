"""spaCy for the article: each language's pipeline, checked against its pinned digest and
loaded on first use, and long text parsed in bounded pieces."""

from __future__ import annotations

import hashlib
import importlib.util
import re
from functools import lru_cache
from pathlib import Path

from spacy.language import Language
from spacy.tokens import Doc

from service.lang.lexicon import LEXICONS, lexicon
from service.lang.registry import every_language


def check_language_pipelines() -> None:
    """Check every supported language's pipeline against its pinned digest (~30 ms the first
    time), so a wrong install shows at start-up; each is loaded on first use (the French one
    holds ~200 MB that an English-only service need not pay)."""
    for lex in LEXICONS.values():
        _check_digest(lex.spacy_pipeline)


def _check_digest(name: str) -> None:
    expected = PIPELINE_SHA256.get(name)
    if expected is not None and (found := pipeline_digest(name)) != expected:
        raise RuntimeError(
            f"spaCy pipeline {name!r} does not match its pinned sha256 ({found[:16]}… != "
            f"{expected[:16]}…): reinstall the version pinned in pyproject.toml"
        )


def nlp(language: str = "en") -> Language:
    """The spaCy pipeline (NER, parser for sentences) for a language."""
    return _load_pipeline(lexicon(language).spacy_pipeline)


# The spaCy pipelines come from the package index as pinned versions (one a re-upload): what is
# loaded must be what was pinned, file for file.
# Each language pins its pipeline's digest in its folder (`Language.pipeline_sha256`).
PIPELINE_SHA256 = {lang.lexicon.spacy_pipeline: lang.pipeline_sha256
                   for lang in every_language() if lang.pipeline_sha256}


@lru_cache(maxsize=8)
def pipeline_digest(name: str) -> str:
    """sha256 over an installed pipeline package's files (paths and contents, sorted); read
    once per process."""
    spec = importlib.util.find_spec(name)
    if spec is None or spec.origin is None:
        raise RuntimeError(f"spaCy pipeline {name!r} is not installed (pip install -e .)")
    root = Path(spec.origin).parent
    digest = hashlib.sha256()
    for path in sorted(root.rglob("*")):
        if path.is_file() and "__pycache__" not in path.parts:
            digest.update(str(path.relative_to(root).as_posix()).encode() + b"\0")
            digest.update(path.read_bytes())
    return digest.hexdigest()


@lru_cache(maxsize=4)
def _load_pipeline(name: str) -> Language:
    """Loaded once per process, after its files are checked against the pinned digest;
    languages that share a pipeline share the one copy."""
    import spacy

    _check_digest(name)
    return spacy.load(name)


@lru_cache(maxsize=4)
def rule_sentencizer(language: str) -> Language:
    import spacy

    pipeline = spacy.blank(language)
    pipeline.add_pipe("sentencizer")
    return pipeline


# spaCy's parser and tagger hold temporary memory in proportion to what they read at once
# (~600 MB for 200,000 characters in one doc, ~50 MB in pieces of 5,000): a long article is
# read piece by piece, one at a time, and the pieces joined into one Doc.
PIECE_CHARS = 5_000


# After a sentence's end: a full stop after a lower-case word, not "J." "Dr." or "U.S.".
_PIECE_BREAKS = (re.compile(r"\n"), re.compile(r"(?<=[^\W\d_A-Z]{2}[.!?])\s"),
                 re.compile(r"\s"))


def pieces(text: str, size: int = PIECE_CHARS) -> list[str]:
    """Consecutive pieces of at most `size` characters that join back into `text`, cut at a
    line break where there is one, else after a sentence's end, else at a space."""
    out: list[str] = []
    start = 0
    while len(text) - start > size:
        end = start + size
        for pattern in _PIECE_BREAKS:
            # The last break in the second half of the piece, so pieces stay near `size`.
            found = [m.end() for m in pattern.finditer(text, start + size // 2, end)]
            if found:
                end = found[-1]
                break
        out.append(text[start:end])
        start = end
    out.append(text[start:])
    return out


def parse(pipeline: Language, text: str) -> Doc:
    """The text through a spaCy pipeline, in bounded memory whatever its length."""
    if len(text) <= PIECE_CHARS:
        return pipeline(text)
    docs = list(pipeline.pipe(pieces(text), batch_size=1))
    return Doc.from_docs(docs, ensure_whitespace=False)


@lru_cache(maxsize=4)
def common_words(language: str = "en") -> frozenset[str]:
    """The language's common nouns and adjectives, lower case, as its pipeline's lemmatizer
    knows them (WordNet's index in the English one): "relations", "dialogue", "cross". A
    capitalised run the tagger calls an organisation and that ends in one is a body or a
    thing ("Blue Shield", "Trade Council"), not a person. Empty where the pipeline has no
    such table."""
    pipeline = nlp(language)
    if "lemmatizer" not in pipeline.pipe_names:
        return frozenset()
    lookups = getattr(pipeline.get_pipe("lemmatizer"), "lookups", None)
    if lookups is None or not lookups.has_table("lemma_index"):
        return frozenset()
    index = lookups.get_table("lemma_index")
    words: set[str] = set()
    for pos in ("noun", "adj"):
        if pos in index:
            words.update(index[pos])
    # Plurals too: the index holds lemmas ("relation"), texts write "Relations".
    words.update(w + "s" for w in list(words) if not w.endswith("s"))
    return frozenset(words)
