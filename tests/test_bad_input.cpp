// Bad input, fed to the real `oasim` binary: every case exits with code 2 and a one-line message that says
// what is wrong (issue 17). Damaged files are made here from the Python fixtures with the HDF5 API.
#include <H5Cpp.h>
#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <catch2/catch.hpp>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <limits>
#include <string>
#include <vector>

#include "sim/common/h5_file.hpp"
#include "tests/test_support.hpp"
#include "workloads/data/clip_source.hpp"
#include "workloads/videomamba/model_file.hpp"

using oasim::test::fixture;
using oasim::test::run_oasim;
namespace fs = std::filesystem;

namespace {

fs::path scratch(const std::string& name) {
  fs::path dir = fs::temp_directory_path() / ("oasim-bad-input-" + std::to_string(getpid()));
  fs::create_directories(dir);
  return dir / name;
}

std::string q(const fs::path& p) { return "'" + p.string() + "'"; }

// One message line ("oasim: error: ...") and nothing else on the output.
bool one_error_line(const std::string& out) {
  const auto at = out.find("oasim: error: ");
  return at != std::string::npos && out.find('\n', at) == out.size() - 1 && out.find("Traceback") == std::string::npos;
}

// A copy of `src` with element 0 of float dataset `key` set to `value` (through HDF5, so checksums stay valid).
fs::path with_value(const std::string& src, const std::string& key, float value, const std::string& name) {
  const fs::path dst = scratch(name);
  fs::copy_file(src, dst, fs::copy_options::overwrite_existing);
  H5::H5File f(dst.string(), H5F_ACC_RDWR);
  H5::DataSet ds = f.openDataSet(key);
  std::vector<hsize_t> dims(size_t(ds.getSpace().getSimpleExtentNdims()));
  ds.getSpace().getSimpleExtentDims(dims.data());
  size_t n = 1;
  for (auto d : dims) n *= d;
  std::vector<float> v(n);
  ds.read(v.data(), H5::PredType::NATIVE_FLOAT);
  v[0] = value;
  ds.write(v.data(), H5::PredType::NATIVE_FLOAT);
  return dst;
}

void set_int_attribute(const fs::path& file, const std::string& name, long value) {
  H5::H5File f(file.string(), H5F_ACC_RDWR);
  f.removeAttr(name);
  H5::Attribute a = f.createAttribute(name, H5::PredType::NATIVE_LONG, H5::DataSpace(H5S_SCALAR));
  a.write(H5::PredType::NATIVE_LONG, &value);
}

const std::string kTinyRun = " --hw configs/hw/default.yaml --data random --clips 1 --frames 3 --calib-clips 1";

std::string tiny_run(const std::string& extra) {
  return "run --model " + fixture("tiny_stream.h5") + kTinyRun + " " + extra;
}

}  // namespace

TEST_CASE("bad input: a directory given as a file, or as the place of a file", "[cli][bad_input]") {
  const fs::path dir = scratch("a-dir");
  fs::create_directories(dir);
  auto hw = run_oasim("compile --hw " + q(dir));
  CHECK(hw.code == 2);
  CHECK_THAT(hw.out, Catch::Contains("it is a directory"));
  CHECK(one_error_line(hw.out));

  auto eval = run_oasim("eval --model " + fixture("tiny_clip.h5") + " --data " + q(dir) + " --config " + q(dir));
  CHECK(eval.code == 2);
  CHECK_THAT(eval.out, Catch::Contains("cannot open eval config") && Catch::Contains("it is a directory"));

  auto sweep = run_oasim("sweep --check " + q(dir));
  CHECK(sweep.code == 2);
  CHECK_THAT(sweep.out, Catch::Contains("it is a directory"));

  // --record-trace DIR: refused before running, and no stray DIR.tmp left behind.
  auto trace = run_oasim(tiny_run("-o " + q(scratch("out-trace")) + " --record-trace " + q(dir)));
  CHECK(trace.code == 2);
  CHECK_THAT(trace.out, Catch::Contains("--record-trace") && Catch::Contains("is a directory"));
  CHECK_THAT(trace.out, !Catch::Contains("agreement"));  // nothing was simulated
  CHECK_FALSE(fs::exists(dir.string() + ".tmp"));

  auto json = run_oasim("replay --json " + q(dir) + " " + fixture("tiny_stream.h5"));
  CHECK(json.code == 2);
  CHECK_THAT(json.out, Catch::Contains("--json") && Catch::Contains("is a directory"));

  auto logits = run_oasim("infer --model " + fixture("tiny_stream.h5") + " --random-input 1 --logits-out " + q(dir));
  CHECK(logits.code == 2);
  CHECK_THAT(logits.out, Catch::Contains("--logits-out") && Catch::Contains("is a directory"));
  CHECK_THAT(logits.out, !Catch::Contains("frame    0:"));  // refused before the model ran
}

