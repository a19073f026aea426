// Unit tests of the pure numerics against closed forms and against themselves split differently.
#include <catch2/catch.hpp>

#include <cmath>

#include "sim/common/rng.hpp"
#include "workloads/videomamba/causal_conv1d.hpp"
#include "workloads/videomamba/elementwise.hpp"
#include "workloads/videomamba/selective_scan.hpp"

using namespace oasim;
using namespace oasim::videomamba;

namespace {
MatrixRM random_matrix(long r, long c, uint64_t seed, float scale = 1.0f) {
  Rng rng = make_rng(seed, "test");
  std::normal_distribution<float> n(0.0f, scale);
  MatrixRM m(r, c);
  for (long i = 0; i < m.size(); ++i) m.data()[i] = n(rng);
  return m;
}
}  // namespace

TEST_CASE("softplus and silu follow PyTorch", "[kernels]") {
  MatrixRM m(1, 4);
  m << -3.0f, 0.0f, 2.0f, 25.0f;
  MatrixRM s = m;
  softplus_inplace(s);
  CHECK(s(0, 0) == Approx(std::log1p(std::exp(-3.0))));
  CHECK(s(0, 1) == Approx(std::log(2.0)));
  CHECK(s(0, 3) == 25.0f);  // above the threshold of 20 it is the identity
  MatrixRM si = m;
  silu_inplace(si);
  CHECK(si(0, 2) == Approx(2.0 / (1.0 + std::exp(-2.0))));
  CHECK(si(0, 1) == 0.0f);
}

TEST_CASE("rms_norm: x / sqrt(mean(x^2) + eps) * w", "[kernels]") {
  MatrixRM x(1, 2);
  x << 3.0f, 4.0f;
  VectorF w(2);
  w << 1.0f, 2.0f;
  MatrixRM out;
  rms_norm(x, w, out, 0.0f);
  const double rms = std::sqrt((9.0 + 16.0) / 2.0);
  CHECK(out(0, 0) == Approx(3.0 / rms));
  CHECK(out(0, 1) == Approx(8.0 / rms));
}

TEST_CASE("causal conv: closed form, and carrying the history equals one pass", "[kernels]") {
  MatrixRM w(1, 4);
  w << 1.0f, 10.0f, 100.0f, 1000.0f;  // tap 3 multiplies the current input
  VectorF b = VectorF::Constant(1, 0.5f);
  MatrixRM x(5, 1);
  x << 1, 2, 3, 4, 5;
  MatrixRM out;
  causal_conv1d(x, w, b, 5, nullptr, out);
  CHECK(out(0, 0) == Approx(0.5 + 1000 * 1));
  CHECK(out(3, 0) == Approx(0.5 + 1 * 1 + 10 * 2 + 100 * 3 + 1000 * 4));

  MatrixRM big = random_matrix(11, 6, 1), wk = random_matrix(6, 4, 2);
  VectorF bias = random_matrix(6, 1, 3);
  MatrixRM whole;
  causal_conv1d(big, wk, bias, big.rows(), nullptr, whole);
  MatrixRM carry = MatrixRM::Zero(3, 6), part1, part2;
  causal_conv1d(big.topRows(4), wk, bias, 4, &carry, part1);
  causal_conv1d(big.bottomRows(7), wk, bias, 7, &carry, part2);
  CHECK((part1 - whole.topRows(4)).cwiseAbs().maxCoeff() < 1e-6);
  CHECK((part2 - whole.bottomRows(7)).cwiseAbs().maxCoeff() < 1e-6);
  // Segments restart from zero history.
  MatrixRM seg;
  causal_conv1d(big, wk, bias, 4, nullptr, seg);
  MatrixRM fresh;
  causal_conv1d(MatrixRM(big.middleRows(4, 4)), wk, bias, 4, nullptr, fresh);
  CHECK((seg.middleRows(4, 4) - fresh).cwiseAbs().maxCoeff() < 1e-6);
}

