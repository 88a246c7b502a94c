"""The low-memory int8 loader builds the same model quantize_dynamic makes of the fp32 one."""

from __future__ import annotations

import warnings
from pathlib import Path

import pytest
import torch
from transformers import AutoModelForCausalLM, Qwen2Config, Qwen2ForCausalLM

from service.engines.cpu_int8 import load_int8, quantize_loaded


@pytest.mark.slow
def test_same_logits_as_quantize_dynamic_of_the_fp32_model(tmp_path: Path) -> None:
    torch.manual_seed(3)
    config = Qwen2Config(
        vocab_size=20000, hidden_size=64, intermediate_size=128, num_hidden_layers=3,
        num_attention_heads=4, num_key_value_heads=2, max_position_embeddings=512,
        tie_word_embeddings=True, initializer_range=0.2,
    )
    Qwen2ForCausalLM(config).to(torch.bfloat16).save_pretrained(tmp_path)  # as the cache holds it
    reference = AutoModelForCausalLM.from_pretrained(tmp_path, dtype=torch.float32).eval()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        reference = torch.ao.quantization.quantize_dynamic(
            reference, {torch.nn.Linear}, dtype=torch.qint8
        )
    loaded = load_int8(tmp_path)
    assert isinstance(loaded.lm_head, torch.ao.nn.quantized.dynamic.Linear)
    assert loaded.model.embed_tokens.weight.dtype == torch.bfloat16
    ids = torch.randint(0, 20000, (2, 17))
    with torch.inference_mode():
        expected = reference(ids).logits
        got = loaded(ids).logits
    assert got.dtype == torch.float32
    torch.testing.assert_close(got, expected, rtol=0, atol=0)
    # A model already in memory (a hub id) becomes the same int8 model.
    in_memory = quantize_loaded(AutoModelForCausalLM.from_pretrained(tmp_path, dtype=torch.bfloat16))
    assert isinstance(in_memory.lm_head, torch.ao.nn.quantized.dynamic.Linear)
    with torch.inference_mode():
        torch.testing.assert_close(in_memory(ids).logits, expected, rtol=0, atol=0)