TEST_CASE("bad input: an output folder that is a file or cannot be created", "[cli][bad_input]") {
  const fs::path file = scratch("a-file");
  std::ofstream(file) << "x\n";
  auto run_o = run_oasim(tiny_run("-o " + q(file)));
  CHECK(run_o.code == 2);
  CHECK_THAT(run_o.out, Catch::Contains("--out") && Catch::Contains("is a file"));
  CHECK(one_error_line(run_o.out));

  auto below = run_oasim(tiny_run("-o " + q(file / "sub")));
  CHECK(below.code == 2);
  CHECK_THAT(below.out, Catch::Contains("cannot create the folder"));

  const fs::path sweep = scratch("s.yaml");
  std::ofstream(sweep) << "name: s\nbase:\n  model: " << fixture("tiny_stream.h5")
                       << "\n  data: random\n  clips: 1\naxes:\n  adc.bits: [6]\n";
  auto sweep_o = run_oasim("sweep " + q(sweep) + " -o " + q(file));
  CHECK(sweep_o.code == 2);
  CHECK_THAT(sweep_o.out, Catch::Contains("is a file"));
}

TEST_CASE("bad input: sizes that cannot fit in memory are refused up front", "[cli][bad_input]") {
  auto frames = run_oasim("run --model " + fixture("tiny_stream.h5") +
                          " --data random --clips 1 --frames 2000000000 -o " + q(scratch("mem")));
  CHECK(frames.code == 2);
  CHECK_THAT(frames.out, Catch::Contains("--frames: 'frames' = '2000000000': expected an integer in [0, 1000000]"));
  CHECK(one_error_line(frames.out));

  auto infer = run_oasim("infer --model " + fixture("tiny_stream.h5") + " --random-input 1 --frames 2000000000");
  CHECK(infer.code == 2);
  CHECK_THAT(infer.out, Catch::Contains("needs at least") && Catch::Contains("GiB"));
}

TEST_CASE("bad input: counts and sizes read from a file are bounded before use", "[cli][bad_input]") {
  // A trace whose model attributes are absurd: refused, not grown until the kernel kills the process.
  const fs::path trace = scratch("t.h5");
  auto rec = run_oasim(tiny_run("-o " + q(scratch("rec")) + " --record-trace " + q(trace)));
  REQUIRE(rec.code == 0);
  auto ok = run_oasim("replay " + q(trace));
  CHECK(ok.code == 0);
  set_int_attribute(trace, "model.depth", 1000000000L);
  auto deep = run_oasim("replay " + q(trace));
  CHECK(deep.code == 2);
  CHECK_THAT(deep.out, Catch::Contains("'model.depth' = 1000000000 is larger than 4096"));

  // A dataset whose declared shape the file does not hold (never written): refused, not allocated.
  const fs::path clips = scratch("forged_clips.h5");
  {
    H5::H5File f(clips.string(), H5F_ACC_TRUNC);
    const std::vector<hsize_t> shape = {1000000, 1, 64, 1000, 1000};
    H5::DSetCreatPropList p;
    const std::vector<hsize_t> chunk = {1, 1, 1, 100, 100};
    p.setChunk(5, chunk.data());
    f.createDataSet("clips", H5::PredType::IEEE_F32LE, H5::DataSpace(5, shape.data()), p);
  }
  auto forged = run_oasim("run --model " + fixture("tiny_stream.h5") + " --data " + q(clips) +
                          " --clips 1 -o " + q(scratch("forged")));
  CHECK(forged.code == 2);
  CHECK_THAT(forged.out, Catch::Contains("declares shape") && Catch::Contains("corrupt or forged"));
}

