#include "workloads/videomamba/stream_session.hpp"

#include "sim/common/error.hpp"
#include "sim/common/h5_file.hpp"

namespace oasim::videomamba {

StreamSession::StreamSession(const VideoMambaModel& model, ForwardOptions opt)
    : model_(model), opt_(opt), state_(model.initial_state()) {
  if (!model.config().is_stream())
    fail_input("a stream session needs a videomamba-stream model, got '{}'", variant_name(model.config().variant));
}

MatrixRM StreamSession::feed(const Video& frames) { return model_.forward_stream(frames, state_, opt_); }

void StreamSession::reset() { state_ = model_.initial_state(); }

void StreamSession::save_state(const std::string& path) const {
  const ModelConfig& c = model_.config();
  h5::Writer w(path);
  w.attribute("oasim_format", std::string("oasim-stream-state"));
  w.attribute("format_version", 1L);
  w.attribute("frames_seen", state_.frames_seen);
  w.attribute("depth", long(c.depth));
  w.attribute("d_inner", long(c.d_inner()));
  w.attribute("d_state", long(c.d_state));
  w.attribute("d_conv", long(c.d_conv));
  for (int i = 0; i < c.depth; ++i) {
    const auto& l = state_.layers[i];
    w.floats(fmt::format("layers.{}.conv", i), {hsize_t(l.conv.rows()), hsize_t(l.conv.cols())}, l.conv.data());
    w.floats(fmt::format("layers.{}.ssm", i), {hsize_t(l.ssm.rows()), hsize_t(l.ssm.cols())}, l.ssm.data());
  }
}

void StreamSession::load_state(const std::string& path) {
  const ModelConfig& c = model_.config();
  h5::Reader r(path);
  auto fmt_attr = r.string_attribute("oasim_format");
  if (!fmt_attr || *fmt_attr != "oasim-stream-state") fail_input("'{}' is not an oasim stream-state file", path);
  const std::pair<const char*, long> dims[] = {
      {"depth", c.depth}, {"d_inner", c.d_inner()}, {"d_state", c.d_state}, {"d_conv", c.d_conv}};
  for (auto [key, want] : dims) {
    auto v = r.int_attribute(key);
    if (!v || *v != want)
      fail_input("'{}': state was saved with {} = {}, this model has {}", path, key, v ? std::to_string(*v) : "none",
                 want);
  }
  StreamState s = model_.initial_state();
  for (int i = 0; i < c.depth; ++i) {
    auto conv = r.read_floats(fmt::format("layers.{}.conv", i), true);
    auto ssm = r.read_floats(fmt::format("layers.{}.ssm", i), true);
    if (conv.size() != size_t(s.layers[i].conv.size()) || ssm.size() != size_t(s.layers[i].ssm.size()))
      fail_input("'{}': layer {} state has the wrong size", path, i);
    std::copy(conv.data.begin(), conv.data.end(), s.layers[i].conv.data());
    std::copy(ssm.data.begin(), ssm.data.end(), s.layers[i].ssm.data());
  }
  s.frames_seen = r.int_attribute("frames_seen").value_or(0);
  state_ = std::move(s);
}

}  // namespace oasim::videomamba
