#!/usr/bin/python3
"""Train the embedded default: a videomamba-stream model on Moving Fashion-MNIST (docs/moving-fashion-mnist.md).

    train.py --ckpt DIR [--resume DIR] [--steps N] [--time-limit-min M] [--batch B] [--frames T] [--eval-clips N]
    train.py --smoke        (a tiny model, a few dozen CPU steps; asserts that the loss decreased)
    train.py ... --hw CONFIG [--recipe R] [--device-state FILE] [--set KEY=VALUE]
                            (hardware-aware: the simulated optical hardware in the forward pass,
                             straight-through gradients; docs/pytorch-hardware.md)
    train.py --init-h5 MODEL.h5 --export-h5 OUT.h5 --hw ...
                            (hardware-aware fine-tuning of a trained model file; writes the fine-tuned
                             weights as a model file the simulator reads)

Resumable: the checkpoint holds model, optimiser, step and RNG-free data position (clip i of training
step s is a pure function of (seed, s*batch + i)), so a run cut by a time limit continues exactly.
The scan is the fused Triton kernel where CUDA and Triton exist (oasim/triton_scan.py: exact; on an H100
10.9x faster per training step than the chunked scan, 0.28 vs 3.1 s, in 13 instead of 59 GiB:
bench/triton_scan_check.py), else the chunked one (oasim/selective_scan.py): a token loop is launch-bound
on a GPU.
"""
from __future__ import annotations

import argparse
import json
import math
import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.realpath(__file__)))

import numpy as np  # noqa: E402
import torch  # noqa: E402
import torch.nn.functional as F  # noqa: E402

from oasim import h5io, mfm  # noqa: E402
from oasim.optical import NOISE_RNGS  # noqa: E402
from oasim.videomamba import ModelConfig, VideoMamba, init_random_  # noqa: E402


def default_config(frames: int) -> ModelConfig:
    return ModelConfig(variant="videomamba-stream", embed_dim=192, depth=8, d_state=16, d_conv=4, expand=2,
                       dt_rank=12, patch_size=8, tubelet_size=1, num_frames=frames, img_size=64, in_chans=1,
                       num_classes=mfm.NUM_CLASSES)


def smoke_config() -> ModelConfig:
    return ModelConfig(variant="videomamba-stream", embed_dim=32, depth=2, d_state=8, d_conv=4, expand=2,
                       dt_rank=2, patch_size=16, tubelet_size=1, num_frames=4, img_size=64, in_chans=1,
                       num_classes=mfm.NUM_CLASSES)


class TrainBatches(torch.utils.data.Dataset):
    """Item s = the batch of training step s (clips s*B .. s*B+B-1 of the train split)."""

    def __init__(self, seed: int, batch: int, frames: int, steps: int, streams: bool = False, chain: int = 1):
        self.seed, self.batch, self.frames, self.steps, self.streams = seed, batch, frames, steps, streams
        self.chain = chain

    def __len__(self):
        return self.steps

    def __getitem__(self, step):
        # Long-stream windows teach the state to let go of an old item when a new one appears.
        if self.streams:
            x, y = mfm.make_stream_batch("train", self.seed, step * self.batch, self.batch, self.frames)
        elif self.chain > 1:
            # `chain` consecutive clips of frames/chain frames each, one after the other in one sequence:
            # as many items per frame as plain clips, and an item switch the state must follow.
            # Clip indices are disjoint from the plain-clip indices of the same step numbers.
            n, per = self.batch * self.chain, self.frames // self.chain
            x, y = mfm.make_batch("train", self.seed, (1 << 40) + step * n, n, per)
            x = x.reshape(self.batch, self.chain, 1, per, mfm.FRAME, mfm.FRAME).transpose(0, 2, 1, 3, 4, 5)
            x = np.ascontiguousarray(x.reshape(self.batch, 1, self.frames, mfm.FRAME, mfm.FRAME))
            y = y.reshape(self.batch, self.frames)
        else:
            x, y = mfm.make_batch("train", self.seed, step * self.batch, self.batch, self.frames)
        return torch.from_numpy(x), torch.from_numpy(y)


