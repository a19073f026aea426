#include "sim/cli/topk.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>

namespace oasim::cli {

std::vector<std::pair<int, float>> top_k(const Eigen::Ref<const RowVectorF>& logits, int k) {
  const int n = int(logits.size());
  k = std::max(0, std::min(k, n));
  std::vector<int> idx(n);
  std::iota(idx.begin(), idx.end(), 0);
  std::partial_sort(idx.begin(), idx.begin() + k, idx.end(), [&](int a, int b) { return logits[a] > logits[b]; });
  const float mx = logits.maxCoeff();
  const double z = (logits.array() - mx).exp().sum();
  std::vector<std::pair<int, float>> out;
  for (int i = 0; i < k; ++i) out.emplace_back(idx[i], float(std::exp(logits[idx[i]] - mx) / z));
  return out;
}

std::string class_label(const std::vector<std::string>& names, int index) {
  if (index >= 0 && index < int(names.size())) return names[index];
  return "class " + std::to_string(index);
}

}  // namespace oasim::cli
