"""Moving Fashion-MNIST (MFM): oasim's small, honest video task built from real images.

A Fashion-MNIST item (28x28) moves over a 64x64 frame with constant integer velocity and bounces off
the borders; the label of every frame is item class x current motion direction (40 classes); about 20 %
of frames (never the first two of a clip or segment) are distractors, blank or noise-only, while the item
keeps moving unseen, so the model must remember. Everything is a pure function of (seed, split, index):
a counter-based hash (SplitMix64), so clip i can be made without making clips 0..i-1, and the C++
generator (workloads/data/moving_fmnist.cpp) produces bit-identical clips. docs/moving-fashion-mnist.md
specifies it.
"""
from __future__ import annotations

import gzip
import os

import numpy as np

FRAME = 64
ITEM = 28
MAX_POS = FRAME - ITEM          # 36: positions are in [0, 36]
NUM_CLASSES = 40
MEAN, STD = 0.2860, 0.3530      # Fashion-MNIST train-set pixel mean and std (of v / 255)
DISTRACTOR_PERCENT = 20
# Debian's dataset-fashion-mnist; OASIM_FMNIST_DIR overrides it (the GPU machine gets a carried copy).
DATA_DIR = os.environ.get("OASIM_FMNIST_DIR", "/usr/share/datasets/fashion-mnist")
SPLIT_FILES = {"train": "train", "test": "t10k"}
SPLIT_IDS = {"train": 1, "test": 2}
CLASS_NAMES = ["tshirt_top", "trouser", "pullover", "dress", "coat", "sandal", "shirt", "sneaker", "bag",
               "ankle_boot"]
DIRECTIONS = ["right-down", "left-down", "left-up", "right-up"]  # (+,+) (-,+) (-,-) (+,-) as (vx, vy)

# Purposes: one hash stream per random decision.
P_ITEM, P_X, P_Y, P_VX, P_VY, P_SX, P_SY, P_DISTRACT, P_KIND, P_NOISE, P_SEGMENT = range(1, 12)

MASK = (1 << 64) - 1


def splitmix64(x: int) -> int:
    x = (x + 0x9E3779B97F4A7C15) & MASK
    x = ((x ^ (x >> 30)) * 0xBF58476D1CE4E5B9) & MASK
    x = ((x ^ (x >> 27)) * 0x94D049BB133111EB) & MASK
    return x ^ (x >> 31)


def mix(key: int, value: int) -> int:
    return splitmix64(key ^ (value & MASK))


def draw(key: int, purpose: int, n: int) -> int:
    """Uniform-ish integer in [0, n) for one decision (modulo bias < 2^-50, accepted)."""
    return mix(key, purpose) % n


