#include "workloads/videomamba/random_weights.hpp"

#include <cmath>

#include "sim/common/normal_sampler.hpp"
#include "sim/common/rng.hpp"

namespace oasim::videomamba {
namespace {

struct Filler {
  NormalSampler s;
  MatrixRM normal(long r, long c, double std) {
    MatrixRM m(r, c);
    s.fill(m.data(), m.size());
    return m * float(std);
  }
  VectorF uniform(long n, double lo, double hi) {
    VectorF v(n);
    for (long i = 0; i < n; ++i) v[i] = float(lo + (hi - lo) * s.uniform());
    return v;
  }
};

LinearWeights linear(Filler& f, long out, long in, double std, bool bias) {
  LinearWeights l;
  l.weight = f.normal(out, in, std);
  if (bias) l.bias = f.normal(out, 1, 0.02);
  return l;
}

}  // namespace

ModelWeights random_weights(const ModelConfig& c, uint64_t seed) {
  c.validate();
  Filler f{NormalSampler(stream_seed(seed, "random_weights"))};
  ModelWeights w;
  w.config = c;
  const long d = c.embed_dim, di = c.d_inner(), n = c.d_state, r = c.dt_rank;
  w.patch_embed = linear(f, d, c.patch_volume(), 1.0 / std::sqrt(double(c.patch_volume())), true);
  w.cls_token = f.normal(1, d, 0.02);
  w.pos_embed = f.normal(c.patches_per_frame() + 1, d, 0.02);
  if (!c.is_stream()) w.temporal_pos_embed = f.normal(c.time_steps(), d, 0.02);
  for (int i = 0; i < c.depth; ++i) {
    LayerWeights l;
    l.norm_weight = f.uniform(d, 0.8, 1.2);
    l.in_proj = linear(f, 2 * di, d, 1.0 / std::sqrt(double(d)), false);
    l.out_proj = linear(f, d, di, 1.0 / std::sqrt(double(di * c.depth)), false);
    for (BranchWeights* b : {&l.fwd, &l.bwd}) {
      b->conv_weight = f.normal(di, c.d_conv, 1.0 / std::sqrt(double(c.d_conv)));
      b->conv_bias = f.normal(di, 1, 0.1);
      b->x_proj = linear(f, r + 2 * n, di, 1.0 / std::sqrt(double(di)), false);
      b->dt_proj = linear(f, di, r, 1.0 / std::sqrt(double(r)), false);
      // dt log-uniform in [1e-3, 1e-1]; bias = inverse softplus (Mamba's initialisation).
      b->dt_proj.bias.resize(di);
      for (long k = 0; k < di; ++k) {
        double dt = std::exp(std::log(1e-3) + f.s.uniform() * (std::log(0.1) - std::log(1e-3)));
        b->dt_proj.bias[k] = float(dt + std::log(-std::expm1(-dt)));
      }
      b->A.resize(di, n);
      for (long k = 0; k < di; ++k)
        for (long j = 0; j < n; ++j) b->A(k, j) = -float(j + 1);  // A_log = log(1..N)
      b->D = f.uniform(di, 0.5, 1.5);
    }
    w.layers.push_back(std::move(l));
  }
  w.norm_f_weight = f.uniform(d, 0.8, 1.2);
  w.head = linear(f, c.num_classes, d, 1.0 / std::sqrt(double(d)), true);
  return w;
}

}  // namespace oasim::videomamba
