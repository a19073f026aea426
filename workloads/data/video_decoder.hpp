#pragma once
// Video files in, RGB frames out, through FFmpeg's libavformat/libavcodec/libswscale (any container and
// codec the Debian build supports: mp4, avi, webm, mkv, ...). Frames are numbered 0.. in decode order,
// the way decord (the reader of the official VideoMamba code) numbers them.
//
// Every problem with a file (missing, not a video, no video stream, truncated, no decodable frame) is an
// InputError whose message names the file and what was expected, so an evaluation can record it and go on.
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace oasim::data {

// One decoded frame, 8-bit RGB, row-major [height][width][3].
struct RgbFrame {
  int width = 0, height = 0;
  std::vector<uint8_t> rgb;
  double pts_s = 0;  // presentation time in seconds (best-effort timestamp; 0 when the file has none)

  uint8_t at(int y, int x, int c) const { return rgb[(size_t(y) * width + x) * 3 + c]; }
};

struct VideoInfo {
  int width = 0, height = 0;
  double fps = 0;          // average frame rate of the stream (0 if the container does not say)
  long frame_count = 0;    // packets of the video stream, counted by demuxing (what decord's len() gives)
  double duration_s = 0;
  std::string codec, container;
};

// Reads the container and counts the video stream's packets (no decoding). InputError on failure.
VideoInfo probe_video(const std::string& path);

// Sequential decoder: next() returns frames 0, 1, 2, ... in order.
class VideoReader {
 public:
  explicit VideoReader(const std::string& path);
  ~VideoReader();
  VideoReader(const VideoReader&) = delete;
  VideoReader& operator=(const VideoReader&) = delete;

  // Decodes the next frame. convert=false skips the RGB conversion (for frames nobody wants).
  // Returns false at the end of the stream.
  bool next(RgbFrame& out, bool convert = true);
  long frames_decoded() const { return decoded_; }
  int width() const;
  int height() const;
  double fps() const;
  const std::string& path() const { return path_; }

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
  std::string path_;
  long decoded_ = 0;
};

// The frames at `indices` (any order, repeats allowed), decoding sequentially up to the largest one.
// InputError if the stream ends before a wanted index (truncated file) or holds no frame at all.
std::vector<RgbFrame> decode_frames(const std::string& path, const std::vector<long>& indices);

}  // namespace oasim::data
