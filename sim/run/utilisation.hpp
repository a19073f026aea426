#pragma once
// Utilisation of one schedule step, per resource, under one set of names for the console and report.json
// (the console prints the JSON key, so the two cannot disagree), and the resource that bounds the step.
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "sim/systemc/timing_engine.hpp"

namespace oasim::run {

struct ResourceUse {
  std::string key;        // report.json throughput.utilisation key, also printed on the console
  double fraction = 0;    // busy time / step time
};

// modulators, adcs, digital, sram, dram, plane_programming (time spent rewriting planes, the reloads).
std::vector<ResourceUse> utilisation(const timing::StepTiming& s);
// The busiest resource: the one a faster step has to relieve first.
ResourceUse bound_by(const std::vector<ResourceUse>& u);

// "utilisation: modulators 12.0%  adcs 3.1% ..." and "bound by: plane_programming 84 %".
std::string utilisation_line(const std::vector<ResourceUse>& u);
std::string bound_by_line(const std::vector<ResourceUse>& u);
// {modulators: f, ...} and {resource, utilisation}.
nlohmann::json utilisation_json(const std::vector<ResourceUse>& u);
nlohmann::json bound_by_json(const std::vector<ResourceUse>& u);

}  // namespace oasim::run
