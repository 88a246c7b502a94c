"""The decoder's lean forward gives bitwise the hidden states of the model's own forward, for
the int8 model (whose q/k/v and gate/up products it fuses) and for a float one, through a
chunked prefill, left-padded batch rows and steps of one and several tokens."""

from __future__ import annotations

import copy
import warnings
from collections.abc import Callable
from typing import Any

import pytest
import torch
from transformers import Qwen2Config, Qwen2ForCausalLM

from service.engines.cpu_int8 import quantize_loaded
from service.engines.kv_buffer import KVBuffer
from service.engines.lean_forward import LeanForward


def _model(quantized: bool) -> Qwen2ForCausalLM:
    torch.manual_seed(5)
    config = Qwen2Config(
        vocab_size=3000, hidden_size=64, intermediate_size=160, num_hidden_layers=3,
        num_attention_heads=4, num_key_value_heads=2, max_position_embeddings=512,
        tie_word_embeddings=True, initializer_range=0.2,
    )
    model = Qwen2ForCausalLM(config).eval()
    if quantized:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            model = quantize_loaded(model.to(torch.bfloat16))
    return model


Forward = Callable[[torch.Tensor, torch.Tensor, torch.Tensor | None, Any], torch.Tensor]
"""(input_ids, position_ids, attention mask, cache) -> the last hidden states."""


def _passes(forward: Forward, model: Qwen2ForCausalLM) -> list[torch.Tensor]:
    """Hidden states of: a prompt prefilled in two chunks, then two rows (one left-padded)
    decoding a step of one token and a step of three."""
    torch.manual_seed(9)
    prompt = torch.randint(0, 3000, (1, 23))
    buffer = KVBuffer.empty(model, 64)
    outputs = [
        forward(prompt[:, :15], torch.arange(0, 15).unsqueeze(0), None, buffer.cache()),
        forward(prompt[:, 15:], torch.arange(15, 23).unsqueeze(0), None, buffer.cache()),
    ]
    shorter = KVBuffer.empty(model, 64)
    forward(prompt[:, :9], torch.arange(0, 9).unsqueeze(0), None, shorter.cache())
    batch = buffer.join(shorter)
    mask = torch.zeros(2, 23, dtype=torch.long)
    mask[0], mask[1, 23 - 9:] = 1, 1
    for width in (1, 3):
        ids = torch.randint(0, 3000, (2, width))
        first = int(mask[0].sum())
        positions = torch.stack([torch.arange(first, first + width),
                                 torch.arange(9, 9 + width)])
        mask = torch.cat([mask, torch.ones(2, width, dtype=torch.long)], dim=1)
        outputs.append(forward(ids, positions, mask, batch.cache()))
    return outputs


@pytest.mark.parametrize("quantized", [True, False], ids=["int8", "fp32"])
def test_lean_forward_is_bitwise_the_models_own(quantized: bool) -> None:
    reference = _model(quantized)
    model = copy.deepcopy(reference)
    lean = LeanForward.for_model(model)
    assert lean is not None

    def own(ids: torch.Tensor, positions: torch.Tensor, mask: torch.Tensor | None,
            cache: Any) -> torch.Tensor:
        return reference.model(input_ids=ids, position_ids=positions, attention_mask=mask,
                               cache=cache, use_cache=True).last_hidden_state

    with torch.inference_mode():
        expected = _passes(own, reference)
        got = _passes(lean, model)
    for want, have in zip(expected, got, strict=True):
        assert torch.equal(want, have)
    if quantized:  # fused: 4 products a layer, the model's own forward still correct
        layer = model.model.layers[0]
        assert type(layer.self_attn.q_proj).__name__ == "_Part"
        # A second decoder on the same model finds the fused products, and agrees.
        again = LeanForward.for_model(model)
        assert again is not None and len(again._layers[0].qkv) == 1
        with torch.inference_mode():
            for want, have in zip(expected, _passes(again, model), strict=True):
                assert torch.equal(want, have)
        with torch.inference_mode():
            ids = torch.randint(0, 3000, (1, 7))
            torch.testing.assert_close(model(ids).logits, reference(ids).logits, rtol=0, atol=0)


def test_other_models_keep_their_own_forward() -> None:
    model = _model(quantized=False)
    model.config._attn_implementation = "eager"
    assert LeanForward.for_model(model) is None
