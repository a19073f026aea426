#include "sim/run/video_eval.hpp"

#include <chrono>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <optional>
#include <thread>

#include "sim/common/error.hpp"
#include "workloads/data/video_clips.hpp"

namespace oasim::run {
namespace {

using Clock = std::chrono::steady_clock;
double since(Clock::time_point t0) { return std::chrono::duration<double>(Clock::now() - t0).count(); }

struct Decoded {
  VideoOutcome outcome;
  std::vector<videomamba::Video> views;
};

// A bounded FIFO between the decode thread and the model.
class DecodedQueue {
 public:
  explicit DecodedQueue(size_t capacity) : capacity_(capacity) {}
  bool push(Decoded d) {  // false once the consumer has stopped
    std::unique_lock<std::mutex> lock(m_);
    not_full_.wait(lock, [&] { return q_.size() < capacity_ || stop_; });
    if (stop_) return false;
    q_.push_back(std::move(d));
    not_empty_.notify_one();
    return true;
  }
  Decoded pop() {
    std::unique_lock<std::mutex> lock(m_);
    not_empty_.wait(lock, [&] { return !q_.empty(); });
    Decoded d = std::move(q_.front());
    q_.pop_front();
    not_full_.notify_one();
    return d;
  }
  void stop() {  // lets a blocked producer finish when the consumer gives up (an exception)
    std::lock_guard<std::mutex> lock(m_);
    stop_ = true;
    not_full_.notify_all();
  }

 private:
  size_t capacity_;
  std::deque<Decoded> q_;
  std::mutex m_;
  std::condition_variable not_full_, not_empty_;
  bool stop_ = false;
};

}  // namespace

RowVectorF softmax(const Eigen::Ref<const RowVectorF>& logits) {
  const float mx = logits.maxCoeff();
  Eigen::RowVectorXd e = (logits.cast<double>().array() - double(mx)).exp();
  return (e / e.sum()).cast<float>();
}

int eval_frames(const config::EvalConfig& cfg, const videomamba::ModelConfig& m) {
  const int frames = cfg.sampling.frames > 0 ? cfg.sampling.frames : m.num_frames;
  if (cfg.views.crop != m.img_size)
    fail_input("eval config views.crop = {} but the model takes {}x{} frames", cfg.views.crop, m.img_size, m.img_size);
  if (!m.is_stream() && frames != m.num_frames)
    fail_input("eval config sampling.frames = {} but this clip model takes {} frames (use 0 for the model's)", frames,
               m.num_frames);
  if (frames % m.tubelet_size != 0)
    fail_input("sampling.frames = {} is not a multiple of the model's tubelet size {}", frames, m.tubelet_size);
  return frames;
}

VideoEvalSummary evaluate_videos(const videomamba::VideoMambaModel& model, const std::vector<data::VideoEntry>& videos,
                                 const VideoEvalOptions& opt, const std::function<void(const VideoOutcome&)>& on_result) {
  data::TemporalSampling sampling = opt.cfg.sampling;
  sampling.frames = eval_frames(opt.cfg, model.config());
  const data::SpatialViews spatial = opt.cfg.views;
  const auto t_start = Clock::now();

  DecodedQueue queue(size_t(std::max(1, opt.queue_depth)));
  std::thread producer([&] {
    for (const auto& e : videos) {
      Decoded d;
      d.outcome.entry = e;
      auto t0 = Clock::now();
      try {
        data::TestViews tv = data::load_test_views(e.path, sampling, spatial);
        d.views = std::move(tv.views);
        d.outcome.frame_count = tv.frame_count;
        d.outcome.ok = true;
      } catch (const std::exception& ex) {  // a bad file is a result for that video, not the end of the run
        d.outcome.error = ex.what();
      }
      d.outcome.decode_s = since(t0);
      if (!queue.push(std::move(d))) return;
    }
  });

  VideoEvalSummary s;
  s.videos = long(videos.size());
  try {
    for (size_t i = 0; i < videos.size(); ++i) {
      auto tw = Clock::now();
      Decoded d = queue.pop();
      s.model_wait_s += since(tw);
      VideoOutcome& o = d.outcome;
      s.decode_s += o.decode_s;
      if (o.ok && !opt.run_model) {
        o.views = int(d.views.size());
        s.views += o.views;
        ++s.evaluated;
      } else if (o.ok) {
        auto t0 = Clock::now();
        RowVectorF sum = RowVectorF::Zero(model.config().num_classes);
        for (const auto& v : d.views) {
          MatrixRM logits = model.forward(v, opt.forward);
          sum += softmax(logits.row(logits.rows() - 1));  // a stream model: its prediction after the last frame
        }
        o.views = int(d.views.size());
        o.probs = sum / float(o.views);
        o.model_s = since(t0);
        s.model_s += o.model_s;
        s.views += o.views;
        ++s.evaluated;
        if (o.entry.label >= 0) {
          ++s.labelled;
          const float p = o.probs[o.entry.label];
          // Rank of the true class: how many classes score strictly higher (ties count in its favour,
          // as argmax/argsort pick the first index only by accident of order).
          int higher = 0;
          for (int c = 0; c < o.probs.size(); ++c) higher += o.probs[c] > p;
          s.top1_hits += higher < 1;
          s.top5_hits += higher < opt.topk;
        }
      } else {
        ++s.skipped;
      }
      on_result(o);
    }
  } catch (...) {
    queue.stop();
    producer.join();
    throw;
  }
  producer.join();
  s.wall_s = since(t_start);
  return s;
}

}  // namespace oasim::run
