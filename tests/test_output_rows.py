"""The output layer's logits of a few tokens, from its rows on disk, are bitwise what the whole
int8 layer gives those tokens; and the decoder, which uses them where the grammar allows few
tokens, writes the same tokens as with the whole layer every step."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import torch
import xgrammar
from transformers import AutoTokenizer, Qwen2Config, Qwen2ForCausalLM

from service.engines.batch_decoder import BatchDecoder, DecodeJob
from service.engines.cpu_int8 import load_int8
from service.engines.output_rows import OutputRows

VOCAB = 151936  # the real tokenizer's, so that a grammar can be compiled for the model
EOS = [151645, 151643]


def _checkpoint(directory: Path, tied: bool) -> Path:
    torch.manual_seed(4)
    config = Qwen2Config(
        vocab_size=VOCAB, hidden_size=64, intermediate_size=128, num_hidden_layers=2,
        num_attention_heads=4, num_key_value_heads=2, max_position_embeddings=2048,
        tie_word_embeddings=tied, eos_token_id=EOS[0], initializer_range=0.3,
    )
    Qwen2ForCausalLM(config).to(torch.bfloat16).save_pretrained(directory)  # as the cache holds it
    return directory


@pytest.mark.parametrize("tied", [False, True], ids=["own-head", "tied-head"])
def test_few_tokens_logits_are_bitwise_the_whole_layers(tmp_path: Path, tied: bool) -> None:
    model = load_int8(_checkpoint(tmp_path, tied))
    rows = OutputRows.of_model(model)
    assert rows is not None
    torch.manual_seed(8)
    with torch.inference_mode():
        for batch, count in [(1, 1), (1, 7), (3, 40), (2, 1024)]:
            hidden = torch.randn(batch, 64) * 3
            tokens = torch.randperm(VOCAB)[:count].sort().values
            whole = model.lm_head(hidden)
            few = rows.logits(hidden, tokens)
            assert few.shape == (batch, count)
            assert torch.equal(few, whole[:, tokens])


@pytest.fixture(scope="module")
def tokenizer(tokenizer_dir: Path) -> Any:
    return AutoTokenizer.from_pretrained(tokenizer_dir)


SCHEMA = {
    "type": "object",
    "properties": {
        "headline": {"type": "string", "maxLength": 24},
        "key_points": {"type": "array", "maxItems": 4, "items": {"enum": [2, 3, 5, 8, 13]}},
        "tone": {"enum": ["cordial", "candid", "tense"]},
    },
    "required": ["headline", "key_points", "tone"],
    "additionalProperties": False,
}


def test_the_decoder_writes_the_same_tokens_with_few_tokens_scored(
    tmp_path: Path, tokenizer: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    model = load_int8(_checkpoint(tmp_path, tied=False))
    info = xgrammar.TokenizerInfo.from_huggingface(tokenizer, vocab_size=VOCAB)
    grammar = xgrammar.GrammarCompiler(info).compile_json_schema(
        json.dumps(SCHEMA), any_whitespace=False, strict_mode=True)
    prompts = [
        list(tokenizer.apply_chat_template(
            [{"role": "user", "content": text}], add_generation_prompt=True, tokenize=True,
            return_dict=True)["input_ids"])
        for text in ("Envoys met in Tallinn on fisheries.", "A tense call about a border dam.",
                     "Trade ministers signed a memorandum on rail freight in Accra.")
    ]
    narrowed: list[int] = []
    few_logits = OutputRows.logits

    def counted(self: OutputRows, hidden: torch.Tensor, tokens: torch.Tensor) -> torch.Tensor:
        narrowed.append(len(tokens))
        return few_logits(self, hidden, tokens)

    monkeypatch.setattr(OutputRows, "logits", counted)

    def decode() -> list[list[int]]:
        decoder = BatchDecoder(model, EOS)
        try:  # one at a time: rows decoding together would share their input's quantization
            return [decoder.submit(DecodeJob(ids, grammar, 120)).result().output_ids
                    for ids in prompts]
        finally:
            decoder.close()

    with_few = decode()
    assert narrowed, "the grammar's narrow steps scored only their tokens"
    passes_narrowed = len(narrowed)
    del model.lm_head.rows_on_disk
    with_whole = decode()
    assert len(narrowed) == passes_narrowed  # without rows on disk: the whole layer every step
    assert with_few == with_whole
    for output in with_few:
        value = json.loads(tokenizer.decode(output))
        assert value["tone"] in {"cordial", "candid", "tense"}
