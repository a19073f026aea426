// `oasim eval` end to end on generated videos with the tiny golden model (tests/fixtures): views per
// video, averaging, failures recorded and skipped, predictions file, exit codes.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "sim/common/error.hpp"
#include "sim/run/video_eval.hpp"
#include "tests/test_support.hpp"
#include "workloads/data/video_clips.hpp"
#include "workloads/videomamba/model_file.hpp"

using namespace oasim;

namespace {

std::string tiny_config() {  // the tiny golden model takes 3 frames of 32x32
  auto dir = std::filesystem::temp_directory_path() / "oasim-test-video-eval";
  std::filesystem::create_directories(dir);
  auto p = (dir / "tiny_eval.yaml").string();
  std::ofstream(p) << "name: tiny\nsampling:\n  mode: sparse\n  frames: 0\n  clips: 2\nviews:\n  short_side: 40\n"
                      "  crop: 32\n  crops: 3\n";
  return p;
}
}  // namespace

TEST_CASE("video eval: test views of one video (clips x crops, shapes)", "[video]") {
  data::TemporalSampling s;
  s.frames = 4;
  s.clips = 2;
  data::SpatialViews v;
  v.short_side = 40;
  v.crop = 32;
  auto tv = data::load_test_views(test::fixture("videos/counter.mp4"), s, v);
  REQUIRE(tv.views.size() == 6);
  CHECK(tv.frame_count == 30);
  for (auto& view : tv.views) CHECK((view.channels == 3 && view.frames == 4 && view.height == 32 && view.width == 32));
  // The counter frame in clip 1, slot 2 is sparse index round(29/4*2) + int(29/4/3*2) = 14 + 4 = 18.
  const float grey = (16 + 8 * 18) / 255.0f;
  CHECK(tv.views[3].at(1, 2, 5, 5) == Approx((grey - 0.456f) / 0.224f).margin(0.05));
}

TEST_CASE("video eval: evaluate_videos averages views, records failures, keeps list order", "[video]") {
  videomamba::VideoMambaModel model(videomamba::load_model(test::fixture("tiny_clip.h5")));
  auto cfg = config::load_eval_config(tiny_config());
  std::vector<std::string> names;
  auto videos = data::scan_class_folders(test::fixture("videos/classes"), names);
  videos.push_back({test::fixture("videos/empty.mp4"), "empty.mp4", 0});
  videos.push_back({test::fixture("videos/counter.mp4"), "counter.mp4", -1});
  run::VideoEvalOptions opt;
  opt.cfg = cfg;
  opt.queue_depth = 1;
  std::vector<run::VideoOutcome> seen;
  auto s = run::evaluate_videos(model, videos, opt, [&](const run::VideoOutcome& o) { seen.push_back(o); });
  REQUIRE(seen.size() == videos.size());
  for (size_t i = 0; i < videos.size(); ++i) CHECK(seen[i].entry.id == videos[i].id);
  CHECK(s.videos == 6);
  CHECK(s.evaluated == 5);
  CHECK(s.skipped == 1);
  CHECK(s.labelled == 4);
  CHECK(s.views == 5 * 6);
  CHECK_FALSE(seen[4].ok);
  CHECK_THAT(seen[4].error, Catch::Contains("empty.mp4"));
  // Probabilities: a mean of softmaxes sums to one; equal to averaging the views by hand.
  CHECK(seen[0].probs.sum() == Approx(1.0).epsilon(1e-5));
  data::TemporalSampling ts = cfg.sampling;
  ts.frames = 3;
  auto tv = data::load_test_views(videos[0].path, ts, cfg.views);
  RowVectorF mean = RowVectorF::Zero(model.config().num_classes);
  for (auto& v : tv.views) mean += run::softmax(model.forward(v).row(0));
  mean /= float(tv.views.size());
  CHECK(test::rel_error(MatrixRM(seen[0].probs), MatrixRM(mean)) < 1e-6);
}

TEST_CASE("video eval: the protocol must fit the model", "[video]") {
  videomamba::VideoMambaModel model(videomamba::load_model(test::fixture("tiny_clip.h5")));
  auto cfg = config::default_eval_config();  // 224 crops; the tiny model takes 32
  CHECK_THROWS_AS(run::eval_frames(cfg, model.config()), InputError);
  cfg.views.short_side = 32;
  cfg.views.crop = 32;
  cfg.sampling.frames = 5;  // a clip model takes exactly its num_frames
  CHECK_THROWS_AS(run::eval_frames(cfg, model.config()), InputError);
  cfg.sampling.frames = 0;
  CHECK(run::eval_frames(cfg, model.config()) == 3);
}

TEST_CASE("video eval: oasim eval on an official-format list writes predictions and skips bad videos", "[video]") {
  auto preds = (std::filesystem::temp_directory_path() / "oasim-test-video-eval" / "preds.csv").string();
  std::filesystem::remove(preds);
  auto r = test::run_oasim("eval --model " + test::fixture("tiny_clip.h5") + " --data " + test::fixture("videos/list.csv") +
                   " --root " + test::fixture("videos/classes") + " --classes " + test::fixture("videos/classes.txt") +
                   " --config " + tiny_config() + " --out " + preds);
  INFO(r.out);
  CHECK(r.code == 0);
  CHECK_THAT(r.out, Catch::Contains("videos: 6 (evaluated 4, skipped 2)"));
  CHECK_THAT(r.out, Catch::Contains("top-1:") && Catch::Contains("over 4 labelled videos"));
  CHECK_THAT(r.out, Catch::Contains("skipped bars/missing.mp4") && Catch::Contains("no such file"));
  CHECK_THAT(r.out, Catch::Contains("decode+preprocess"));
  std::ifstream in(preds);
  std::string header, line;
  std::getline(in, header);
  CHECK(header.rfind("id,label,pred,pred_name,prob,top5,correct,views", 0) == 0);
  int rows = 0, skipped = 0;
  while (std::getline(in, line)) {
    ++rows;
    skipped += line.find(",skipped,") != std::string::npos;
  }
  CHECK(rows == 6);
  CHECK(skipped == 2);

  // Folder-per-class layout, space-separated list.
  auto folders = test::run_oasim("eval -q --model " + test::fixture("tiny_clip.h5") + " --data " +
                         test::fixture("videos/classes") + " --config " + tiny_config());
  CHECK(folders.code == 0);
  CHECK_THAT(folders.out, Catch::Contains("videos: 4 (evaluated 4, skipped 0)"));
  auto space = test::run_oasim("eval -q --model " + test::fixture("tiny_clip.h5") + " --data " +
                       test::fixture("videos/list_space.txt") + " --root " + test::fixture("videos/classes") +
                       " --config " + tiny_config());
  CHECK(space.code == 0);

  // Bad input: exit code 2 and a message naming what is wrong.
  auto no_list = test::run_oasim("eval --model " + test::fixture("tiny_clip.h5") + " --data /no/list.csv");
  CHECK(no_list.code == 2);
  CHECK_THAT(no_list.out, Catch::Contains("/no/list.csv"));
  auto wrong_crop = test::run_oasim("eval --model " + test::fixture("tiny_clip.h5") + " --data " +
                            test::fixture("videos/classes"));
  CHECK(wrong_crop.code == 2);
  CHECK_THAT(wrong_crop.out, Catch::Contains("views.crop = 224"));
}
