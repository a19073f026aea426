#pragma once
// Runs every Linear of the model through the simulated optical datapath (models/optical numerics),
// one plan per Linear site, one seeded noise stream per site (so the two scan directions may run on
// two threads and the result does not depend on their interleaving).
#include <functional>
#include <map>
#include <memory>
#include <string>

#include "models/energy/action_counts.hpp"
#include "models/optical/optical_mvm.hpp"
#include "models/components/drift.hpp"
#include "models/components/hardware_config.hpp"
#include "workloads/videomamba/linear_executor.hpp"
#include "workloads/quant/input_transform.hpp"
#include "workloads/quant/recipe.hpp"
#include "workloads/videomamba/model_weights.hpp"

namespace oasim::hardware {

struct SiteStats {
  energy::ActionCounts counts;
  double signal_power = 0, error_power = 0;  // vs the exact fp32 product on the same input (SQNR)
  long calls = 0;
  double vectors = 0;
  // The recipe's digital work as performed by the numerics (transforms, outlier path, group scales),
  // to be compared with the compiled program's (quant::online_cost); not part of `counts`.
  quant::OnlineCost recipe_work;
  double outlier_channels = 0, outlier_capped_tokens = 0;  // picked channels; tokens where the cap cut some
  double sqnr_db() const;
};

class OpticalLinearExecutor : public videomamba::LinearExecutor {
 public:
  enum class Mode {
    Run,             // full optical numerics
    CollectDac,      // fp32 outputs; record |x| at each DAC (static DAC calibration)
    CollectAdc,      // fp32 outputs; record the noise-free analog signal at each ADC (static range)
    CollectStats,    // fp32 outputs; record per-channel max |x| and X^T X (SmoothQuant, GPTQ)
  };

  // `w` must outlive the executor (plans are rebuilt from it after statistics are collected).
  OpticalLinearExecutor(const videomamba::ModelWeights& w, const config::HardwareConfig& hw, uint64_t run_seed,
                        const quant::Recipe& recipe = quant::Recipe());

  void apply(const videomamba::LinearSite& site, const videomamba::LinearWeights& w, const MatrixRM& x,
             MatrixRM& y) override;
  bool thread_safe() const override { return true; }

  void set_mode(Mode m) { mode_ = m; }
  void set_measure_sqnr(bool on) { measure_sqnr_ = on; }
  // Turns the collected samples into static scales (percentiles from the config).
  void finish_dac_calibration();
  void finish_adc_calibration();
  bool needs_dac_calibration() const;
  bool needs_adc_calibration() const;
  // Recipes with SmoothQuant, GPTQ or Quamba2 groups need input statistics first; finish_stats() rebuilds
  // the plans (transforms, codes, channel order).
  bool needs_stats() const { return recipe_.needs_stats(); }
  void finish_stats();
  // Statistics in stages: 1, or with sequential GPTQ (weights.sequential) one stage per block in execution
  // order (patch_embed, layers 0..depth-1, head), as the reference gptq.py does: stage k's Hessians come
  // from a CollectStats pass in which stages < k already run their quantized weights (fp32 activations,
  // no converters, as the reference). Per stage: begin_stats_stage(k), a CollectStats pass,
  // finish_stats_stage(k). With one stage this equals a pass and finish_stats().
  int stats_stages() const;
  void begin_stats_stage(int stage);
  void finish_stats_stage(int stage);
  const quant::Recipe& recipe() const { return recipe_; }

  const std::map<std::string, SiteStats>& site_stats() const { return stats_; }
  energy::ActionCounts total_counts() const;
  void reset_stats();
  const optical::OpticalLinearPlan& plan(const std::string& site) const { return *sites_.at(site).plan; }
  // For the device-state export (sim/hardware/device_state_export): every site's name, the transform its
  // inputs go through before the DAC, and whether it sends outlier channels down the digital path.
  std::vector<std::string> site_names() const;
  const quant::InputTransform& transform(const std::string& site) const { return sites_.at(site).transform; }
  bool has_outlier_path(const std::string& site) const { return sites_.at(site).outliers; }
  // Where each site's detector-noise stream stands (samples drawn so far), to save with a stream's state
  // and continue from: a resumed stream then draws exactly the noise an uninterrupted one would.
  std::map<std::string, uint64_t> noise_positions() const;
  // InputError naming the site when `positions` does not list exactly this executor's sites.
  void set_noise_positions(const std::map<std::string, uint64_t>& positions, const std::string& source);
  // Drift (long streams, models/components/drift.hpp): sets every site's analog gain at time t (its laser
  // bank: the core its scan direction is placed on, as in the timing's place_ops). recalibrate_gains() is
  // the controller's recalibration: the gains measured now become the reference of the ADC ranges and the
  // digital rescale. max_gain_deviation(): the largest |gain / reference - 1|, what the monitors report.
  void set_drift(hw::DeviceDrift& drift, double t_s, int optical_cores);
  void recalibrate_gains();
  double max_gain_deviation() const;

 private:
  struct Site {
    videomamba::LinearSite where;
    const videomamba::LinearWeights* weights = nullptr;
    std::unique_ptr<optical::OpticalLinearPlan> plan;
    std::unique_ptr<NoiseStream> noise;
    optical::CalibrationSamples calib;
    quant::InputTransform transform;   // SmoothQuant / rotation of this site's inputs
    // x_proj with dt_proj smoothed: its dt output rows divided by dt_proj's s offline (SmoothQuant's fold),
    // so its ADC and dt_proj's DAC see the folded signal. Empty: none.
    VectorF out_divisor;
    bool outliers = false;
    float analog_gain = 1, calibrated_gain = 1;  // drift: now, and at the last (re)calibration
    MatrixRM prefix_weight;            // sequential GPTQ: dequantized codes of a finished stage
    VectorF absmax;                    // CollectStats: per input channel
    Eigen::MatrixXd xtx;               // CollectStats: sum of x^T x (GPTQ)
  };
  void build_plan(Site& s, bool with_stats);
  int stage_of(const Site& s) const;
  void finish_stats_of(const std::function<bool(const Site&)>& which);
  // The fp32 product of what the site computes in Run mode (folded divisors included) for SQNR.
  void exact_output(const Site& s, const videomamba::LinearWeights& w, const MatrixRM& x, MatrixRM& y) const;
  // Folds dt_proj's smoothing into x_proj's dt rows (finish_stats).
  void fold_dt_smoothing();
  const config::HardwareConfig& hw_;
  quant::Recipe recipe_;
  int dt_rank_ = 0, d_state_ = 0;      // x_proj's output layout [dt | B | C] (Quamba2 B/C ranges)
  int depth_ = 0;
  int stats_stage_ = 0;                // the stage a CollectStats pass collects
  optical::OpticalMvm mvm_;
  std::map<std::string, Site> sites_;
  std::map<std::string, SiteStats> stats_;
  Mode mode_ = Mode::Run;
  bool measure_sqnr_ = true;
};

// The p-th percentile (0..100) of the values (nth_element; values are reordered).
float percentile(std::vector<float>& values, double p);

}  // namespace oasim::hardware
