#include "sim/systemc/timing_engine.hpp"

#define SC_INCLUDE_DYNAMIC_PROCESSES
#include <systemc>

#include <chrono>
#include <cmath>
#include <cstdlib>
#include <deque>
#include <fmt/format.h>
#include <memory>
#include <mutex>
#include <set>

#include "models/components/structure.hpp"
#include "sim/systemc/block_dataflow.hpp"
#include "sim/systemc/core_transfers.hpp"
#include "sim/common/error.hpp"

namespace oasim::timing {

using compiler::OpKind;
using compiler::Program;
using compiler::ProgramOp;

namespace {
// Whole cycles of a `lanes`-wide vector datapath for the work (a nonlinear op costs nonlinear_cycles lane-cycles).
double lane_time_s(const compiler::DigitalWork& w, const TimingParams& t, int lanes, double cycle_s) {
  const double lane_cycles = w.adds + w.muls + w.nonlinear * t.nonlinear_cycles;
  return std::ceil(lane_cycles / lanes) * cycle_s;
}
}  // namespace

double digital_time_s(const compiler::DigitalWork& w, const TimingParams& t) {
  return lane_time_s(w, t, t.digital_lanes, t.digital_cycle_s);
}

double scan_time_s(const compiler::DigitalWork& w, const TimingParams& t) {
  return lane_time_s(w, t, t.scan_lanes, t.scan_cycle_s);
}

OpticalStageTimes optical_stage_times(const Program& p, const ProgramOp& op, const TimingParams& t) {
  const auto& lm = p.linears[op.linear];
  double passes = 0, samples = 0;  // per vector: one symbol slot per tile; one sample per tile row
  for (int ti : lm.tiles) {
    passes += 1;
    samples += p.tiles[ti].rows;
  }
  OpticalStageTimes s;
  const long bv = t.block_vectors;
  s.blocks = (op.vectors + bv - 1) / bv;
  const long last = op.vectors - (s.blocks - 1) * bv;
  auto per = [&](long vectors, double& mod, double& conv, double& dig) {
    mod = double(vectors) * passes * t.symbol_period_s;
    // ADCs convert the samples of a block in parallel, adc_count at a time.
    conv = std::ceil(double(vectors) * samples / t.adc_count) * t.adc_sample_period_s;
    compiler::DigitalWork w = op.digital;
    const double frac = double(vectors) / double(op.vectors);
    w.adds *= frac;
    w.muls *= frac;
    w.nonlinear *= frac;
    dig = digital_time_s(w, t);
  };
  per(bv, s.modulate_s, s.convert_s, s.digital_s);
  per(last, s.last_modulate_s, s.last_convert_s, s.last_digital_s);
  return s;
}

std::vector<OpPlacement> place_ops(const Program& p, const TimingParams& t) {
  std::vector<OpPlacement> v(p.ops.size());
  for (size_t i = 0; i < p.ops.size(); ++i) {
    const ProgramOp& op = p.ops[i];
    if (op.stream_group < 0) continue;  // sequential ops: core 0, unit 0, bank 0
    // The two scan directions of a layer share nothing but their input (in_proj's output) until
    // sum_directions: lane d goes to core d % N, unit d % M, bank d % K.
    v[i] = {op.lane % t.optical_cores, op.lane % t.digital_units, op.lane % t.sram_banks};
  }
  return v;
}

std::string track_name(Track kind, int index) {
  switch (kind) {
    case Track::Modulators: return fmt::format("optical core {}: modulators+DACs", index);
    case Track::Adcs: return fmt::format("optical core {}: detectors+ADC bank", index);
    case Track::Digital: return fmt::format("digital unit {}", index);
    case Track::Sram: return fmt::format("SRAM bank {}", index);
    case Track::Dram: return "DRAM channel";
    case Track::PlaneProgramming: return "plane programming";
    case Track::ScanEngine: return fmt::format("scan engine {}", index);
    case Track::Interconnect: return "interconnect";
  }
  return "?";
}

namespace {

using sc_core::sc_time;
using sc_core::SC_SEC;

sc_time seconds(double s) { return sc_time(s, SC_SEC); }

struct Job {
  const Program* program = nullptr;
  TimingParams params;
  StepTiming* out = nullptr;
};

// Appends one busy interval that ends now (only when the job asked for a timeline).
void record(const Job& job, sc_time step_start, Track kind, int index, int op, double dur_s) {
  if (!job.params.record_activity || dur_s <= 0) return;
  const double end = (sc_core::sc_time_stamp() - step_start).to_seconds();
  job.out->activities.push_back({kind, index, op, end - dur_s, dur_s});
}

// The optical pipeline: modulators/DACs -> (light through the plane) -> detectors + ADCs -> digital
// rescale/accumulate. Three processes linked by FIFOs, one transaction per block of vectors, so the
// stages overlap exactly as a streaming pipeline does. The digital stage runs on the unit the op is
// placed on (set per op, while the controller holds this core).
SC_MODULE(OpticalCore) {
  sc_core::sc_fifo<long> to_adc{2}, to_digital{2};
  sc_core::sc_event start, done;
  sc_core::sc_mutex* digital_unit = nullptr;
  int index = 0, unit = 0, op = -1;
  const Job* job = nullptr;
  const sc_time* step_start = nullptr;
  OpticalStageTimes st;

  SC_CTOR(OpticalCore) {
    SC_THREAD(modulate);
    SC_THREAD(convert);
    SC_THREAD(accumulate);
  }
  bool last(long b) const { return b == st.blocks - 1; }
  void modulate() {
    for (;;) {
      wait(start);
      for (long b = 0; b < st.blocks; ++b) {
        double t = last(b) ? st.last_modulate_s : st.modulate_s;
        wait(seconds(t));
        job->out->modulator_busy_s += t;
        record(*job, *step_start, Track::Modulators, index, op, t);
        to_adc.write(b);
      }
    }
  }
  void convert() {
    for (;;) {
      long b = to_adc.read();
      double t = last(b) ? st.last_convert_s : st.convert_s;
      wait(seconds(t));
      job->out->adc_busy_s += t;
      record(*job, *step_start, Track::Adcs, index, op, t);
      to_digital.write(b);
    }
  }
  void accumulate() {
    for (;;) {
      long b = to_digital.read();
      double t = last(b) ? st.last_digital_s : st.digital_s;
      digital_unit->lock();
      wait(seconds(t));
      record(*job, *step_start, Track::Digital, unit, op, t);
      digital_unit->unlock();
      job->out->digital_busy_s += t;
      if (last(b)) done.notify();
    }
  }
};

constexpr int kMax = hw::kMaxStructureCount;

// A serial resource granted oldest op first (lower program index first; ties in request order), one block
// at a time and never pre-empted: in-order issue, so a producer's remaining blocks are not starved by
// its consumers' blocks that became ready early (greedy first-come order let the forward scan hold the
// digital unit while in_proj, which the backward direction needs whole, waited).
struct PriorityResource {
  bool held = false;
  std::set<std::pair<long, long>> queue;  // (priority, ticket)
  long next_ticket = 0;
  sc_core::sc_event released;
  void acquire(long priority) {
    const auto key = std::make_pair(priority, next_ticket++);
    queue.insert(key);
    while (held || *queue.begin() != key) sc_core::wait(released);
    queue.erase(queue.begin());
    held = true;
  }
  void release() {
    held = false;
    released.notify(sc_core::SC_ZERO_TIME);
  }
};

SC_MODULE(Controller) {
  std::deque<Job> jobs;
  sc_core::sc_event job_ready;
  // One lock per serial resource: optical cores, digital units, SRAM banks, the DRAM channel, the link between cores.
  sc_core::sc_mutex optical_mutex[kMax], digital_mutex[kMax], sram_mutex[kMax], dram_mutex, scan_mutex[kMax], link_mutex;
  // Pipelined (token_blocks): the stages of a core are separate resources, taken one block at a time.
  PriorityResource modulators[kMax], adcs[kMax], digital_units[kMax], sram_banks[kMax], dram_channel, plane_programming,
      scan_engines[kMax], link;
  std::vector<std::unique_ptr<OpticalCore>> cores;
  Job job;
  std::vector<OpPlacement> placement;
  std::vector<OpBlocks> flow;  // the program's data edges (block_dataflow.hpp), also what crosses cores
  TransferPlan transfers;
  sc_time step_start;

  SC_CTOR(Controller) {
    for (int i = 0; i < kMax; ++i) {
      cores.push_back(std::make_unique<OpticalCore>(fmt::format("optical_core_{}", i).c_str()));
      cores.back()->index = i;
      cores.back()->job = &job;
      cores.back()->step_start = &step_start;
    }
    SC_THREAD(run);
  }

  // SRAM and DRAM traffic of an op flows alongside its compute; each bank and the DRAM channel is a port
  // that serves one transfer at a time.
  void memory(int index, double sram_bytes, double dram_bytes) {
    const TimingParams& t = job.params;
    const int bank = placement[index].sram_bank;
    if (sram_bytes > 0) {
      sram_mutex[bank].lock();
      double s = sram_bytes / t.sram_bytes_per_s;
      wait(seconds(s));
      job.out->sram_busy_s += s;
      record(job, step_start, Track::Sram, bank, index, s);
      sram_mutex[bank].unlock();
    }
    if (dram_bytes > 0) {
      dram_mutex.lock();
      double s = dram_bytes / t.dram_bytes_per_s;
      wait(seconds(s));
      job.out->dram_busy_s += s;
      record(job, step_start, Track::Dram, 0, index, s);
      dram_mutex.unlock();
    }
  }

  // Op by op: inputs produced on another core cross the link before the op starts; the first reader on a
  // core moves them, a later reader there waits for that transfer.
  void fetch_remote_inputs(size_t index) {
    for (int x : transfers.via[index]) {
      if (x < 0) continue;
      BlockProgress& xp = transfer_progress[size_t(x)];
      if (xp.issued == 0) {
        xp.issued = 1;
        const CoreTransfer& tr = transfers.transfers[size_t(x)];
        const double s = tr.bytes / job.params.interconnect_bytes_per_s;
        link_mutex.lock();
        wait(seconds(s));
        record(job, step_start, Track::Interconnect, 0, tr.producer, s);
        link_mutex.unlock();
        job.out->interconnect_busy_s += s;
        ++xp.done;
        xp.changed.notify(sc_core::SC_ZERO_TIME);
      }
      wait_until(xp, &BlockProgress::done, 1);
    }
  }

  void execute(size_t index) {
    const ProgramOp& op = job.program->ops[index];
    const TimingParams& t = job.params;
    const OpPlacement& at = placement[index];
    OpTiming& ot = job.out->ops[index];
    fetch_remote_inputs(index);
    ot.start_s = (sc_core::sc_time_stamp() - step_start).to_seconds();
    const double sram = op.sram_bytes_read + op.sram_bytes_written;
    sc_core::sc_process_handle mem;
    if (sram > 0 || op.dram_bytes > 0)
      mem = sc_core::sc_spawn([this, index, sram, d = op.dram_bytes] { memory(int(index), sram, d); });
    if (op.kind == OpKind::Optical && op.vectors > 0) {
      optical_mutex[at.optical_core].lock();
      OpticalCore& core = *cores[at.optical_core];
      core.st = optical_stage_times(*job.program, op, t);
      core.digital_unit = &digital_mutex[at.digital_unit];
      core.unit = at.digital_unit;
      core.op = int(index);
      core.start.notify(sc_core::SC_ZERO_TIME);
      wait(core.done);
      optical_mutex[at.optical_core].unlock();
    } else if (op.kind == OpKind::Digital && on_scan_engine(op, t)) {
      const int e = op.lane % t.scan_engines;
      double d = scan_time_s(op.digital, t);
      scan_mutex[e].lock();
      wait(seconds(d));
      record(job, step_start, Track::ScanEngine, e, int(index), d);
      scan_mutex[e].unlock();
      job.out->scan_busy_s += d;
    } else if (op.kind == OpKind::Digital) {
      double d = digital_time_s(op.digital, t);
      digital_mutex[at.digital_unit].lock();
      wait(seconds(d));
      record(job, step_start, Track::Digital, at.digital_unit, int(index), d);
      digital_mutex[at.digital_unit].unlock();
      job.out->digital_busy_s += d;
    } else if (op.kind == OpKind::Reload) {
      double r = op.planes_reloaded * t.plane_program_s;
      wait(seconds(r));
      record(job, step_start, Track::PlaneProgramming, 0, int(index), r);
      job.out->reload_s += r;
    }
    if (mem.valid() && !mem.terminated()) wait(mem.terminated_event());
    ot.end_s = (sc_core::sc_time_stamp() - step_start).to_seconds();
  }

  void run_lane(std::vector<size_t> ops) {
    for (size_t i : ops) execute(i);
  }

  // Op after op (cores.pipelining: off); only the two lanes of a region (the scan directions) run concurrently,
  // and a double-buffered reload runs alongside the ops (the step ends when both have).
  void run_op_by_op() {
    const auto& ops = job.program->ops;
    std::vector<sc_core::sc_process_handle> reloads;
    for (size_t i = 0; i < ops.size();) {
      if (ops[i].kind == OpKind::Reload && job.params.double_buffered_reloads) {
        reloads.push_back(sc_core::sc_spawn([this, i] { execute(i); }));
        ++i;
        continue;
      }
      if (ops[i].stream_group < 0) {
        execute(i++);
        continue;
      }
      // A region of concurrent lanes: each lane in order, lanes in parallel.
      std::vector<size_t> lanes[2];
      const int group = ops[i].stream_group;
      for (; i < ops.size() && ops[i].stream_group == group; ++i) lanes[ops[i].lane & 1].push_back(i);
      auto h0 = sc_core::sc_spawn([this, l = lanes[0]] { run_lane(l); });
      auto h1 = sc_core::sc_spawn([this, l = lanes[1]] { run_lane(l); });
      if (!h0.terminated()) wait(h0.terminated_event());
      if (!h1.terminated()) wait(h1.terminated_event());
    }
    for (auto& h : reloads)
      if (!h.terminated()) wait(h.terminated_event());
  }

  // ---- Block-level dataflow (cores.pipelining: token_blocks; block_dataflow.hpp) ----
  // Per op: how far each stage has got, in blocks; one event wakes whoever waits on any of them.
  struct BlockProgress {
    long issued = 0, modulated = 0, converted = 0, memory = 0, done = 0;
    sc_core::sc_event changed;
  };
  std::deque<BlockProgress> progress, transfer_progress;  // per op; per cross-core transfer

  void advance(size_t i, long BlockProgress::*counter) {
    ++(progress[i].*counter);
    progress[i].changed.notify(sc_core::SC_ZERO_TIME);
  }
  void wait_until(BlockProgress& p, long BlockProgress::*counter, long at_least) {
    while (p.*counter < at_least) wait(p.changed);
  }
  void wait_until(size_t i, long BlockProgress::*counter, long at_least) { wait_until(progress[i], counter, at_least); }
  double now_s() const { return (sc_core::sc_time_stamp() - step_start).to_seconds(); }
  // Holds `lock` for `dur` and records the interval on (kind, index).
  void busy(PriorityResource& r, double dur, Track kind, int index, size_t op, double& total) {
    if (dur <= 0) return;
    r.acquire(long(op));
    wait(seconds(dur));
    record(job, step_start, kind, index, int(op), dur);
    r.release();
    total += dur;
  }
  // Fraction of the op's tokens in block b (the last block may be partial).
  double block_fraction(size_t i, long b) const {
    const ProgramOp& op = job.program->ops[i];
    if (op.tokens <= 0) return 1.0;
    const long bv = job.params.block_vectors, n = std::min<long>(bv, op.tokens - b * bv);
    return double(n) / double(op.tokens);
  }
  void issue(size_t i, long b) {
    for (size_t k = 0; k < flow[i].inputs.size(); ++k) {
      const BlockEdge& e = flow[i].inputs[k];
      const int x = transfers.via[i][k];  // a producer on another core: its blocks as they arrive here
      BlockProgress& from = x >= 0 ? transfer_progress[size_t(x)] : progress[size_t(e.from)];
      wait_until(from, &BlockProgress::done, blocks_needed(b, flow[i].blocks, flow[size_t(e.from)].blocks, e.barrier));
    }
    if (b == 0) job.out->ops[i].start_s = now_s();
    advance(i, &BlockProgress::issued);
  }
  void finish_block(size_t i, long b) {
    wait_until(i, &BlockProgress::memory, b + 1);  // its SRAM / DRAM traffic ran alongside
    advance(i, &BlockProgress::done);
    if (b == flow[i].blocks - 1) job.out->ops[i].end_s = now_s();
  }
  void block_memory(size_t i) {
    const ProgramOp& op = job.program->ops[i];
    const TimingParams& t = job.params;
    const int bank = placement[i].sram_bank;
    for (long b = 0; b < flow[i].blocks; ++b) {
      wait_until(i, &BlockProgress::issued, b + 1);
      const double f = block_fraction(i, b);
      busy(sram_banks[bank], f * (op.sram_bytes_read + op.sram_bytes_written) / t.sram_bytes_per_s, Track::Sram, bank, i,
           job.out->sram_busy_s);
      busy(dram_channel, f * op.dram_bytes / t.dram_bytes_per_s, Track::Dram, 0, i, job.out->dram_busy_s);
      advance(i, &BlockProgress::memory);
    }
  }
  void block_digital_op(size_t i) {
    const ProgramOp& op = job.program->ops[i];
    const int unit = placement[i].digital_unit;
    for (long b = 0; b < flow[i].blocks; ++b) {
      issue(i, b);
      compiler::DigitalWork w = op.digital;
      const double f = block_fraction(i, b);
      w.adds *= f;
      w.muls *= f;
      w.nonlinear *= f;
      if (on_scan_engine(op, job.params)) {
        const int e = op.lane % job.params.scan_engines;
        busy(scan_engines[e], scan_time_s(w, job.params), Track::ScanEngine, e, i, job.out->scan_busy_s);
      } else {
        busy(digital_units[unit], digital_time_s(w, job.params), Track::Digital, unit, i, job.out->digital_busy_s);
      }
      finish_block(i, b);
    }
  }
  // A producer's blocks cross the link to another core as they are done, one block's bytes at a time.
  void block_transfer(size_t x) {
    const CoreTransfer& tr = transfers.transfers[x];
    const size_t from = size_t(tr.producer);
    for (long b = 0; b < flow[from].blocks; ++b) {
      wait_until(from, &BlockProgress::done, b + 1);
      busy(link, block_fraction(from, b) * tr.bytes / job.params.interconnect_bytes_per_s, Track::Interconnect, 0,
           from, job.out->interconnect_busy_s);
      ++transfer_progress[x].done;
      transfer_progress[x].changed.notify(sc_core::SC_ZERO_TIME);
    }
  }
  void block_reload(size_t i) {
    issue(i, 0);
    const double r = job.program->ops[i].planes_reloaded * job.params.plane_program_s;
    busy(plane_programming, r, Track::PlaneProgramming, 0, i, job.out->reload_s);
    finish_block(i, 0);
  }
  // An optical op's blocks stream through modulators -> detectors + ADCs -> digital tail, each stage a
  // resource of its core (or unit), so consecutive blocks overlap as in the op-by-op engine's OpticalCore.
  void block_optical_modulate(size_t i, OpticalStageTimes st) {
    const int core = placement[i].optical_core;
    for (long b = 0; b < st.blocks; ++b) {
      issue(i, b);
      busy(modulators[core], b == st.blocks - 1 ? st.last_modulate_s : st.modulate_s, Track::Modulators, core, i,
           job.out->modulator_busy_s);
      advance(i, &BlockProgress::modulated);
    }
  }
  void block_optical_convert(size_t i, OpticalStageTimes st) {
    const int core = placement[i].optical_core;
    for (long b = 0; b < st.blocks; ++b) {
      wait_until(i, &BlockProgress::modulated, b + 1);
      busy(adcs[core], b == st.blocks - 1 ? st.last_convert_s : st.convert_s, Track::Adcs, core, i,
           job.out->adc_busy_s);
      advance(i, &BlockProgress::converted);
    }
  }
  void block_optical_tail(size_t i, OpticalStageTimes st) {
    const int unit = placement[i].digital_unit;
    for (long b = 0; b < st.blocks; ++b) {
      wait_until(i, &BlockProgress::converted, b + 1);
      busy(digital_units[unit], b == st.blocks - 1 ? st.last_digital_s : st.digital_s, Track::Digital, unit, i,
           job.out->digital_busy_s);
      finish_block(i, b);
    }
  }

  void run_pipelined() {
    const Program& p = *job.program;
    progress.clear();
    progress.resize(p.ops.size());
    std::vector<sc_core::sc_process_handle> procs;
    auto spawn = [&](auto body) { procs.push_back(sc_core::sc_spawn(body)); };
    for (size_t i = 0; i < p.ops.size(); ++i) {
      const ProgramOp& op = p.ops[i];
      spawn([this, i] { block_memory(i); });
      if (op.kind == OpKind::Optical && op.vectors > 0) {
        const OpticalStageTimes st = optical_stage_times(p, op, job.params);
        flow[i].blocks = st.blocks;  // the optical pipeline's own blocking (= tokens / block_vectors)
        spawn([this, i, st] { block_optical_modulate(i, st); });
        spawn([this, i, st] { block_optical_convert(i, st); });
        spawn([this, i, st] { block_optical_tail(i, st); });
      } else if (op.kind == OpKind::Reload) {
        flow[i].blocks = 1;
        spawn([this, i] { block_reload(i); });
      } else if (op.kind == OpKind::Optical) {
        flow[i].blocks = 1;  // no vectors: nothing to stream
        spawn([this, i] {
          issue(i, 0);
          finish_block(i, 0);
        });
      } else {
        spawn([this, i] { block_digital_op(i); });
      }
    }
    for (size_t x = 0; x < transfers.transfers.size(); ++x) spawn([this, x] { block_transfer(x); });
    for (auto& h : procs)
      if (!h.terminated()) wait(h.terminated_event());
  }

  void run() {
    for (;;) {
      while (jobs.empty()) wait(job_ready);
      job = jobs.front();
      jobs.pop_front();
      placement = place_ops(*job.program, job.params);
      flow = block_dataflow(*job.program, job.params);
      transfers = core_transfers(*job.program, flow, placement);
      transfer_progress.clear();
      transfer_progress.resize(transfers.transfers.size());
      step_start = sc_core::sc_time_stamp();
      job.out->ops.assign(job.program->ops.size(), {});
      if (job.params.pipelined) run_pipelined();
      else run_op_by_op();
      job.out->total_s = (sc_core::sc_time_stamp() - step_start).to_seconds();
      // Busy times per copy (mean over the cores / units / banks), so busy / total stays a utilisation.
      const TimingParams& t = job.params;
      if (t.optical_cores > 1) {
        job.out->modulator_busy_s /= t.optical_cores;
        job.out->adc_busy_s /= t.optical_cores;
      }
      if (t.digital_units > 1) job.out->digital_busy_s /= t.digital_units;
      if (t.sram_banks > 1) job.out->sram_busy_s /= t.sram_banks;
      if (t.scan_engines > 1) job.out->scan_busy_s /= t.scan_engines;
    }
  }
};

class Engine {
 public:
  static Engine& instance() {
    static Engine e;
    return e;
  }
  StepTiming simulate(const Program& p, const TimingParams& t) {
    std::lock_guard<std::mutex> lock(mutex_);
    StepTiming out;
    controller_->jobs.push_back({&p, t, &out});
    if (started_) controller_->job_ready.notify(sc_core::SC_ZERO_TIME);
    started_ = true;
    auto w0 = std::chrono::steady_clock::now();
    sc_core::sc_start();  // runs until the controller idles again (no more events)
    out.wall_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - w0).count();
    return out;
  }

