// Reports record where they came from (oasim version, command line, seeds, SHA-256 of every input file), and
// a run that did not simulate the hardware stores no optical number.
#include <catch2/catch.hpp>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "sim/common/provenance.hpp"
#include "tests/test_support.hpp"

using namespace oasim;
namespace fs = std::filesystem;

TEST_CASE("provenance: SHA-256 matches the FIPS 180-2 test vectors", "[provenance]") {
  CHECK(sha256_bytes("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  CHECK(sha256_bytes("") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  const fs::path p = fs::temp_directory_path() / "oasim_sha_abc.txt";
  std::ofstream(p) << std::string(100000, 'a');  // more than one 64 KiB read
  CHECK(sha256_file(p.string()) == sha256_bytes(std::string(100000, 'a')));
  CHECK_THROWS_WITH(sha256_file("/nonexistent/x"), Catch::Contains("cannot read"));
}

TEST_CASE("provenance: a run's report names its command, version, seeds and the hashes of its inputs",
          "[provenance][cli]") {
  const fs::path out = fs::temp_directory_path() / "oasim_provenance_run";
  const std::string model = test::fixture("tiny_stream.h5");
  const std::string recipe = std::string(OASIM_SOURCE_DIR) + "/configs/recipes/w4a8-rtn.yaml";
  auto r = test::run_oasim("run --model " + model + " --recipe " + recipe +
                           " --data random --clips 1 --frames 3 --calib-clips 1 --seed 5 -o " + out.string());
  REQUIRE(r.code == 0);
  CHECK_THAT(r.out, Catch::Contains("recipe: " + recipe));
  nlohmann::json j;
  std::ifstream(out / "report.json") >> j;
  const auto& p = j.at("provenance");
  CHECK(p.at("oasim_version").get<std::string>() == oasim_version());
  CHECK_THAT(p.at("command_line").get<std::string>(), Catch::Contains("--seed 5") && Catch::Contains(recipe));
  CHECK(p.at("seed").get<uint64_t>() == 5);
  CHECK(p.at("model").at("sha256").get<std::string>() == sha256_file(model));
  CHECK(p.at("recipe").at("sha256").get<std::string>() == sha256_file(recipe));
  CHECK(p.at("hardware_config").at("sha256").get<std::string>().size() == 64);

  // --fp32-only: the optical path did not run, so no optical number is printed or stored (null, never 0).
  auto f = test::run_oasim("run --model " + model + " --data random --clips 1 --frames 3 --fp32-only -o " +
                           (out / "fp32").string());
  REQUIRE(f.code == 0);
  CHECK_THAT(f.out, !Catch::Contains("optical 0.00%"));
  nlohmann::json k;
  std::ifstream(out / "fp32" / "report.json") >> k;
  CHECK(k.at("accuracy").at("optical_top1").is_null());
  CHECK(k.at("accuracy").at("mean_sqnr_db").is_null());
  // report.h5 agrees: NaN where report.json has null.
  h5::Reader h5((out / "fp32" / "report.h5").string());
  const auto acc = h5.read_doubles("accuracy/values");
  REQUIRE(acc.size() == 5);
  CHECK(std::isnan(acc[1]));  // optical_top1
  CHECK(std::isnan(acc[4]));  // mean_sqnr_db
}

TEST_CASE("provenance: a --fp32-only long stream stores no optical window accuracy or state error (null)",
          "[provenance][cli]") {
  const fs::path out = fs::temp_directory_path() / "oasim_provenance_long_stream";
  fs::remove_all(out);
  auto r = test::run_oasim("run --fp32-only --data mfm:test --clips 1 --frames 4 --stream-frames 20 --window 10 -o " +
                           out.string());
  INFO(r.out);
  REQUIRE(r.code == 0);
  nlohmann::json j;
  std::ifstream(out / "long_stream.json") >> j;
  CHECK(j.at("first_window_fp32_top1").is_number());
  for (const char* k : {"first_window_optical_top1", "last_window_optical_top1", "first_window_state_error",
                        "last_window_state_error"}) {
    INFO(k);
    CHECK(j.at(k).is_null());
  }
}
