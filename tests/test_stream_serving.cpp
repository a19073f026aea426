// Concurrent streams (`oasim run --streams B`): the queueing results against closed forms. Below
// capacity every frame waits at most for the frames of the other streams that arrived with it; above
// capacity (B x fps x service > 1) the server is busy all the time, so frames/s = 1 / service, the
// queue fills to its depth and frames are dropped and late (reported, bounded, no hang). Energy per frame
// falls with B at a fixed frame rate because the static power is shared.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>

#include "models/components/hardware_config.hpp"
#include "sim/common/error.hpp"
#include "sim/run/stream_serving.hpp"
#include "test_support.hpp"

using namespace oasim;

namespace {

energy::ActionCounts some_work() {
  energy::ActionCounts a;
  a.digital_muls = 1e6;
  a.macs = 1e8;
  return a;
}

}  // namespace

TEST_CASE("streams: one stream below capacity: latency = compute time, no misses", "[streams]") {
  config::HardwareConfig hw;
  run::ServingOptions o;
  o.fps = 30;
  o.seconds = 2;
  const auto r = run::serve_streams(o, 1e-3, some_work(), hw);
  CHECK(r.all.frames == 60);
  CHECK(r.all.served == 60);
  CHECK(r.all.missed == 0);
  CHECK(r.keeps_up);
  CHECK(r.all.mean_latency_s == Approx(1e-3));
  CHECK(r.all.p99_latency_s == Approx(1e-3));
  CHECK(r.aggregate_fps == Approx(30));
  CHECK(r.max_queue == 0);
}

TEST_CASE("streams: energy per frame falls with B at a fixed frame rate, B beyond capacity misses", "[streams]") {
  config::HardwareConfig hw;
  const double service = 1e-3;  // 1000 frames/s of capacity; 30 fps each: 33 streams fit
  double previous = 1e300;
  for (int b : {1, 8, 32}) {
    run::ServingOptions o;
    o.streams = b;
    o.fps = 30;
    o.seconds = 2;
    o.jitter = 0.5;
    const auto r = run::serve_streams(o, service, some_work(), hw);
    INFO("B = " << b);
    CHECK(r.keeps_up);
    CHECK(r.all.served == 60L * b);
    CHECK(r.aggregate_fps == Approx(30.0 * b).epsilon(0.01));  // the jittered last frames end after the window
    CHECK(r.energy_per_frame_j < previous);
    previous = r.energy_per_frame_j;
    // A frame waits at most for one frame of each other stream: latency <= B x service.
    CHECK(r.all.p99_latency_s <= b * service * (1 + 1e-12));
    CHECK(r.all.mean_latency_s >= service * (1 - 1e-12));
  }
  run::ServingOptions o;
  o.streams = 64;  // 1920 frames/s offered to a 1000 frames/s accelerator
  o.fps = 30;
  o.seconds = 2;
  o.queue_frames = 8;
  const auto r = run::serve_streams(o, service, some_work(), hw);
  CHECK_FALSE(r.keeps_up);
  CHECK(r.all.dropped > 0);
  CHECK(r.all.missed >= r.all.dropped);
  CHECK(r.max_queue == 8);  // bounded by the queue depth
  CHECK(r.aggregate_fps == Approx(1.0 / service).epsilon(0.01));
  CHECK(r.all.served + r.all.dropped == r.all.frames);
  CHECK(r.all.p99_latency_s <= (o.queue_frames + 1) * service * (1 + 1e-12));
}

TEST_CASE("streams: frames in flight together are served one initiation interval apart", "[streams]") {
  config::HardwareConfig hw;
  const double latency = 1e-3, initiation = 0.25e-3;  // four frames in flight
  run::ServingOptions o;
  o.streams = 64;  // 1920 frames/s offered: more than 1 / latency, less than 1 / initiation
  o.fps = 30;
  o.seconds = 2;
  const auto one_at_a_time = run::serve_streams(o, latency, some_work(), hw);
  const auto overlapped = run::serve_streams(o, latency, some_work(), hw, initiation);
  CHECK_FALSE(one_at_a_time.keeps_up);
  CHECK(overlapped.keeps_up);
  CHECK(overlapped.all.served == overlapped.all.frames);
  CHECK(overlapped.all.mean_latency_s >= latency * (1 - 1e-12));
  // Arrivals are 1/1920 s apart, more than the initiation interval: no frame ever waits.
  CHECK(overlapped.all.p99_latency_s == Approx(latency).epsilon(1e-9));
  CHECK(overlapped.aggregate_fps == Approx(1920).epsilon(0.01));
  // Offered more than 1 / initiation, the rate saturates there.
  o.streams = 200;  // 6000 frames/s offered to 4000 of capacity
  o.queue_frames = 8;
  const auto saturated = run::serve_streams(o, latency, some_work(), hw, initiation);
  CHECK_FALSE(saturated.keeps_up);
  CHECK(saturated.aggregate_fps == Approx(1.0 / initiation).epsilon(0.01));
  CHECK(saturated.max_queue == 8);
  // An initiation interval of 0 or above the latency means one frame at a time.
  const auto plain = run::serve_streams(o, latency, some_work(), hw, 0);
  CHECK(plain.initiation_s == latency);
}

TEST_CASE("streams: same seed, same result, bad options name the flag", "[streams]") {
  config::HardwareConfig hw;
  run::ServingOptions o;
  o.streams = 16;
  o.jitter = 0.9;
  const auto a = run::serve_streams(o, 2e-3, some_work(), hw), b = run::serve_streams(o, 2e-3, some_work(), hw);
  CHECK(a.all.mean_latency_s == b.all.mean_latency_s);
  CHECK(a.all.p99_latency_s == b.all.p99_latency_s);
  auto refuses = [&](run::ServingOptions bad, const std::string& flag) {
    try {
      run::check_serving_options(bad);
      FAIL("accepted bad " << flag);
    } catch (const InputError& e) {
      CHECK(std::string(e.what()).find(flag) != std::string::npos);
    }
  };
  auto bad = o;
  bad.streams = 0;
  refuses(bad, "--streams");
  bad = o;
  bad.jitter = 1.5;
  refuses(bad, "--jitter");
  bad = o;
  bad.streams = 100000;  // 100000 x 30 fps x 2 s = 6e6 frames: over the cap, refused up front
  refuses(bad, "--stream-seconds");
}

TEST_CASE("streams: oasim run --streams writes one row per B, a bad --jitter exits 2 before the run", "[streams][cli]") {
  const auto dir = std::filesystem::temp_directory_path() / "oasim_streams_test";
  std::filesystem::create_directories(dir);
  const std::string base = "run --data random --clips 1 --fp32-only -o " + dir.string();
  auto r = test::run_oasim(base + " --streams 1 4 --stream-seconds 1");
  REQUIRE(r.code == 0);
  CHECK_THAT(r.out, Catch::Contains("concurrent streams"));
  std::ifstream csv(dir / "streams.csv");
  std::string line;
  int rows = -1;
  while (std::getline(csv, line)) ++rows;
  CHECK(rows == 2);
  auto bad = test::run_oasim(base + " --streams 4 --jitter 2");
  CHECK(bad.code == 2);
  CHECK_THAT(bad.out, Catch::Contains("--jitter"));
  CHECK_THAT(bad.out, !Catch::Contains("accuracy"));  // refused before the run
}
