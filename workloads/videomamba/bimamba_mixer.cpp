#include "workloads/videomamba/bimamba_mixer.hpp"

#include "workloads/videomamba/causal_conv1d.hpp"
#include "workloads/videomamba/elementwise.hpp"
#include "workloads/videomamba/selective_scan.hpp"

namespace oasim::videomamba {
namespace {

// Reverses the token order inside each segment of `segment` rows.
MatrixRM reverse_segments(const MatrixRM& m, long segment) {
  MatrixRM out(m.rows(), m.cols());
  for (long s = 0; s < m.rows(); s += segment)
    for (long i = 0; i < segment; ++i) out.row(s + i) = m.row(s + segment - 1 - i);
  return out;
}

void observe(const MixerContext& ctx, Tap tap, int layer, Direction dir, const MatrixRM& v,
             const LinearSite* site = nullptr) {
  if (ctx.observer) ctx.observer->observe(tap, layer, dir, site, v);
}

// One scan direction: conv -> SiLU -> x_proj -> dt_proj -> softplus -> scan -> gate with SiLU(z).
void run_branch(const BranchWeights& w, int layer, Direction dir, const MatrixRM& x, const MatrixRM& z,
                long segment, MixerState* state, const MixerContext& ctx, MatrixRM& y) {
  MatrixRM u;
  causal_conv1d(x, w.conv_weight, w.conv_bias, segment, state ? &state->conv : nullptr, u);
  silu_inplace(u);
  observe(ctx, Tap::SsmInput, layer, dir, u);

  const long r = w.dt_proj.in_features(), n = w.A.cols();
  LinearSite xs{LinearKind::XProj, layer, dir};
  observe(ctx, Tap::LinearInput, layer, dir, u, &xs);
  MatrixRM bc;
  ctx.linear->apply(xs, w.x_proj, u, bc);

  LinearSite ds{LinearKind::DtProj, layer, dir};
  MatrixRM dt = bc.leftCols(r);
  observe(ctx, Tap::LinearInput, layer, dir, dt, &ds);
  MatrixRM delta;
  ctx.linear->apply(ds, w.dt_proj, dt, delta);
  softplus_inplace(delta);
  if (ctx.observer) {
    observe(ctx, Tap::Delta, layer, dir, delta);
    observe(ctx, Tap::SsmB, layer, dir, MatrixRM(bc.middleCols(r, n)));
    observe(ctx, Tap::SsmC, layer, dir, MatrixRM(bc.rightCols(n)));
  }

  ScanInputs in{&u, &delta, &bc, r, &w.A, &w.D};
  selective_scan(in, segment, state ? &state->ssm : nullptr, y);
  mul_silu(y, z);
  observe(ctx, Tap::SsmOutput, layer, dir, y);
  if (state) observe(ctx, Tap::SsmState, layer, dir, state->ssm);
}

}  // namespace

void bimamba_mixer(const LayerWeights& w, int layer, const MatrixRM& hidden, long backward_segment,
                   MixerState* state, const MixerContext& ctx, MatrixRM& out) {
  const long length = hidden.rows();
  const long di = w.out_proj.in_features();
  LinearSite in_site{LinearKind::InProj, layer, Direction::None};
  observe(ctx, Tap::LinearInput, layer, Direction::None, hidden, &in_site);
  MatrixRM xz;
  ctx.linear->apply(in_site, w.in_proj, hidden, xz);
  const MatrixRM x = xz.leftCols(di), z = xz.rightCols(di);

  MatrixRM y_fwd, y_bwd_rev;
  const MatrixRM x_rev = reverse_segments(x, backward_segment);
  const MatrixRM z_rev = reverse_segments(z, backward_segment);
  const bool parallel = ctx.parallel_branches && ctx.linear->thread_safe() && !ctx.observer;
  // The two directions are independent until their sum; one thread each when allowed.
#pragma omp parallel sections num_threads(2) if (parallel)
  {
#pragma omp section
    run_branch(w.fwd, layer, Direction::Forward, x, z, length, state, ctx, y_fwd);
#pragma omp section
    run_branch(w.bwd, layer, Direction::Backward, x_rev, z_rev, backward_segment, nullptr, ctx, y_bwd_rev);
  }
  y_fwd += reverse_segments(y_bwd_rev, backward_segment);  // official: out_proj(y_f + y_b.flip), no division

  LinearSite out_site{LinearKind::OutProj, layer, Direction::None};
  observe(ctx, Tap::LinearInput, layer, Direction::None, y_fwd, &out_site);
  ctx.linear->apply(out_site, w.out_proj, y_fwd, out);
}

}  // namespace oasim::videomamba
