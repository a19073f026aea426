#pragma once
// The optical core: the matrix-vector product of one Linear, numerics only (no time), sequencing the
// components' numerics (models/components):
//   1. DAC: inputs quantized to signed codes (static per-layer or dynamic per-token scale);
//   2. weight plane: Int-N codes with per-pixel fixed-pattern error; each chunk of <= plane-columns inputs
//      is one optical pass whose output is one detector sample per output row;
//   3. analog: exact product of codes, offset-encoding bias, crosstalk between neighbouring rows,
//      detector noise (physical from the light levels, or gaussian);
//   4. ADC: quantized over a static (calibrated) or dynamic full scale;
//   5. digital: offset removed, rescaled by input and weight scales, chunks accumulated, bias added.
#include <memory>
#include <string>
#include <vector>

#include "models/energy/action_counts.hpp"
#include "models/optical/input_chunks.hpp"
#include "models/optical/int_gemm.hpp"
#include "models/optical/light_gemm.hpp"
#include "models/components/detector.hpp"
#include "models/components/hardware_config.hpp"
#include "models/components/light_budget.hpp"
#include "models/optical/weight_quantizer.hpp"
#include "sim/common/normal_sampler.hpp"

namespace oasim::optical {

// One optical pass over a contiguous input range [k0, k0 + width) for all outputs.
struct InputChunk {
  int k0 = 0, width = 0;
  int group = 0;          // weight-scale group of this chunk
  int dac_group = 0;      // input-scale group of this chunk (Quamba2 channel groups; 0 without)
  MatrixRM weff;          // [M x width] effective weight codes (fixed-pattern error applied)
  MatrixRM weff_light;    // |weff| + 2 x dark-pixel floor: light the pair transmits, in code units (shot noise)
  VectorF offset_rowsum;  // sum over the chunk of weff per row: the offset encoding's bias term
  // The integer kernel's copies (packed once, reused by every frame): weff x 2^(code_shift + kLoBits) =
  // packed x 2^kLoBits + packed_lo (exact for every float weff >= 0.5 in magnitude, i.e. every nonzero code
  // with fixed-pattern error below 50 %); |weff| as bytes for the light (light_gemm.hpp), and the sum of
  // |weff| per row (the light's input-floor term).
  static constexpr int kLoBits = 13;
  PackedI16 packed, packed_lo;
  std::vector<int16_t> hi_rows, lo_rows;  // the same parts unpacked, [M x width]: single dot products
  PackedLight light_bytes;
  VectorF abs_rowsum;
};

struct OpticalLinearPlan {
  std::string site;       // e.g. "layers.3.mixer.in_proj"
  int out_features = 0, in_features = 0;
  int tile_rows = 0;      // detector rows per plane tile (crosstalk does not cross tile boundaries)
  QuantizedWeights weights;
  std::vector<InputChunk> chunks;
  // Effective weight codes = packed / 2^code_shift (+ the low part) in the integer kernel (int_gemm.hpp);
  // -1 when the codes and their sums do not fit int16 / int32 (very wide DACs): the fp32 product is used.
  int code_shift = -1;
  // The light product's inputs fit bytes (DAC levels x rails <= 255): the byte kernel; else fp32.
  bool light_in_bytes = false;
  VectorF bias;           // digital
  float dac_scale = 0;    // static DAC scale (value per code), 0 = not calibrated
  float adc_full_scale = 0;  // static ADC full scale in accumulator units, 0 = not calibrated
  // Input-scale groups (Quamba2's sorted channel groups): contiguous input ranges, each with its own DAC
  // scale (dynamic: its own max per token; static: dac_group_scales). Empty: one scale for all inputs.
  std::vector<int> dac_group_bounds;
  VectorF dac_group_scales;
  // Output-range groups (Quamba2's per-state-group B/C): contiguous output rows, each read out over its
  // own ADC range (static: adc_group_full_scales; dynamic: its own max per vector). Empty: one range.
  std::vector<int> adc_group_bounds;
  VectorF adc_group_full_scales;
  int dac_groups() const { return dac_group_bounds.empty() ? 1 : int(dac_group_bounds.size()) - 1; }
  int adc_groups() const { return adc_group_bounds.empty() ? 1 : int(adc_group_bounds.size()) - 1; }
};

// Builds the plan: quantizes weights, splits inputs into chunks of <= plane columns (and scale groups,
// input_chunk_ranges), and draws the fixed-pattern error from (device seed, site). dac_bounds: input-scale
// groups (empty: one).
OpticalLinearPlan make_plan(const std::string& site, const MatrixRM& weight, const VectorF& bias,
                            const config::HardwareConfig& hw, const std::vector<int>& dac_bounds = {});
// The same with weight codes quantized elsewhere (GPTQ, clip search); their layout must match the config.
OpticalLinearPlan make_plan(const std::string& site, QuantizedWeights weights, const VectorF& bias,
                            const config::HardwareConfig& hw, const std::vector<int>& dac_bounds = {});

// What a calibration run records (samples of |x| at the DAC and |signal| at the ADC). With scale groups,
// the samples of each group go to their own list (dac_abs_groups / adc_abs_groups, one per group).
struct CalibrationSamples {
  std::vector<float> dac_abs, adc_abs;
  std::vector<std::vector<float>> dac_abs_groups, adc_abs_groups;
  void add(std::vector<float>& dst, const float* v, long n);
  // Columns bounds[g]..bounds[g+1] of m into groups[g], for every group.
  void add_groups(std::vector<std::vector<float>>& groups, const MatrixRM& m, const std::vector<int>& bounds);
};

struct MvmMode {
  bool noise = true;              // false during calibration
  bool adc = true;                // false: bypass the ADC (calibration of its range)
  CalibrationSamples* calibration = nullptr;
  bool count_light = false;       // also sum the light on the detectors when the noise model does not need it
  // Drift (models/components/drift.hpp): the light path's gain now, relative to calibration time, and the
  // gain the controller measured at its last (re)calibration. The analog signal and its light scale with
  // the first before noise; the ADC range and the digital rescale assume the second.
  float analog_gain = 1.0f;
  float calibrated_gain = 1.0f;
};

class OpticalMvm {
 public:
  OpticalMvm(const config::HardwareConfig& hw);
  // y = optical(x W^T) + b; counts actions into `counts`; noise from `noise`.
  void run(const OpticalLinearPlan& plan, const MatrixRM& x, MatrixRM& y, NoiseStream& noise,
           energy::ActionCounts& counts, const MvmMode& mode) const;
  // Calibration of static ADC ranges (mode: calibration on, noise and ADC off): records the samples run()
  // records, the same numbers, computing only the signals the thinned list keeps where that is cheaper.
  void collect_adc_samples(const OpticalLinearPlan& plan, const MatrixRM& x, NoiseStream& noise,
                           const MvmMode& mode) const;
  int dac_levels() const { return dac_levels_; }
  const hw::LightBudget& light_budget() const { return budget_; }

 private:
  void quantize_inputs(const OpticalLinearPlan& plan, const MatrixRM& x, const MvmMode& mode,
                       energy::ActionCounts& counts, MatrixRM& sx, MatrixRM& qx) const;
  const config::HardwareConfig& hw_;
  int dac_levels_, weight_levels_, adc_levels_;
  hw::LightBudget budget_;
  std::unique_ptr<hw::NoiseVariant> noise_, no_noise_;
};

}  // namespace oasim::optical