TEST_CASE("selective scan: closed form for one channel and one state", "[kernels]") {
  // h_t = exp(d*a) h_{t-1} + d*b*u_t; y_t = c*h_t + D*u_t with constant d, a, b, c.
  const float d = 0.5f, a = -2.0f, bb = 3.0f, cc = 0.25f, Dv = 1.5f;
  MatrixRM u(3, 1), delta = MatrixRM::Constant(3, 1, d), bc(3, 2), A(1, 1);
  u << 1.0f, -2.0f, 4.0f;
  bc.col(0).setConstant(bb);
  bc.col(1).setConstant(cc);
  A << a;
  VectorF D = VectorF::Constant(1, Dv);
  MatrixRM y;
  selective_scan({&u, &delta, &bc, 0, &A, &D}, 3, nullptr, y);
  const double g = std::exp(d * a);
  double h = 0;
  for (int t = 0; t < 3; ++t) {
    h = g * h + d * bb * u(t, 0);
    CHECK(y(t, 0) == Approx(cc * h + Dv * u(t, 0)).epsilon(1e-6));
  }
}

TEST_CASE("selective scan: carried state equals one pass, segments restart", "[kernels]") {
  const long L = 20, di = 8, n = 16, r = 2;
  MatrixRM u = random_matrix(L, di, 4), bc = random_matrix(L, r + 2 * n, 5);
  MatrixRM delta = random_matrix(L, di, 6, 0.3f).cwiseAbs();
  MatrixRM A = -random_matrix(di, n, 7).cwiseAbs();
  VectorF D = random_matrix(di, 1, 8);
  MatrixRM whole, p1, p2;
  selective_scan({&u, &delta, &bc, r, &A, &D}, L, nullptr, whole);
  MatrixRM h = MatrixRM::Zero(di, n);
  MatrixRM u1 = u.topRows(7), d1 = delta.topRows(7), bc1 = bc.topRows(7);
  MatrixRM u2 = u.bottomRows(13), d2 = delta.bottomRows(13), bc2 = bc.bottomRows(13);
  selective_scan({&u1, &d1, &bc1, r, &A, &D}, 7, &h, p1);
  selective_scan({&u2, &d2, &bc2, r, &A, &D}, 13, &h, p2);
  CHECK((p1 - whole.topRows(7)).cwiseAbs().maxCoeff() < 1e-5);
  CHECK((p2 - whole.bottomRows(13)).cwiseAbs().maxCoeff() < 1e-5);

  MatrixRM seg, fresh;
  selective_scan({&u, &delta, &bc, r, &A, &D}, 10, nullptr, seg);
  MatrixRM u3 = u.bottomRows(10), d3 = delta.bottomRows(10), bc3 = bc.bottomRows(10);
  selective_scan({&u3, &d3, &bc3, r, &A, &D}, 10, nullptr, fresh);
  CHECK((seg.bottomRows(10) - fresh).cwiseAbs().maxCoeff() < 1e-6);
  CHECK((seg.bottomRows(10) - whole.bottomRows(10)).cwiseAbs().maxCoeff() > 1e-4);  // the reset matters
}

TEST_CASE("selective scan: the fused kernel equals the per-token reference (blocks, tail, carry, segments)",
          "[kernels]") {
  // 40 channels = two 16-channel register blocks and an 8-channel tail; 6 of the 30 tokens per segment.
  const long L = 30, di = 40, n = 16, r = 3;
  MatrixRM u = random_matrix(L, di, 14), bc = random_matrix(L, r + 2 * n, 15);
  MatrixRM delta = random_matrix(L, di, 16, 0.3f).cwiseAbs();
  MatrixRM A = -random_matrix(di, n, 17).cwiseAbs();
  VectorF D = random_matrix(di, 1, 18);
  MatrixRM h0 = random_matrix(di, n, 19);
  MatrixRM hf = h0, hr = h0, yf, yr;
  selective_scan({&u, &delta, &bc, r, &A, &D}, 6, &hf, yf);
  selective_scan_reference({&u, &delta, &bc, r, &A, &D}, 6, &hr, yr);
  const float scale = yr.cwiseAbs().maxCoeff();
  CHECK(scale > 0.1f);
  CHECK((yf - yr).cwiseAbs().maxCoeff() <= 1e-6f * scale);
  CHECK((hf - hr).cwiseAbs().maxCoeff() <= 1e-6f * hr.cwiseAbs().maxCoeff());
  CHECK((hf - h0).cwiseAbs().maxCoeff() > 1e-3f);  // the state moved
}