 private:
  Engine() {
    setenv("SYSTEMC_DISABLE_COPYRIGHT_MESSAGE", "1", 1);
    // Delta-cycle time resolution: 1 fs keeps sub-symbol waits exact enough at 100 GHz rates.
    sc_core::sc_set_time_resolution(1, sc_core::SC_FS);
    controller_ = std::make_unique<Controller>("controller");
  }
  std::mutex mutex_;
  std::unique_ptr<Controller> controller_;
  bool started_ = false;
};

}  // namespace

StepTiming simulate(const Program& program, const TimingParams& params) {
  auto in_range = [](int n) { return n >= 1 && n <= hw::kMaxStructureCount; };
  if (params.scan_engines < 0 || params.scan_engines > hw::kMaxStructureCount)
    fail_input("scan_engine.count must be 0..{}, got {}", hw::kMaxStructureCount, params.scan_engines);
  if (!in_range(params.optical_cores) || !in_range(params.digital_units) || !in_range(params.sram_banks))
    fail_input("cores.optical, cores.digital and cores.sram_banks must be 1..{}, got {}, {}, {}",
               hw::kMaxStructureCount, params.optical_cores, params.digital_units, params.sram_banks);
  return Engine::instance().simulate(program, params);
}

FrameOverlap overlap_frames(const Program& program, const TimingParams& params, int frames) {
  FrameOverlap o;
  TimingParams quiet = params;
  quiet.record_activity = false;
  const double one = simulate(program, quiet).total_s;
  o.initiation_s = o.latency_s = one;
  if (!params.pipelined || frames < 2) return o;
  Program many = program;
  many.ops.clear();
  for (int f = 0; f < frames; ++f)
    for (ProgramOp op : program.ops) {
      op.frame = f;
      many.ops.push_back(op);
    }
  const StepTiming all = simulate(many, quiet);
  o.frames = frames;
  o.initiation_s = (all.total_s - one) / double(frames - 1);
  return o;
}

}  // namespace oasim::timing

// libsystemc references sc_main; oasim drives the kernel itself (sc_start from Engine), so this entry
// point is never called.
int sc_main(int, char**) { return 0; }
