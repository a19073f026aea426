#pragma once
// Dense tensor types. Activations are row-major [tokens x features] so one token is one contiguous row,
// which is what streaming hardware sees (one input vector per symbol slot).
#include <Eigen/Dense>

namespace oasim {

using MatrixRM = Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
using VectorF = Eigen::VectorXf;
using RowVectorF = Eigen::RowVectorXf;

}  // namespace oasim
