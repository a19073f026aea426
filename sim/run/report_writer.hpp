#pragma once
// Writing a run's report: terminal table, report.json and report.h5 (schema in docs/report-format.md).
#include <nlohmann/json.hpp>
#include <string>

#include "sim/run/hardware_run.hpp"

namespace oasim::run {

void print_report(const RunReport& r);
// The energy/area part, shared by run, replay and the video stream: console block and JSON object.
void print_cost(const costing::ProgramCost& c);
nlohmann::json cost_json(const costing::ProgramCost& c);
void write_report_json(const RunReport& r, const std::string& path);
void write_report_h5(const RunReport& r, const std::string& path);

}  // namespace oasim::run
