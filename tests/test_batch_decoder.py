"""The batch decoder gives the tokens plain greedy `generate` gives, however it is batched,
chunked or cached, and keeps to the grammar."""

from __future__ import annotations

import json
import threading
import time
from pathlib import Path
from typing import Any

import pytest
import torch
import xgrammar
from transformers import AutoTokenizer, Qwen2Config, Qwen2ForCausalLM

from service.engines.batch_decoder import BatchDecoder, DecodeJob, PrefixCache
from service.errors import Cancelled, EngineUnavailable

EOS = [151645, 151643]


@pytest.fixture(scope="module")
def model() -> Qwen2ForCausalLM:
    torch.manual_seed(1)
    config = Qwen2Config(
        vocab_size=151936, hidden_size=64, intermediate_size=128, num_hidden_layers=2,
        num_attention_heads=4, num_key_value_heads=2, max_position_embeddings=4096,
        tie_word_embeddings=True, eos_token_id=151645, initializer_range=0.3,
    )
    return Qwen2ForCausalLM(config).eval()


@pytest.fixture(scope="module")
def tokenizer(tokenizer_dir: Path) -> Any:
    return AutoTokenizer.from_pretrained(tokenizer_dir)


def _ids(tokenizer: Any, text: str) -> list[int]:
    messages = [{"role": "system", "content": "You summarise news. " * 8},
                {"role": "user", "content": text}]
    return list(tokenizer.apply_chat_template(
        messages, add_generation_prompt=True, tokenize=True, return_dict=True)["input_ids"])


PROMPTS = [
    "The foreign ministers met in Vilnius.",
    "A much longer article about fisheries, energy and trade, with many words in it, "
    "so that its prompt is longer than the others by a fair margin of tokens.",
    "Talks in Osaka.",
]


def _reference(model: Qwen2ForCausalLM, ids: list[int], n: int, penalty: float = 1.0) -> list[int]:
    out = model.generate(
        torch.tensor([ids]), max_new_tokens=n, do_sample=False, eos_token_id=EOS,
        pad_token_id=EOS[0], repetition_penalty=penalty,
    )
    return [t for t in out[0, len(ids):].tolist() if t not in EOS]


def test_same_tokens_as_greedy_generate_alone_and_batched(model: Any, tokenizer: Any) -> None:
    prompts = [_ids(tokenizer, p) for p in PROMPTS]
    expected = [_reference(model, ids, 12) for ids in prompts]
    assert len({tuple(e) for e in expected}) == 3, "prompts must lead to different outputs"
    decoder = BatchDecoder(model, EOS, max_batch=4, prefill_chunk=16)
    try:
        alone = [decoder.submit(DecodeJob(ids, None, 12)).result().output_ids for ids in prompts]
        futures = [decoder.submit(DecodeJob(ids, None, 12)) for ids in prompts]
        batched = [f.result().output_ids for f in futures]
    finally:
        decoder.close()
    assert alone == expected
    assert batched == expected


def test_repetition_penalty_matches_transformers(model: Any, tokenizer: Any) -> None:
    ids = _ids(tokenizer, PROMPTS[0])
    decoder = BatchDecoder(model, EOS)
    try:
        got = decoder.submit(DecodeJob(ids, None, 15, repetition_penalty=1.3)).result()
    finally:
        decoder.close()
    assert got.output_ids == _reference(model, ids, 15, penalty=1.3)
    assert not got.finished and len(got.output_ids) == 15  # stopped by max_new_tokens


def test_cached_prefix_gives_the_same_output(model: Any, tokenizer: Any) -> None:
    first, second = (_ids(tokenizer, p) for p in PROMPTS[:2])
    prefix = 0
    while first[prefix] == second[prefix]:
        prefix += 1
    assert prefix > 20
    decoder = BatchDecoder(model, EOS, prefix_cache=PrefixCache())
    try:
        warm = decoder.submit(DecodeJob(first, None, 10, prefix_length=prefix)).result()
        hit = decoder.submit(DecodeJob(second, None, 10, prefix_length=prefix)).result()
    finally:
        decoder.close()
    assert warm.cached_prefix_tokens == 0 and hit.cached_prefix_tokens == prefix
    assert hit.output_ids == _reference(model, second, 10)