def frame_weights(frames: int, device, chain: int = 1) -> torch.Tensor:
    # Frames 0 and 1 (of each clip) cannot show the direction yet (one frame, no motion): a small
    # weight, not zero, so the readout still learns the class early.
    w = torch.ones(frames, device=device)
    for start in range(0, frames, frames // chain):
        w[start:start + 2] = 0.25
    return w


def lr_at(step: int, total: int, peak: float, warmup: int, warmup_start: int = 0, fraction=None) -> float:
    """Linear warm-up from warmup_start to warmup (a restart when resuming), then cosine down to 5 %
    over the steps up to `total`, or over `fraction` (0..1) of the time budget when given."""
    if step < warmup:
        return peak * (step + 1 - warmup_start) / max(1, warmup - warmup_start)
    p = min(1.0, (step - warmup) / max(1, total - warmup) if fraction is None else fraction)
    return peak * (0.05 + 0.95 * 0.5 * (1 + math.cos(math.pi * p)))


@torch.no_grad()
def evaluate(model, device, clips: int, frames: int, seed: int, skip: int = 3, batch: int = 64,
             scan_impl: str = "chunked") -> dict:
    """Per-frame top-1 on test-split clips (clip i of the test split with `seed`), frames >= skip;
    also the item-class part (label // 4) and the direction part (label % 4) on their own."""
    model.eval()
    correct = torch.zeros(frames)
    cls_ok = torch.zeros(frames)
    dir_ok = torch.zeros(frames)
    total = 0
    for first in range(0, clips, batch):
        n = min(batch, clips - first)
        x, y = mfm.make_batch("test", seed, first, n, frames)
        pred = model(torch.from_numpy(x).to(device), scan_impl=scan_impl).argmax(-1).cpu()
        y = torch.from_numpy(y)
        correct += (pred == y).float().sum(0)
        cls_ok += (pred // 4 == y // 4).float().sum(0)
        dir_ok += (pred % 4 == y % 4).float().sum(0)
        total += n
    model.train()
    per_frame = (correct / total).tolist()
    return {"top1": float(np.mean(per_frame[skip:])), "per_frame": per_frame, "clips": total, "skip": skip,
            "class_top1": float((cls_ok / total)[skip:].mean()), "direction_top1": float((dir_ok / total)[skip:].mean())}


def save_checkpoint(path: str, model, opt, step: int, history: list, cfg) -> None:
    """A checkpoint folder of three files, each under the 16 MiB a device call can return: the model,
    and the optimiser's two moment buffers."""
    os.makedirs(path, exist_ok=True)
    torch.save({"model": model.state_dict(), "step": step, "history": history, "config": cfg.to_dict()},
               os.path.join(path, "model.pt"))
    sd = opt.state_dict()
    # The moments are stored in bfloat16 (half the size; Adam needs their range, not their last digits),
    # so a checkpoint plus the carried data set fits the 64 MiB a device call can take along.
    for part, key in (("optim_m.pt", "exp_avg"), ("optim_v.pt", "exp_avg_sq")):
        torch.save({i: {"step": st["step"], key: st[key].to(torch.bfloat16)} for i, st in sd["state"].items()},
                   os.path.join(path, part))


def load_checkpoint(path: str, model, opt, device):
    ck = torch.load(os.path.join(path, "model.pt"), map_location=device)
    model.load_state_dict(ck["model"])
    if not os.path.exists(os.path.join(path, "optim_m.pt")):
        return ck["step"], ck.get("history", [])  # weights only: the optimiser starts fresh (use a warm-up)
    sd = opt.state_dict()
    m = torch.load(os.path.join(path, "optim_m.pt"), map_location=device)
    v = torch.load(os.path.join(path, "optim_v.pt"), map_location=device)
    sd["state"] = {i: {"step": m[i]["step"], "exp_avg": m[i]["exp_avg"].float(),
                       "exp_avg_sq": v[i]["exp_avg_sq"].float()} for i in m}
    opt.load_state_dict(sd)
    return ck["step"], ck.get("history", [])


def digital_state_dict(model, cfg) -> dict:
    """The plain model's state dict from a (possibly) converted one: the optical layers keep their Linear's
    parameter names, except the patch embedding, whose Conv3d weight became a flat Linear weight; the
    device buffers (fixed pattern, codes, scales) are the hardware's, not the model's, and are dropped."""
    sd = model.state_dict()
    out = {}
    for k, shape in h5io.expected_keys_and_shapes(cfg).items():
        flat = k.replace("patch_embed.proj.", "patch_embed.proj.linear.")
        v = sd[k] if k in sd else sd[flat]
        out[k] = v.detach().float().cpu().reshape(shape)
    return out


def cfg_for_export(cfg, args):
    # The exported stream model keeps the source file's num_frames attribute (the simulator's default clip
    # length), not the training clip length.
    if not args.init_h5:
        return cfg
    return ModelConfig.from_dict({**cfg.to_dict(), "num_frames": h5io.read_model(args.init_h5)[0].num_frames})


def log(msg: str, fh=None) -> None:
    line = f"[{time.strftime('%H:%M:%S')}] {msg}"
    print(line, flush=True)
    if fh:
        fh.write(line + "\n")
        fh.flush()


def train(args) -> dict:
    torch.manual_seed(args.seed)
    device = torch.device("cuda" if torch.cuda.is_available() and not args.smoke else "cpu")
    if device.type == "cuda":
        torch.backends.cuda.matmul.allow_tf32 = True
        torch.backends.cudnn.allow_tf32 = True
    cfg = smoke_config() if args.smoke else default_config(args.frames)
    if args.compile:
        from oasim.selective_scan import enable_compile
        log(f"torch.compile of the chunked scan: {'on' if enable_compile() else 'not available'}")
    if args.init_h5:
        # Fine-tuning: the architecture is the file's; only the training clip length is ours.
        file_cfg, sd = h5io.read_model(args.init_h5)
        cfg = ModelConfig.from_dict({**file_cfg.to_dict(), "num_frames": cfg.num_frames})
        model = VideoMamba(cfg)
        model.load_state_dict(sd)
    else:
        model = init_random_(VideoMamba(cfg), args.seed)
    teacher = None
    if args.teacher_h5:
        # Distillation (Hinton et al. 2015, "Distilling the Knowledge in a Neural Network"; the usual aid of
        # quantization-aware training, e.g. Mishra & Marr 2018, "Apprentice"): the fp32 model's per-frame
        # class distribution as a second target, so the hardware-bound student keeps the teacher's margins.
        tcfg, tsd = h5io.read_model(args.teacher_h5)
        teacher = VideoMamba(ModelConfig.from_dict({**tcfg.to_dict(), "num_frames": cfg.num_frames}))
        teacher.load_state_dict(tsd)
        teacher = teacher.to(device).eval().requires_grad_(False)
    if args.hw:
        # Hardware-aware training: every Linear runs the simulated optical hardware in the forward pass
        # (quantizers, noise, ADC), gradients pass straight through (docs/pytorch-hardware.md). Before the
        # optimizer is built: the patch embedding gets a new (storage-sharing) parameter.
        from oasim.hardware_config import HardwareConfigError
        from oasim.optical import OpticalConfigError, convert_to_optical
        try:
            convert_to_optical(model, args.hw, recipe=args.recipe, device_state=args.device_state, sets=args.set,
                               noise_seed=args.seed, noise_rng=args.noise_rng)
        except (HardwareConfigError, OpticalConfigError) as e:
            print(f"train.py: error: {e}", file=sys.stderr)
            sys.exit(2)
        log(f"hardware {args.hw}{' recipe ' + args.recipe if args.recipe else ''}: {model.optical_report}")
    model = model.to(device)
    opt = torch.optim.AdamW(model.parameters(), lr=args.lr, weight_decay=args.weight_decay, betas=(0.9, 0.95))
    step = 0
    history = []
    if args.resume and os.path.exists(os.path.join(args.resume, "model.pt")):
        step, history = load_checkpoint(args.resume, model, opt, device)
    logf = open(args.log, "a") if args.log else None
    log(f"device {device}, scan {args.scan}, {sum(p.numel() for p in model.parameters())} parameters, start step {step}, "
        f"target {args.steps} steps, batch {args.batch} x {cfg.num_frames} frames"
        f"{' (long-stream windows)' if args.streams else f' ({args.chain} clips each)' if args.chain > 1 else ''}", logf)

    if cfg.num_frames % args.chain:
        raise SystemExit(f"--frames {cfg.num_frames} is not a multiple of --chain {args.chain}")
    data = TrainBatches(args.seed, args.batch, cfg.num_frames, args.steps, args.streams, args.chain)
    sampler = range(step, args.steps)
    extra = {"prefetch_factor": 4} if args.workers else {}  # torch 1.13 refuses the option without workers
    loader = torch.utils.data.DataLoader(data, batch_size=None, sampler=sampler, num_workers=args.workers,
                                         pin_memory=device.type == "cuda", **extra)
    weights = frame_weights(cfg.num_frames, device, 1 if args.streams else args.chain)
    t_start = time.time()
    start_step = step

    def time_fraction():
        # --schedule-min: the cosine follows training time instead of the step count, so a chain of
        # fixed-length device calls ends its schedule at the low learning rate whatever the step rate.
        # Call k of a chain passes the minutes of the calls before it as --schedule-offset-min.
        if not args.schedule_min:
            return None
        return (args.schedule_offset_min * 60 + time.time() - t_start) / (args.schedule_min * 60)
    first_loss = None
    running = []
    for x, y in loader:
        x, y = x.to(device, non_blocking=True), y.to(device, non_blocking=True)
        for g in opt.param_groups:
            g["lr"] = lr_at(step, args.steps, args.lr, args.warmup, args.warmup_start, time_fraction())
        # No activation checkpointing through the hardware: its recompute would draw other detector noise
        # than the forward pass did (the noise streams are per-site torch.Generators, not saved by it).
        logits = model(x, scan_impl=args.scan, checkpoint=not args.smoke and not args.hw)
        loss_per = F.cross_entropy(logits.reshape(-1, cfg.num_classes), y.reshape(-1), reduction="none")
        loss = (loss_per.view(y.shape) * weights).sum() / (weights.sum() * y.shape[0])
        if teacher is not None:
            with torch.no_grad():
                t_logp = F.log_softmax(teacher(x, scan_impl=args.scan), -1)
            kl = (t_logp.exp() * (t_logp - F.log_softmax(logits, -1))).sum(-1)       # [B, T]
            loss = loss + args.distill_weight * (kl * weights).sum() / (weights.sum() * y.shape[0])
        opt.zero_grad(set_to_none=True)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        opt.step()
        step += 1
        running.append(loss.item())
        first_loss = first_loss if first_loss is not None else running[0]
        if step % args.log_every == 0 or step == args.steps:
            acc = (logits.argmax(-1)[:, 2:] == y[:, 2:]).float().mean().item()
            elapsed = time.time() - t_start
            history.append({"step": step, "loss": float(np.mean(running)), "train_top1": acc,
                            "elapsed_s": elapsed})
            mem = torch.cuda.max_memory_allocated() / 2**30 if device.type == "cuda" else 0
            log(f"step {step} loss {np.mean(running):.4f} train top-1 {acc:.3f} lr {opt.param_groups[0]['lr']:.2e} "
                f"{elapsed / max(1, step - start_step):.3f} s/step mem {mem:.1f} GiB", logf)
            running = []
        if args.time_limit_min and time.time() - t_start > args.time_limit_min * 60:
            log(f"time limit reached at step {step}", logf)
            break
        if args.ckpt and step % args.save_every == 0:
            save_checkpoint(args.ckpt, model, opt, step, history, cfg)
    if args.ckpt:
        save_checkpoint(args.ckpt, model, opt, step, history, cfg)
    result = {"step": step, "history": history, "first_loss": first_loss}
    if args.eval_clips:
        ev = evaluate(model, device, args.eval_clips, args.eval_frames or cfg.num_frames, args.eval_seed,
                      args.eval_skip, scan_impl=args.scan)
        result["eval"] = ev
        log(f"eval on {ev['clips']} test clips: per-frame top-1 (frames >= {ev['skip']}) {ev['top1']:.4f} "
            f"(item class {ev['class_top1']:.4f}, direction {ev['direction_top1']:.4f}); "
            f"per frame {[round(a, 3) for a in ev['per_frame']]}", logf)
    if args.export_h5:
        h5io.write_model(args.export_h5, cfg_for_export(cfg, args), digital_state_dict(model, cfg),
                         source=f"train.py{' --init-h5 ' + args.init_h5 if args.init_h5 else ''}"
                                f"{' --hw ' + args.hw if args.hw else ''}{' --recipe ' + args.recipe if args.recipe else ''}"
                                f"{''.join(' --set ' + s for s in args.set)}"
                                f"{' --teacher-h5 ' + args.teacher_h5 if args.teacher_h5 else ''}, {step} steps", class_names=h5io.read_class_names(args.init_h5) if args.init_h5 else None)
        log(f"wrote {args.export_h5}", logf)
    if args.result:
        with open(args.result, "w") as fh:
            json.dump(result, fh, indent=1)
    return result


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--ckpt", help="checkpoint folder to save to (model.pt, optim_m.pt, optim_v.pt)")
    ap.add_argument("--resume", help="checkpoint folder to resume from (may equal --ckpt)")
    ap.add_argument("--steps", type=int, default=6000, help="planned total steps (sets the LR schedule)")
    ap.add_argument("--time-limit-min", type=float, default=0, help="stop (and save) after this many minutes")
    ap.add_argument("--schedule-min", type=float, default=0,
                    help="run the cosine over this many minutes of training instead of over --steps")
    ap.add_argument("--schedule-offset-min", type=float, default=0,
                    help="minutes of the --schedule-min schedule already spent by earlier calls")
    ap.add_argument("--batch", type=int, default=32)
    ap.add_argument("--frames", type=int, default=16)
    ap.add_argument("--lr", type=float, default=1.5e-3)
    ap.add_argument("--weight-decay", type=float, default=0.05)
    ap.add_argument("--warmup", type=int, default=200, help="step at which the linear warm-up ends")
    ap.add_argument("--warmup-start", type=int, default=0, help="step at which the warm-up starts (a restart)")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--workers", type=int, default=min(12, os.cpu_count() or 1))
    ap.add_argument("--log-every", type=int, default=50)
    ap.add_argument("--save-every", type=int, default=500)
    ap.add_argument("--eval-clips", type=int, default=0)
    ap.add_argument("--eval-seed", type=int, default=1)
    ap.add_argument("--eval-frames", type=int, default=0, help="frames per evaluation clip (default: --frames)")
    ap.add_argument("--log", help="append the log to this file")
    ap.add_argument("--result", help="write history and evaluation as JSON")
    ap.add_argument("--streams", action="store_true", help="train on long-stream windows (items switch)")
    ap.add_argument("--chain", type=int, default=1, help="each training sequence = this many clips one after another")
    ap.add_argument("--eval-skip", type=int, default=3, help="evaluation counts frames >= this index")
    ap.add_argument("--compile", action="store_true", help="torch.compile the chunked scan pieces")
    ap.add_argument("--smoke", action="store_true", help="tiny CPU run; asserts the loss decreased")
    ap.add_argument("--hw", help="train through the simulated optical hardware of this config (YAML)")
    ap.add_argument("--recipe", help="--hw: quantization recipe (YAML)")
    ap.add_argument("--device-state", help="--hw: calibrated device state from `oasim infer --hw ... --device-out`")
    ap.add_argument("--set", action="append", default=[], help="--hw: override a hardware key, KEY=VALUE")
    # Training needs the detector noise's distribution, not the simulator's exact draws: the simulator's
    # Philox in int64 tensor ops (oasim/noise.py) made a VideoMamba step on an H200 take 0.78 s, 0.46 s
    # with torch.randn.
    ap.add_argument("--noise-rng", choices=NOISE_RNGS, default="torch",
                    help="--hw: detector noise from torch.randn (default) or the simulator's own Philox draws")
    ap.add_argument("--init-h5", help="start from this oasim model file (fine-tuning) instead of random weights")
    ap.add_argument("--teacher-h5", help="distil from this oasim model file run in fp32 (KL to its per-frame classes)")
    ap.add_argument("--distill-weight", type=float, default=1.0, help="--teacher-h5: weight of the KL term")
    ap.add_argument("--export-h5", help="write the trained weights as an oasim model file (HDF5)")
    ap.add_argument("--scan", choices=["auto", "triton", "chunked"], default="auto",
                    help="selective scan for training: auto = triton where CUDA and Triton exist, else chunked")
    args = ap.parse_args()
    if not args.hw and (args.recipe or args.device_state or args.set):
        ap.error("--recipe, --device-state and --set need --hw CONFIG")
    if args.scan == "auto":
        from oasim.triton_scan import available
        args.scan = "triton" if available() else "chunked"
    if args.smoke:
        args.steps, args.batch, args.workers, args.log_every, args.warmup, args.lr = 60, 8, 0, 10, 5, 3e-3
        if args.hw:  # the simulated hardware is ~5x slower per step on the CPU; the loss falls as clearly
            args.steps = 30
        torch.set_num_threads(max(1, os.cpu_count() or 1))
    res = train(args)
    if args.smoke:
        h = res["history"]
        ok = h[-1]["loss"] < h[0]["loss"] - 0.05
        print(f"smoke: loss {h[0]['loss']:.3f} -> {h[-1]['loss']:.3f}: {'decreased' if ok else 'did NOT decrease'}")
        sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
