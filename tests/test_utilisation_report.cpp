// Utilisation: one set of keys on the console and in report.json, plane programming (reload time) among
// them, and the resource that bounds the step named on both.
#include <catch2/catch.hpp>
#include <fmt/format.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <regex>

#include "sim/run/utilisation.hpp"
#include "tests/test_support.hpp"

using namespace oasim;
namespace fs = std::filesystem;

TEST_CASE("utilisation: the busiest resource bounds the step", "[report]") {
  timing::StepTiming s;
  s.total_s = 10;
  s.modulator_busy_s = 2;
  s.adc_busy_s = 3;
  s.digital_busy_s = 1;
  s.reload_s = 8.4;
  const auto u = run::utilisation(s);
  REQUIRE(u.size() == 6);
  CHECK(run::bound_by(u).key == "plane_programming");
  CHECK(run::bound_by(u).fraction == Approx(0.84));
  CHECK(run::bound_by_line(u) == "bound by: plane_programming 84 %");
  CHECK(run::utilisation_json(u).at("adcs").get<double>() == Approx(0.3));
  s.digital_busy_s = 9.9;
  CHECK(run::bound_by(run::utilisation(s)).key == "digital");
}

TEST_CASE("utilisation: console and report.json agree on small-edge, which plane programming bounds",
          "[report][cli]") {
  const fs::path out = fs::temp_directory_path() / "oasim_util_small_edge";
  fs::remove_all(out);
  auto r = test::run_oasim("run --hw " + std::string(OASIM_SOURCE_DIR) +
                           "/configs/hw/small-edge.yaml --data random --clips 1 --frames 2 --calib-clips 1 -o " +
                           out.string());
  INFO(r.out);
  REQUIRE(r.code == 0);
  std::ifstream f(out / "report.json");
  const auto j = nlohmann::json::parse(f);
  const auto& u = j.at("throughput").at("utilisation");
  // Every key of the JSON is on the console line with the same value (percent there, fraction in the file).
  std::smatch line;
  REQUIRE(std::regex_search(r.out, line, std::regex("utilisation:([^\\n]*)")));
  std::map<std::string, double> console;
  const std::string text = line[1];
  const std::regex item("([a-z_]+) ([0-9.]+)%");
  for (auto it = std::sregex_iterator(text.begin(), text.end(), item); it != std::sregex_iterator(); ++it)
    console[(*it)[1]] = std::stod((*it)[2]);
  REQUIRE(console.size() == u.size());
  for (auto& [k, v] : u.items()) {
    INFO(k);
    REQUIRE(console.count(k));
    CHECK(console[k] == Approx(100 * v.get<double>()).margin(0.051));
  }
  REQUIRE(u.contains("plane_programming"));
  const auto& b = j.at("throughput").at("bound_by");
  CHECK(b.at("resource").get<std::string>() == "plane_programming");
  CHECK(b.at("utilisation").get<double>() == Approx(u.at("plane_programming").get<double>()));
  CHECK_THAT(r.out, Catch::Contains(fmt::format("bound by: plane_programming {:.0f} %", 100 * b.at("utilisation").get<double>())));
  // The mapping's area fill is not a utilisation: it lives under mapping, by its own name.
  CHECK(j.at("mapping").contains("plane_fill"));
  CHECK_THAT(r.out, Catch::Contains("planes needed") && Catch::Contains("reloads per frame"));
}
