"""oasim's independent PyTorch implementation of VideoMamba (official clip semantics) and videomamba-stream.

Written from the facts in shared/reference/videomamba.md (official OpenGVLab/VideoMamba semantics);
parameter names equal the official state-dict keys so checkpoints load with load_state_dict.
Used as the golden reference for the C++ model, for export, and for training the streaming model.

Variants
- "videomamba": official clip model. Sequence [cls, frame0 patches, frame1 patches, ...]; the
  backward branch runs over the whole reversed sequence; the head reads token 0.
- "videomamba-stream": per frame [patches..., readout]; the readout token is `cls_token` (+ pos_embed[0])
  placed at the end of every frame. The forward branch is causal over the whole stream (conv + SSM
  state carried across frames); the backward branch runs within the current frame only, from zero
  state. No temporal positional embedding (the causal state carries time). Logits after every frame.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, asdict, fields

import torch
import torch.nn as nn
import torch.utils.checkpoint
import torch.nn.functional as F

from .noise import device_calls
from .selective_scan import selective_scan

VARIANTS = ("videomamba", "videomamba-stream")


@dataclass
class ModelConfig:
    variant: str = "videomamba"
    embed_dim: int = 192
    depth: int = 24
    d_state: int = 16
    d_conv: int = 4
    expand: int = 2
    dt_rank: int = 12
    patch_size: int = 16
    tubelet_size: int = 1
    num_frames: int = 8
    img_size: int = 224
    in_chans: int = 3
    num_classes: int = 400

    @property
    def d_inner(self) -> int:
        return self.expand * self.embed_dim

    @property
    def patches_per_frame(self) -> int:
        return (self.img_size // self.patch_size) ** 2

    @property
    def is_stream(self) -> bool:
        return self.variant == "videomamba-stream"

    def validate(self) -> None:
        if self.variant not in VARIANTS:
            raise ValueError(f"variant '{self.variant}' is not one of {VARIANTS}")
        if self.img_size % self.patch_size:
            raise ValueError(f"img_size {self.img_size} is not a multiple of patch_size {self.patch_size}")
        if self.num_frames % self.tubelet_size:
            raise ValueError(f"num_frames {self.num_frames} is not a multiple of tubelet_size {self.tubelet_size}")
        if self.is_stream and self.tubelet_size != 1:
            raise ValueError("videomamba-stream needs tubelet_size 1 (one frame per streaming step)")

    def to_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, d: dict) -> "ModelConfig":
        names = {f.name for f in fields(cls)}
        return cls(**{k: v for k, v in d.items() if k in names})


def tiny_config(variant="videomamba", **kw) -> ModelConfig:
    base = dict(variant=variant, embed_dim=32, depth=2, d_state=16, d_conv=4, expand=2, dt_rank=2,
                patch_size=8, tubelet_size=1, num_frames=3, img_size=32, in_chans=3, num_classes=10)
    base.update(kw)
    return ModelConfig(**base)


def videomamba_ti_config(variant="videomamba", **kw) -> ModelConfig:
    base = dict(variant=variant, embed_dim=192, depth=24, d_state=16, d_conv=4, expand=2, dt_rank=12,
                patch_size=16, tubelet_size=1, num_frames=8, img_size=224, in_chans=3, num_classes=400)
    base.update(kw)
    return ModelConfig(**base)


class RMSNorm(nn.Module):
    """x / sqrt(mean(x^2) + eps) * weight, computed in the input dtype (fp32 in the official model)."""

    def __init__(self, dim: int, eps: float = 1e-5):
        super().__init__()
        self.eps = eps
        self.weight = nn.Parameter(torch.ones(dim))

    def forward(self, x):
        return x * torch.rsqrt(x.pow(2).mean(-1, keepdim=True) + self.eps) * self.weight


def causal_depthwise_conv(x, weight, bias, conv_state=None):
    """x [Bt, L, Di]; weight [Di, 1, K]; conv_state [Bt, Di, K-1] = the last K-1 inputs before x (zeros if None).

    Returns (out [Bt, L, Di], new_state [Bt, Di, K-1])."""
    bt, length, di = x.shape
    k = weight.shape[-1]
    xt = x.transpose(1, 2)                                                # [Bt, Di, L]
    if conv_state is None:
        conv_state = xt.new_zeros(bt, di, k - 1)
    full = torch.cat([conv_state, xt], dim=2)                             # [Bt, Di, K-1+L]
    out = F.conv1d(full, weight, bias, groups=di)                         # [Bt, Di, L]
    return out.transpose(1, 2), full[:, :, -(k - 1):]


class BiMambaMixer(nn.Module):
    def __init__(self, cfg: ModelConfig):
        super().__init__()
        d, di, n, r, k = cfg.embed_dim, cfg.d_inner, cfg.d_state, cfg.dt_rank, cfg.d_conv
        self.cfg = cfg
        self.in_proj = nn.Linear(d, 2 * di, bias=False)
        self.out_proj = nn.Linear(di, d, bias=False)
        for sfx in ("", "_b"):
            setattr(self, "conv1d" + sfx, nn.Conv1d(di, di, k, groups=di, bias=True))
            setattr(self, "x_proj" + sfx, nn.Linear(di, r + 2 * n, bias=False))
            setattr(self, "dt_proj" + sfx, nn.Linear(r, di, bias=True))
        self.A_log = nn.Parameter(torch.log(torch.arange(1, n + 1, dtype=torch.float32)).repeat(di, 1))
        self.A_b_log = nn.Parameter(torch.log(torch.arange(1, n + 1, dtype=torch.float32)).repeat(di, 1))
        self.D = nn.Parameter(torch.ones(di))
        self.D_b = nn.Parameter(torch.ones(di))

    def branch(self, x, z, sfx: str, conv_state=None, ssm_state=None, scan_impl="loop"):
        """One direction of the mixer on x, z [Bt, L, Di]. Returns (y [Bt, L, Di], conv_state, ssm_state)."""
        cfg = self.cfg
        conv = getattr(self, "conv1d" + sfx)
        u, conv_state = causal_depthwise_conv(x, conv.weight, conv.bias, conv_state)
        u = F.silu(u)
        dbc = getattr(self, "x_proj" + sfx)(u)
        dt, Bm, Cm = torch.split(dbc, [cfg.dt_rank, cfg.d_state, cfg.d_state], dim=-1)
        dtp = getattr(self, "dt_proj" + sfx)
        delta = F.softplus(dtp(dt))
        A = -torch.exp(getattr(self, "A_log" if sfx == "" else "A_b_log"))
        Dv = getattr(self, "D" + sfx)
        y, ssm_state = selective_scan(u, delta, A, Bm, Cm, Dv, ssm_state, impl=scan_impl)
        return y * F.silu(z), conv_state, ssm_state

    def forward(self, hidden, state=None, segment: int | None = None, scan_impl="loop", record=None):
        """hidden [B, L, D]. state: dict(conv, ssm) of the forward branch (stream) or None.

        segment: None = backward branch over the whole sequence (clip); else the backward branch runs
        independently inside consecutive segments of this many tokens (one frame each, stream).
        Returns (out [B, L, D], new_state)."""
        b, length, _ = hidden.shape
        xz = self.in_proj(hidden)
        x, z = xz.chunk(2, dim=-1)
        conv_s = None if state is None else state["conv"]
        ssm_s = None if state is None else state["ssm"]
        y_f, conv_s, ssm_s = self.branch(x, z, "", conv_s, ssm_s, scan_impl)
        if segment is None:
            xb, zb = x.flip(1), z.flip(1)
        else:
            assert length % segment == 0, "sequence is not a whole number of frames"
            nseg = length // segment
            xb = x.reshape(b * nseg, segment, -1).flip(1)
            zb = z.reshape(b * nseg, segment, -1).flip(1)
        y_b, _, _ = self.branch(xb, zb, "_b", None, None, scan_impl)
        y_b = y_b.flip(1).reshape(b, length, -1)
        if record is not None:
            record["y_fwd"], record["y_bwd"] = y_f, y_b
        out = self.out_proj(y_f + y_b)
        return out, {"conv": conv_s, "ssm": ssm_s}


class Block(nn.Module):
    def __init__(self, cfg: ModelConfig):
        super().__init__()
        self.norm = RMSNorm(cfg.embed_dim)
        self.mixer = BiMambaMixer(cfg)


class PatchEmbed(nn.Module):
    def __init__(self, cfg: ModelConfig):
        super().__init__()
        p, t = cfg.patch_size, cfg.tubelet_size
        self.proj = nn.Conv3d(cfg.in_chans, cfg.embed_dim, kernel_size=(t, p, p), stride=(t, p, p))

    def forward(self, video):
        """video [B, C, T, H, W] -> tokens [B, T', n, D]."""
        x = self.proj(video)                                              # [B, D, T', h, w]
        return x.flatten(3).permute(0, 2, 3, 1)


class VideoMamba(nn.Module):
    def __init__(self, cfg: ModelConfig):
        super().__init__()
        cfg.validate()
        self.cfg = cfg
        d = cfg.embed_dim
        self.patch_embed = PatchEmbed(cfg)
        self.cls_token = nn.Parameter(torch.zeros(1, 1, d))
        self.pos_embed = nn.Parameter(torch.zeros(1, cfg.patches_per_frame + 1, d))
        if not cfg.is_stream:
            self.temporal_pos_embedding = nn.Parameter(torch.zeros(1, cfg.num_frames // cfg.tubelet_size, d))
        self.layers = nn.ModuleList([Block(cfg) for _ in range(cfg.depth)])
        self.norm_f = RMSNorm(d)
        self.head = nn.Linear(d, cfg.num_classes)

    # ---------------------------------------------------------------- embedding
    def embed_clip(self, video):
        tok = self.patch_embed(video) + self.pos_embed[:, 1:].unsqueeze(1)           # [B, T', n, D]
        tok = tok + self.temporal_pos_embedding.unsqueeze(2)
        b = tok.shape[0]
        cls = (self.cls_token + self.pos_embed[:, :1]).expand(b, -1, -1)
        return torch.cat([cls, tok.flatten(1, 2)], dim=1)

    def embed_stream(self, video):
        tok = self.patch_embed(video) + self.pos_embed[:, 1:].unsqueeze(1)           # [B, T, n, D]
        b, t = tok.shape[:2]
        readout = (self.cls_token + self.pos_embed[:, :1]).expand(b, t, 1, -1)
        return torch.cat([tok, readout], dim=2).flatten(1, 2)                         # [B, T*(n+1), D]

    # ---------------------------------------------------------------- trunk
    def trunk(self, seq, states=None, segment=None, scan_impl="loop", record=None, checkpoint=False):
        residual = None
        hidden = seq
        new_states = []
        for i, layer in enumerate(self.layers):
            residual = hidden if residual is None else residual + hidden
            normed = layer.norm(residual)
            st = None if states is None else states[i]
            rec = None
            if record is not None:
                rec = {}
            if checkpoint and self.training:
                hidden, ns = torch.utils.checkpoint.checkpoint(
                    layer.mixer, normed, st, segment, scan_impl, None, use_reentrant=False)
            else:
                hidden, ns = layer.mixer(normed, st, segment, scan_impl, rec)
            new_states.append(ns)
            if record is not None:
                rec["block_out"] = residual + hidden
                record.setdefault("blocks", []).append(rec)
        return self.norm_f(residual + hidden), new_states

    def forward(self, video, scan_impl="loop", record=None, checkpoint=False):
        """Clip call. videomamba: logits [B, classes]. videomamba-stream: logits per frame [B, T, classes]."""
        if self.cfg.is_stream:
            logits, _ = self.forward_stream(video, None, scan_impl, record, checkpoint)
            return logits
        # On the simulated hardware (optical.py) each clip of the batch is one call of every Linear.
        with device_calls(video.shape[0]):
            seq = self.embed_clip(video)
            if record is not None:
                record["embed"] = seq
            feats, _ = self.trunk(seq, None, None, scan_impl, record, checkpoint)
            return self.head(feats[:, 0])

    def forward_stream(self, video, states=None, scan_impl="loop", record=None, checkpoint=False):
        """Stream model on T frames [B, C, T, H, W] starting from `states` (None = fresh).

        Returns (logits [B, T, classes], states after the last frame)."""
        seg = self.cfg.patches_per_frame + 1
        b, t = video.shape[0], video.shape[2]
        # On the simulated hardware (optical.py) every frame of every stream is one call of each Linear, as
        # `oasim infer` feeds a stream frame by frame: its detector noise is drawn in that order.
        with device_calls(b * t):
            seq = self.embed_stream(video)
            if record is not None:
                record["embed"] = seq
            feats, states = self.trunk(seq, states, seg, scan_impl, record, checkpoint)
            readouts = feats.view(b, t, seg, -1)[:, :, -1]
            return self.head(readouts), states


def init_random_(model: VideoMamba, seed: int, scale: float = 1.0) -> VideoMamba:
    """Deterministic random initialisation with trained-like magnitudes (Mamba's dt and A_log schemes).

    Used for golden tests and as the starting point of training."""
    g = torch.Generator().manual_seed(seed)
    cfg = model.cfg

    def normal_(p, std):
        with torch.no_grad():
            p.copy_(torch.randn(p.shape, generator=g, dtype=torch.float64).to(p.dtype) * std)

    def uniform_(p, lo, hi):
        with torch.no_grad():
            p.copy_((torch.rand(p.shape, generator=g, dtype=torch.float64) * (hi - lo) + lo).to(p.dtype))

    d, di = cfg.embed_dim, cfg.d_inner
    fan_patch = cfg.in_chans * cfg.tubelet_size * cfg.patch_size ** 2
    normal_(model.patch_embed.proj.weight, scale / math.sqrt(fan_patch))
    normal_(model.patch_embed.proj.bias, 0.02)
    normal_(model.cls_token, 0.02)
    normal_(model.pos_embed, 0.02)
    if not cfg.is_stream:
        normal_(model.temporal_pos_embedding, 0.02)
    for layer in model.layers:
        uniform_(layer.norm.weight, 0.8, 1.2)
        m = layer.mixer
        normal_(m.in_proj.weight, scale / math.sqrt(d))
        # Mamba rescales out_proj by 1/sqrt(depth) so the residual stream stays bounded.
        normal_(m.out_proj.weight, scale / math.sqrt(di) / math.sqrt(cfg.depth))
        for sfx in ("", "_b"):
            conv = getattr(m, "conv1d" + sfx)
            normal_(conv.weight, 1.0 / math.sqrt(cfg.d_conv))
            normal_(conv.bias, 0.1)
            normal_(getattr(m, "x_proj" + sfx).weight, scale / math.sqrt(di))
            dtp = getattr(m, "dt_proj" + sfx)
            normal_(dtp.weight, cfg.dt_rank ** -0.5)
            # dt in [1e-3, 1e-1] log-uniform, bias = inverse softplus(dt): Mamba's initialisation.
            with torch.no_grad():
                u = torch.rand(di, generator=g, dtype=torch.float64)
                dt = torch.exp(u * (math.log(0.1) - math.log(1e-3)) + math.log(1e-3)).clamp(min=1e-4)
                dtp.bias.copy_((dt + torch.log(-torch.expm1(-dt))).to(dtp.bias.dtype))
        with torch.no_grad():
            a = torch.log(torch.arange(1, cfg.d_state + 1, dtype=torch.float64)).repeat(di, 1)
            m.A_log.copy_(a + 0.05 * torch.randn(a.shape, generator=g, dtype=torch.float64))
            m.A_b_log.copy_(a + 0.05 * torch.randn(a.shape, generator=g, dtype=torch.float64))
        uniform_(m.D, 0.5, 1.5)
        uniform_(m.D_b, 0.5, 1.5)
    uniform_(model.norm_f.weight, 0.8, 1.2)
    normal_(model.head.weight, 1.0 / math.sqrt(d))
    normal_(model.head.bias, 0.02)
    return model
