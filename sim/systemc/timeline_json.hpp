#pragma once
// A timed schedule step as Chrome / Perfetto trace-event JSON (open it at ui.perfetto.dev or
// chrome://tracing): one track (thread) per serial resource of the card (each optical core's modulators
// and ADC bank, each digital unit, each SRAM bank, the DRAM channel, plane programming), every busy
// interval a complete event ("ph": "X", ts and dur in microseconds) named after its program op. The
// step's simulated time is the span from 0 to StepTiming::total_s.
#include <string>

#include <nlohmann/json.hpp>

#include "sim/systemc/timing_engine.hpp"
#include "workloads/compiler/program.hpp"

namespace oasim::timing {

// `step` must come from simulate() with TimingParams::record_activity set. Contiguous intervals of one
// op on one track (its blocks of vectors) are merged into one event.
nlohmann::json timeline_json(const compiler::Program& program, const StepTiming& step);

// Writes timeline_json() to `path`; an unwritable path is bad input (exit 2).
void write_timeline(const std::string& path, const compiler::Program& program, const StepTiming& step);

}  // namespace oasim::timing
