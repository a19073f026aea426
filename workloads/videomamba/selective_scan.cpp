#include "workloads/videomamba/selective_scan.hpp"

#include <vector>

#include "sim/common/kernel_profile.hpp"

namespace oasim::videomamba {
namespace {

constexpr long kMaxState = 64;  // the fused kernel keeps N states of a channel block on the stack
constexpr int kBlock = 16;      // channels per block: one AVX-512 register of floats

// The fused scan for channels [d0, d0 + W): the block's N x W state lives in registers (W = 16, N = 16
// is 16 zmm registers) for all L tokens, so the state never travels through memory; exp() is Eigen's
// vectorised one on a fixed-size packet. Channels are independent, so blocks run in any order and
// every channel's result is the same whichever block it falls in.
template <int W>
void scan_block(const ScanInputs& in, long segment, long d0, MatrixRM* h_carry, MatrixRM& y) {
  using Vec = Eigen::Array<float, W, 1>;
  using CMap = Eigen::Map<const Vec, Eigen::Unaligned>;
  const long length = in.u->rows(), n = in.A->cols();
  Vec h[kMaxState], a[kMaxState];
  for (long s = 0; s < n; ++s) {
    for (int w = 0; w < W; ++w) {
      a[s][w] = (*in.A)(d0 + w, s);
      h[s][w] = h_carry ? (*h_carry)(d0 + w, s) : 0.0f;
    }
  }
  const Vec dvec = CMap(in.D->data() + d0);
  for (long t = 0; t < length; ++t) {
    if (t % segment == 0 && t > 0)
      for (long s = 0; s < n; ++s) h[s].setZero();
    const Vec delta = CMap(in.delta->row(t).data() + d0);
    const Vec u = CMap(in.u->row(t).data() + d0);
    const float* B = in.bc->row(t).data() + in.bc_offset;
    const float* C = B + n;
    const Vec du = delta * u;
    Vec acc = Vec::Zero();
    for (long s = 0; s < n; ++s) {
      h[s] = (a[s] * delta).exp() * h[s] + B[s] * du;
      acc += C[s] * h[s];
    }
    Eigen::Map<Vec, Eigen::Unaligned>(y.row(t).data() + d0) = acc + dvec * u;
  }
  if (h_carry)
    for (long s = 0; s < n; ++s)
      for (int w = 0; w < W; ++w) (*h_carry)(d0 + w, s) = h[s][w];
}

}  // namespace

void selective_scan(const ScanInputs& in, long segment, MatrixRM* h_carry, MatrixRM& y) {
  if (in.A->cols() > kMaxState) return selective_scan_reference(in, segment, h_carry, y);
  profile::Scope scope(profile::Kernel::Scan);
  const long length = in.u->rows(), di = in.u->cols(), n = in.A->cols();
  y.resize(length, di);
  if (h_carry && (h_carry->rows() != di || h_carry->cols() != n)) h_carry->setZero(di, n);
  long d0 = 0;
  for (; d0 + kBlock <= di; d0 += kBlock) scan_block<kBlock>(in, segment, d0, h_carry, y);
  for (; d0 < di; ++d0) scan_block<1>(in, segment, d0, h_carry, y);
}

void selective_scan_reference(const ScanInputs& in, long segment, MatrixRM* h_carry, MatrixRM& y) {
  const long length = in.u->rows(), di = in.u->cols(), n = in.A->cols();
  y.resize(length, di);
  // The state [Di x N] row-major is, in memory, an [N x Di] column-major array: column d is channel d's
  // N states, contiguous, so per-channel dot products with C and broadcasts of B vectorise.
  using ArrayCM = Eigen::Array<float, Eigen::Dynamic, Eigen::Dynamic>;
  ArrayCM h = ArrayCM::Zero(n, di);
  if (h_carry) h = Eigen::Map<const ArrayCM>(h_carry->data(), n, di);
  const Eigen::Map<const ArrayCM> A(in.A->data(), n, di);
  ArrayCM decay(n, di);

  for (long t = 0; t < length; ++t) {
    if (t % segment == 0 && t > 0) h.setZero();
    const Eigen::Map<const Eigen::Array<float, 1, Eigen::Dynamic>> delta(in.delta->row(t).data(), di);
    const Eigen::Map<const Eigen::Array<float, 1, Eigen::Dynamic>> u(in.u->row(t).data(), di);
    const Eigen::Map<const Eigen::ArrayXf> B(in.bc->row(t).data() + in.bc_offset, n);
    const Eigen::Map<const Eigen::ArrayXf> C(in.bc->row(t).data() + in.bc_offset + n, n);

    decay = (A.rowwise() * delta).exp();
    const Eigen::Array<float, 1, Eigen::Dynamic> du = delta * u;
    h = decay * h + (B.matrix() * du.matrix()).array();  // outer product B (N) x (delta*u) (Di)
    auto yrow = y.row(t).array();
    yrow = (h.colwise() * C).colwise().sum() + in.D->transpose().array() * u;
  }
  if (h_carry) {
    h_carry->resize(di, n);
    Eigen::Map<ArrayCM>(h_carry->data(), n, di) = h;
  }
}

}  // namespace oasim::videomamba