TEST_CASE("bad input: a corrupt trace is reported as corrupt, not as a config change", "[cli][bad_input]") {
  const fs::path trace = scratch("c.h5");
  REQUIRE(run_oasim(tiny_run("-o " + q(scratch("rec2")) + " --record-trace " + q(trace))).code == 0);
  {
    H5::H5File f(trace.string(), H5F_ACC_RDWR);
    H5::DataSet ds = f.openDataSet("passes/vectors");
    // Written with the Fletcher-32 filter (an edit through HDF5 updates the checksum: the content check
    // below is what catches it).
    H5::DSetCreatPropList plist = ds.getCreatePlist();
    REQUIRE(plist.getNfilters() == 1);
    unsigned flags = 0, config = 0, cd = 0;
    size_t nvalues = 1;
    char name[32];
    CHECK(plist.getFilter(0, flags, nvalues, &cd, sizeof(name), name, config) == H5Z_FILTER_FLETCHER32);
    hsize_t n = 0;
    ds.getSpace().getSimpleExtentDims(&n);
    std::vector<int64_t> v(n);
    ds.read(v.data(), H5::PredType::NATIVE_INT64);
    v[0] += 12345;
    ds.write(v.data(), H5::PredType::NATIVE_INT64);
  }
  auto r = run_oasim("replay " + q(trace));
  CHECK(r.code == 2);
  CHECK_THAT(r.out, Catch::Contains("is corrupt") && Catch::Contains("record it again"));
  CHECK_THAT(r.out, !Catch::Contains("new hardware config"));
}

TEST_CASE("bad input: NaN, infinite or huge weights are refused by every command", "[cli][bad_input]") {
  const float nan = std::numeric_limits<float>::quiet_NaN();
  const auto bad_nan = with_value(fixture("tiny_stream.h5"), "norm_f.weight", nan, "nan.h5");
  const auto bad_inf = with_value(fixture("tiny_stream.h5"), "head.weight", INFINITY, "inf.h5");
  const auto bad_big = with_value(fixture("tiny_stream.h5"), "layers.0.mixer.in_proj.weight", 1e30f, "big.h5");
  for (const std::string cmd : {"inspect ", "infer --random-input 1 --model ", "compile --model "}) {
    auto r = run_oasim(cmd + q(bad_nan));
    CHECK(r.code == 2);
    CHECK_THAT(r.out, Catch::Contains("key 'norm_f.weight' holds nan at flat index 0"));
    CHECK(one_error_line(r.out));
  }
  auto inf = run_oasim("run --model " + q(bad_inf) + kTinyRun + " -o " + q(scratch("inf")));
  CHECK(inf.code == 2);
  CHECK_THAT(inf.out, Catch::Contains("key 'head.weight' holds inf"));
  auto big = run_oasim("inspect " + q(bad_big));
  CHECK(big.code == 2);
  CHECK_THAT(big.out, Catch::Contains("layers.0.mixer.in_proj.weight") && Catch::Contains("within +-1e+06"));
}

TEST_CASE("bad input: a model file with a byte changed on disk fails its checksum", "[cli][bad_input]") {
  const fs::path damaged = scratch("damaged.h5");
  fs::copy_file(fixture("tiny_stream.h5"), damaged, fs::copy_options::overwrite_existing);
  haddr_t offset = 0;
  {
    H5::H5File f(damaged.string(), H5F_ACC_RDONLY);
    H5::DataSet ds = f.openDataSet("head.weight");
    REQUIRE(ds.getCreatePlist().getLayout() == H5D_CHUNKED);  // written with Fletcher-32 (h5io.py)
    const std::vector<hsize_t> origin(2, 0);
    unsigned mask = 0;
    hsize_t size = 0;
    REQUIRE(H5Dget_chunk_info_by_coord(ds.getId(), origin.data(), &mask, &offset, &size) >= 0);
  }
  {
    std::fstream f(damaged, std::ios::in | std::ios::out | std::ios::binary);
    f.seekg(std::streamoff(offset + 8));
    char c = 0;
    f.read(&c, 1);
    c = char(c ^ 0x40);
    f.seekp(std::streamoff(offset + 8));
    f.write(&c, 1);
  }
  auto r = run_oasim("inspect " + q(damaged));
  CHECK(r.code == 2);
  CHECK_THAT(r.out, Catch::Contains("'head.weight' fails its Fletcher-32 checksum") && Catch::Contains("Re-create it"));
  CHECK(one_error_line(r.out));
}

