"""The oasim model file (HDF5): one float32 dataset per official state-dict key, architecture as attributes.

Format (docs/model-format.md): root attributes `oasim_format` = "oasim-videomamba", `format_version` = 1,
`variant`, and the integer ModelConfig fields; optional `source` (provenance). Datasets at the root are
named exactly by the state-dict key (dots included, no groups). An optional group `meta/` may hold
`class_names` (readers ignore other meta/ entries). Nothing else may be at the root.

The checks and their messages mirror the C++ loader (workloads/videomamba/model_file.cpp), so a file
this module writes is one the simulator reads, and a file it refuses is refused for the same reason.
"""
from __future__ import annotations

import os

import h5py
import numpy as np
import torch

from .videomamba import ModelConfig, VideoMamba

FORMAT = "oasim-videomamba"
FORMAT_VERSION = 1
INT_ATTRIBUTES = ("embed_dim", "depth", "d_state", "d_conv", "expand", "dt_rank", "patch_size",
                  "tubelet_size", "num_frames", "img_size", "in_chans", "num_classes")
META_GROUP = "meta"
MAX_WEIGHT = 1e6  # as kMaxWeight in workloads/videomamba/model_file.cpp
CLASS_NAMES = "meta/class_names"


class ModelFileError(ValueError):
    """A model file or state dict that does not fit the format; the message names the problem."""


# ------------------------------------------------------------------------------------------ keys
def expected_keys_and_shapes(cfg: ModelConfig) -> dict:
    """Every key a model of this architecture has, with its shape, in official (state-dict) order.

    Derived from the PyTorch model itself so the format can never drift from the reference."""
    return {k: tuple(v.shape) for k, v in VideoMamba(cfg).state_dict().items()}


def check_state_dict(cfg: ModelConfig, state_dict: dict) -> None:
    """Raises ModelFileError naming the first missing key (official order), extra key or wrong shape."""
    expected = expected_keys_and_shapes(cfg)
    for k, shape in expected.items():
        if k not in state_dict:
            raise ModelFileError(f"missing key '{k}' (shape {list(shape)})")
    for k in state_dict:
        if k not in expected:
            raise ModelFileError(f"unexpected key '{k}' (not part of a {cfg.variant} model with depth {cfg.depth})")
    for k, shape in expected.items():
        found = tuple(state_dict[k].shape)
        if found != shape:
            raise ModelFileError(f"key '{k}' has shape {list(found)}, expected {list(shape)}")


def _as_float32(v) -> np.ndarray:
    arr = v.detach().cpu().float().numpy() if torch.is_tensor(v) else np.asarray(v)
    return np.ascontiguousarray(arr, dtype=np.float32)


# ------------------------------------------------------------------------------------------ write
def write_model(path, cfg: ModelConfig, state_dict: dict, source: str | None = None,
                class_names: list[str] | None = None) -> None:
    """Validates, then writes atomically (a temporary file renamed at the end: no half-written models)."""
    try:
        cfg.validate()
    except ValueError as e:
        raise ModelFileError(str(e)) from None
    check_state_dict(cfg, state_dict)
    if class_names is not None and len(class_names) != cfg.num_classes:
        raise ModelFileError(f"{len(class_names)} class names for {cfg.num_classes} classes")
    tmp = f"{path}.tmp{os.getpid()}"
    try:
        with h5py.File(tmp, "w") as f:
            _write_attributes(f, cfg, source)
            for k in expected_keys_and_shapes(cfg):
                # Fletcher-32 checksums (chunked storage): a byte changed on disk is refused when read.
                f.create_dataset(k, data=_as_float32(state_dict[k]), fletcher32=True)
            if class_names is not None:
                f.create_dataset(CLASS_NAMES, data=np.array(list(class_names), dtype=object),
                                 dtype=h5py.string_dtype("utf-8"))
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.remove(tmp)


def _write_attributes(f: h5py.File, cfg: ModelConfig, source: str | None) -> None:
    f.attrs["oasim_format"] = FORMAT
    f.attrs["format_version"] = np.int64(FORMAT_VERSION)
    f.attrs["variant"] = cfg.variant
    for name in INT_ATTRIBUTES:
        f.attrs[name] = np.int64(getattr(cfg, name))
    if source:
        f.attrs["source"] = source


# ------------------------------------------------------------------------------------------ read
def _str_attr(f: h5py.File, name: str) -> str | None:
    """A string attribute whether stored variable-length (str) or fixed-length (bytes)."""
    if name not in f.attrs:
        return None
    v = f.attrs[name]
    if isinstance(v, (bytes, np.bytes_)):
        return v.decode("utf-8", "replace")
    return v if isinstance(v, str) else None


def _int_attr(f: h5py.File, name: str) -> int | None:
    if name not in f.attrs:
        return None
    v = f.attrs[name]
    if isinstance(v, np.ndarray) and v.shape == ():
        v = v[()]
    if isinstance(v, (int, np.integer)) and not isinstance(v, bool):
        return int(v)
    return None


