// Hardware config: parsed once, validated, with errors naming file, line, key, value and what was expected.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <set>
#include <utility>
#include <vector>

#include "sim/common/error.hpp"
#include "models/components/hardware_config_io.hpp"
#include "models/components/param_table.hpp"

using namespace oasim;
using namespace oasim::config;

namespace {
std::string write_yaml(const std::string& name, const std::string& text) {
  auto p = (std::filesystem::temp_directory_path() / name).string();
  std::ofstream(p) << text;
  return p;
}
std::string shipped(const std::string& rel) { return std::string(OASIM_SOURCE_DIR) + "/" + rel; }
}  // namespace

TEST_CASE("hw config: the shipped configs load and differ", "[config]") {
  auto d = load_hardware_config(shipped("configs/hw/default.yaml"));
  auto s = load_hardware_config(shipped("configs/hw/small-edge.yaml"));
  auto l = load_hardware_config(shipped("configs/hw/large-datacenter.yaml"));
  CHECK(d.weight_plane.weight_bits == 4);
  CHECK(d.adc.bits == 8);
  CHECK(s.weight_plane.rows < d.weight_plane.rows);
  CHECK(l.weight_plane.rows > d.weight_plane.rows);
  CHECK(d.name != s.name);
}

TEST_CASE("hw config: values are read into typed fields", "[config]") {
  auto p = write_yaml("oasim_hw_ok.yaml", "name: t\nadc:\n  bits: 6\n  range: dynamic\ndetector:\n  noise_model: gaussian\n"
                                          "  sigma_rel: 0.02\nmodulator:\n  symbol_rate_ghz: 20\n");
  auto c = load_hardware_config(p);
  CHECK(c.adc.bits == 6);
  CHECK(c.adc.range == AdcRange::Dynamic);
  CHECK(c.detector.noise_model == NoiseModel::Gaussian);
  CHECK(c.detector.sigma_rel == Approx(0.02));
  CHECK(c.modulator.symbol_rate_ghz == Approx(20));
  CHECK(c.weight_plane.rows == HardwareConfig{}.weight_plane.rows);  // untouched keys keep defaults
}

TEST_CASE("hw config: bad input names file, line, key, value and expectation", "[config]") {
  auto unknown = write_yaml("oasim_hw_unknown.yaml", "adc:\n  bits: 8\n  bitz: 6\n");
  CHECK_THROWS_WITH(load_hardware_config(unknown), Catch::Contains("oasim_hw_unknown.yaml:3: unknown key 'adc.bitz'") &&
                                                       Catch::Contains("bits"));
  auto range = write_yaml("oasim_hw_range.yaml", "adc:\n  bits: 40\n");
  CHECK_THROWS_WITH(load_hardware_config(range),
                    Catch::Contains(":2: key 'adc.bits' = '40': expected an integer in [1, 16]"));
  auto type = write_yaml("oasim_hw_type.yaml", "modulator:\n  symbol_rate_ghz: fast\n");
  CHECK_THROWS_WITH(load_hardware_config(type), Catch::Contains("key 'modulator.symbol_rate_ghz' = 'fast': expected a number"));
  auto choice = write_yaml("oasim_hw_choice.yaml", "detector:\n  noise_model: loud\n");
  CHECK_THROWS_WITH(load_hardware_config(choice), Catch::Contains("expected one of: physical, gaussian, off"));
  auto section = write_yaml("oasim_hw_section.yaml", "adc: 8\n");
  CHECK_THROWS_WITH(load_hardware_config(section), Catch::Contains(":1: 'adc' is a section"));
  auto inconsistent = write_yaml("oasim_hw_incons.yaml", "weight_plane:\n  cols: 128\n  scale: group\n  group_size: 256\n");
  CHECK_THROWS_WITH(load_hardware_config(inconsistent), Catch::Contains("weight_plane.group_size = 256 exceeds"));
  auto syntax = write_yaml("oasim_hw_syntax.yaml", "adc:\n  bits: [8\n");
  CHECK_THROWS_AS(load_hardware_config(syntax), InputError);
  CHECK_THROWS_WITH(load_hardware_config("/nonexistent.yaml"), Catch::Contains("no such file"));
}

