#include "workloads/videomamba/elementwise.hpp"

#include <cmath>

namespace oasim::videomamba {

void rms_norm(const MatrixRM& x, const VectorF& weight, MatrixRM& out, float eps) {
  out.resize(x.rows(), x.cols());
  const float inv_n = 1.0f / float(x.cols());
  for (Eigen::Index r = 0; r < x.rows(); ++r) {
    float rstd = 1.0f / std::sqrt(x.row(r).squaredNorm() * inv_n + eps);
    out.row(r) = (x.row(r).array() * rstd * weight.transpose().array()).matrix();
  }
}

}  // namespace oasim::videomamba
