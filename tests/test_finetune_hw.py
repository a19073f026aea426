#!/usr/bin/python3
"""Hardware-aware fine-tuning's pieces, CPU, a few seconds (issue 15 part 3):

1. the straight-through estimator: through OpticalLinear at a harsh design (4-bit DAC and ADC, 5x
   detector noise), the forward value is the hardware's (far from the exact Linear) while the weight,
   bias and input gradients equal the exact Linear's to fp32 rounding;
2. a short fine-tune of a tiny VideoMamba through that hardware lowers its loss *measured through the
   hardware* clearly (from a model trained without the hardware: the situation of the shipped model);
3. train.py's export (digital_state_dict): the converted model's weights come back under the plain
   model's keys and shapes (the patch embedding's flat weight folded back into its Conv3d), without the
   device buffers, and the written model file reads back equal;
4. the shipped fine-tuned model (models/videomamba-stream-mfm-hwft.h5) reads back with the shipped
   model's architecture.
"""
import os
import sys
import tempfile

root = os.path.join(os.path.dirname(os.path.realpath(__file__)), "..")
sys.path.insert(0, os.path.join(root, "workloads", "python"))

import torch  # noqa: E402
import torch.nn.functional as F  # noqa: E402

from oasim import h5io  # noqa: E402
from oasim.optical import OpticalLinear, convert_to_optical  # noqa: E402
from oasim.videomamba import VideoMamba, init_random_, tiny_config  # noqa: E402
import train  # noqa: E402  (workloads/python/train.py)
from pycheck import check, finish  # noqa: E402  (tests/pycheck.py)

HW = os.path.join(root, "configs", "hw", "default.yaml")
# No calibration needed (dynamic ranges, no fixed pattern); 4-bit converters and 5x noise: a design
# where the hardware's value differs from the exact Linear's by tens of percent.
HARSH = ["adc.range=dynamic", "weight_plane.fixed_pattern_sigma=0", "adc.bits=4", "modulator.dac_bits=4",
         "detector.noise_scale=5"]



torch.manual_seed(0)
torch.set_num_threads(max(1, min(2, os.cpu_count() or 1)))

# ---- 1. STE
lin = torch.nn.Linear(48, 24)
m = torch.nn.Sequential(lin)
convert_to_optical(m, HW, sets=HARSH, noise_seed=3)
opt_layer = m[0]
check(isinstance(opt_layer, OpticalLinear), "the Linear became an OpticalLinear")
x = torch.randn(64, 48, requires_grad=True)
g = torch.randn(64, 24)
y = opt_layer(x)
(y * g).sum().backward()
with torch.no_grad():
    exact = F.linear(x, lin.weight, lin.bias)
rel_err = float((y - exact).norm() / exact.norm())
check(rel_err > 0.05, f"hardware value differs from the exact Linear (rel. {rel_err:.3f} > 0.05)")
gw, gb, gx = g.t() @ x.detach(), g.sum(0), g @ lin.weight.detach()
for name, got, want in (("weight", opt_layer.weight.grad, gw), ("bias", opt_layer.bias.grad, gb), ("input", x.grad, gx)):
    err = float((got - want).abs().max() / want.abs().max())
    check(err < 1e-5, f"STE {name} gradient = exact Linear's (max rel. diff {err:.1e})")

# ---- 2. a short fine-tune through the harsh hardware lowers the hardware loss
cfg = tiny_config("videomamba-stream", num_frames=2, img_size=16, patch_size=8, in_chans=1, num_classes=4,
                  embed_dim=16, depth=1, d_state=4)
model = init_random_(VideoMamba(cfg), 1)
gen = torch.Generator().manual_seed(5)
video = torch.randn(16, 1, 2, 16, 16, generator=gen)
labels = torch.arange(16) % 4
video += labels.view(-1, 1, 1, 1, 1).float() * 0.1   # a learnable class signal (brightness)
target = labels.view(-1, 1).expand(-1, 2)


def loss_of(mdl):
    return F.cross_entropy(mdl(video).reshape(-1, 4), target.reshape(-1))


# Pre-train in fp32 (the shipped model's situation), then fine-tune through the hardware.
opt = torch.optim.AdamW(model.parameters(), lr=1e-2)
for _ in range(25):
    opt.zero_grad()
    loss_of(model).backward()
    opt.step()
with torch.no_grad():
    print(f"  fp32 loss after pre-training {float(loss_of(model)):.3f}")
convert_to_optical(model, HW, sets=HARSH, noise_seed=1)
with torch.no_grad():
    before = float(loss_of(model))
opt = torch.optim.AdamW(model.parameters(), lr=1e-2)
for _ in range(20):
    opt.zero_grad()
    loss = loss_of(model)
    loss.backward()
    check_grads = all(p.grad is not None for p in model.parameters() if p.requires_grad)
    opt.step()
    print(f"  fine-tune loss {float(loss):.3f}")
with torch.no_grad():
    after = float(sum(loss_of(model) for _ in range(3)) / 3)
check(check_grads, "every parameter got a gradient through the optical layers")
check(after < 0.7 * before, f"hardware loss after fine-tuning {after:.3f} < 0.7 x before {before:.3f}")

# ---- 3. export of the fine-tuned weights
sd = train.digital_state_dict(model, cfg)
expected = h5io.expected_keys_and_shapes(cfg)
check(list(sd) == list(expected), "exported keys = the plain model's keys, in order (no device buffers)")
flat = model.patch_embed.proj.linear.weight
check(torch.equal(sd["patch_embed.proj.weight"], flat.detach().reshape(expected["patch_embed.proj.weight"])),
      "patch embedding: the trained flat weight folded back into the Conv3d shape")
check(torch.equal(sd["layers.0.mixer.in_proj.weight"], model.layers[0].mixer.in_proj.weight.detach()),
      "a Linear's trained weight exported as is")
with tempfile.TemporaryDirectory() as d:
    path = os.path.join(d, "m.h5")
    h5io.write_model(path, cfg, sd)
    _, back = h5io.read_model(path)
    check(all(torch.equal(back[k], sd[k]) for k in sd), "the written model file reads back equal")

# ---- 4. the shipped fine-tuned model is a valid model file of the shipped model's architecture
shipped_cfg, _ = h5io.read_model(os.path.join(root, "models", "videomamba-stream-mfm.h5"))
ft_cfg, ft_sd = h5io.read_model(os.path.join(root, "models", "videomamba-stream-mfm-hwft.h5"))
check(ft_cfg.to_dict() == shipped_cfg.to_dict(), "models/videomamba-stream-mfm-hwft.h5 has the shipped architecture")

finish()