TEST_CASE("hw config: --set overrides and the YAML round trip", "[config]") {
  HardwareConfig c;
  set_hardware_param(c, "adc.bits", "6");
  CHECK(c.adc.bits == 6);
  CHECK_THROWS_WITH(set_hardware_param(c, "adc.nope", "1"), Catch::Contains("unknown hardware key 'adc.nope'"));
  CHECK_THROWS_WITH(set_hardware_param(c, "adc.bits", "x"), Catch::Contains("expected an integer"));
  auto p = write_yaml("oasim_hw_roundtrip.yaml", to_yaml(c));
  auto back = load_hardware_config(p);
  CHECK(to_yaml(back) == to_yaml(c));
}

TEST_CASE("hw config: every key is described with a meaning and a valid default", "[config]") {
  HardwareConfig defaults;
  for (auto& p : hardware_params()) {
    INFO(p.key);
    CHECK(!p.meaning.empty());
    HardwareConfig c;
    CHECK(p.set(c, p.get(defaults)).empty());  // the default is inside its own declared range
  }
}

TEST_CASE("hw config: the built-in defaults are the shipped default design, and every key cites a source",
          "[config]") {
  const HardwareConfig defaults;
  const HardwareConfig shipped = load_hardware_config(std::string(OASIM_SOURCE_DIR) + "/configs/hw/default.yaml");
  for (auto& p : hardware_params()) {
    INFO(p.key);
    CHECK(p.get(defaults) == p.get(shipped));  // `oasim describe` shows what default.yaml says
    CHECK(!p.source.empty());
  }
}

TEST_CASE("hw config: the cheaper design points differ from the default only where their headers say",
          "[config]") {
  // Issue 15's design points are judged against the default design: any other key drifting from it would
  // make their energy saving and accuracy loss something else than the change they name.
  const HardwareConfig base = load_hardware_config(shipped("configs/hw/default.yaml"));
  const std::vector<std::pair<std::string, std::set<std::string>>> designs = {
      {"low-light-55mw.yaml", {"name", "laser.power_mw"}},
      {"harsh-6b-80mw.yaml", {"name", "laser.power_mw", "modulator.dac_bits", "adc.bits"}},
  };
  for (auto& [file, changed] : designs) {
    const HardwareConfig c = load_hardware_config(shipped("configs/hw/" + file));
    for (auto& p : hardware_params()) {
      INFO(file << ": " << p.key);
      CHECK((p.get(c) != p.get(base)) == (changed.count(p.key) > 0));
    }
  }
  CHECK(load_hardware_config(shipped("configs/hw/low-light-55mw.yaml")).laser.power_mw == 55.0);
}

TEST_CASE("hw config: keys of older configs name what replaced them", "[config]") {
  auto p = write_yaml("oasim_hw_old_keys.yaml", "laser:\n  power_per_channel_uw: 100\n");
  CHECK_THROWS_WITH(load_hardware_config(p), Catch::Contains(":2: key 'laser.power_per_channel_uw' was replaced by "
                                                             "laser.power_mw"));
  HardwareConfig c;
  CHECK_THROWS_WITH(set_hardware_param(c, "laser.optical_efficiency", "0.5"), Catch::Contains("light budget"));
  CHECK_THROWS_WITH(set_hardware_param(c, "weight_plane.program_energy_nj", "50"),
                    Catch::Contains("program_energy_pj_per_pixel"));
}

TEST_CASE("hw config: converters beyond the jitter limit are flagged, not refused", "[config]") {
  HardwareConfig c;
  CHECK(realizability_warnings(c).empty());  // 8-bit (ENOB 6.6) at 10 GS/s: about 9 ENOB allowed
  c.adc.bits = 16;
  const auto w = realizability_warnings(c);
  REQUIRE(w.size() == 1);
  CHECK_THAT(w[0], Catch::Contains("adc.bits = 16") && Catch::Contains("adc.sample_rate_gsps = 10") &&
                       Catch::Contains("ENOB <= 9.0"));
  c.adc.sample_rate_gsps = 0.01;  // 10 MS/s: 16 bits is possible
  CHECK(realizability_warnings(c).empty());
  c.modulator.dac_bits = 16;
  CHECK_THAT(realizability_warnings(c).at(0), Catch::Contains("modulator.dac_bits = 16"));
}
