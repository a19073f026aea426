#pragma once
// Timing traces (docs/trace-format.md): the timed pass stream of one schedule step as `oasim run`
// simulated it — per pass its layer, direction lane, linear and tiles, vectors, converter bits,
// start/end time and component actions — plus the mapping, the hardware config and the model's
// architecture, so `oasim replay` can re-time it on another config without any numerics.
// Optionally, activation traces: inputs (and weights, outputs) of Linear layers, from oasim or PyTorch.
#include <string>
#include <vector>

#include "models/energy/energy_model.hpp"
#include "models/components/hardware_config.hpp"
#include "sim/systemc/timing_engine.hpp"
#include "workloads/compiler/program.hpp"
#include "workloads/videomamba/model_config.hpp"

namespace oasim::trace {

constexpr const char* kTraceFormat = "oasim-trace";
constexpr long kTraceFormatVersion = 1;

// One Linear's captured data: rows of its input, its weight (out x in), bias and fp32 output rows.
struct LayerActivations {
  std::string name;
  long rows = 0, in = 0, out = 0;
  std::vector<float> input;   // rows x in
  std::vector<float> weight;  // out x in
  std::vector<float> bias;    // out (may be empty)
  std::vector<float> output;  // rows x out, the fp32 reference (may be empty)
};

struct TimingTrace {
  std::string path;                   // the file it was read from ("" when built in memory)
  std::string model_path;
  std::string recipe_path;            // the recipe whose online costs are in the passes ("" = none)
  videomamba::ModelConfig model;
  config::HardwareConfig hw;          // the config it was recorded on
  compiler::Program program;
  timing::StepTiming step;            // per-op start/end of one schedule step
  double energy_per_frame_j = 0;      // as recorded (for reference)
  std::vector<LayerActivations> activations;  // optional
};

void write_trace(const std::string& path, const TimingTrace& t);

// Reads and checks a trace; a missing file, another format, a truncated or inconsistent file (column
// lengths, indices out of range) is an InputError naming the file and the problem.
TimingTrace read_trace(const std::string& path);

// Activation traces alone (the format the PyTorch hook script writes, also inside timing traces).
void write_activations(const std::string& path, const std::vector<LayerActivations>& layers);
std::vector<LayerActivations> read_activations(const std::string& path);

}  // namespace oasim::trace
