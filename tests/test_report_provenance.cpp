// Every measuring command (replay, run --video --stream, eval) writes the run report's provenance, with
// SHA-256 hashes that an independent tool (coreutils sha256sum) agrees with.
#include <catch2/catch.hpp>
#include <fmt/format.h>

#include <array>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <regex>

#include "sim/common/provenance.hpp"
#include "tests/test_support.hpp"

using namespace oasim;
namespace fs = std::filesystem;

namespace {

// SHA-256 as coreutils computes it: not oasim's own code, so a wrong digest cannot agree with itself.
std::string coreutils_sha256(const std::string& path) {
  std::string out;
  FILE* p = popen(("sha256sum '" + path + "'").c_str(), "r");
  REQUIRE(p);
  std::array<char, 256> buf{};
  while (size_t n = fread(buf.data(), 1, buf.size(), p)) out.append(buf.data(), n);
  pclose(p);
  REQUIRE(out.size() >= 64);
  return out.substr(0, 64);
}

nlohmann::json read_json(const fs::path& p) {
  std::ifstream f(p);
  REQUIRE(f);
  return nlohmann::json::parse(f);
}

// The fields every report's provenance has (docs/report-format.md).
void check_common(const nlohmann::json& j, const std::string& command) {
  REQUIRE(j.contains("provenance"));
  const auto& p = j.at("provenance");
  CHECK(j.at("oasim_report_version").get<int>() == 2);
  CHECK(p.at("oasim_version").get<std::string>() == oasim_version());
  CHECK_THAT(p.at("command_line").get<std::string>(), Catch::Contains(command));
  for (const char* k : {"seed", "data_seed", "device_seed", "hardware_config", "recipe", "model"}) {
    INFO(k);
    CHECK(p.contains(k));
  }
}

}  // namespace

TEST_CASE("provenance: replay's report hashes the trace and the config it replays on", "[provenance][replay]") {
  const fs::path dir = fs::temp_directory_path() / "oasim_provenance_replay";
  fs::remove_all(dir);
  fs::create_directories(dir);
  const std::string trace = (dir / "t.h5").string();
  auto rec = test::run_oasim("run --model " + test::fixture("tiny_stream.h5") +
                             " --data random --clips 1 --frames 3 --calib-clips 1 -o " + (dir / "run").string() +
                             " --record-trace " + trace);
  REQUIRE(rec.code == 0);
  const std::string hw = std::string(OASIM_SOURCE_DIR) + "/configs/hw/small-edge.yaml";
  const std::string json = (dir / "replay.json").string();
  auto r = test::run_oasim("replay " + trace + " --hw " + hw + " --retile --json " + json);
  INFO(r.out);
  REQUIRE(r.code == 0);
  // Energies on screen carry an SI prefix chosen for reading: never 4+ digits before the point.
  CHECK_FALSE(std::regex_search(r.out, std::regex("[0-9]{4,}\\.[0-9]+ [pnum]?J(?![/A-Za-z])")));
  const auto j = read_json(json);
  check_common(j, "replay");
  const auto& p = j.at("provenance");
  CHECK(p.at("trace").at("sha256").get<std::string>() == coreutils_sha256(trace));
  CHECK(p.at("hardware_config").at("sha256").get<std::string>() == coreutils_sha256(hw));
  CHECK(p.at("model").is_null());  // replay reads no model: the trace holds the program
  CHECK(j.at("energy_per_frame").at("total_j").get<double>() > 0);
  CHECK(j.at("throughput").at("utilisation").contains("plane_programming"));

  // Without --hw the recorded config (inside the hashed trace) is used: no config file to hash.
  auto same = test::run_oasim("replay " + trace + " --json " + json);
  REQUIRE(same.code == 0);
  CHECK(read_json(json).at("provenance").at("hardware_config").is_null());
}

