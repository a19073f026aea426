"""Hardware configs (configs/hw/*.yaml) read on the Python side with the simulator's validation.

One source of truth: the key table (key, type, range, choices, default, the "expected ..." text) is the
simulator's own, written by `oasim describe --json` into hardware_keys.json next to this file
(tests/test_optical_torch.py checks that the copy equals the simulator's output). The walk below mirrors
models/components/hardware_config_io.cpp so that a bad file gets the same one-line message on both sides:
"FILE:LINE: key 'adc.bits' = '40': expected an integer in [1, 16] (bit)".
"""
from __future__ import annotations

import json
import math
import os
import re

import yaml

KEYS_FILE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "hardware_keys.json")


class HardwareConfigError(ValueError):
    """A config (or recipe preset) the simulator would refuse, with the simulator's message."""


def key_table() -> list[dict]:
    with open(KEYS_FILE) as f:
        return json.load(f)["keys"]


_TABLE = None
_REPLACED = None


def _replaced() -> dict[str, str]:
    """Keys of older configs and the message naming what replaced them (the simulator's replaced_key())."""
    global _REPLACED
    if _REPLACED is None:
        with open(KEYS_FILE) as f:
            _REPLACED = json.load(f).get("replaced", {})
    return _REPLACED


def _table() -> dict[str, dict]:
    global _TABLE
    if _TABLE is None:
        _TABLE = {k["key"]: k for k in key_table()}
    return _TABLE


_INT = re.compile(r"-?[0-9]+\Z")            # std::from_chars: optional minus, decimal digits, nothing else
_NUM = re.compile(r"[+-]?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][+-]?[0-9]+)?\Z")  # strtod's decimal form


def parse_value(spec: dict, text: str):
    """The typed value of `text` for this key, or None when the simulator's setter would refuse it."""
    t = spec["type"]
    if t == "integer":
        if not _INT.match(text):
            return None
        v = int(text)
        return v if spec["min"] <= v <= spec["max"] else None
    if t == "number":
        if not _NUM.match(text):
            return None
        v = float(text)
        return v if math.isfinite(v) and spec["min"] <= v <= spec["max"] else None
    if t == "choice":
        return text if text in spec["choices"] else None
    return text if text else None


def _expected(spec: dict) -> str:
    return "a non-empty string" if spec["type"] == "string" else spec["expected"]


def _keys_under(prefix: str) -> str:
    names = sorted({k[len(prefix):].split(".")[0] for k in _table() if k.startswith(prefix)})
    return ", ".join(names)


def _is_section(key: str) -> bool:
    return any(k.startswith(key + ".") for k in _table())


class HardwareConfig(dict):
    """Typed values by dotted key ("adc.bits" -> 8), every key of the table present (defaults filled in)."""

    source = ""

    def set(self, key: str, text: str, origin: str = "--set") -> None:
        spec = _table().get(key)
        if spec is None:
            raise HardwareConfigError(f"{origin}: unknown hardware key '{key}' (run `oasim describe` for the list)")
        v = parse_value(spec, str(text))
        if v is None:
            raise HardwareConfigError(f"{origin}: key '{key}' = '{text}': expected {_expected(spec)}")
        self[key] = v


def defaults() -> HardwareConfig:
    c = HardwareConfig()
    for key, spec in _table().items():
        c[key] = parse_value(spec, spec["default"])
    return c


def _scalar_text(node) -> str | None:
    """The scalar's text as yaml-cpp's Scalar() gives it; None for a YAML null (yaml-cpp: not a scalar)."""
    if node.tag == "tag:yaml.org,2002:null" and node.value in ("", "~", "null", "Null", "NULL"):
        return None
    return node.value


def _walk(node, prefix: str, c: HardwareConfig, origin: str, seen: set) -> None:
    for knode, vnode in node.value:
        line = knode.start_mark.line + 1
        key = prefix + str(knode.value)
        if key in seen:
            raise HardwareConfigError(f"{origin}:{line}: key '{key}' is given twice")
        seen.add(key)
        if _is_section(key):
            if not isinstance(vnode, yaml.MappingNode):
                raise HardwareConfigError(f"{origin}:{line}: '{key}' is a section; expected a mapping of its keys "
                                          f"({_keys_under(key + '.')})")
            _walk(vnode, key + ".", c, origin, seen)
            continue
        spec = _table().get(key)
        if spec is None and key in _replaced():
            raise HardwareConfigError(f"{origin}:{line}: key '{key}' {_replaced()[key]}")
        if spec is None:
            where = "at the top level" if not prefix else f"under '{prefix[:-1]}'"
            raise HardwareConfigError(f"{origin}:{line}: unknown key '{key}' (keys {where}: {_keys_under(prefix)})")
        text = _scalar_text(vnode) if isinstance(vnode, yaml.ScalarNode) else None
        if text is None:
            found = ("mapping" if isinstance(vnode, yaml.MappingNode) else
                     "list" if isinstance(vnode, yaml.SequenceNode) else "null")
            raise HardwareConfigError(f"{origin}:{line}: key '{key}': expected {_expected(spec)}, found a {found}")
        v = parse_value(spec, text)
        if v is None:
            unit = f" ({spec['unit']})" if spec["unit"] else ""
            raise HardwareConfigError(f"{origin}:{line}: key '{key}' = '{text}': expected {_expected(spec)}{unit}")
        c[key] = v


def validate(c: HardwareConfig, origin: str) -> None:
    """Cross-key checks of the components (models/components/*.cpp check()), same messages."""
    if c["weight_plane.scale"] == "group" and c["weight_plane.group_size"] > c["weight_plane.cols"]:
        raise HardwareConfigError(
            f"{origin}: weight_plane.group_size = {c['weight_plane.group_size']} exceeds weight_plane.cols = "
            f"{c['weight_plane.cols']}: a scale group must fit on one plane pass")
    if c["modulator.channels"] < c["weight_plane.cols"]:
        raise HardwareConfigError(
            f"{origin}: modulator.channels = {c['modulator.channels']} is smaller than weight_plane.cols = "
            f"{c['weight_plane.cols']}: every plane column needs a modulated input")


