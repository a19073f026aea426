#pragma once
// Activation outlier statistics (issue 4): a TensorObserver that records, for every quantized tensor of
// VideoMamba (each Linear's input; per layer and direction the SSM input u, delta, B, C, the SSM output y
// and the recurrent state), per-channel magnitude statistics, per-time-step channel maxima and
// per-token maxima, and finds the outlier channels of every time step. Pure C++, no I/O; the schema of
// the file written from it is in docs/outliers.md.
//
// Time steps: the caller says, before each forward pass, which global time step (a frame of a clip)
// every token row belongs to (begin_pass). Token matrices of the backward branch are reversed inside
// segments of `backward_segment` rows; the observer undoes that, so row i of every tensor is token i in
// forward (sequence) order. The state tap [d_inner x d_state] is one observation per pass, at the
// pass's last step, with channels = d_inner rows and d_state samples per channel.
#include <cstdint>
#include <deque>
#include <map>
#include <mutex>
#include <string>
#include <vector>

#include "workloads/videomamba/tensor_observer.hpp"

namespace oasim::analysis {

// Per-channel log2 histogram of |x|: 16 bins per octave from 2^-16 to 2^16 (about 4 % wide); the first bin
// also holds everything smaller, the last everything larger. Percentiles interpolate inside a bin and
// never exceed the exact channel max.
constexpr int kHistBinsPerOctave = 16;
constexpr int kHistMinExp = -16;
constexpr int kHistBins = 32 * kHistBinsPerOctave;
int hist_bin(float abs_value);
double hist_bin_low(int bin);   // lower edge (bin 0: 0)
double hist_bin_high(int bin);  // upper edge (last bin: +inf)
// q-quantile (0..1) of the values counted in hist[0..kHistBins), capped at `max`.
double hist_quantile(const uint64_t* hist, uint64_t n, double q, double max);

// Streaming central moments (Pébay's pairwise update), for mean/std/kurtosis.
struct Moments {
  double n = 0, mean = 0, m2 = 0, m3 = 0, m4 = 0;
  void merge(const Moments& b);
  double variance() const { return n > 0 ? m2 / n : 0; }
  // Pearson kurtosis m4 / m2^2 (not excess: a Gaussian gives 3, a constant +-1 gives 1); NaN if m2 = 0.
  double kurtosis() const;
};

struct PassLayout {
  std::vector<long> step_of_row;  // forward-order token row -> global time step (-1: belongs to none)
  long backward_segment = 0;      // backward-branch rows are reversed inside segments of this length
  std::vector<long> steps;        // the distinct steps of this pass, in order (rows of head input map here)
  // One frame of a stream: `rows` tokens, all at `step`.
  static PassLayout single_step(long rows, long step);
};

struct ActivationStatsOptions {
  double outlier_k = 6.0;   // outlier at a step: channel max > k x the median channel max of that step
  std::vector<int> layers;  // blocks to record (empty: all); taps outside blocks (head) always
  bool record_ssm_input = true;  // u (identical to x_proj's input; kept under its SSM name too)
};

// What one tensor's statistics come to after all passes.
struct TensorStats {
  std::string name;       // e.g. "layers.3.mixer.x_proj_b.input", "layers.3.mixer.ssm.delta"
  std::string kind;       // in_proj.input | x_proj.input | dt_proj.input | out_proj.input | head.input |
                          // u | delta | B | C | y | state
  int layer = -1;
  std::string direction;  // "" | "forward" | "backward"
  long channels = 0;
  long samples = 0;       // values per channel
  // Per channel [channels].
  std::vector<float> channel_max;
  std::vector<float> channel_p99, channel_p999;
  std::vector<double> channel_mean, channel_std, channel_kurtosis;
  std::vector<double> persistence;          // fraction of steps in which the channel is an outlier
  std::vector<float> outlier_peak_ratio;    // max over steps of (channel's step max / step median)
  // Per step [steps] and [steps x channels] (row-major).
  std::vector<long> step_index;             // global step of each row
  std::vector<float> step_max;              // max |x| per step and channel
  std::vector<float> step_median;           // median over channels of step_max
  std::vector<long> step_outliers;          // outlier channels at that step
  // Per token (forward order, pass after pass; the state: one entry per step).
  std::vector<float> token_max;
  long rows_per_step = 0;                   // tokens per step when constant (0 otherwise)
  // Whole-tensor figures.
  double max = 0, p99 = 0, p999 = 0, p9999 = 0, p99999 = 0;
  double kurtosis = 0;        // over all values of the tensor
  double kurtosis_mean = 0;   // mean of the finite per-channel kurtoses
  double static_dynamic_median = 0;  // median over tokens of (tensor max / token max)
  double static_dynamic_p90 = 0;
  std::vector<uint64_t> hist;  // whole-tensor |x| histogram [kHistBins]
  // Channels ordered by persistence (then peak ratio), those with persistence > 0.
  std::vector<long> outlier_channels() const;
};

class ActivationStats final : public videomamba::TensorObserver {
 public:
  explicit ActivationStats(ActivationStatsOptions opt = {});
  void begin_pass(PassLayout layout);
  void observe(videomamba::Tap tap, int layer, videomamba::Direction dir, const videomamba::LinearSite* site,
               const MatrixRM& value) override;
  // Computes the per-step outliers and whole-tensor figures; tensors in first-seen (execution) order.
  std::vector<TensorStats> finish() const;
  long passes() const { return passes_; }

  // One row -> its forward-order index, for a matrix of the pass's token rows in direction `dir`.
  long forward_row(long row, videomamba::Direction dir) const;

 private:
  struct Acc {
    std::string name, kind, direction;
    int layer = -1;
    long channels = -1;
    std::vector<uint64_t> hist;   // channels x kHistBins
    std::vector<Moments> mom;     // per channel
    std::vector<float> ch_max;
    std::vector<long> step_index;
    std::map<long, long> step_row;
    std::vector<float> step_max;  // rows appended as steps appear
    std::vector<float> token_max;
    long rows_per_step = -1;      // -1 unknown, 0 varying
    std::map<long, long> rows_in_step;
  };
  Acc& acc(const std::string& name, const std::string& kind, int layer, videomamba::Direction dir);
  // Rows of x are samples of every channel (column); step_of_row[i]: the row's step (-1: none). one_token:
  // the whole matrix is one token (the state), else every row is one.
  void add(Acc& a, const MatrixRM& x, const std::vector<long>& step_of_row, bool one_token);
  long step_row(Acc& a, long step);

  ActivationStatsOptions opt_;
  PassLayout layout_;
  long passes_ = 0;
  std::deque<Acc> accs_;  // stable references
  std::map<std::string, size_t> index_;
  std::mutex mu_;
};

}  // namespace oasim::analysis
