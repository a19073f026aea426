// Eval protocol YAML (configs/eval/*.yaml) and dataset lists: presets hold the official values; bad
// input names the file, line and key.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>

#include "sim/common/error.hpp"
#include "workloads/data/eval_config.hpp"
#include "tests/test_support.hpp"
#include "workloads/data/video_list.hpp"

using namespace oasim;

namespace {
std::string source(const std::string& rel) { return std::string(OASIM_SOURCE_DIR) + "/" + rel; }

std::string write_temp(const std::string& name, const std::string& text) {
  auto dir = std::filesystem::temp_directory_path() / "oasim-test-video-eval";
  std::filesystem::create_directories(dir);
  auto p = (dir / name).string();
  std::ofstream(p) << text;
  return p;
}

std::string error_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const InputError& e) {
    return e.what();
  }
  return "(no error)";
}
}  // namespace

TEST_CASE("video eval config: the K400 and SSv2 presets hold the official test protocol", "[video]") {
  auto k = config::load_eval_config(source("configs/eval/k400.yaml"));
  CHECK(k.sampling.mode == data::SamplingMode::Sparse);
  CHECK(k.sampling.frames == 0);
  CHECK(k.sampling.clips == 4);
  CHECK(k.views.crops == 3);
  CHECK(k.views.short_side == 224);
  CHECK(k.views.crop == 224);
  CHECK(k.views.mean[0] == Approx(0.485f));
  CHECK(k.views.std[2] == Approx(0.225f));
  CHECK(k.views_per_video() == 12);
  auto s = config::load_eval_config(source("configs/eval/ssv2.yaml"));
  CHECK(s.sampling.mode == data::SamplingMode::Segment);
  CHECK(s.sampling.clips == 2);
  CHECK(s.views.crops == 3);
  auto d = config::load_eval_config(source("configs/eval/k400-dense.yaml"));
  CHECK(d.sampling.mode == data::SamplingMode::Dense);
  CHECK(d.sampling.stride == 4);
  // The built-in default is the K400 protocol.
  auto def = config::default_eval_config();
  CHECK((def.sampling.mode == k.sampling.mode && def.sampling.clips == 4 && def.views.crops == 3));
}

TEST_CASE("video eval config: errors name file, line, key and what was expected", "[video]") {
  auto bad_mode = write_temp("bad_mode.yaml", "name: x\nsampling:\n  mode: random\n");
  CHECK_THAT(error_of([&] { config::load_eval_config(bad_mode); }),
             Catch::Contains("bad_mode.yaml:3") && Catch::Contains("sampling.mode") &&
                 Catch::Contains("dense, sparse or segment"));
  auto unknown = write_temp("unknown.yaml", "views:\n  crop: 224\n  flip: true\n");
  CHECK_THAT(error_of([&] { config::load_eval_config(unknown); }),
             Catch::Contains("unknown.yaml:3") && Catch::Contains("unknown eval key 'views.flip'"));
  auto range = write_temp("range.yaml", "sampling:\n  clips: 0\n");
  CHECK_THAT(error_of([&] { config::load_eval_config(range); }),
             Catch::Contains("range.yaml:2") && Catch::Contains("sampling.clips") && Catch::Contains("[1, 100]"));
  auto mean = write_temp("mean.yaml", "views:\n  std: [0.2, 0, 0.2]\n");
  CHECK_THAT(error_of([&] { config::load_eval_config(mean); }), Catch::Contains("3 positive numbers"));
  auto crop = write_temp("crop.yaml", "views:\n  short_side: 200\n  crop: 224\n");
  CHECK_THAT(error_of([&] { config::load_eval_config(crop); }), Catch::Contains("larger than views.short_side"));
  CHECK_THAT(error_of([] { config::load_eval_config("/no/such/eval.yaml"); }), Catch::Contains("no such file"));
}

TEST_CASE("video list: official `path label` lists, comma or space, with a root", "[video]") {
  auto comma = write_temp("list.csv", "# comment\nabseiling/a b.mp4,0\n\nyoga/x.mp4,3\n");
  auto v = data::read_video_list(comma, "/data/k400", "auto", {});
  REQUIRE(v.size() == 2);
  CHECK(v[0].path == "/data/k400/abseiling/a b.mp4");  // spaces in a comma list stay in the path
  CHECK(v[0].id == "abseiling/a b.mp4");
  CHECK(v[1].label == 3);
  auto space = write_temp("list.txt", "x/1.webm 7\n/abs/2.mkv\t2\n");
  v = data::read_video_list(space, "root", "auto", {});
  CHECK(v[0].path == "root/x/1.webm");
  CHECK(v[1].path == "/abs/2.mkv");  // an absolute path ignores the root, as os.path.join does
  CHECK(v[1].label == 2);
  // Class names as labels.
  auto named = write_temp("named.csv", "a.mp4,yoga\n");
  v = data::read_video_list(named, "", "auto", {"abseiling", "yoga"});
  CHECK(v[0].label == 1);
  CHECK_THAT(error_of([&] { data::read_video_list(named, "", "auto", {}); }),
             Catch::Contains("named.csv:1") && Catch::Contains("class index"));
  auto nolabel = write_temp("nolabel.csv", "ok.mp4,1\njust_a_path.mp4\n");
  CHECK_THAT(error_of([&] { data::read_video_list(nolabel, "", "auto", {}); }),
             Catch::Contains("nolabel.csv:2") && Catch::Contains("path label"));
  auto range = write_temp("range.csv", "a.mp4,5\n");
  CHECK_THAT(error_of([&] { data::read_video_list(range, "", "auto", {"a", "b"}); }), Catch::Contains("out of range"));
}

TEST_CASE("video list: folder-per-class layout and class-name files", "[video]") {
  const std::string root = test::fixture("videos/classes");
  std::vector<std::string> names;
  auto v = data::scan_class_folders(root, names);
  CHECK(names == std::vector<std::string>{"bars", "fractal"});
  REQUIRE(v.size() == 4);
  CHECK(v[0].id == "bars/clip0.mp4");
  CHECK(v[3].label == 1);
  // With a class-name file the order is the file's.
  auto classes = write_temp("classes.txt", "fractal\nbars\nother\n");
  names = data::read_class_names(classes);
  v = data::scan_class_folders(root, names);
  CHECK(v[0].label == 1);
  auto only = write_temp("only.txt", "bars\n");
  names = data::read_class_names(only);
  CHECK_THAT(error_of([&] { data::scan_class_folders(root, names); }), Catch::Contains("'fractal' is not a class"));
  CHECK_THAT(error_of([] { data::read_class_names("/no/classes.txt"); }), Catch::Contains("cannot open"));
}
