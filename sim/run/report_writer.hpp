#pragma once
// Writing a run's report: terminal table, report.json and report.h5 (schema in docs/report-format.md).
#include <nlohmann/json.hpp>
#include <string>

#include "sim/run/hardware_run.hpp"

namespace oasim::run {

// report.json's oasim_report_version (docs/report-format.md); bumped when a key changes meaning or moves.
inline constexpr int kReportVersion = 2;

void print_report(const RunReport& r);
// The energy/area part, shared by run, replay and the video stream: console block and JSON object.
void print_cost(const costing::ProgramCost& c);
nlohmann::json cost_json(const costing::ProgramCost& c);
// The throughput (timing, utilisation per resource, bound_by) and mapping sections, shared by run and the
// video stream so both name every quantity the same way.
nlohmann::json throughput_json(const costing::ProgramCost& c, const compiler::Program& p);
nlohmann::json mapping_json(const compiler::Program& p);
// "N planes needed, M available: K reloads per frame" (or "... all resident").
std::string planes_line(const compiler::Program& p);
void write_report_json(const RunReport& r, const std::string& path);
void write_report_h5(const RunReport& r, const std::string& path);

}  // namespace oasim::run