TEST_CASE("bad input: NaN, infinite or empty input clips", "[cli][bad_input]") {
  auto cfg = oasim::videomamba::read_model_config(oasim::h5::Reader(fixture("tiny_stream.h5")));
  auto clip = oasim::data::random_clip(cfg, 3, 1);
  const fs::path nan_clip = scratch("nan_clip.h5");
  clip.data[5] = std::numeric_limits<float>::quiet_NaN();
  {
    oasim::h5::Writer w(nan_clip.string());
    w.floats("video", {hsize_t(clip.channels), hsize_t(clip.frames), hsize_t(clip.height), hsize_t(clip.width)},
             clip.data.data());
  }
  auto r = run_oasim("infer --model " + fixture("tiny_stream.h5") + " --input " + q(nan_clip));
  CHECK(r.code == 2);
  CHECK_THAT(r.out, Catch::Contains("holds nan at flat index 5") && Catch::Contains("must be finite"));

  const fs::path empty = scratch("empty_clips.h5");
  {
    oasim::h5::Writer w(empty.string());
    w.floats("clips", {0, hsize_t(clip.channels), 3, hsize_t(clip.height), hsize_t(clip.width)}, nullptr);
  }
  auto e = run_oasim("run --model " + fixture("tiny_stream.h5") + " --data " + q(empty) + " -o " + q(scratch("e")));
  CHECK(e.code == 2);
  CHECK_THAT(e.out, Catch::Contains("dimension 0 is empty"));
}

TEST_CASE("bad input: seeds out of range are refused, not wrapped or clamped", "[cli][bad_input]") {
  for (const std::string seed : {"-1", "18446744073709551616", "1.5", "0x10"}) {
    auto r = run_oasim(tiny_run("--seed " + seed));
    CHECK(r.code == 2);
    CHECK_THAT(r.out, Catch::Contains("a seed is an integer in [0, 18446744073709551615], got '" + seed + "'"));
  }
  auto infer = run_oasim("infer --model " + fixture("tiny_stream.h5") + " --random-input -1");
  CHECK(infer.code == 2);
  CHECK_THAT(infer.out, Catch::Contains("a seed is an integer"));
}

TEST_CASE("bad input: options that contradict the run or need another option", "[cli][bad_input]") {
  auto skip = run_oasim(tiny_run("--skip-frames 3 -o " + q(scratch("skip"))));
  CHECK(skip.code == 2);
  CHECK_THAT(skip.out, Catch::Contains("--skip-frames 3 leaves no frame to score: each clip has 3 frame(s)"));

  auto act = run_oasim(tiny_run("--trace-activations 4"));
  CHECK(act.code == 2);
  CHECK_THAT(act.out, Catch::Contains("--trace-activations requires --record-trace"));

  auto window = run_oasim(tiny_run("--window 10"));
  CHECK(window.code == 2);
  CHECK_THAT(window.out, Catch::Contains("--window requires --stream-frames"));

  auto fps = run_oasim(tiny_run("--fps 0"));
  CHECK(fps.code == 2);
  CHECK_THAT(fps.out, Catch::Contains("--fps"));
}

TEST_CASE("bad input: a binary file as a video list is not echoed to the terminal", "[cli][bad_input]") {
  auto r = run_oasim("eval --model " + fixture("tiny_clip.h5") + " --data " + fixture("tiny_clip.h5"));
  CHECK(r.code == 2);
  CHECK_THAT(r.out, Catch::Contains("is not a text file"));
  for (char c : r.out) CHECK(((c >= 0x20 && c < 0x7f) || c == '\n'));
}

TEST_CASE("bad input: oasim plot on a file that is not a sweep's results", "[cli][bad_input]") {
  const fs::path notes = scratch("notes.csv");
  std::ofstream(notes) << "a,b\n1,2\n";
  auto r = run_oasim("plot " + q(notes) + " -o " + q(scratch("plots")));
  CHECK(r.code == 2);
  CHECK_THAT(r.out, Catch::Contains("not a results.csv of `oasim sweep` (no column 'point')"));
  CHECK(one_error_line(r.out));
}

