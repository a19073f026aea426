#include "workloads/videomamba/videomamba_model.hpp"

#include "sim/common/error.hpp"
#include "workloads/videomamba/elementwise.hpp"

namespace oasim::videomamba {

long StreamState::bytes() const {
  long total = 0;
  for (auto& l : layers) total += long(l.conv.size() + l.ssm.size()) * long(sizeof(float));
  return total;
}

VideoMambaModel::VideoMambaModel(ModelWeights weights) : w_(std::move(weights)) { w_.config.validate(); }

StreamState VideoMambaModel::initial_state() const {
  const ModelConfig& c = w_.config;
  StreamState s;
  s.layers.resize(c.depth);
  for (auto& l : s.layers) {
    l.conv = MatrixRM::Zero(c.d_conv - 1, c.d_inner());
    l.ssm = MatrixRM::Zero(c.d_inner(), c.d_state);
  }
  return s;
}

void VideoMambaModel::check_video(const Video& v) const {
  const ModelConfig& c = w_.config;
  if (v.channels != c.in_chans || v.height != c.img_size || v.width != c.img_size)
    fail_input("input clip is {}x{}x{} (channels x height x width), the model expects {}x{}x{}", v.channels,
               v.height, v.width, c.in_chans, c.img_size, c.img_size);
  if (v.frames <= 0) fail_input("input clip has no frames");
  if (!c.is_stream() && v.frames != c.num_frames)
    fail_input("the clip model expects exactly {} frames (its temporal position embedding), got {}",
               c.num_frames, v.frames);
  if (v.data.size() != size_t(v.channels) * v.frames * v.height * v.width)
    fail_input("input clip data has {} values, its shape needs {}", v.data.size(),
               size_t(v.channels) * v.frames * v.height * v.width);
}

MatrixRM VideoMambaModel::patch_tokens(const Video& v) const {
  const ModelConfig& c = w_.config;
  const int p = c.patch_size, tb = c.tubelet_size, g = c.grid(), steps = v.frames / tb;
  // im2col: one row per (time step, patch row, patch col), columns in Conv3d weight order (c, dt, py, px).
  MatrixRM cols(long(steps) * g * g, c.patch_volume());
  for (int t = 0; t < steps; ++t)
    for (int gy = 0; gy < g; ++gy)
      for (int gx = 0; gx < g; ++gx) {
        float* row = cols.row((long(t) * g + gy) * g + gx).data();
        for (int ch = 0; ch < c.in_chans; ++ch)
          for (int dt = 0; dt < tb; ++dt)
            for (int py = 0; py < p; ++py) {
              const float* src = &v.data[((size_t(ch) * v.frames + t * tb + dt) * v.height + gy * p + py) * v.width +
                                         size_t(gx) * p];
              std::copy_n(src, p, row);
              row += p;
            }
      }
  return cols;
}

MatrixRM VideoMambaModel::embed_clip(const Video& v, LinearExecutor& lin) const {
  const ModelConfig& c = w_.config;
  const long n = c.patches_per_frame(), d = c.embed_dim, steps = v.frames / c.tubelet_size;
  MatrixRM tok;
  lin.apply({LinearKind::PatchEmbed}, w_.patch_embed, patch_tokens(v), tok);
  // Official order: [cls + pos0, then frame-major patches + pos[1+i] + temporal[t]].
  MatrixRM seq(1 + steps * n, d);
  seq.row(0) = w_.cls_token + w_.pos_embed.row(0);
  for (long t = 0; t < steps; ++t)
    seq.middleRows(1 + t * n, n) = tok.middleRows(t * n, n) + w_.pos_embed.bottomRows(n) +
                                   w_.temporal_pos_embed.row(t).replicate(n, 1);
  return seq;
}

MatrixRM VideoMambaModel::embed_stream(const Video& v, LinearExecutor& lin) const {
  const ModelConfig& c = w_.config;
  const long n = c.patches_per_frame(), d = c.embed_dim, frames = v.frames;
  MatrixRM tok;
  lin.apply({LinearKind::PatchEmbed}, w_.patch_embed, patch_tokens(v), tok);
  // Per frame: [patches + pos[1+i], readout = cls + pos0] so the readout closes the frame.
  MatrixRM seq(frames * (n + 1), d);
  for (long t = 0; t < frames; ++t) {
    seq.middleRows(t * (n + 1), n) = tok.middleRows(t * n, n) + w_.pos_embed.bottomRows(n);
    seq.row(t * (n + 1) + n) = w_.cls_token + w_.pos_embed.row(0);
  }
  return seq;
}

MatrixRM VideoMambaModel::trunk(const MatrixRM& seq, long backward_segment, StreamState* state,
                                const ForwardOptions& opt, LinearExecutor& lin) const {
  MixerContext ctx{&lin, opt.observer, opt.parallel_branches};
  if (opt.observer) opt.observer->observe(Tap::Embed, -1, Direction::None, nullptr, seq);
  MatrixRM residual = seq, hidden, normed;
  for (int i = 0; i < w_.config.depth; ++i) {
    // Official Block: residual = residual + hidden (the first block takes the embedding as residual),
    // hidden = mixer(RMSNorm(residual)); the residual stays fp32.
    if (i > 0) residual += hidden;
    rms_norm(residual, w_.layers[i].norm_weight, normed);
    bimamba_mixer(w_.layers[i], i, normed, backward_segment, state ? &state->layers[i] : nullptr, ctx, hidden);
    if (opt.observer) opt.observer->observe(Tap::BlockOut, i, Direction::None, nullptr, residual + hidden);
  }
  residual += hidden;
  return residual;
}

MatrixRM VideoMambaModel::head_logits(const MatrixRM& rows, const ForwardOptions& opt, LinearExecutor& lin) const {
  MatrixRM feats, logits;
  rms_norm(rows, w_.norm_f_weight, feats);
  if (opt.observer) opt.observer->observe(Tap::Features, -1, Direction::None, nullptr, feats);
  LinearSite site{LinearKind::Head};
  if (opt.observer) opt.observer->observe(Tap::LinearInput, -1, Direction::None, &site, feats);
  lin.apply(site, w_.head, feats, logits);
  return logits;
}

MatrixRM VideoMambaModel::forward(const Video& v, const ForwardOptions& opt) const {
  check_video(v);
  if (w_.config.is_stream()) {
    StreamState s = initial_state();
    return forward_stream(v, s, opt);
  }
  LinearExecutor& lin = opt.linear ? *opt.linear : fp32_;
  MatrixRM seq = embed_clip(v, lin);
  MatrixRM residual = trunk(seq, seq.rows(), nullptr, opt, lin);
  return head_logits(residual.topRows(1), opt, lin);  // the cls token is token 0
}

MatrixRM VideoMambaModel::forward_stream(const Video& v, StreamState& state, const ForwardOptions& opt) const {
  const ModelConfig& c = w_.config;
  if (!c.is_stream())
    fail_input("streaming needs a videomamba-stream model; this file is a '{}' clip model", variant_name(c.variant));
  check_video(v);
  if (state.layers.size() != size_t(c.depth)) fail_input("stream state has {} layers, the model {}",
                                                          state.layers.size(), c.depth);
  LinearExecutor& lin = opt.linear ? *opt.linear : fp32_;
  const long seg = c.patches_per_frame() + 1;
  MatrixRM seq = embed_stream(v, lin);
  MatrixRM residual = trunk(seq, seg, &state, opt, lin);
  MatrixRM readouts(v.frames, c.embed_dim);
  for (long t = 0; t < v.frames; ++t) readouts.row(t) = residual.row(t * seg + seg - 1);
  state.frames_seen += v.frames;
  return head_logits(readouts, opt, lin);
}

}  // namespace oasim::videomamba