def test_output_keeps_to_the_grammar_and_forced_tokens_share_passes(
    model: Any, tokenizer: Any
) -> None:
    schema = {
        "type": "object",
        "properties": {
            "participants": {"type": "array", "maxItems": 2,
                             "items": {"enum": ["Lena Varga", "Tomás Ibarra"]}},
            "key_points": {"type": "array", "maxItems": 3, "items": {"enum": [1, 4, 7]}},
            "tone": {"enum": ["cordial", "tense"]},
        },
        "required": ["participants", "key_points", "tone"],
        "additionalProperties": False,
    }
    info = xgrammar.TokenizerInfo.from_huggingface(tokenizer, vocab_size=151936)
    grammar = xgrammar.GrammarCompiler(info).compile_json_schema(
        json.dumps(schema), any_whitespace=False, strict_mode=True)
    decoder = BatchDecoder(model, EOS)
    try:
        futures = [decoder.submit(DecodeJob(_ids(tokenizer, p), grammar, 200)) for p in PROMPTS]
        outcomes = [f.result() for f in futures]
    finally:
        decoder.close()
    for outcome in outcomes:
        value = json.loads(tokenizer.decode(outcome.output_ids))
        assert set(value) == {"participants", "key_points", "tone"}
        assert set(value["participants"]) <= {"Lena Varga", "Tomás Ibarra"}
        assert set(value["key_points"]) <= {1, 4, 7} and value["tone"] in {"cordial", "tense"}
        assert outcome.finished
        assert outcome.forward_steps < len(outcome.output_ids) / 2


def test_a_cancelled_job_raises_and_the_others_finish(model: Any, tokenizer: Any) -> None:
    cancel = threading.Event()
    cancel.set()
    decoder = BatchDecoder(model, EOS)
    try:
        doomed = decoder.submit(DecodeJob(_ids(tokenizer, PROMPTS[0]), None, 50, cancel=cancel))
        fine = decoder.submit(DecodeJob(_ids(tokenizer, PROMPTS[1]), None, 8))
        with pytest.raises(Cancelled):
            doomed.result()
        assert len(fine.result().output_ids) == 8
    finally:
        decoder.close()


def test_after_close_jobs_fail_at_once_instead_of_waiting(model: Any, tokenizer: Any) -> None:
    decoder = BatchDecoder(model, EOS)
    decoder.close()
    with pytest.raises(EngineUnavailable):
        decoder.submit(DecodeJob(_ids(tokenizer, PROMPTS[0]), None, 5)).result(timeout=5)


def test_a_request_waiting_for_room_is_cancelled_without_waiting(
    model: Any, tokenizer: Any
) -> None:
    from service.engines.base import GenerationRequest
    from service.engines.transformers_engine import engine_from_pretrained

    engine = engine_from_pretrained(model, tokenizer, "tiny", max_batch=1)
    outcome: list[object] = []

    def occupy() -> None:
        try:
            outcome.append(engine.generate(GenerationRequest(
                [{"role": "user", "content": PROMPTS[1]}], max_new_tokens=4000)))
        except Exception as exc:  # the engine is closed under it at the end
            outcome.append(exc)

    busy = threading.Thread(target=occupy)
    busy.start()
    try:
        time.sleep(0.3)
        cancel = threading.Event()
        threading.Timer(0.3, cancel.set).start()
        started = time.perf_counter()
        with pytest.raises(Cancelled):
            engine.generate(GenerationRequest(
                [{"role": "user", "content": PROMPTS[0]}], max_new_tokens=5, cancel=cancel))
        assert time.perf_counter() - started < 2.0
        assert busy.is_alive() and not outcome  # the batch was still full all along
    finally:
        engine.close()
        busy.join(timeout=30)
