#pragma once
// The streaming API: feed frames one at a time, get logits after each; the recurrent state persists
// between calls and can be reset, saved to and restored from an HDF5 file.
#include <string>

#include "workloads/videomamba/videomamba_model.hpp"

namespace oasim::videomamba {

class StreamSession {
 public:
  explicit StreamSession(const VideoMambaModel& model, ForwardOptions opt = {});

  // frame: a clip of one (or more) frames. Returns logits [frames x classes].
  MatrixRM feed(const Video& frames);
  void reset();
  long frames_seen() const { return state_.frames_seen; }
  const StreamState& state() const { return state_; }

  void save_state(const std::string& path) const;
  // Refuses a state written for another architecture (InputError naming what differs).
  void load_state(const std::string& path);

 private:
  const VideoMambaModel& model_;
  ForwardOptions opt_;
  StreamState state_;
};

}  // namespace oasim::videomamba
