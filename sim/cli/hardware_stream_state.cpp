#include "sim/cli/hardware_stream_state.hpp"

#include <fmt/format.h>

#include <map>
#include <sstream>
#include <vector>

#include "models/components/hardware_config_io.hpp"
#include "sim/common/error.hpp"
#include "sim/common/h5_file.hpp"

namespace oasim::cli {
namespace {

// The first line where two YAML texts differ, to name the key that changed.
std::string first_difference(const std::string& saved, const std::string& now) {
  std::istringstream a(saved), b(now);
  std::string la, lb;
  while (true) {
    const bool ga = bool(std::getline(a, la)), gb = bool(std::getline(b, lb));
    if (!ga && !gb) return "";
    if (!ga || !gb || la != lb) return fmt::format("saved '{}', now '{}'", ga ? la : "", gb ? lb : "");
  }
}

}  // namespace

void save_hardware_stream_state(const std::string& path, const HardwareSetup& hw, const HardwareOptions& o) {
  h5::Writer w(path, /*append=*/true);
  w.attribute("hardware_seed", long(o.seed));
  w.attribute("hardware_config", config::to_yaml(hw.hw));
  w.attribute("hardware_recipe", o.recipe_path);
  std::vector<std::string> sites;
  std::vector<int64_t> positions;
  for (auto& [site, pos] : hw.optical->noise_positions()) {
    sites.push_back(site);
    positions.push_back(int64_t(pos));
  }
  w.strings("hardware/noise_sites", sites);
  w.ints("hardware/noise_positions", {hsize_t(positions.size())}, positions.data());
}

void load_hardware_stream_state(const std::string& path, HardwareSetup& hw, const HardwareOptions& o) {
  h5::Reader r(path);
  const auto saved_config = r.string_attribute("hardware_config");
  if (!saved_config) {
    fmt::print(stderr, "oasim: note: '{}' was saved without --hw: the detector-noise streams start afresh\n", path);
    return;
  }
  const long seed = r.int_attribute("hardware_seed").value_or(-1);
  if (seed != long(o.seed))
    fail_input("'{}': the state was saved with --seed {}, this run has --seed {} (the noise would not continue)",
               path, seed, o.seed);
  const std::string diff = first_difference(*saved_config, config::to_yaml(hw.hw));
  if (!diff.empty())
    fail_input("'{}': the state was saved on another hardware config ({}); load it with the same --hw, --recipe "
               "and --set",
               path, diff);
  const std::string recipe = r.string_attribute("hardware_recipe").value_or("");
  if (recipe != o.recipe_path)
    fail_input("'{}': the state was saved with --recipe '{}', this run has '{}'", path, recipe, o.recipe_path);
  const auto sites = r.read_strings("hardware/noise_sites");
  const auto positions = r.read_ints("hardware/noise_positions");
  if (sites.size() != positions.size())
    fail_input("'{}': {} noise sites but {} positions (corrupt file?)", path, sites.size(), positions.size());
  std::map<std::string, uint64_t> p;
  for (size_t i = 0; i < sites.size(); ++i) {
    if (positions[i] < 0) fail_input("'{}': negative noise position for '{}' (corrupt file?)", path, sites[i]);
    p[sites[i]] = uint64_t(positions[i]);
  }
  hw.optical->set_noise_positions(p, "'" + path + "'");
}

}  // namespace oasim::cli
