#pragma once
// Records every Linear's input and output rows while another executor computes them (`oasim infer --hw
// --record-sites FILE`). The PyTorch OpticalLinear is checked against these per site, teacher-forced:
// the same input rows in, the simulator's output rows to match. (Whole-model logits cannot be compared
// tighter than the simulator's own sensitivity to fp32 rounding: a quantizer decision that flips on a
// 1e-7 difference in a digital op upstream changes one code, docs/pytorch-hardware.md.)
#include <map>
#include <mutex>
#include <string>
#include <vector>

#include "workloads/videomamba/linear_executor.hpp"

namespace oasim::hardware {

class SiteRecorder : public videomamba::LinearExecutor {
 public:
  // max_rows: rows kept per site (the first ones), so a long stream cannot fill the memory.
  SiteRecorder(videomamba::LinearExecutor& inner, long max_rows) : inner_(inner), max_rows_(max_rows) {}
  void apply(const videomamba::LinearSite& site, const videomamba::LinearWeights& w, const MatrixRM& x,
             MatrixRM& y) override;
  bool thread_safe() const override { return inner_.thread_safe(); }
  // sites/<site>/x [rows x in], sites/<site>/y [rows x out].
  void write(const std::string& path) const;

 private:
  struct Rows {
    long in = 0, out = 0, rows = 0;
    std::vector<float> x, y;
  };
  videomamba::LinearExecutor& inner_;
  long max_rows_;
  mutable std::mutex m_;
  std::map<std::string, Rows> sites_;
};

}  // namespace oasim::hardware
