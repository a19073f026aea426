#include "workloads/quant/input_transform.hpp"

#include <algorithm>
#include <cmath>

#include "sim/common/rng.hpp"

namespace oasim::quant {
namespace {

template <typename T>
double fwht(T* v, long n, int block) {
  const T norm = T(1) / std::sqrt(T(block));
  double adds = 0;
  for (long b0 = 0; b0 < n; b0 += block) {
    T* a = v + b0;
    for (int h = 1; h < block; h *= 2)
      for (int i = 0; i < block; i += 2 * h)
        for (int j = i; j < i + h; ++j) {
          const T x = a[j], y = a[j + h];
          a[j] = x + y;
          a[j + h] = x - y;
          adds += 2;
        }
    for (int i = 0; i < block; ++i) a[i] *= norm;
  }
  return adds;
}

// Columns of m reordered: out(:, i) = m(:, perm[i]).
MatrixRM permute_cols(const MatrixRM& m, const Eigen::VectorXi& perm) {
  MatrixRM out(m.rows(), m.cols());
  for (long i = 0; i < perm.size(); ++i) out.col(i) = m.col(perm[i]);
  return out;
}

}  // namespace

double fwht_blocks(float* v, long n, int block) { return fwht(v, n, block); }
double fwht_blocks(double* v, long n, int block) { return fwht(v, n, block); }

void InputTransform::apply(MatrixRM& x, double* adds, double* muls) const {
  if (smooth.size() && !smooth_folded) {
    x.array().rowwise() /= smooth.transpose().array();
    if (muls) *muls += double(x.size());
  }
  if (block > 0) {
    x.array().rowwise() *= signs.transpose().array();
    double a = 0;
    for (long r = 0; r < x.rows(); ++r) a += fwht_blocks(x.row(r).data(), x.cols(), block);
    if (adds) *adds += a;
  }
  if (perm.size()) x = permute_cols(x, perm);
}

MatrixRM InputTransform::weight(const MatrixRM& w) const {
  // Row r of W diag(s) Q^T is (Q (s . w_r))^T: the same transform as an input, with s multiplying.
  MatrixRM out = w;
  if (smooth.size()) out.array().rowwise() *= smooth.transpose().array();
  if (block > 0) {
    out.array().rowwise() *= signs.transpose().array();
    for (long r = 0; r < out.rows(); ++r) fwht_blocks(out.row(r).data(), out.cols(), block);
  }
  if (perm.size()) out = permute_cols(out, perm);
  return out;
}

Eigen::MatrixXd InputTransform::xtx(const Eigen::MatrixXd& raw) const {
  Eigen::MatrixXd a = raw;
  if (smooth.size()) {
    const Eigen::VectorXd inv = smooth.cast<double>().cwiseInverse();
    a = inv.asDiagonal() * a * inv.asDiagonal();
  }
  if (block > 0) {
    const Eigen::VectorXd sg = signs.cast<double>();
    a = sg.asDiagonal() * a * sg.asDiagonal();
    // Q A Q^T with Q symmetric per block: transform the columns, then the rows.
    Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor> m = a;
    for (long r = 0; r < m.rows(); ++r) fwht_blocks(m.row(r).data(), m.cols(), block);
    m.transposeInPlace();
    for (long r = 0; r < m.rows(); ++r) fwht_blocks(m.row(r).data(), m.cols(), block);
    a = m;
  }
  if (perm.size()) {
    Eigen::MatrixXd p(a.rows(), a.cols());
    for (long i = 0; i < perm.size(); ++i)
      for (long j = 0; j < perm.size(); ++j) p(i, j) = a(perm[i], perm[j]);
    a = p;
  }
  return a;
}

VectorF smooth_scales(const VectorF& act_absmax, const MatrixRM& w, double alpha) {
  const long k = w.cols();
  VectorF s(k);
  for (long j = 0; j < k; ++j) {
    const double a = act_absmax[j], b = w.col(j).cwiseAbs().maxCoeff();
    double v = (a > 0 && b > 0) ? std::pow(a, alpha) / std::pow(b, 1 - alpha) : 1.0;
    s[j] = float(std::clamp(v, 1e-5, 1e5));
  }
  return s;
}

InputTransform make_rotation(int n, uint64_t seed) {
  InputTransform t;
  int b = 1;
  while (n % (b * 2) == 0) b *= 2;
  t.block = b;
  t.signs.resize(n);
  for (int i = 0; i < n; ++i) t.signs[i] = (splitmix64(seed ^ splitmix64(uint64_t(i))) & 1) ? 1.0f : -1.0f;
  return t;
}

}  // namespace oasim::quant