def read_config(f: h5py.File, path) -> ModelConfig:
    fmt = _str_attr(f, "oasim_format")
    if fmt != FORMAT:
        raise ModelFileError(f"'{path}' is not an oasim model file (root attribute oasim_format = "
                             f"'{FORMAT}' expected, found {repr(fmt) if fmt is not None else 'none'})")
    version = _int_attr(f, "format_version")
    if version is None:
        raise ModelFileError(f"'{path}': missing root attribute 'format_version'")
    if version != FORMAT_VERSION:
        raise ModelFileError(f"'{path}': format_version {version} is not supported "
                             f"(this oasim reads version {FORMAT_VERSION})")
    variant = _str_attr(f, "variant")
    if variant is None:
        raise ModelFileError(f"'{path}': missing root attribute 'variant'")
    d = {"variant": variant}
    for name in INT_ATTRIBUTES:
        v = _int_attr(f, name)
        if v is None:
            raise ModelFileError(f"'{path}': missing root attribute '{name}' (an integer)")
        d[name] = v
    cfg = ModelConfig(**d)
    try:
        cfg.validate()
    except ValueError as e:
        raise ModelFileError(f"'{path}': {e}") from None
    return cfg


def _read_tensor(f: h5py.File, path, key: str, shape: tuple) -> torch.Tensor:
    obj = f[key]
    if not isinstance(obj, h5py.Dataset):
        raise ModelFileError(f"'{path}': key '{key}' is a group, expected a dataset")
    # Any byte order is fine, but it must be a 4-byte IEEE float: no silent int or fp64 conversion.
    if obj.dtype.kind != "f" or obj.dtype.itemsize != 4:
        raise ModelFileError(f"'{path}': key '{key}' has dtype {obj.dtype.name}, expected float32")
    if tuple(obj.shape) != shape:
        raise ModelFileError(f"'{path}': key '{key}' has shape {list(obj.shape)}, expected {list(shape)}")
    try:
        arr = np.ascontiguousarray(obj[()], dtype=np.float32)
    except OSError as e:  # h5py reports a failed Fletcher-32 checksum (or a truncated file) this way
        raise ModelFileError(f"'{path}': cannot read key '{key}' ({e}): the file is damaged; export it again") from None
    # As the C++ loader: a NaN, an infinity or an absurd magnitude is refused, not computed with.
    bad = ~np.isfinite(arr) | (np.abs(arr) > MAX_WEIGHT)
    if bad.any():
        i = int(np.flatnonzero(bad.ravel())[0])
        raise ModelFileError(f"'{path}': key '{key}' holds {arr.ravel()[i]} at flat index {i} (weights must be "
                             f"finite and within +-{MAX_WEIGHT:g}; re-export the model)")
    return torch.from_numpy(arr)


def _check_meta(f: h5py.File, path, cfg: ModelConfig) -> None:
    if META_GROUP not in f:
        return
    meta = f[META_GROUP]
    if not isinstance(meta, h5py.Group):
        raise ModelFileError(f"'{path}': unexpected key '{META_GROUP}' (a dataset; '{META_GROUP}/' must be a group)")
    # Other meta/ entries are ignored, as by the C++ loader: room for non-network metadata without a
    # format version change.
    if "class_names" in meta and len(meta["class_names"]) != cfg.num_classes:
        raise ModelFileError(f"'{path}': meta/class_names has {len(meta['class_names'])} names, "
                             f"the head has {cfg.num_classes} classes")


def read_model(path) -> tuple[ModelConfig, dict]:
    """Reads and fully validates a model file; returns (config, state dict of float32 tensors)."""
    f = _open(path)
    with f:
        cfg = read_config(f, path)
        expected = expected_keys_and_shapes(cfg)
        for k, shape in expected.items():
            if k not in f:
                raise ModelFileError(f"'{path}': missing key '{k}' (shape {list(shape)})")
        for k in f.keys():
            if k != META_GROUP and k not in expected:
                raise ModelFileError(f"'{path}': unexpected key '{k}' "
                                     f"(not part of a {cfg.variant} model with depth {cfg.depth})")
        sd = {k: _read_tensor(f, path, k, shape) for k, shape in expected.items()}
        _check_meta(f, path, cfg)
    return cfg, sd


def _open(path) -> h5py.File:
    if not os.path.exists(path):
        raise ModelFileError(f"cannot open '{path}': no such file")
    if not h5py.is_hdf5(path):
        raise ModelFileError(f"'{path}' is not an HDF5 file")
    return h5py.File(path, "r")


def read_class_names(path) -> list[str] | None:
    with _open(path) as f:
        if CLASS_NAMES not in f:
            return None
        return [s.decode() if isinstance(s, bytes) else str(s) for s in f[CLASS_NAMES][()]]


def read_source(path) -> str | None:
    with _open(path) as f:
        return _str_attr(f, "source")
