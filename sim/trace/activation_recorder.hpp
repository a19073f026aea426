#pragma once
// Records activation traces during an fp32 forward pass: for every Linear, up to `max_rows` input rows
// with its weight, bias and fp32 output, in the schema of trace_file.hpp (the same one the PyTorch hook
// script writes), so captured layers can be replayed through the optical numerics.
#include <map>
#include <mutex>
#include <string>
#include <vector>

#include "sim/trace/trace_file.hpp"
#include "workloads/videomamba/linear_executor.hpp"

namespace oasim::trace {

class ActivationRecorder final : public videomamba::LinearExecutor {
 public:
  explicit ActivationRecorder(long max_rows) : max_rows_(max_rows) {}
  void apply(const videomamba::LinearSite& site, const videomamba::LinearWeights& w, const MatrixRM& x,
             MatrixRM& y) override;
  bool thread_safe() const override { return true; }
  // In the order the layers were first seen.
  std::vector<LayerActivations> layers() const;

 private:
  long max_rows_;
  mutable std::mutex mu_;
  std::vector<std::string> order_;
  std::map<std::string, LayerActivations> layers_;
};

}  // namespace oasim::trace