def parse_text(text: str, origin: str) -> HardwareConfig:
    try:
        root = yaml.compose(text)
    except yaml.MarkedYAMLError as e:
        mark = e.problem_mark or e.context_mark
        raise HardwareConfigError(f"{origin}:{(mark.line + 1) if mark else 0}: YAML syntax error: {e.problem}") from None
    if not isinstance(root, yaml.MappingNode):
        raise HardwareConfigError(f"{origin}: expected a mapping of config keys at the top level")
    c = defaults()
    _walk(root, "", c, origin, set())
    validate(c, origin)
    c.source = origin
    return c


def load(path: str, sets: list[str] | None = None) -> HardwareConfig:
    """Parses and validates a hardware config file; `sets` are KEY=VALUE overrides (like `--set`)."""
    if not os.path.exists(path):
        raise HardwareConfigError(f"cannot open hardware config '{path}': no such file")
    with open(path) as f:
        c = parse_text(f.read(), path)
    for s in sets or []:
        if "=" not in s:
            raise HardwareConfigError(f"--set '{s}': expected KEY=VALUE")
        k, v = s.split("=", 1)
        c.set(k, v)
    if sets:
        validate(c, path)
    c.source = path
    return c


def max_code(bits: int) -> int:
    """Largest code of a signed converter used symmetrically (models/optical/quantizer.hpp)."""
    return (1 << (bits - 1)) - 1


ELECTRON_CHARGE = 1.602176634e-19  # C
BOLTZMANN = 1.380649e-23           # J/K


def db_loss_factor(loss_db: float) -> float:
    return 10.0 ** (-loss_db / 10.0)


def light_budget(hw: HardwareConfig) -> dict:
    """The light budget of models/components/light_budget.cpp: the product of the stages the laser, modulator,
    optics, weight planes and detector declare, and what one accumulator unit (one input code x one weight code)
    puts on a detector. Keep in step with the C++ components (tests/test_optical_torch.py compares)."""
    differential = hw["modulator.signed_encoding"] == "differential"
    split = differential and hw["modulator.differential_rails"] == "split"
    er = 10.0 ** (hw["modulator.extinction_ratio_db"] / 10.0)
    contrast = 10.0 ** (hw["weight_plane.contrast_db"] / 10.0)
    path = (0.5 if split else 1.0) * db_loss_factor(hw["modulator.insertion_loss_db"]) * (1.0 - 1.0 / er)
    path *= db_loss_factor(hw["optics.fanout_excess_loss_db"]) * db_loss_factor(hw["optics.coupling_loss_db"])
    path *= 1.0 / (2.0 * hw["weight_plane.rows"])
    if hw["weight_plane.addressing"] == "stacked":
        path *= db_loss_factor(hw["weight_plane.pass_loss_db"] * (hw["weight_plane.planes"] - 1))
    else:
        path *= db_loss_factor(hw["weight_plane.steering_loss_db"])
    path *= hw["weight_plane.transmission"] * (1.0 - 1.0 / contrast)
    dac_levels = max_code(hw["modulator.dac_bits"])
    weight_levels = max_code(hw["weight_plane.weight_bits"])
    input_full_scale = dac_levels * (1.0 if differential else 2.0)
    unit_power = hw["laser.power_mw"] * 1e-3 * path / (input_full_scale * weight_levels)
    return {"path_factor": path, "unit_power_w": unit_power,
            "unit_current_a": unit_power * hw["detector.responsivity_a_per_w"],
            "input_floor": input_full_scale / (er - 1.0), "weight_floor": weight_levels / (contrast - 1.0)}


def detector_noise_params(hw: HardwareConfig) -> dict:
    """The physical detector-noise model of models/components/detector.cpp (DetectorNoise::from_config), in
    accumulator units (one unit = the photocurrent of a product code 1 x 1). The ONE place on the Python side
    that turns the config into noise: when the light budget changes in C++, change it here.

    Per output sample: variance = fixed + shot * light + rin * signal^2 (accumulator units^2), light = all
    light reaching the balanced pair (with the modulator's and the dark pixel's floors), signal = the net
    (detected) value; all times noise_scale^2."""
    budget = light_budget(hw)
    unit = budget["unit_current_a"]
    bandwidth = hw["modulator.symbol_rate_ghz"] * 1e9 / 2.0
    feedback_ohm, dark_a = hw["detector.tia_feedback_kohm"] * 1e3, hw["detector.dark_current_na"] * 1e-9
    johnson = 4 * BOLTZMANN * hw["detector.temperature_k"] * bandwidth / feedback_ohm
    amplifier = (hw["detector.tia_noise_pa_rthz"] * 1e-12) ** 2 * bandwidth
    dark = 2 * (2 * ELECTRON_CHARGE * dark_a * bandwidth)  # both diodes of the pair
    rin_linear = 10.0 ** (hw["detector.rin_db_per_hz"] / 10.0)
    return {
        "unit_current_a": unit,
        "bandwidth_hz": bandwidth,
        "fixed": (johnson + amplifier + dark) / (unit * unit),  # receiver + dark, accumulator units^2
        "shot": 2 * ELECTRON_CHARGE * bandwidth / unit,          # per accumulator unit of light
        "rin": rin_linear * bandwidth,                           # times signal^2
        "noise_scale": hw["detector.noise_scale"],
        "input_floor": budget["input_floor"],
        "weight_floor": budget["weight_floor"],
    }
