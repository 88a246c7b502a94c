"""Load a causal-LM checkpoint straight into a dynamic-int8 model, with little memory.

`from_pretrained` in fp32 followed by `quantize_dynamic` holds the whole model in fp32 (2 GB for
0.5B parameters) plus the memory-mapped file, and glibc keeps the freed fp32 pages: start-up
peaked at 3.6 GB and the server stayed at 2.7 GB. Here the model is built empty, then each
decoder layer is read from the safetensors file (opened per layer, so the file's pages do not
pile up in the process), made fp32, quantized and its fp32 copy freed before the next one.
"""

from __future__ import annotations

import json
import warnings
from pathlib import Path

import torch
from safetensors import safe_open
from transformers import AutoConfig, AutoModelForCausalLM, GenerationConfig, PreTrainedModel

from service.engines.memory import release_freed_memory
from service.engines.output_rows import OutputRows


def _quantize(module: torch.nn.Module) -> torch.nn.Module:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # torch.ao's deprecation notice; still the fastest here
        return torch.ao.quantization.quantize_dynamic(
            module, {torch.nn.Linear}, dtype=torch.qint8, inplace=True
        )


def _weight_files(checkpoint: Path) -> dict[str, Path]:
    """Tensor name -> file, for one safetensors file or a sharded index."""
    index = checkpoint / "model.safetensors.index.json"
    if index.is_file():
        mapping = json.loads(index.read_text())["weight_map"]
        return {name: checkpoint / file for name, file in mapping.items()}
    single = checkpoint / "model.safetensors"
    with safe_open(single, framework="pt") as handle:
        return {name: single for name in handle.keys()}  # noqa: SIM118 (not a dict)


def _read(
    files: dict[str, Path], names: list[str], dtype: torch.dtype = torch.float32
) -> dict[str, torch.Tensor]:
    by_file: dict[Path, list[str]] = {}
    for name in names:
        by_file.setdefault(files[name], []).append(name)
    tensors = {}
    for file, wanted in by_file.items():
        with safe_open(file, framework="pt") as handle:  # closed (unmapped) right away
            for name in wanted:
                tensors[name] = handle.get_tensor(name).to(dtype)
    return tensors


def _int8_linear(weight: torch.Tensor, rows: int = 8192) -> tuple[torch.nn.Module, float, int]:
    """What quantize_dynamic makes of a bias-free Linear, built a block of rows at a time: the
    152k-row output layer would otherwise need a 545 MB fp32 copy first; with the scale and
    zero point its values were quantized with."""
    qconfig = torch.ao.quantization.default_dynamic_qconfig
    observer = qconfig.weight()
    for start in range(0, weight.shape[0], rows):
        observer(weight[start : start + rows].float())
    scale, zero_point = observer.calculate_qparams()
    values = torch.empty(weight.shape, dtype=torch.int8)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # the deprecation notice of quantized tensors
        for start in range(0, weight.shape[0], rows):
            block = weight[start : start + rows].float()
            values[start : start + rows] = torch.quantize_per_tensor(
                block, float(scale), int(zero_point), torch.qint8
            ).int_repr()
        quantized = torch._make_per_tensor_quantized_tensor(values, float(scale), int(zero_point))
        linear = torch.ao.nn.quantized.dynamic.Linear(
            weight.shape[1], weight.shape[0], bias_=False, dtype=torch.qint8
        )
        linear.set_weight_bias(quantized, None)
    return linear, float(scale), int(zero_point)


def _fill(module: torch.nn.Module, prefix: str, tensors: dict[str, torch.Tensor]) -> None:
    state = {name.removeprefix(prefix): t for name, t in tensors.items() if name.startswith(prefix)}
    missing, unexpected = module.load_state_dict(state, strict=False, assign=True)
    missing = [m for m in missing if not m.endswith("inv_freq")]
    if missing or unexpected:
        raise ValueError(f"checkpoint does not fit the model at {prefix!r}: missing {missing[:3]}")


def _int8_head_bf16_embeddings(
    model: PreTrainedModel, head: torch.Tensor, embeddings: torch.Tensor
) -> tuple[float, int]:
    """The output layer as int8 (its own copy when tied to the embeddings) and the embeddings
    in bf16: a row lookup, then fp32 into the first layer; half the memory of an fp32 table.
    Says the output layer's scale and zero point."""
    model.lm_head, scale, zero_point = _int8_linear(head)
    body = model.model
    body.embed_tokens.weight = torch.nn.Parameter(embeddings.to(torch.bfloat16), requires_grad=False)
    body.embed_tokens.register_forward_hook(lambda _m, _i, output: output.float())
    release_freed_memory(collect=True)
    return scale, zero_point


def quantize_loaded(model: PreTrainedModel) -> PreTrainedModel:
    """The same int8 model from one already in memory (a hub id, where there is no local
    checkpoint to read layer by layer); one decoder layer at a time is held in fp32."""
    body = model.model
    _int8_head_bf16_embeddings(
        model, head=model.lm_head.weight.detach(), embeddings=body.embed_tokens.weight.detach()
    )
    for number, layer in enumerate(body.layers):
        _quantize(layer.float())
        release_freed_memory(collect=number % 4 == 3)
    body.norm.float()
    body.rotary_emb.float()
    model.config.dtype = torch.float32
    return model.eval()


def load_int8(checkpoint: str | Path) -> PreTrainedModel:
    """A Qwen2/Llama-style checkpoint (model.layers.N, model.embed_tokens, model.norm, tied or
    separate lm_head) as a CPU model with int8 linear layers and bf16 embeddings."""
    checkpoint = Path(checkpoint)
    config = AutoConfig.from_pretrained(checkpoint)
    with torch.device("meta"):
        model = AutoModelForCausalLM.from_config(config, dtype=torch.float32)
    files = _weight_files(checkpoint)
    body = model.model

    embed_name = "model.embed_tokens.weight"
    head_name = "lm_head.weight" if "lm_head.weight" in files else embed_name
    scale, zero_point = _int8_head_bf16_embeddings(
        model,
        head=_read(files, [head_name], dtype=torch.bfloat16)[head_name],
        embeddings=_read(files, [embed_name], dtype=torch.bfloat16)[embed_name],
    )

    for number, layer in enumerate(body.layers):
        prefix = f"model.layers.{number}."
        _fill(layer, prefix, _read(files, [n for n in files if n.startswith(prefix)]))
        _quantize(layer)
        # A full collection costs ~0.2 s; every fourth layer bounds what waits to ~4 layers.
        release_freed_memory(collect=number % 4 == 3)
    _fill(body.norm, "model.norm.", _read(files, ["model.norm.weight"]))
    # Buffers computed at construction (rotary frequencies) were made on the meta device.
    body.rotary_emb = type(body.rotary_emb)(config=config)
    left = [name for name, t in model.state_dict().items()
            if isinstance(t, torch.Tensor) and t.is_meta]
    if left:
        raise ValueError(f"checkpoint left parts of the model empty: {left[:3]}")
    if (checkpoint / "generation_config.json").is_file():
        model.generation_config = GenerationConfig.from_pretrained(checkpoint)
    # The decoder's passes that the grammar narrows to a few tokens compute only theirs.
    OutputRows.attach(model, OutputRows.of_tensor(files[head_name], head_name, scale, zero_point))
    release_freed_memory(collect=True)
    return model.eval()