TEST_CASE("bad input: sweep --check refuses what a real sweep refuses", "[cli][bad_input][sweep]") {
  const fs::path sweep = scratch("check.yaml");
  std::ofstream(sweep) << "name: check\nbase:\n  model: " << fixture("tiny_stream.h5")
                       << "\n  data: random\n  clips: 1\naxes:\n  adc.bits: [6, 8]\n";
  CHECK(run_oasim("sweep --check " + q(sweep)).code == 0);

  auto shard = run_oasim("sweep --check --shard 3/2 " + q(sweep));
  CHECK(shard.code == 2);
  CHECK_THAT(shard.out, Catch::Contains("--shard '3/2'"));

  const fs::path text_model = scratch("model.txt");
  std::ofstream(text_model) << "not a model\n";
  const fs::path bad_model = scratch("bad_model.yaml");
  std::ofstream(bad_model) << "name: check\nbase:\n  model: " << text_model.string()
                           << "\n  data: random\naxes:\n  adc.bits: [6]\n";
  auto model = run_oasim("sweep --check " + q(bad_model));
  CHECK(model.code == 2);
  CHECK_THAT(model.out, Catch::Contains("is not an HDF5 file"));

  const fs::path other = scratch("other-sweep");
  fs::create_directories(other);
  std::ofstream(other / "sweep.json") << R"({"name": "else", "fingerprint": "0123456789abcdef"})";
  auto out = run_oasim("sweep --check " + q(sweep) + " -o " + q(other));
  CHECK(out.code == 2);
  CHECK_THAT(out.out, Catch::Contains("holds the results of a different sweep ('else'"));
}

TEST_CASE("bad input: a sweep with no result exits non-zero", "[cli][bad_input][sweep]") {
  // Every point fails at run time: the model's attributes are fine (the sweep checks them), its weights not.
  const auto nan_model = with_value(fixture("tiny_stream.h5"), "norm_f.weight", NAN, "sweep_nan.h5");
  const fs::path sweep = scratch("fail.yaml");
  std::ofstream(sweep) << "name: fail\nbase:\n  model: " << nan_model.string()
                       << "\n  data: random\n  clips: 1\naxes:\n  adc.bits: [6, 8]\n";
  auto all_failed = run_oasim("sweep " + q(sweep) + " -j 2 -o " + q(scratch("fail-out")));
  CHECK(all_failed.code == 2);
  CHECK_THAT(all_failed.out, Catch::Contains("every point of the sweep failed (2 of 2)"));

  auto empty = run_oasim("sweep --merge-only " + q(sweep) + " -o " + q(scratch("never-run")));
  CHECK(empty.code == 2);
  CHECK_THAT(empty.out, Catch::Contains("--merge-only") && Catch::Contains("run the sweep first"));
}

TEST_CASE("bad input: two sweeps on one folder cannot both run", "[cli][bad_input][sweep]") {
  const fs::path sweep = scratch("lock.yaml");
  std::ofstream(sweep) << "name: lock\nbase:\n  model: " << fixture("tiny_stream.h5")
                       << "\n  data: random\n  clips: 1\naxes:\n  adc.bits: [6]\n";
  const fs::path out = scratch("lock-out");
  fs::create_directories(out);
  // This test process plays the first sweep: it holds the folder's lock.
  const int fd = open((out / "sweep.lock").c_str(), O_RDWR | O_CREAT, 0644);
  REQUIRE(fd >= 0);
  REQUIRE(flock(fd, LOCK_EX | LOCK_NB) == 0);
  auto second = run_oasim("sweep " + q(sweep) + " -o " + q(out));
  close(fd);
  CHECK(second.code == 2);
  CHECK_THAT(second.out, Catch::Contains("is in use by another `oasim sweep`"));
  CHECK(fs::is_empty(out / "points"));  // it ran nothing
}

TEST_CASE("one random-clip generator: infer --random-input S sees clip 0 of run --data random --seed S",
          "[cli][bad_input]") {
  auto cfg = oasim::videomamba::read_model_config(oasim::h5::Reader(fixture("tiny_stream.h5")));
  auto source = oasim::data::open_clip_source("random", cfg, 3, 2, 7);
  const auto a = oasim::data::random_clip(cfg, 3, 7, 0);
  CHECK(a.data == source->get(0).video.data);
  CHECK(a.data != source->get(1).video.data);
}

TEST_CASE("bad input: a path the OS refuses (too long) is a missing file, not an escaped filesystem_error",
          "[cli][bad_input][sweep]") {
  // Found by fuzz_sweep: std::filesystem::exists threw on ENAMETOOLONG out of the sweep's point expansion.
  const std::string sweep = std::string(OASIM_SOURCE_DIR) + "/tests/fuzz/corpus/sweep/regression-long-path.yaml";
  const auto r = run_oasim("sweep '" + sweep + "' --check -o " + q(scratch("long-path-sweep")));
  CHECK(r.code == 2);
  CHECK(one_error_line(r.out));
  CHECK_THAT(r.out, Catch::Contains("does not exist"));
  const auto i = run_oasim("run --hw " + std::string(5000, 'z') + ".yaml --fp32-only --clips 1");
  CHECK(i.code == 2);
  CHECK(one_error_line(i.out));
}
