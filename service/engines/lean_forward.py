"""The decoder's forward pass over a Qwen2 model without transformers' per-module machinery,
with the int8 model's q/k/v and gate/up projections each fused into one matrix.

Why: a decode step of the 0.5B model on two CPU threads is about 170 int8 matrix-vector
products; at that size what surrounds them counts. `Qwen2Model.forward` goes through output
capturing, keyword plumbing and a module call (with its hook checks) for every projection and
norm, and the three q/k/v products (and the two gate/up ones) each quantize the same input
again and start their own parallel region. Here one layer is a flat sequence of the same
tensor operations, and 7 products per layer become 4.

The hidden states are bitwise the ones the model's own forward gives (tests/test_lean_forward.py):
the same operations on the same values in the same order, the causal mask and the attention
call are transformers' own functions, and a fused int8 matrix keeps every part's scale as its
rows' scale (per-row quantization), so each output element is the same integer dot product
scaled by the same number.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable
from typing import Any

import torch
from transformers import DynamicCache, PreTrainedModel
from transformers.integrations.sdpa_attention import sdpa_attention_forward
from transformers.masking_utils import create_causal_mask

_Int8Linear = torch.ao.nn.quantized.dynamic.Linear


class _Part(torch.nn.Module):
    """What a fused projection leaves in the model in place of one of its parts: that part's
    columns of the fused product. The model's own forward stays correct (each part computes
    the whole product: slower, and only tests and tools call it); no weight is held twice."""

    def __init__(self, fused: torch.nn.Module, start: int, end: int) -> None:
        super().__init__()
        self.fused, self.start, self.end = fused, start, end

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.fused(x)[..., self.start : self.end]


def _fuse(parts: list[Any]) -> _Int8Linear | None:
    """One int8 linear computing every part's output side by side, or None where a part is
    not a per-tensor int8 linear (the fp32 and bf16 models keep their separate products: a
    float matrix product's summation order may depend on its width)."""
    if not all(isinstance(p, _Int8Linear) for p in parts):
        return None
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # the deprecation notice of quantized tensors
        weights = [p.weight() for p in parts]
        if any(w.qscheme() != torch.per_tensor_affine for w in weights):
            return None
        values = torch.cat([w.int_repr() for w in weights])
        scales = torch.cat([
            torch.full((w.shape[0],), w.q_scale(), dtype=torch.double) for w in weights
        ])
        zero_points = torch.cat([
            torch.full((w.shape[0],), w.q_zero_point(), dtype=torch.long) for w in weights
        ])
        biases = [p.bias() for p in parts]
        bias = torch.cat(biases) if all(b is not None for b in biases) else None
        if bias is None and any(b is not None for b in biases):
            return None
        fused = _Int8Linear(values.shape[1], values.shape[0], bias_=bias is not None,
                            dtype=torch.qint8)
        fused.set_weight_bias(
            torch._make_per_channel_quantized_tensor(values, scales, zero_points, 0), bias
        )
    return fused


def _projections(owner: torch.nn.Module, names: list[str]) -> tuple[list[Any], list[int]]:
    """[the fused projection of `owner`'s `names`] and where each part's columns end, or the
    separate projections and [] where they cannot be fused; fused parts become `_Part`s."""
    parts = [getattr(owner, name) for name in names]
    if all(isinstance(p, _Part) for p in parts) and len({id(p.fused) for p in parts}) == 1:
        return [parts[0].fused], [p.end for p in parts]  # fused by an earlier decoder
    fused = _fuse(parts)
    if fused is None:
        return parts, []
    ends, end = [], 0
    for name, part in zip(names, parts, strict=True):
        start, end = end, end + part.out_features
        ends.append(end)
        setattr(owner, name, _Part(fused, start, end))
    return [fused], ends


def _product(linear: Any) -> Callable[[torch.Tensor], torch.Tensor]:
    """The linear layer as a function: for an int8 one, the operator its forward calls (with
    the same arguments; its fp32 output needs no cast), without the module call around it."""
    if isinstance(linear, _Int8Linear) and linear.version == 4 and \
            linear._packed_params.dtype == torch.qint8:
        packed = linear._packed_params._packed_params
        operator = torch.ops.quantized.linear_dynamic.default
        return lambda x: operator(x, packed, True) if x.dtype == torch.float32 else linear(x)
    return linear


def _rms_norm(norm: Any, x: torch.Tensor) -> torch.Tensor:
    """Qwen2RMSNorm.forward, operation for operation."""
    dtype = x.dtype
    x = x.to(torch.float32)
    variance = x.pow(2).mean(-1, keepdim=True)
    x = x * torch.rsqrt(variance + norm.variance_epsilon)
    return norm.weight * x.to(dtype)


def _rotate_half(x: torch.Tensor) -> torch.Tensor:
    half = x.shape[-1] // 2
    return torch.cat((-x[..., half:], x[..., :half]), dim=-1)


class _Layer:
    def __init__(self, layer: Any) -> None:
        attention, mlp = layer.self_attn, layer.mlp
        self.attention = attention
        self.groups = int(getattr(attention, "num_key_value_groups", 1))
        self.input_norm, self.post_norm = layer.input_layernorm, layer.post_attention_layernorm
        self.head_dim = attention.head_dim
        self.scaling = attention.scaling
        qkv, self.qkv_ends = _projections(attention, ["q_proj", "k_proj", "v_proj"])
        gate_up, self.gate_up_ends = _projections(mlp, ["gate_proj", "up_proj"])
        self.qkv = [_product(p) for p in qkv]
        self.gate_up = [_product(p) for p in gate_up]
        self.o_proj, self.down_proj = _product(attention.o_proj), _product(mlp.down_proj)
        self.act = mlp.act_fn

    def _attend(
        self, query: torch.Tensor, key: torch.Tensor, value: torch.Tensor,
        mask: torch.Tensor | None,
    ) -> torch.Tensor:
        """Attention, [batch, positions, heads, head_dim] out, as transformers' SDPA function.

        Where that function would copy every KV head once per query head sharing it
        (`repeat_kv`: several query positions under a mask, i.e. the passes that feed forced
        tokens, and prefill chunks after the cached prefix), SDPA is asked to share the heads
        itself (`enable_gqa`): on the CPU the same kernel on the same values, bitwise the same
        output (tests/test_lean_forward.py), without writing 7 copies of the layer's KV each
        pass (on the seed's 995 positions ~30 % of such a pass's attention time)."""
        if self.groups > 1 and mask is not None and query.shape[2] > 1 and \
                query.device.type == "cpu":
            attended = torch.nn.functional.scaled_dot_product_attention(
                query, key, value, attn_mask=mask, scale=self.scaling, enable_gqa=True
            )
            return attended.transpose(1, 2)
        attended, _ = sdpa_attention_forward(
            self.attention, query, key, value, mask, dropout=0.0, scaling=self.scaling,
            sliding_window=None,
        )
        return attended

    def __call__(
        self, hidden: torch.Tensor, cos: torch.Tensor, sin: torch.Tensor,
        mask: torch.Tensor | None, cache_layer: Any,
    ) -> torch.Tensor:
        shape = hidden.shape[:-1]
        heads_shape = (*shape, -1, self.head_dim)
        residual = hidden
        normed = _rms_norm(self.input_norm, hidden)
        if self.qkv_ends:
            both = self.qkv[0](normed)
            q_end, k_end, _ = self.qkv_ends
            # Queries and keys rotated together, as positions x heads (cos and sin broadcast
            # over the heads): the same elementwise operations on the same values, half the
            # operator calls.
            heads = q_end // self.head_dim
            rotated = both[..., :k_end].view(heads_shape)
            rotated = (rotated * cos.transpose(1, 2)) + (_rotate_half(rotated) * sin.transpose(1, 2))
            query = rotated[..., :heads, :].transpose(1, 2)
            key = rotated[..., heads:, :].transpose(1, 2)
            value = both[..., k_end:].view(heads_shape).transpose(1, 2)
        else:
            query, key, value = (part(normed) for part in self.qkv)
            query = query.view(heads_shape).transpose(1, 2)
            key = key.view(heads_shape).transpose(1, 2)
            value = value.view(heads_shape).transpose(1, 2)
            query = (query * cos) + (_rotate_half(query) * sin)
            key = (key * cos) + (_rotate_half(key) * sin)
        key, value = cache_layer.update(key, value)
        attended = self._attend(query, key, value, mask).reshape(*shape, -1).contiguous()
        hidden = residual + self.o_proj(attended)
        residual = hidden
        normed = _rms_norm(self.post_norm, hidden)
        if self.gate_up_ends:
            both = self.gate_up[0](normed)
            split = self.gate_up_ends[0]
            gate, up = both[..., :split], both[..., split:]
        else:
            gate, up = (part(normed) for part in self.gate_up)
        return residual + self.down_proj(self.act(gate) * up)


class LeanForward:
    """`model.model(...)`'s last hidden states for the decoder's passes (see the module's
    docstring). Build it with `for_model`, which says None for a model it does not know."""

    def __init__(self, model: PreTrainedModel) -> None:
        self._body = model.model
        self._config = model.config
        self._layers = [_Layer(layer) for layer in self._body.layers]

    @classmethod
    def for_model(cls, model: PreTrainedModel) -> LeanForward | None:
        """A lean forward of a Qwen2 model with SDPA attention and no sliding window (the
        embedded models), or None: the decoder then calls the model's own forward."""
        config = model.config
        if (config.model_type != "qwen2" or config._attn_implementation != "sdpa"
                or any(kind != "full_attention" for kind in config.layer_types)):
            return None
        return cls(model)

    def __call__(
        self, input_ids: torch.Tensor, position_ids: torch.Tensor,
        attention_mask: torch.Tensor | None, cache: DynamicCache,
    ) -> torch.Tensor:
        """The final norm's output at every position, as `model.model(...).last_hidden_state`."""
        body = self._body
        hidden = body.embed_tokens(input_ids)
        mask = create_causal_mask(
            config=self._config, inputs_embeds=hidden, attention_mask=attention_mask,
            cache=cache, position_ids=position_ids,
        )
        cos, sin = body.rotary_emb(hidden, position_ids)
        cos, sin = cos.unsqueeze(1), sin.unsqueeze(1)
        for layer, cache_layer in zip(self._layers, cache.layers, strict=True):
            hidden = layer(hidden, cos, sin, mask, cache_layer)
        return _rms_norm(body.norm, hidden)
