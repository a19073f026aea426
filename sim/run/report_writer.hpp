#pragma once
// Writing a run's report: terminal table, report.json and report.h5 (schema in docs/report-format.md).
#include <string>

#include "sim/run/hardware_run.hpp"

namespace oasim::run {

void print_report(const RunReport& r);
void write_report_json(const RunReport& r, const std::string& path);
void write_report_h5(const RunReport& r, const std::string& path);

}  // namespace oasim::run
