"""Prompt templates, versioned on disk under `prompts/<version>/`."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from string import Template

# prompts/ sits beside the package: service/brief/prompts.py -> <repo>/prompts
DEFAULT_PROMPTS_DIR = Path(__file__).resolve().parents[2] / "prompts"
DEFAULT_VERSION = "v1"


@dataclass(frozen=True)
class PromptSet:
    version: str
    system: str
    user: Template
    translate_system: str = ""

    def messages(self, *, article: str, people: str) -> list[dict[str, str]]:
        # The article is substituted last and only once, so text inside it cannot reach the
        # template's placeholders or the system message.
        user = self.user.substitute(article=article, people=people)
        return [{"role": "system", "content": self.system}, {"role": "user", "content": user}]

    def translation_messages(self, text: str) -> list[dict[str, str]]:
        """One piece of the brief to put into English: the text alone is the user's turn."""
        return [{"role": "system", "content": self.translate_system},
                {"role": "user", "content": text}]


def load_prompts(directory: Path | None = None, version: str = DEFAULT_VERSION) -> PromptSet:
    root = (directory or DEFAULT_PROMPTS_DIR) / version
    if not root.is_dir():
        raise FileNotFoundError(f"prompt templates not found: {root}")

    def read(name: str) -> str:
        return (root / name).read_text(encoding="utf-8").strip()

    return PromptSet(
        version=f"brief-{version}", system=read("system.txt"), user=Template(read("user.txt")),
        translate_system=read("translate_system.txt"),
    )
