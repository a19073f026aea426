#include "sim/trace/activation_recorder.hpp"

namespace oasim::trace {

void ActivationRecorder::apply(const videomamba::LinearSite& site, const videomamba::LinearWeights& w,
                               const MatrixRM& x, MatrixRM& y) {
  videomamba::linear_fp32(w, x, y);
  std::lock_guard<std::mutex> lock(mu_);
  const std::string name = site.name();
  auto it = layers_.find(name);
  if (it == layers_.end()) {
    LayerActivations l;
    l.name = name;
    l.in = w.in_features();
    l.out = w.out_features();
    l.weight.assign(w.weight.data(), w.weight.data() + w.weight.size());
    if (w.bias.size()) l.bias.assign(w.bias.data(), w.bias.data() + w.bias.size());
    it = layers_.emplace(name, std::move(l)).first;
    order_.push_back(name);
  }
  LayerActivations& l = it->second;
  const long take = std::min<long>(x.rows(), max_rows_ - l.rows);
  if (take <= 0) return;
  l.input.insert(l.input.end(), x.data(), x.data() + take * x.cols());
  l.output.insert(l.output.end(), y.data(), y.data() + take * y.cols());
  l.rows += take;
}

std::vector<LayerActivations> ActivationRecorder::layers() const {
  std::lock_guard<std::mutex> lock(mu_);
  std::vector<LayerActivations> out;
  for (auto& n : order_) out.push_back(layers_.at(n));
  return out;
}

}  // namespace oasim::trace
