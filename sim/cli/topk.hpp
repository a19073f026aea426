#pragma once
#include <string>
#include <utility>
#include <vector>

#include "sim/common/tensor.hpp"

namespace oasim::cli {

// Indices and softmax probabilities of the k largest logits, best first.
std::vector<std::pair<int, float>> top_k(const Eigen::Ref<const RowVectorF>& logits, int k);

std::string class_label(const std::vector<std::string>& names, int index);

}  // namespace oasim::cli
