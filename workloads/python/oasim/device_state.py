"""The calibrated device state the simulator exports (`oasim infer --hw ... --device-out FILE`,
sim/hardware/device_state_export.cpp): per Linear site the codes, scales, fixed-pattern draw, static
converter scales and the recipe's transform, so PyTorch computes with the very same arrays."""
from __future__ import annotations

from dataclasses import dataclass, field

import h5py
import numpy as np
import torch

from . import hardware_config as hwc
from .optical_numerics import InputTransform, OpticalConfigError


# ------------------------------------------------------------------ the device state exported by the simulator
@dataclass
class DeviceSite:
    """One Linear site's calibrated state (sim/hardware/device_state_export.cpp)."""
    codes: torch.Tensor
    scales: torch.Tensor
    group_size: int
    fixed_pattern: torch.Tensor
    effective_codes: torch.Tensor
    dac_scale: float
    adc_full_scale: float
    dac_group_bounds: list[int] = field(default_factory=list)
    dac_group_scales: torch.Tensor | None = None
    adc_group_bounds: list[int] = field(default_factory=list)
    adc_group_full_scales: torch.Tensor | None = None
    transform: InputTransform = field(default_factory=InputTransform)
    outlier_path: bool = False


@dataclass
class DeviceState:
    path: str
    hardware: hwc.HardwareConfig
    recipe: str
    residual_rotation: bool
    sites: dict[str, DeviceSite]


def load_device_state(path: str) -> DeviceState:
    """Reads `oasim infer --hw ... --device-out FILE`; OpticalConfigError naming the file and key if malformed."""
    try:
        f = h5py.File(path, "r")
    except OSError as e:
        raise OpticalConfigError(f"cannot open device state '{path}': {e}") from None
    with f:
        if f.attrs.get("format") != "oasim-device-state":
            raise OpticalConfigError(f"{path}: not an oasim device state (attribute 'format' = "
                                     f"'{f.attrs.get('format')}', expected 'oasim-device-state')")
        if int(f.attrs.get("version", 0)) != 1:
            raise OpticalConfigError(f"{path}: device state version {f.attrs.get('version')}, expected 1")
        hw = hwc.parse_text(str(f.attrs["hardware_yaml"]), f"{path}: hardware_yaml")
        sites = {}
        for name, g in f["sites"].items():
            def arr(key, required=True):
                if key not in g:
                    if required:
                        raise OpticalConfigError(f"{path}: site '{name}' has no '{key}'")
                    return None
                return torch.from_numpy(np.asarray(g[key]))

            def num(key):
                return float(np.asarray(g[key]).reshape(-1)[0])

            def ints(key):
                return [int(v) for v in np.asarray(g[key])] if key in g else []

            codes = arr("codes")
            for key in ("fixed_pattern", "effective_codes"):
                if tuple(g[key].shape) != tuple(codes.shape):
                    raise OpticalConfigError(f"{path}: site '{name}': '{key}' has shape {tuple(g[key].shape)}, "
                                             f"expected {tuple(codes.shape)} like 'codes'")
            block = int(num("transform_block"))
            perm = arr("transform_perm", False)
            # A folded smoothing (dt_proj's, into x_proj's dt rows) is not applied online: its inputs arrive divided.
            folded = "transform_smooth_folded" in g and bool(num("transform_smooth_folded"))
            t = InputTransform(None if folded else arr("transform_smooth", False), block, arr("transform_signs", False) if block else None,
                               perm.long() if perm is not None else None)
            sites[name] = DeviceSite(codes.float(), arr("scales").float(), int(num("group_size")),
                                     arr("fixed_pattern").float(), arr("effective_codes").float(), num("dac_scale"),
                                     num("adc_full_scale"), ints("dac_group_bounds"),
                                     arr("dac_group_scales", False), ints("adc_group_bounds"),
                                     arr("adc_group_full_scales", False), t, bool(num("outlier_path")))
        return DeviceState(path, hw, str(f.attrs.get("recipe", "none")), bool(f.attrs.get("residual_rotation", 0)),
                           sites)
