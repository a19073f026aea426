#pragma once
// One `oasim run`: the same clips through the fp32 model and through the simulated optical hardware,
// with calibration, accuracy, per-layer SQNR, energy by component and action, and SystemC timing.
#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "models/components/hardware_config.hpp"
#include "sim/costing/program_cost.hpp"
#include "workloads/compiler/program.hpp"
#include "workloads/quant/recipe.hpp"

namespace oasim::run {

struct RunOptions {
  std::string hw_path;             // for the report
  std::string model_path;
  std::string data_spec = "mfm:test";
  long clips = 8;
  int frames = 0;                  // 0: the model's num_frames
  int calibration_clips = 4;       // from the training split (mfm) or a different seed (random)
  int skip_frames = 2;             // stream accuracy ignores the first frames (nothing to remember yet)
  uint64_t seed = 1;                // noise streams (and the clips, unless data_seed is set)
  uint64_t data_seed = 0;           // generated clips; 0 = the run seed. Sweeps fix it so that repeat
                                    // seeds vary the noise only, not the test clips.
  uint64_t clip_seed() const { return data_seed ? data_seed : seed; }
  bool fp32_only = false;
  std::string recipe_path;          // quantization recipe (docs/recipes.md); "" = plain RTN
  quant::Recipe recipe;             // parsed from recipe_path by the caller
  bool progress = true;
  double fps = 30;                  // input frame rate of the camera stream, frames/s (--fps; static power)
};

struct SiteReport {
  std::string name;
  double sqnr_db = 0;
  double adc_saturation = 0;       // fraction of samples clipped
  double photons_per_output = 0;   // mean photoelectrons per detector sample (light budget)
  double shot_limit_ratio = 0;     // photons per output / 4^adc.bits (the shot-noise limit for that resolution)
};

struct RunReport {
  RunOptions options;
  config::HardwareConfig hw;
  std::string model_variant, data_description;
  long clips = 0, frames_per_clip = 0, frames_total = 0, scored_frames = 0;
  bool labelled = false;
  double fp32_top1 = 0, hw_top1 = 0, agreement = 0, logit_cosine = 0;
  std::vector<SiteReport> sites;
  double mean_sqnr_db = 0;
  compiler::Program program;
  costing::ProgramCost cost;        // timing, energy at the input frame rate and at full rate, area
  std::vector<std::string> realizability_warnings;
  double wall_fp32_s = 0, wall_hw_s = 0, wall_systemc_s = 0, wall_calibration_s = 0;
};

RunReport run_hardware(const RunOptions& opt, const config::HardwareConfig& hw);

}  // namespace oasim::run

namespace oasim::hardware { class OpticalLinearExecutor; }
namespace oasim::videomamba { class VideoMambaModel; }

namespace oasim::run {

// Static DAC scales and ADC ranges from calibration clips that are never evaluated (the training split
// for mfm:test). Returns the seconds it took; does nothing for dynamic scales.
double calibrate(hardware::OpticalLinearExecutor& optical, const videomamba::VideoMambaModel& model,
                 const RunOptions& opt);

}  // namespace oasim::run
