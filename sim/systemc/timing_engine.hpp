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

// Serial resources of the card, one timeline track each (index: which core, unit or bank).
enum class Track { Modulators, Adcs, Digital, Sram, Dram, PlaneProgramming, ScanEngine, Interconnect };
std::string track_name(Track kind, int index);

// One busy interval of one resource, relative to the step start (recorded with
// TimingParams::record_activity, for timelines and the bounds tests).
struct Activity {
  Track track = Track::Digital;
  int index = 0;    // core, unit or bank
  int op = -1;      // index into Program::ops
  double start_s = 0, dur_s = 0;
};

struct StepTiming {
  double total_s = 0;                 // one schedule step (a frame when streaming)
  std::vector<OpTiming> ops;          // per Program op, relative to the step start
  // Busy times are per copy (the mean over cores, digital units, SRAM banks): busy / total_s is a utilisation.
  double modulator_busy_s = 0;        // time the modulators were streaming
  double adc_busy_s = 0;
  double digital_busy_s = 0;
  double sram_busy_s = 0;
  double dram_busy_s = 0;
  double reload_s = 0;
  double scan_busy_s = 0;             // per scan engine (0 without one)
  double interconnect_busy_s = 0;     // the link between optical cores (0 with one core)
  double wall_s = 0;                  // host time spent inside the SystemC simulation
  std::vector<Activity> activities;   // only with TimingParams::record_activity
};

// Where each op runs (the mapping onto the structure): ops outside a lane region run on optical core 0,
// digital unit 0, SRAM bank 0; lane d of a region (a scan direction) on core d % N, unit d % M, bank d % K.
struct OpPlacement {
  int optical_core = 0, digital_unit = 0, sram_bank = 0;
};
std::vector<OpPlacement> place_ops(const compiler::Program& p, const TimingParams& t);

// Per optical op: stage times for one block of vectors (exposed for tests and trace replay).
struct OpticalStageTimes {
  long blocks = 0;
  double modulate_s = 0, convert_s = 0, digital_s = 0;  // per full block
  double last_modulate_s = 0, last_convert_s = 0, last_digital_s = 0;  // the last (partial) block
};
OpticalStageTimes optical_stage_times(const compiler::Program& p, const compiler::ProgramOp& op, const TimingParams& t);
double digital_time_s(const compiler::DigitalWork& w, const TimingParams& t);
// A scan op on a scan engine (scan_engine.lanes at scan_engine.clock_ghz).
double scan_time_s(const compiler::DigitalWork& w, const TimingParams& t);
// Whether op runs on a scan engine, and which.
inline bool on_scan_engine(const compiler::ProgramOp& op, const TimingParams& t) { return op.scan && t.scan_engines > 0; }

StepTiming simulate(const compiler::Program& program, const TimingParams& params);

// Frames of independent streams in flight at once (cores.pipelining: token_blocks): `frames` copies of the
// step, each reading nothing of the others, simulated together. initiation_s = (makespan of all - makespan of
// one) / (frames - 1): how often a new frame can start in steady state, so that frame k of a saturated
// pipeline ends at latency_s + k x initiation_s, latency_s being one frame's step time. Op by op (no
// pipelining) frames do not overlap: both equal the step time.
struct FrameOverlap {
  double initiation_s = 0, latency_s = 0;
  int frames = 1;
};
FrameOverlap overlap_frames(const compiler::Program& program, const TimingParams& params, int frames = 4);

}  // namespace oasim::timing
