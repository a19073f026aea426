#include "workloads/videomamba/linear_executor.hpp"

#include <fmt/format.h>

#include "sim/common/kernel_profile.hpp"

namespace oasim::videomamba {

std::string LinearSite::name() const {
  const char* sfx = dir == Direction::Backward ? "_b" : "";
  switch (kind) {
    case LinearKind::PatchEmbed: return "patch_embed.proj";
    case LinearKind::Head: return "head";
    case LinearKind::InProj: return fmt::format("layers.{}.mixer.in_proj", layer);
    case LinearKind::OutProj: return fmt::format("layers.{}.mixer.out_proj", layer);
    case LinearKind::XProj: return fmt::format("layers.{}.mixer.x_proj{}", layer, sfx);
    case LinearKind::DtProj: return fmt::format("layers.{}.mixer.dt_proj{}", layer, sfx);
  }
  return "?";
}

void linear_fp32(const LinearWeights& w, const MatrixRM& x, MatrixRM& y) {
  // Fixed blocks of rows, the last one zero-padded: Eigen's GEMM picks its kernel path from the matrix
  // sizes, and for some output widths (x_proj's 44) a row's result then depends on how many rows are
  // multiplied together. Blocking by a constant makes every token's result independent of the batch,
  // so a stream fed frame by frame reproduces the one-call result (tests/test_streaming.cpp).
  constexpr long kRows = 64;
  const long n = x.rows();
  profile::Scope scope(profile::Kernel::Fp32Gemm, 2.0 * double((n + kRows - 1) / kRows * kRows) * x.cols() * w.weight.rows());
  y.resize(n, w.weight.rows());
  const auto wt = w.weight.transpose();
  long r = 0;
  for (; r + kRows <= n; r += kRows) y.middleRows(r, kRows).noalias() = x.middleRows(r, kRows) * wt;
  if (r < n) {
    MatrixRM tail = MatrixRM::Zero(kRows, x.cols());
    tail.topRows(n - r) = x.middleRows(r, n - r);
    MatrixRM out = tail * wt;
    y.middleRows(r, n - r) = out.topRows(n - r);
  }
  if (w.bias.size()) y.rowwise() += w.bias.transpose();
}

void Fp32LinearExecutor::apply(const LinearSite&, const LinearWeights& w, const MatrixRM& x, MatrixRM& y) {
  linear_fp32(w, x, y);
}

}  // namespace oasim::videomamba
