#pragma once
// Discrete-event timing of a compiled program (SystemC, transaction level: one event per block of
// vectors per pipeline stage, never one per MAC). The SystemC kernel can be elaborated once per process,
// so one set of generic modules is built on first use and every simulate() call feeds it a new job;
// the parameters travel with the job, so any number of hardware configs can be timed in one process.
#include <string>
#include <vector>

#include "sim/systemc/timing_params.hpp"
#include "workloads/compiler/program.hpp"

namespace oasim::timing {

struct OpTiming {
  double start_s = 0, end_s = 0;
};

struct StepTiming {
  double total_s = 0;                 // one schedule step (a frame when streaming)
  std::vector<OpTiming> ops;          // per Program op, relative to the step start
  double modulator_busy_s = 0;        // time the modulators were streaming
  double adc_busy_s = 0;
  double digital_busy_s = 0;
  double sram_busy_s = 0;
  double dram_busy_s = 0;
  double reload_s = 0;
  double wall_s = 0;                  // host time spent inside the SystemC simulation
};

// Per optical op: stage times for one block of vectors (exposed for tests and trace replay).
struct OpticalStageTimes {
  long blocks = 0;
  double modulate_s = 0, convert_s = 0, digital_s = 0;  // per full block
  double last_modulate_s = 0, last_convert_s = 0, last_digital_s = 0;  // the last (partial) block
};
OpticalStageTimes optical_stage_times(const compiler::Program& p, const compiler::ProgramOp& op, const TimingParams& t);
double digital_time_s(const compiler::DigitalWork& w, const TimingParams& t);

StepTiming simulate(const compiler::Program& program, const TimingParams& params);

}  // namespace oasim::timing
