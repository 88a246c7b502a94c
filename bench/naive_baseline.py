"""The naive baseline for the quality table: the same model, a plain "summarize as JSON"
prompt, no constraint, no extraction, no grounding. Writes one <id>.json per article.

    python bench/naive_baseline.py ../shared/eval/articles --out baseline-out
    python ../shared/eval/score.py --gold ../shared/eval/articles --briefs baseline-out
"""

from __future__ import annotations

import argparse
import json
import re
import time
from pathlib import Path

from service.engines.base import GenerationRequest
from service.engines.transformers_engine import TransformersEngine
from service.settings import Settings

PROMPT = (
    "Summarize the following news article as a JSON object with the fields headline, summary, "
    "key_points, event (type, date, location), participants (name, title, country), countries, "
    "topics, agreements, disagreements, next_steps, tone and quotes (speaker, text).\n\n{text}"
)


def first_json_object(text: str) -> object:
    match = re.search(r"\{.*\}", text, re.DOTALL)
    if match:
        try:
            return json.loads(match.group(0))
        except json.JSONDecodeError:
            pass
    return text


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("dir")
    parser.add_argument("--out", default="baseline-out")
    parser.add_argument("--max-new-tokens", type=int, default=700)
    args = parser.parse_args()
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    engine = TransformersEngine.load(Settings())
    for path in sorted(Path(args.dir).glob("*.json")):
        article = json.loads(path.read_text(encoding="utf-8"))
        started = time.perf_counter()
        result = engine.generate(GenerationRequest(
            [{"role": "user", "content": PROMPT.format(text=article["text"])}],
            max_new_tokens=args.max_new_tokens,
        ))
        brief = first_json_object(result.text)
        (out / f"{article['id']}.json").write_text(json.dumps(brief, ensure_ascii=False))
        print(f"{article['id']}: {time.perf_counter() - started:.1f} s, "
              f"{result.output_tokens} tokens, parsed={isinstance(brief, dict)}", flush=True)


if __name__ == "__main__":
    main()
