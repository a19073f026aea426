#include "workloads/videomamba/selective_scan.hpp"

namespace oasim::videomamba {

void selective_scan(const ScanInputs& in, long segment, MatrixRM* h_carry, MatrixRM& y) {
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
