"""The oasim model file (HDF5): one float32 dataset per official state-dict key, architecture as attributes.

Format (docs/model-format.md): root attributes `oasim_format` = "oasim-videomamba", `format_version` = 1,
`variant`, and the integer ModelConfig fields; optional `source` (provenance). Datasets at the root are
named exactly by the state-dict key. An optional group `meta/` may hold `class_names`.
"""
from __future__ import annotations

import h5py
import numpy as np
import torch

from .videomamba import ModelConfig, VideoMamba

FORMAT = "oasim-videomamba"
FORMAT_VERSION = 1
INT_ATTRIBUTES = ("embed_dim", "depth", "d_state", "d_conv", "expand", "dt_rank", "patch_size",
                  "tubelet_size", "num_frames", "img_size", "in_chans", "num_classes")


class ModelFileError(ValueError):
    """A model file or checkpoint that does not fit the format; the message names the problem."""


def expected_keys_and_shapes(cfg: ModelConfig) -> dict:
    """Every key a model of this architecture has, with its shape, in official order."""
    return {k: tuple(v.shape) for k, v in VideoMamba(cfg).state_dict().items()}


def write_model(path, cfg: ModelConfig, state_dict: dict, source: str | None = None,
                class_names: list[str] | None = None) -> None:
    cfg.validate()
    expected = expected_keys_and_shapes(cfg)
    missing = [k for k in expected if k not in state_dict]
    if missing:
        raise ModelFileError(f"missing key '{missing[0]}' (shape {list(expected[missing[0]])})")
    extra = [k for k in state_dict if k not in expected]
    if extra:
        raise ModelFileError(f"unexpected key '{extra[0]}'")
    for k, shape in expected.items():
        found = tuple(state_dict[k].shape)
        if found != shape:
            raise ModelFileError(f"key '{k}' has shape {list(found)}, expected {list(shape)}")
    if class_names is not None and len(class_names) != cfg.num_classes:
        raise ModelFileError(f"{len(class_names)} class names for {cfg.num_classes} classes")
    with h5py.File(path, "w") as f:
        f.attrs["oasim_format"] = FORMAT
        f.attrs["format_version"] = FORMAT_VERSION
        f.attrs["variant"] = cfg.variant
        for name in INT_ATTRIBUTES:
            f.attrs[name] = int(getattr(cfg, name))
        if source:
            f.attrs["source"] = source
        for k in expected:
            v = state_dict[k]
            arr = v.detach().cpu().float().numpy() if torch.is_tensor(v) else np.asarray(v, dtype=np.float32)
            f.create_dataset(k, data=arr.astype(np.float32))
        if class_names is not None:
            f.create_dataset("meta/class_names", data=np.array(class_names, dtype=object),
                             dtype=h5py.string_dtype("utf-8"))


def read_model(path) -> tuple[ModelConfig, dict]:
    with h5py.File(path, "r") as f:
        if f.attrs.get("oasim_format") != FORMAT:
            raise ModelFileError(f"'{path}' is not an oasim model file")
        if int(f.attrs.get("format_version", -1)) != FORMAT_VERSION:
            raise ModelFileError(f"'{path}': unsupported format_version {f.attrs.get('format_version')}")
        d = {"variant": str(f.attrs["variant"])}
        for name in INT_ATTRIBUTES:
            if name not in f.attrs:
                raise ModelFileError(f"'{path}': missing root attribute '{name}'")
            d[name] = int(f.attrs[name])
        cfg = ModelConfig(**d)
        cfg.validate()
        expected = expected_keys_and_shapes(cfg)
        sd = {}
        for k, shape in expected.items():
            if k not in f:
                raise ModelFileError(f"'{path}': missing key '{k}'")
            arr = f[k][()]
            if arr.dtype != np.float32:
                raise ModelFileError(f"'{path}': key '{k}' has dtype {arr.dtype}, expected float32")
            if tuple(arr.shape) != shape:
                raise ModelFileError(f"'{path}': key '{k}' has shape {list(arr.shape)}, expected {list(shape)}")
            sd[k] = torch.from_numpy(arr)
        for k in f.keys():
            if k != "meta" and k not in expected:
                raise ModelFileError(f"'{path}': unexpected key '{k}'")
    return cfg, sd


def read_class_names(path) -> list[str] | None:
    with h5py.File(path, "r") as f:
        if "meta/class_names" not in f:
            return None
        return [s.decode() if isinstance(s, bytes) else str(s) for s in f["meta/class_names"][()]]