TEST_CASE("provenance: run --video --stream writes report.json with energy per frame and power at the video's rate",
          "[provenance][video]") {
  const fs::path dir = fs::temp_directory_path() / "oasim_provenance_video";
  fs::remove_all(dir);
  const std::string model = test::fixture("tiny_stream.h5"), video = test::fixture("videos/counter.webm");
  auto r = test::run_oasim("run --model " + model + " --video " + video + " --stream --video-frames 6 --summary -o " +
                           dir.string());
  INFO(r.out);
  REQUIRE(r.code == 0);
  CHECK_THAT(r.out, !Catch::Contains("latency ms"));  // --summary: no per-frame table
  CHECK_THAT(r.out, Catch::Contains("real time") && Catch::Contains("bound by: "));
  const auto j = read_json(dir / "report.json");
  check_common(j, "--video");
  const auto& p = j.at("provenance");
  CHECK(p.at("model").at("sha256").get<std::string>() == coreutils_sha256(model));
  CHECK(p.at("video").at("sha256").get<std::string>() == coreutils_sha256(video));
  CHECK(p.at("data_seed").is_null());  // the frames come from the file, not a generator
  const auto& e = j.at("energy_per_frame");
  CHECK(e.at("input_fps").get<double>() == Approx(25.0));  // the video's own frame rate
  CHECK(e.at("average_power_w").get<double>() == Approx(e.at("total_j").get<double>() * 25.0).epsilon(1e-9));
  CHECK(j.at("accuracy").at("agreement").get<double>() >= 0);
  CHECK(j.at("run").at("frames").get<int>() == 6);

  // Without --summary every frame has its line; the report is the same either way.
  auto full = test::run_oasim("run --model " + model + " --video " + video + " --stream --video-frames 6 -o " +
                              (dir / "full").string());
  REQUIRE(full.code == 0);
  CHECK_THAT(full.out, Catch::Contains("latency ms"));
}

TEST_CASE("provenance: eval --report hashes model, protocol and list, accuracy as fractions", "[provenance][video]") {
  const fs::path dir = fs::temp_directory_path() / "oasim_provenance_eval";
  fs::create_directories(dir);
  const std::string cfg = (dir / "tiny_eval.yaml").string();
  std::ofstream(cfg) << "name: tiny\nsampling:\n  mode: sparse\n  frames: 0\n  clips: 2\nviews:\n  short_side: 40\n"
                        "  crop: 32\n  crops: 3\n";
  const std::string model = test::fixture("tiny_clip.h5"), list = test::fixture("videos/list.csv");
  const std::string report = (dir / "eval.json").string();
  auto r = test::run_oasim("eval --model " + model + " --data " + list + " --root " + test::fixture("videos/classes") +
                           " --classes " + test::fixture("videos/classes.txt") + " --config " + cfg + " -q --report " +
                           report);
  INFO(r.out);
  REQUIRE(r.code == 0);
  const auto j = read_json(report);
  check_common(j, "eval");
  const auto& p = j.at("provenance");
  CHECK(p.at("model").at("sha256").get<std::string>() == coreutils_sha256(model));
  CHECK(p.at("eval_config").at("sha256").get<std::string>() == coreutils_sha256(cfg));
  CHECK(p.at("video_list").at("sha256").get<std::string>() == coreutils_sha256(list));
  CHECK(p.at("hardware_config").is_null());  // fp32: no hardware
  const auto& a = j.at("accuracy");
  CHECK(a.at("labelled").get<int>() == 4);
  const double top1 = a.at("top1").get<double>();
  CHECK(top1 >= 0);
  CHECK(top1 <= 1);
  // The console states the same fraction.
  CHECK_THAT(r.out, Catch::Contains(fmt::format("top-1: {:.4f}", top1)));
  CHECK(test::run_oasim("eval --model " + model + " --data " + list + " --report /nonexistent/dir/x.json").code == 2);
}

TEST_CASE("provenance: compile --json writes the mapping section with provenance, as the console says",
          "[provenance][cli]") {
  const fs::path dir = fs::temp_directory_path() / "oasim_provenance_compile";
  fs::create_directories(dir);
  const std::string hw = std::string(OASIM_SOURCE_DIR) + "/configs/hw/small-edge.yaml";
  const std::string json = (dir / "mapping.json").string();
  auto r = test::run_oasim("compile --hw " + hw + " --json " + json);
  INFO(r.out);
  REQUIRE(r.code == 0);
  const auto j = read_json(json);
  check_common(j, "compile");
  CHECK(j.at("provenance").at("hardware_config").at("sha256").get<std::string>() == coreutils_sha256(hw));
  CHECK(j.at("provenance").at("model").at("sha256").get<std::string>().size() == 64);
  const auto& m = j.at("mapping");
  CHECK(m.at("reloads_per_step").get<int>() > 0);  // small-edge does not hold the model: planes are rewritten
  CHECK_THAT(r.out, Catch::Contains(fmt::format("{} planes needed, {} available: {} reloads per frame",
                                                m.at("planes_used").get<int>(), m.at("planes_available").get<int>(),
                                                m.at("reloads_per_step").get<int>())));
}
