#include "sim/run/stream_serving.hpp"

#include <algorithm>
#include <cmath>
#include <deque>
#include <fmt/format.h>
#include <fstream>

#include "models/energy/energy_model.hpp"
#include "sim/common/error.hpp"
#include "sim/common/rng.hpp"

namespace oasim::run {

namespace {

struct Arrival {
  double t;
  int stream;
};

double p99(std::vector<double>& v) {
  if (v.empty()) return 0;
  const size_t k = std::min(v.size() - 1, size_t(std::ceil(0.99 * double(v.size()))) - 1);
  std::nth_element(v.begin(), v.begin() + long(k), v.end());
  return v[k];
}

void summarise(StreamStats& s, std::vector<double>& latencies) {
  double sum = 0;
  for (double l : latencies) sum += l;
  s.mean_latency_s = latencies.empty() ? 0 : sum / double(latencies.size());
  s.p99_latency_s = p99(latencies);
}

}  // namespace

void check_serving_options(const ServingOptions& o) {
  if (o.streams < 1) fail_input("--streams: expected at least 1 stream, got {}", o.streams);
  if (!(o.fps > 0)) fail_input("--fps: expected a positive frame rate, got {}", o.fps);
  if (!(o.jitter >= 0 && o.jitter < 1)) fail_input("--jitter: expected a fraction of the frame interval in [0, 1), got {}", o.jitter);
  if (!(o.seconds > 0)) fail_input("--stream-seconds: expected a positive time, got {}", o.seconds);
  if (o.queue_frames < 0) fail_input("--queue-frames: expected 0 or more, got {}", o.queue_frames);
  const double frames_total = std::floor(o.seconds * o.fps) * o.streams;
  if (frames_total > kMaxServedFrames)
    fail_input("--streams {} x --fps {} x --stream-seconds {} = {:.3g} frames; at most {:.0g} are simulated "
               "(shorten --stream-seconds)", o.streams, o.fps, o.seconds, frames_total, kMaxServedFrames);
}

ServingResult serve_streams(const ServingOptions& o, double service_s, const energy::ActionCounts& per_frame,
                            const config::HardwareConfig& hw, double initiation_s) {
  check_serving_options(o);
  if (!(service_s > 0)) fail_input("stream serving needs a positive frame latency, got {} s", service_s);
  if (!(initiation_s > 0) || initiation_s > service_s) initiation_s = service_s;

  ServingResult r;
  r.options = o;
  r.service_s = service_s;
  r.initiation_s = initiation_s;
  r.streams.assign(o.streams, {});
  const long per_stream = long(std::floor(o.seconds * o.fps));
  const double interval = 1.0 / o.fps;
  std::vector<Arrival> arrivals;
  arrivals.reserve(size_t(per_stream) * o.streams);
  for (int s = 0; s < o.streams; ++s) {
    Rng rng = make_rng(o.seed, fmt::format("serving/jitter/{}", s));
    for (long k = 0; k < per_stream; ++k) {
      const double u = double(rng() >> 11) * 0x1.0p-53;  // uniform [0, 1), same on every platform
      arrivals.push_back({(double(k) + double(s) / o.streams + o.jitter * u) * interval, s});
    }
  }
  std::stable_sort(arrivals.begin(), arrivals.end(), [](const Arrival& a, const Arrival& b) { return a.t < b.t; });

  std::vector<std::vector<double>> latencies(o.streams);
  std::deque<double> waiting_starts;  // start times of the frames admitted but not yet started, FIFO
  double last_finish = 0, last_start = -1e300, queue_sum = 0;
  for (const Arrival& a : arrivals) {
    while (!waiting_starts.empty() && waiting_starts.front() <= a.t) waiting_starts.pop_front();
    const int waiting = int(waiting_starts.size());
    queue_sum += waiting;
    r.max_queue = std::max(r.max_queue, waiting);
    StreamStats& st = r.streams[a.stream];
    ++st.frames;
    if (waiting >= o.queue_frames) {
      ++st.dropped;
      ++st.missed;
      continue;
    }
    const double start = std::max(a.t, last_start + initiation_s);
    last_start = start;
    const double finish = start + service_s;
    last_finish = std::max(last_finish, finish);
    if (start > a.t) waiting_starts.push_back(start);
    const double latency = finish - a.t;
    latencies[a.stream].push_back(latency);
    ++st.served;
    if (latency > interval) ++st.missed;
  }
  std::vector<double> every;
  for (int s = 0; s < o.streams; ++s) {
    StreamStats& st = r.streams[s];
    r.all.frames += st.frames;
    r.all.served += st.served;
    r.all.dropped += st.dropped;
    r.all.missed += st.missed;
    every.insert(every.end(), latencies[s].begin(), latencies[s].end());
    summarise(st, latencies[s]);
  }
  summarise(r.all, every);
  r.mean_queue = arrivals.empty() ? 0 : queue_sum / double(arrivals.size());
  r.keeps_up = r.all.missed == 0;
  const double span = std::max(last_finish, o.seconds);
  r.aggregate_fps = double(r.all.served) / span;
  if (r.all.served > 0) {  // the window's static energy shared by every frame served in it
    // Gated static power runs while the chip is busy: one initiation interval per frame in steady state.
    const auto e = energy::frame_energy(per_frame, hw, initiation_s, span / double(r.all.served));
    r.energy_per_frame_j = e.total_j();
    r.static_per_frame_j = e.static_j();
  }
  return r;
}

void print_serving(const std::vector<ServingResult>& results) {
  if (results.empty()) return;
  const auto& o = results.front().options;
  fmt::print("\n-- concurrent streams at {:g} frames/s each, jitter {:g} of a frame interval, {:g} s, queue {} frames, "
             "frame compute {:.3f} us{} --\n", o.fps, o.jitter, o.seconds, o.queue_frames, results.front().service_s * 1e6,
             results.front().initiation_s < results.front().service_s
                 ? fmt::format(", a new frame every {:.3f} us (frames of different streams in flight together)",
                               results.front().initiation_s * 1e6)
                 : std::string());
  fmt::print("{:>8} {:>12} {:>12} {:>12} {:>9} {:>9} {:>10} {:>9} {:>14} {:>12}\n", "streams", "frames/s", "lat mean",
             "lat p99", "missed", "dropped", "queue avg", "queue max", "energy/frame", "static share");
  for (const auto& r : results)
    fmt::print("{:>8} {:>12.1f} {:>9.3f} ms {:>9.3f} ms {:>9} {:>9} {:>10.2f} {:>9} {:>11.3f} mJ {:>11.1f}%{}\n",
               r.options.streams, r.aggregate_fps, r.all.mean_latency_s * 1e3, r.all.p99_latency_s * 1e3,
               r.all.missed, r.all.dropped, r.mean_queue, r.max_queue, r.energy_per_frame_j * 1e3,
               r.energy_per_frame_j > 0 ? 100 * r.static_per_frame_j / r.energy_per_frame_j : 0.0,
               r.keeps_up ? "" : "  does not keep up");
}

void write_serving_csv(const std::vector<ServingResult>& results, const std::string& path) {
  std::ofstream f(path);
  if (!f) fail_input("{}: cannot write the streams table", path);
  f << "streams,fps_per_stream,jitter,frames,served,missed,dropped,aggregate_fps,latency_mean_s,latency_p99_s,"
       "queue_mean,queue_max,energy_per_frame_j,static_per_frame_j,keeps_up,frame_latency_s,initiation_s\n";
  for (const auto& r : results)
    f << fmt::format("{},{},{},{},{},{},{},{:.9g},{:.9g},{:.9g},{:.6g},{},{:.9g},{:.9g},{},{:.9g},{:.9g}\n", r.options.streams,
                     r.options.fps, r.options.jitter, r.all.frames, r.all.served, r.all.missed, r.all.dropped,
                     r.aggregate_fps, r.all.mean_latency_s, r.all.p99_latency_s, r.mean_queue, r.max_queue,
                     r.energy_per_frame_j, r.static_per_frame_j, r.keeps_up ? 1 : 0, r.service_s, r.initiation_s);
}

}  // namespace oasim::run