def splitmix64_np(x: np.ndarray) -> np.ndarray:
    x = x + np.uint64(0x9E3779B97F4A7C15)
    x = (x ^ (x >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
    x = (x ^ (x >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
    return x ^ (x >> np.uint64(31))


def class_names() -> list[str]:
    return [f"{c}/{d}" for c in CLASS_NAMES for d in DIRECTIONS]


def direction(vx: int, vy: int) -> int:
    if vx > 0:
        return 0 if vy > 0 else 3
    return 1 if vy > 0 else 2


def _read_idx(path: str) -> np.ndarray:
    with gzip.open(path, "rb") as f:
        data = f.read()
    ndim = data[3]
    dims = [int.from_bytes(data[4 + 4 * i:8 + 4 * i], "big") for i in range(ndim)]
    return np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * ndim).reshape(dims)


_CACHE: dict = {}


def load_split(split: str, data_dir: str = DATA_DIR) -> tuple[np.ndarray, np.ndarray]:
    """Fashion-MNIST images [N, 28, 28] uint8 and labels [N] of 'train' or 'test'."""
    if split not in SPLIT_FILES:
        raise ValueError(f"unknown split '{split}' (expected 'train' or 'test')")
    if (split, data_dir) not in _CACHE:
        stem = SPLIT_FILES[split]
        images = _read_idx(os.path.join(data_dir, f"{stem}-images-idx3-ubyte.gz"))
        labels = _read_idx(os.path.join(data_dir, f"{stem}-labels-idx1-ubyte.gz"))
        _CACHE[(split, data_dir)] = (images, labels)
    return _CACHE[(split, data_dir)]


class _Segment:
    """One item moving: drawn from a key, stepped frame by frame."""

    def __init__(self, key: int, n_items: int):
        self.key = key
        self.item = draw(key, P_ITEM, n_items)
        self.x = draw(key, P_X, MAX_POS + 1)
        self.y = draw(key, P_Y, MAX_POS + 1)
        self.vx = (1 + draw(key, P_VX, 3)) * (1 if draw(key, P_SX, 2) == 0 else -1)
        self.vy = (1 + draw(key, P_VY, 3)) * (1 if draw(key, P_SY, 2) == 0 else -1)

    def step(self) -> None:
        self.x, self.vx = _bounce(self.x + self.vx, self.vx)
        self.y, self.vy = _bounce(self.y + self.vy, self.vy)


def _bounce(p: int, v: int) -> tuple[int, int]:
    if p < 0:
        return -p, -v
    if p > MAX_POS:
        return 2 * MAX_POS - p, -v
    return p, v


def _render(frame_key: int, local_t: int, seg: _Segment, images: np.ndarray) -> np.ndarray:
    out = np.zeros((FRAME, FRAME), dtype=np.uint8)
    distractor = local_t >= 2 and draw(frame_key, P_DISTRACT, 100) < DISTRACTOR_PERCENT
    if not distractor:
        out[seg.y:seg.y + ITEM, seg.x:seg.x + ITEM] = images[seg.item]
    elif draw(frame_key, P_KIND, 2) == 1:
        # Noise-only frame: pixel p = hash(frame key ^ noise purpose, p) % 256.
        base = np.uint64(mix(frame_key, P_NOISE))
        pix = np.arange(FRAME * FRAME, dtype=np.uint64)
        out = (splitmix64_np(base ^ pix) % np.uint64(256)).astype(np.uint8).reshape(FRAME, FRAME)
    return out


def make_clip(split: str, seed: int, index: int, frames: int = 16, data_dir: str = DATA_DIR):
    """One clip: (uint8 frames [T, 64, 64], int labels [T])."""
    images, labels = load_split(split, data_dir)
    key = mix(mix(mix(seed, SPLIT_IDS[split]), 0), index)
    seg = _Segment(key, len(images))
    video = np.zeros((frames, FRAME, FRAME), dtype=np.uint8)
    lab = np.zeros(frames, dtype=np.int64)
    for t in range(frames):
        if t > 0:
            seg.step()
        video[t] = _render(mix(key, 1000 + t), t, seg, images)
        lab[t] = int(labels[seg.item]) * 4 + direction(seg.vx, seg.vy)
    return video, lab


def make_stream(split: str, seed: int, index: int, frames: int, data_dir: str = DATA_DIR):
    """A long stream: a new item, position and velocity every K frames, K uniform in [20, 60]."""
    images, labels = load_split(split, data_dir)
    key = mix(mix(mix(seed, SPLIT_IDS[split]), 1), index)
    video = np.zeros((frames, FRAME, FRAME), dtype=np.uint8)
    lab = np.zeros(frames, dtype=np.int64)
    t, segment = 0, 0
    while t < frames:
        seg_key = mix(key, 2000 + segment)
        length = 20 + draw(seg_key, P_SEGMENT, 41)
        seg = _Segment(seg_key, len(images))
        for lt in range(min(length, frames - t)):
            if lt > 0:
                seg.step()
            video[t] = _render(mix(seg_key, 1000 + lt), lt, seg, images)
            lab[t] = int(labels[seg.item]) * 4 + direction(seg.vx, seg.vy)
            t += 1
        segment += 1
    return video, lab


def normalize(video_u8: np.ndarray) -> np.ndarray:
    """uint8 [..., 64, 64] -> float32 normalised like Fashion-MNIST training: (v/255 - mean) / std."""
    return ((video_u8.astype(np.float32) / np.float32(255.0)) - np.float32(MEAN)) / np.float32(STD)


def _draw_np(keys: np.ndarray, purpose: int, n: int) -> np.ndarray:
    """draw() over an array of uint64 keys."""
    return splitmix64_np(keys ^ np.uint64(purpose)) % np.uint64(n)


def _bounce_np(p: np.ndarray, v: np.ndarray):
    low, high = p < 0, p > MAX_POS
    p = np.where(low, -p, np.where(high, 2 * MAX_POS - p, p))
    return p, np.where(low | high, -v, v)


def make_clips_u8(split: str, seed: int, first_index: int, batch: int, frames: int, data_dir: str = DATA_DIR):
    """Clips first_index .. first_index+batch-1, vectorised over clips and frames with numpy:
    uint8 [B, T, 64, 64] and int64 labels [B, T], identical to make_clip() clip by clip."""
    images, labels = load_split(split, data_dir)
    base = mix(mix(seed, SPLIT_IDS[split]), 0)
    idx = (np.arange(batch, dtype=np.uint64) + np.uint64(first_index & MASK))
    keys = splitmix64_np(np.uint64(base) ^ idx)                                   # [B]
    item = _draw_np(keys, P_ITEM, len(images)).astype(np.int64)
    x = _draw_np(keys, P_X, MAX_POS + 1).astype(np.int64)
    y = _draw_np(keys, P_Y, MAX_POS + 1).astype(np.int64)
    vx = (1 + _draw_np(keys, P_VX, 3).astype(np.int64)) * np.where(_draw_np(keys, P_SX, 2) == 0, 1, -1)
    vy = (1 + _draw_np(keys, P_VY, 3).astype(np.int64)) * np.where(_draw_np(keys, P_SY, 2) == 0, 1, -1)
    xs = np.zeros((batch, frames), np.int64)
    ys = np.zeros((batch, frames), np.int64)
    lab = np.zeros((batch, frames), np.int64)
    cls = labels[item].astype(np.int64) * 4
    for t in range(frames):
        if t > 0:
            x, vx = _bounce_np(x + vx, vx)
            y, vy = _bounce_np(y + vy, vy)
        xs[:, t], ys[:, t] = x, y
        lab[:, t] = cls + np.where(vx > 0, np.where(vy > 0, 0, 3), np.where(vy > 0, 1, 2))
    fkeys = splitmix64_np(keys[:, None] ^ (np.arange(frames, dtype=np.uint64) + np.uint64(1000))[None])  # [B, T]
    distract = (_draw_np(fkeys, P_DISTRACT, 100) < DISTRACTOR_PERCENT) & (np.arange(frames) >= 2)[None]
    noise = distract & (_draw_np(fkeys, P_KIND, 2) == 1)
    out = np.zeros((batch, frames, FRAME, FRAME), dtype=np.uint8)
    b, t = np.nonzero(~distract)
    r = np.arange(ITEM)
    out[b[:, None, None], t[:, None, None], ys[b, t][:, None, None] + r[None, :, None],
        xs[b, t][:, None, None] + r[None, None, :]] = images[item[b]]
    b, t = np.nonzero(noise)
    if len(b):
        nbase = splitmix64_np(fkeys[b, t] ^ np.uint64(P_NOISE))                   # mix(frame_key, P_NOISE)
        pix = splitmix64_np(nbase[:, None] ^ np.arange(FRAME * FRAME, dtype=np.uint64)[None]) % np.uint64(256)
        out[b, t] = pix.astype(np.uint8).reshape(-1, FRAME, FRAME)
    return out, lab


def make_batch(split: str, seed: int, first_index: int, batch: int, frames: int):
    """Clips first_index .. first_index+batch-1 as float32 [B, 1, T, 64, 64] and labels [B, T] (vectorised)."""
    vids, labs = make_clips_u8(split, seed, first_index, batch, frames)
    return normalize(vids)[:, None], labs


def make_stream_batch(split: str, seed: int, first_index: int, batch: int, frames: int):
    """Streams first_index .. first_index+batch-1 (items switch every 20-60 frames), like make_batch."""
    vids, labs = [], []
    for i in range(first_index, first_index + batch):
        v, lab = make_stream(split, seed, i, frames)
        vids.append(v)
        labs.append(lab)
    return normalize(np.stack(vids))[:, None], np.stack(labs)
