"""The simulated optical hardware as PyTorch layers: OpticalLinear and convert_to_optical.

OpticalLinear computes what the C++ executor computes (models/optical/optical_mvm.cpp,
sim/hardware/optical_linear_executor.cpp), step for step and in the same float32 operations, so that
both give the same numbers (tests/test_optical_torch.py), detector noise included: it is drawn from the
simulator's own Philox streams in the simulator's order (noise.py, tests/test_philox_noise.py):

  1. the recipe's input transform (SmoothQuant scales, randomized block Hadamard, channel order);
  2. DAC: signed codes round(x / s) clamped to +-(2^(b-1)-1), s static (calibrated) or dynamic per token,
     one scale per input-scale group;
  3. Int-N weight codes (RTN per row or per group, or the recipe's GPTQ / clip-searched codes) with the
     device's fixed-pattern error, codes * (1 + sigma * eps);
  4. per optical pass (input_chunk_ranges): the exact product of codes, the offset-encoding bias,
     crosstalk between neighbouring detector rows of a plane tile, detector noise (physical: shot,
     thermal, dark, RIN from the light levels; or gaussian relative to the ADC full scale);
  5. ADC: round to the ADC step over a static (calibrated) or dynamic full scale, saturating;
  6. digital: offset removed, rescaled by input and weight scales, passes accumulated, bias added.

What the simulator calibrates (static DAC scales and ADC ranges, GPTQ codes, recipe transforms) and the
device's fixed-pattern draw are not recomputed here: `oasim infer --hw CONFIG [--recipe R] --device-out
FILE.h5` exports them and convert_to_optical(..., device_state=FILE.h5) loads them, so both sides use
the very same arrays. Without a device state only what needs no calibration is accepted (dynamic DAC and
ADC scales, no fixed-pattern error); anything else is refused with a message naming the layer and key.

Training: the forward value is the hardware's, the gradient is the exact Linear's (a straight-through
estimator over the whole layer: quantizers, noise and ADC), so weights and inputs get gradients.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
import yaml

from . import hardware_config as hwc
from .device_state import DeviceSite, DeviceState, load_device_state  # noqa: F401  (part of the API)
from .hardware_config import HardwareConfigError, max_code
from .noise import PhiloxNoiseStream, current_device_calls, stream_seed
from .optical_numerics import (InputTransform, OpticalConfigError, input_chunk_ranges, light_weights, quantize,  # noqa: F401
                               quantize_weights_rtn, round_half_away)

# Where detector noise comes from. "philox" (default): the simulator's own generator and stream layout
# (noise.py), so a noisy PyTorch run equals `oasim infer --hw --seed N` draw for draw and noisy results
# can be compared value by value, not only in distribution. "torch": torch.randn from a per-site
# torch.Generator, 5 to 20x faster on CPU (Philox is ~30 int64 tensor ops per 4 samples); only worth it
# where generating the noise, not the layer's matmuls, dominates (big-batch CPU training with noise on).
NOISE_RNGS = ("philox", "torch")


# ------------------------------------------------------------------ the layer
@dataclass
class AdcCounter:
    samples: int = 0
    # Summed as a tensor on the layer's device: an int() per optical pass made every pass wait for the GPU
    # (a host sync), which bounded a one-stream VideoMamba-Ti frame by launch latency.
    saturated_sum: object = 0

    @property
    def saturated(self) -> int:
        return int(self.saturated_sum)


class OpticalLinear(nn.Module):
    """y = optical(x W^T) + b with the simulator's numerics; gradient of the exact Linear (STE).

    weight, bias: the Linear's parameters (shared, so fine-tuning updates them). site: the layer's name,
    which seeds its noise stream and finds its state in `device`. noise_seed: the run seed (C++ --seed).
    noise_rng: "philox" (the simulator's draws) or "torch" (NOISE_RNGS)."""

    def __init__(self, weight: nn.Parameter, bias: nn.Parameter | None, hw: hwc.HardwareConfig, site: str,
                 device: DeviceSite | None = None, noise_seed: int = 1, noise_rng: str = "philox"):
        super().__init__()
        self.site, self.hw = site, hw
        self.weight, self.bias = weight, bias
        self.out_features, self.in_features = weight.shape
        self.dac_levels = max_code(hw["modulator.dac_bits"])
        self.weight_levels = max_code(hw["weight_plane.weight_bits"])
        self.adc_levels = max_code(hw["adc.bits"])
        self.group_size = hw["weight_plane.group_size"] if hw["weight_plane.scale"] == "group" else 0
        self.noise = hw["detector.noise_model"] != "off"
        self.noise_params = hwc.detector_noise_params(hw)
        # Offset encoding: one rail carries x + L plus the modulator's light floor, removed digitally.
        self.offset_level = float(np.float32(self.dac_levels) + np.float32(self.noise_params["input_floor"]))
        self.adc_stats = AdcCounter()
        if noise_rng not in NOISE_RNGS:
            raise OpticalConfigError(f"layer '{site}': noise_rng = {noise_rng!r}, expected one of {NOISE_RNGS}")
        self.noise_seed, self.noise_rng = noise_seed, noise_rng
        # The C++ executor's stream for this site: key stream_seed(run seed, "<site>/detector_noise").
        self.noise_stream = PhiloxNoiseStream(stream_seed(noise_seed, site + "/detector_noise"))
        self._generators: dict[str, torch.Generator] = {}
        self.transform = InputTransform()
        self.dac_group_bounds: list[int] = []
        self.adc_group_bounds: list[int] = []
        sigma = hw["weight_plane.fixed_pattern_sigma"]
        self.register_buffer("fixed_pattern", None)
        self.register_buffer("device_codes", None)        # codes the device holds (GPTQ etc. or RTN)
        self.register_buffer("device_scales", None)
        self.register_buffer("device_effective", None)
        self.register_buffer("dac_scales", None)          # static: one per input-scale group
        self.register_buffer("adc_full_scales", None)     # static: one per output-range group
        if device is None:
            self._refuse_without_device(sigma)
            return
        if tuple(device.codes.shape) != (self.out_features, self.in_features):
            raise OpticalConfigError(f"layer '{site}': weight shape {tuple(weight.shape)} but the device state's "
                                     f"'codes' are {tuple(device.codes.shape)}")
        if device.outlier_path:
            raise OpticalConfigError(f"layer '{site}': the recipe's outlier channels (outlier.threshold) are not "
                                     f"modelled in PyTorch")
        self.transform = device.transform
        self.dac_group_bounds, self.adc_group_bounds = device.dac_group_bounds, device.adc_group_bounds
        self.fixed_pattern = device.fixed_pattern.clone()
        self.device_codes, self.device_scales = device.codes.clone(), device.scales.clone()
        self.device_effective = device.effective_codes.clone()
        if hw["modulator.scale"] == "static":
            self.dac_scales = (device.dac_group_scales.clone() if self.dac_group_bounds
                               else torch.tensor([device.dac_scale], dtype=torch.float32))
        if hw["adc.range"] == "static":
            self.adc_full_scales = (device.adc_group_full_scales.clone() if self.adc_group_bounds
                                    else torch.tensor([device.adc_full_scale], dtype=torch.float32))
        # The device holds RTN codes of the current weights unless the recipe computed others (GPTQ, clip
        # search): then they stay frozen (fine-tuning moves the digital weights, not those codes).
        with torch.no_grad():
            rtn, rtn_scales, _ = quantize_weights_rtn(self._transformed_weight(), hw["weight_plane.weight_bits"],
                                                      self.group_size)
        self.frozen_codes = not (torch.equal(rtn, device.codes) and torch.equal(rtn_scales, device.scales))

    def _refuse_without_device(self, sigma: float) -> None:
        need = [(k, v) for k, v, bad in (
            ("modulator.scale", self.hw["modulator.scale"], self.hw["modulator.scale"] == "static"),
            ("adc.range", self.hw["adc.range"], self.hw["adc.range"] == "static"),
            ("weight_plane.fixed_pattern_sigma", sigma, sigma > 0)) if bad]
        if need:
            k, v = need[0]
            raise OpticalConfigError(
                f"layer '{self.site}': {k} = {v} needs the simulator's calibrated device state (static scales, "
                f"fixed-pattern draw): export it with `oasim infer --hw CONFIG --device-out FILE.h5` and pass "
                f"device_state=FILE.h5")

    def extra_repr(self) -> str:
        return (f"site={self.site}, in={self.in_features}, out={self.out_features}, "
                f"W{self.hw['weight_plane.weight_bits']}A{self.hw['modulator.dac_bits']} "
                f"ADC{self.hw['adc.bits']}, noise={self.hw['detector.noise_model'] if self.noise else 'off'}")

    def _transformed_weight(self) -> torch.Tensor:
        w = self.weight.detach().float()
        return w if self.transform.identity() else self.transform.weight(w)

    def weight_codes(self):
        """(codes [M, K], scales [M, groups], effective codes with the fixed-pattern error) on the planes,
        recomputed only when the weight changed (an optimizer step bumps its version)."""
        key = (self.weight._version, self.weight.data_ptr(), str(self.weight.device))
        if getattr(self, "_codes_key", None) != key:
            self._codes = self._weight_codes()
            self._codes_key = key
        return self._codes

    def _weight_codes(self):
        dev = self.weight.device
        if self.device_codes is not None:
            codes, scales = self.device_codes, self.device_scales
            if not self.frozen_codes:
                codes, scales, _ = quantize_weights_rtn(self._transformed_weight(),
                                                        self.hw["weight_plane.weight_bits"], self.group_size)
            if torch.equal(codes, self.device_codes) and torch.equal(scales, self.device_scales):
                return codes, scales, self.device_effective.to(dev)   # the array the device was programmed with
            sigma = float(np.float32(self.hw["weight_plane.fixed_pattern_sigma"]))
            return codes, scales, codes * (1.0 + sigma * self.fixed_pattern)
        codes, scales, _ = quantize_weights_rtn(self._transformed_weight(), self.hw["weight_plane.weight_bits"],
                                                self.group_size)
        return codes, scales, codes

    def noise_generator(self, device: torch.device) -> torch.Generator:
        """The per-device torch.Generator of noise_rng="torch" (not the simulator's draws)."""
        key = str(device)
        if key not in self._generators:
            g = torch.Generator(device=device)
            g.manual_seed(stream_seed(self.noise_seed, self.site + "/detector_noise") & ((1 << 63) - 1))
            self._generators[key] = g
        return self._generators[key]

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        if x.shape[-1] != self.in_features:
            raise OpticalConfigError(f"layer '{self.site}': input has {x.shape[-1]} features, expected "
                                     f"{self.in_features}")
        lead = x.shape[:-1]
        x2 = x.reshape(-1, self.in_features)
        # The hardware's numbers are float32 products of integer codes: never under autocast's bf16/fp16.
        with torch.no_grad(), torch.autocast(device_type=x.device.type, enabled=False):
            y_hw = self.hardware_forward(x2.detach().float()).to(x.dtype)
        if torch.is_grad_enabled() and (x.requires_grad or self.weight.requires_grad):
            y_ref = F.linear(x2, self.weight, self.bias)
            y = y_ref + (y_hw - y_ref).detach()   # straight-through: hardware value, exact-Linear gradient
        else:
            y = y_hw
        return y.reshape(*lead, self.out_features)

    # -------------------------------------------------------------- the optical datapath (optical_mvm.cpp)
    def _dac(self, x: torch.Tensor):
        K = self.in_features
        gb = self.dac_group_bounds or [0, K]
        G = len(gb) - 1
        if self.hw["modulator.scale"] == "dynamic":
            cols = []
            for g in range(G):
                mx = x[:, gb[g]:gb[g + 1]].abs().amax(dim=1)
                cols.append(torch.where(mx > 0, mx / float(self.dac_levels), torch.ones_like(mx)))
            sx = torch.stack(cols, dim=1)
        else:
            if self.dac_scales is None or len(self.dac_scales) < G or bool((self.dac_scales[:G] <= 0).any()):
                raise OpticalConfigError(f"{self.site}: static DAC scale is not calibrated (run calibration or set "
                                         f"modulator.scale: dynamic)")
            sx = self.dac_scales[:G].to(x.device).expand(x.shape[0], G)
        per_col = torch.cat([sx[:, g:g + 1].expand(-1, gb[g + 1] - gb[g]) for g in range(G)], dim=1)
        return quantize(x, per_col, self.dac_levels), sx

    def _crosstalk(self, s: torch.Tensor) -> torch.Tensor:
        c = self.hw["weight_plane.crosstalk"]
        if c <= 0:
            return s
        m = s.shape[1]
        j = torch.arange(m, device=s.device)
        tile_rows = self.hw["weight_plane.rows"]
        start = j - j % tile_rows
        end = torch.clamp(start + tile_rows, max=m)
        zero = torch.zeros_like(s[:, :1])
        left = torch.cat([zero, s[:, :-1]], dim=1) - s
        right = torch.cat([s[:, 1:], zero], dim=1) - s
        cf = float(np.float32(c))
        acc = s + torch.where(j > start, cf * left, torch.zeros_like(s))
        return acc + torch.where(j + 1 < end, cf * right, torch.zeros_like(s))

    def _adc_ranges(self, s: torch.Tensor):
        """Per output row: the static full scale ([M]) or the dynamic one ([L, M]) of its output-range group."""
        M = self.out_features
        ab = self.adc_group_bounds or [0, M]
        if self.hw["adc.range"] == "static":
            G = len(ab) - 1
            if self.adc_full_scales is None or len(self.adc_full_scales) < G:
                raise OpticalConfigError(f"{self.site}: static ADC range is not calibrated (run calibration or set "
                                         f"adc.range: dynamic)")
            fs = torch.cat([self.adc_full_scales[g:g + 1].expand(ab[g + 1] - ab[g]) for g in range(G)])
            return fs.to(s.device)
        return torch.cat([s[:, ab[g]:ab[g + 1]].abs().amax(dim=1, keepdim=True).expand(-1, ab[g + 1] - ab[g])
                          for g in range(len(ab) - 1)], dim=1)

    def _adc(self, s: torch.Tensor) -> torch.Tensor:
        fs = self._adc_ranges(s)
        if self.hw["adc.range"] == "static" and bool((fs <= 0).any()):
            raise OpticalConfigError(f"{self.site}: static ADC range is not calibrated (run calibration or set "
                                     f"adc.range: dynamic)")
        levels = float(self.adc_levels)
        step = fs / levels
        code = round_half_away(s / step)
        sat = (code > levels) | (code < -levels)
        self.adc_stats.samples += s.numel()
        self.adc_stats.saturated_sum = self.adc_stats.saturated_sum + sat.sum()
        code = code.clamp(-levels, levels)
        return torch.where(fs > 0, code * step, torch.zeros_like(s))

    def _draw_noise(self, rows: int, passes: int, device) -> list[torch.Tensor]:
        """N(0, 1) for each optical pass, [rows, M] each. Philox: laid out as the C++ executor consumes its
        site stream: per device call (the rows cut into current_device_calls() equal blocks, in order),
        per pass in plan order, an L x M row-major block (OpticalMvm::run, PhysicalNoise/GaussianNoise)."""
        M = self.out_features
        if self.noise_rng == "torch":
            g = self.noise_generator(device)
            return [torch.randn(rows, M, generator=g, device=device) for _ in range(passes)]
        calls = current_device_calls() or 1
        if rows % calls:
            raise OpticalConfigError(f"layer '{self.site}': {rows} input rows do not split into the {calls} device "
                                     f"calls the model declared (noise.device_calls)")
        z = self.noise_stream.fill(rows * passes * M, device).view(calls, passes, rows // calls, M)
        return [z[:, p].reshape(rows, M) for p in range(passes)]

    def _noise(self, s: torch.Tensor, z: torch.Tensor, xc: torch.Tensor, weff_abs_c: torch.Tensor, offset: bool):
        model = self.hw["detector.noise_model"]
        scale = float(np.float32(self.hw["detector.noise_scale"]))
        if model == "physical":
            p = self.noise_params
            # All light on each output's pair: every rail of every input (the idle rail at the modulator's
            # floor) through both pixels (the dark one at the display's floor): light_budget.hpp.
            a = (xc + self.offset_level) if offset else (xc.abs() + 2 * p["input_floor"])
            light = a @ (weff_abs_c + 2 * p["weight_floor"]).t()
            if self.dac_levels * (2 if offset else 1) <= 255:
                # The simulator's light product holds |weff| as bytes (light_gemm.hpp): the codes' part of
                # the light uses the rounded weights, the floors the exact ones.
                a_codes = (xc + self.dac_levels) if offset else xc.abs()
                light = light + a_codes @ (light_weights(weff_abs_c) - weff_abs_c).t()
            var = p["fixed"] + p["shot"] * light.double() + p["rin"] * s.double().square()
            return s + z * (scale * var.sqrt().float())
        sigma = float(np.float32(self.hw["detector.sigma_rel"] * self.hw["detector.noise_scale"]))
        if self.hw["adc.range"] == "static":
            fs = self._adc_ranges(s)
            dyn = self._dynamic_range(s)
            fs = torch.where(fs > 0, fs.expand_as(s), dyn)
        else:
            fs = self._dynamic_range(s)
        return s + sigma * fs * z

    def _dynamic_range(self, s):
        ab = self.adc_group_bounds or [0, self.out_features]
        return torch.cat([s[:, ab[g]:ab[g + 1]].abs().amax(dim=1, keepdim=True).expand(-1, ab[g + 1] - ab[g])
                          for g in range(len(ab) - 1)], dim=1)

    def hardware_forward(self, x: torch.Tensor) -> torch.Tensor:
        """The optical MVM of rows x [L, K] (float32, no autograd)."""
        if not self.transform.identity():
            x = self.transform.apply(x)
        codes, wscales, weff = self.weight_codes()
        codes, wscales, weff = codes.to(x.device), wscales.to(x.device), weff.to(x.device)
        qx, sx = self._dac(x)
        offset = self.hw["modulator.signed_encoding"] == "offset"
        lv = self.offset_level
        y = torch.zeros(x.shape[0], self.out_features, device=x.device, dtype=torch.float32)
        g_size = codes.shape[1] if self.group_size <= 0 else min(self.group_size, codes.shape[1])
        passes = input_chunk_ranges(self.in_features, self.hw, self.dac_group_bounds)
        noise = self._draw_noise(x.shape[0], len(passes), x.device) if self.noise else None
        for p, (k0, width, dac_group) in enumerate(passes):
            xc = qx[:, k0:k0 + width]
            wc = weff[:, k0:k0 + width]
            s = xc @ wc.t()
            if offset:
                s = s + lv * wc.sum(dim=1)
            s = self._crosstalk(s)
            if self.noise:
                s = self._noise(s, noise[p], xc, wc.abs(), offset)
            s = self._adc(s)
            if offset:
                s = s - lv * codes[:, k0:k0 + width].sum(dim=1)
            group = k0 // g_size if self.group_size > 0 else 0
            y = y + (s * sx[:, dac_group:dac_group + 1]) * wscales[:, group]
        if self.bias is not None:
            y = y + self.bias.detach().float()
        return y


class OpticalPatchEmbed(nn.Module):
    """A Conv3d whose stride equals its kernel (VideoMamba's patch embedding) as one OpticalLinear over the
    patches, columns in the Conv3d weight order (c, dt, py, px) like the simulator's im2col."""

    def __init__(self, conv: nn.Conv3d, hw, site, device=None, noise_seed=1, noise_rng="philox"):
        super().__init__()
        self.kernel = conv.kernel_size
        self.out_channels = conv.out_channels
        w = conv.weight
        # The Linear's weight shares the Conv3d weight's storage (a [D, C*t*p*p] view), so an optimizer
        # stepping it moves the convolution's weight too.
        flat = nn.Parameter(w.detach().view(w.shape[0], -1), requires_grad=w.requires_grad)
        self.linear = OpticalLinear(flat, conv.bias, hw, site, device, noise_seed, noise_rng)

    def forward(self, video: torch.Tensor) -> torch.Tensor:
        b, c, t, h, w = video.shape
        kt, kh, kw = self.kernel
        x = video.reshape(b, c, t // kt, kt, h // kh, kh, w // kw, kw)
        x = x.permute(0, 2, 4, 6, 1, 3, 5, 7).reshape(b, t // kt, h // kh, w // kw, -1)
        y = self.linear(x)                                   # [B, T', h, w, D]
        return y.permute(0, 4, 1, 2, 3)


# ------------------------------------------------------------------ recipes and conversion
_RTN_ONLY_KEYS = {"name", "hardware", "weights"}


def read_recipe(path: str) -> dict:
    """The parts of a recipe (configs/recipes/*.yaml) the PyTorch side needs: its name, its hardware preset,
    and whether it needs the simulator's statistics or calibration (anything beyond plain RTN weights)."""
    try:
        with open(path) as f:
            r = yaml.safe_load(f)
    except OSError:
        raise OpticalConfigError(f"cannot open recipe '{path}': no such file") from None
    if not isinstance(r, dict):
        raise OpticalConfigError(f"{path}: expected a mapping of recipe keys at the top level")
    w = r.get("weights") or {}
    plain = set(r) <= _RTN_ONLY_KEYS and w.get("method", "rtn") == "rtn" and not w.get("clip_search", False)
    return {"name": str(r.get("name", "none")), "hardware": dict(r.get("hardware") or {}), "plain_rtn": plain,
            "path": path}


@dataclass
class ConversionReport:
    optical: list[str] = field(default_factory=list)     # site names now on the optical hardware
    digital: list[str] = field(default_factory=list)     # layers with weights left digital (type unknown here)

    def __str__(self):
        return (f"{len(self.optical)} layers optical, {len(self.digital)} left digital"
                + (f": {', '.join(self.digital)}" if self.digital else ""))


def _hardware_from(hw_config, recipe, sets) -> hwc.HardwareConfig:
    hw = hwc.load(hw_config) if isinstance(hw_config, str) else hwc.HardwareConfig(hw_config)
    if recipe is not None:
        for k, v in recipe["hardware"].items():
            hw.set(k, str(v).lower() if isinstance(v, bool) else str(v), f"{recipe['path']}: hardware")
    for s in sets or []:
        if "=" not in s:
            raise HardwareConfigError(f"--set '{s}': expected KEY=VALUE")
        hw.set(*s.split("=", 1))
    hwc.validate(hw, getattr(hw, "source", "") or "hardware config")
    return hw


def convert_to_optical(model: nn.Module, hw_config, recipe: str | None = None, device_state: str | None = None,
                       sets: list[str] | None = None, noise_seed: int = 1, noise_rng: str = "philox") -> nn.Module:
    """Swaps every nn.Linear (and stride-equals-kernel Conv3d patch embedding) of `model` for the simulated
    optical hardware, in place; returns the model with `model.optical_report` (a ConversionReport).

    hw_config: a hardware config YAML path (validated like the simulator does) or an already parsed
    HardwareConfig. recipe: a recipe YAML path (its hardware preset applies; anything beyond plain RTN
    needs device_state). device_state: the simulator's export (`oasim infer --hw ... --device-out`); its
    hardware must equal the resolved config key for key. noise_seed: the run seed of the noise streams;
    noise_rng: their generator, "philox" (the simulator's draws) or "torch" (NOISE_RNGS)."""
    rec = read_recipe(recipe) if recipe else None
    hw = _hardware_from(hw_config, rec, sets)
    dev = load_device_state(device_state) if device_state else None
    if dev is not None:
        for k, v in hw.items():
            if dev.hardware[k] != v and k != "name":
                raise OpticalConfigError(f"{dev.path}: exported for {k} = {dev.hardware[k]}, but the config says "
                                         f"{k} = {v}")
        if rec is not None and rec["name"] != dev.recipe:
            raise OpticalConfigError(f"{dev.path}: exported with recipe '{dev.recipe}', not '{rec['name']}'")
        if dev.residual_rotation:
            raise OpticalConfigError(f"{dev.path}: the recipe's residual_rotation runs a rotated copy of the model; "
                                     f"not modelled in PyTorch")
    elif rec is not None and not rec["plain_rtn"]:
        raise OpticalConfigError(f"recipe '{rec['path']}' needs the simulator's statistics (GPTQ, transforms, "
                                 f"groups): export them with `oasim infer --hw CONFIG --recipe R --device-out "
                                 f"FILE.h5` and pass device_state=FILE.h5")
    report = ConversionReport()

    def site_state(name):
        if dev is None:
            return None
        if name not in dev.sites:
            raise OpticalConfigError(f"layer '{name}': no site '{name}' in device state {dev.path}")
        return dev.sites[name]

    def convert(parent: nn.Module, prefix: str):
        for child_name, child in list(parent.named_children()):
            name = f"{prefix}{child_name}"
            if isinstance(child, (OpticalLinear, OpticalPatchEmbed)):
                report.optical.append(name)
            elif isinstance(child, nn.MultiheadAttention):
                # Reads its projections' .weight directly (F.multi_head_attention_forward): a swapped
                # out_proj would be bypassed silently, so the whole block stays digital, listed.
                report.digital.append(f"{name} ({type(child).__name__})")
            elif isinstance(child, nn.Linear):
                setattr(parent, child_name, OpticalLinear(child.weight, child.bias, hw, name, site_state(name),
                                                          noise_seed, noise_rng))
                report.optical.append(name)
            elif (isinstance(child, nn.Conv3d) and tuple(child.stride) == tuple(child.kernel_size)
                  and child.groups == 1 and tuple(child.padding) == (0, 0, 0)):
                setattr(parent, child_name, OpticalPatchEmbed(child, hw, name, site_state(name), noise_seed,
                                                                 noise_rng))
                report.optical.append(name)
            elif len(list(child.children())) == 0:
                if any(True for _ in child.parameters(recurse=False)):
                    report.digital.append(f"{name} ({type(child).__name__})")
            else:
                convert(child, name + ".")

    convert(model, "")
    model.optical_report = report
    return model


def optical_layers(model: nn.Module) -> dict[str, OpticalLinear]:
    return {m.site: m for m in model.modules() if isinstance(m, OpticalLinear)}
