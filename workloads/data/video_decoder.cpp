#include "workloads/data/video_decoder.hpp"

extern "C" {
#include <libavcodec/avcodec.h>
#include <libavformat/avformat.h>
#include <libavutil/imgutils.h>
#include <libswscale/swscale.h>
}

#include <algorithm>
#include <filesystem>
#include <map>

#include "sim/common/error.hpp"

namespace oasim::data {
namespace {

std::string av_error_text(int err) {
  char buf[AV_ERROR_MAX_STRING_SIZE] = {0};
  av_strerror(err, buf, sizeof buf);
  return buf;
}

// Opens the container and finds the best video stream; shared by probe_video and VideoReader.
AVFormatContext* open_container(const std::string& path, int& stream_index) {
  std::error_code ec;
  if (!std::filesystem::exists(path, ec)) fail_input("video '{}': no such file", path);
  if (std::filesystem::is_directory(path, ec)) fail_input("video '{}': is a directory, expected a video file", path);
  if (std::filesystem::file_size(path, ec) == 0) fail_input("video '{}': empty file, expected a video file", path);
  av_log_set_level(AV_LOG_FATAL);  // our own messages say what went wrong; FFmpeg's would interleave
  AVFormatContext* fmt = nullptr;
  int err = avformat_open_input(&fmt, path.c_str(), nullptr, nullptr);
  if (err < 0)
    fail_input("video '{}': cannot read it as a video container ({}); expected mp4/avi/webm/mkv", path,
               av_error_text(err));
  err = avformat_find_stream_info(fmt, nullptr);
  if (err < 0) {
    avformat_close_input(&fmt);
    fail_input("video '{}': cannot read stream information ({}); truncated or corrupt?", path, av_error_text(err));
  }
  stream_index = av_find_best_stream(fmt, AVMEDIA_TYPE_VIDEO, -1, -1, nullptr, 0);
  if (stream_index < 0) {
    avformat_close_input(&fmt);
    fail_input("video '{}': the file has no video stream", path);
  }
  return fmt;
}

double stream_fps(const AVStream* s) {
  AVRational r = s->avg_frame_rate.num > 0 ? s->avg_frame_rate : s->r_frame_rate;
  return r.den > 0 && r.num > 0 ? av_q2d(r) : 0.0;
}

}  // namespace

VideoInfo probe_video(const std::string& path) {
  int si = -1;
  AVFormatContext* fmt = open_container(path, si);
  const AVStream* s = fmt->streams[si];
  VideoInfo info;
  info.width = s->codecpar->width;
  info.height = s->codecpar->height;
  info.fps = stream_fps(s);
  info.codec = avcodec_get_name(s->codecpar->codec_id);
  info.container = fmt->iformat->name;
  if (fmt->duration > 0) info.duration_s = double(fmt->duration) / AV_TIME_BASE;
  // Count packets rather than trust nb_frames: many containers (webm, avi from some muxers) do not store
  // it, and decord, whose numbering the official sampling assumes, counts packets the same way.
  AVPacket* pkt = av_packet_alloc();
  long count = 0;
  int err = 0;
  while ((err = av_read_frame(fmt, pkt)) >= 0) {
    if (pkt->stream_index == si) ++count;
    av_packet_unref(pkt);
  }
  av_packet_free(&pkt);
  avformat_close_input(&fmt);
  if (err != AVERROR_EOF && count == 0)
    fail_input("video '{}': cannot read packets ({}); truncated or corrupt?", path, av_error_text(err));
  if (count == 0) fail_input("video '{}': the video stream holds no frames", path);
  info.frame_count = count;
  return info;
}

struct VideoReader::Impl {
  AVFormatContext* fmt = nullptr;
  AVCodecContext* codec = nullptr;
  SwsContext* sws = nullptr;
  AVPacket* pkt = nullptr;
  AVFrame* frame = nullptr;
  int stream = -1;
  bool flushing = false, finished = false;
  double time_base = 0;

  ~Impl() {
    sws_freeContext(sws);
    av_frame_free(&frame);
    av_packet_free(&pkt);
    avcodec_free_context(&codec);
    avformat_close_input(&fmt);
  }
};

VideoReader::VideoReader(const std::string& path) : impl_(std::make_unique<Impl>()), path_(path) {
  Impl& m = *impl_;
  m.fmt = open_container(path, m.stream);
  const AVStream* s = m.fmt->streams[m.stream];
  m.time_base = av_q2d(s->time_base);
  const AVCodec* dec = avcodec_find_decoder(s->codecpar->codec_id);
  if (!dec) fail_input("video '{}': no decoder for codec '{}' in this FFmpeg build", path,
                       avcodec_get_name(s->codecpar->codec_id));
  m.codec = avcodec_alloc_context3(dec);
  if (avcodec_parameters_to_context(m.codec, s->codecpar) < 0)
    fail_input("video '{}': bad codec parameters", path);
  // One decoder thread: evaluation decodes on its own thread, in parallel with the model.
  m.codec->thread_count = 1;
  int err = avcodec_open2(m.codec, dec, nullptr);
  if (err < 0) fail_input("video '{}': cannot open the {} decoder ({})", path, dec->name, av_error_text(err));
  m.pkt = av_packet_alloc();
  m.frame = av_frame_alloc();
}

VideoReader::~VideoReader() = default;

int VideoReader::width() const { return impl_->codec->width; }
int VideoReader::height() const { return impl_->codec->height; }
double VideoReader::fps() const { return stream_fps(impl_->fmt->streams[impl_->stream]); }

bool VideoReader::next(RgbFrame& out, bool convert) {
  Impl& m = *impl_;
  if (m.finished) return false;
  for (;;) {
    int err = avcodec_receive_frame(m.codec, m.frame);
    if (err == 0) break;
    if (err == AVERROR_EOF) {
      m.finished = true;
      return false;
    }
    if (err != AVERROR(EAGAIN))
      fail_input("video '{}': decoding failed after {} frames ({})", path_, decoded_, av_error_text(err));
    if (m.flushing) {  // EAGAIN while flushing should not happen; treat as the end
      m.finished = true;
      return false;
    }
    // Feed the next packet of our stream; at the end of the file, flush the decoder.
    for (;;) {
      err = av_read_frame(m.fmt, m.pkt);
      if (err < 0) {
        avcodec_send_packet(m.codec, nullptr);
        m.flushing = true;
        break;
      }
      if (m.pkt->stream_index != m.stream) {
        av_packet_unref(m.pkt);
        continue;
      }
      err = avcodec_send_packet(m.codec, m.pkt);
      av_packet_unref(m.pkt);
      // A corrupt packet is dropped (as the ffmpeg CLI does); a missing frame shows up as a short stream.
      if (err < 0 && err != AVERROR(EAGAIN) && err != AVERROR_INVALIDDATA) {
        avcodec_send_packet(m.codec, nullptr);
        m.flushing = true;
      }
      break;
    }
  }
  ++decoded_;
  AVFrame* f = m.frame;
  int64_t ts = f->best_effort_timestamp;
  out.pts_s = ts == AV_NOPTS_VALUE ? 0.0 : ts * m.time_base;
  if (convert) {
    out.width = f->width;
    out.height = f->height;
    // Same size, only the colour conversion; the resize to the model's input is ours (video_views).
    m.sws = sws_getCachedContext(m.sws, f->width, f->height, AVPixelFormat(f->format), f->width, f->height,
                                 AV_PIX_FMT_RGB24, SWS_BILINEAR | SWS_ACCURATE_RND | SWS_FULL_CHR_H_INT,
                                 nullptr, nullptr, nullptr);
    if (!m.sws) fail_input("video '{}': cannot convert pixel format {} to RGB", path_, f->format);
    out.rgb.resize(size_t(f->width) * f->height * 3);
    uint8_t* dst[4] = {out.rgb.data(), nullptr, nullptr, nullptr};
    int stride[4] = {3 * f->width, 0, 0, 0};
    sws_scale(m.sws, f->data, f->linesize, 0, f->height, dst, stride);
  }
  av_frame_unref(f);
  return true;
}

std::vector<RgbFrame> decode_frames(const std::string& path, const std::vector<long>& indices) {
  if (indices.empty()) return {};
  for (long i : indices)
    if (i < 0) fail_input("video '{}': negative frame index {}", path, i);
  const long last = *std::max_element(indices.begin(), indices.end());
  std::map<long, RgbFrame> wanted;
  for (long i : indices) wanted[i];
  VideoReader reader(path);
  RgbFrame scratch;
  for (long i = 0; i <= last; ++i) {
    auto it = wanted.find(i);
    RgbFrame& dst = it == wanted.end() ? scratch : it->second;
    if (!reader.next(dst, it != wanted.end())) {
      if (i == 0) fail_input("video '{}': no decodable frame", path);
      fail_input("video '{}': truncated or corrupt: frame {} wanted but the stream ends after {} frames", path,
                 last, i);
    }
  }
  std::vector<RgbFrame> out;
  out.reserve(indices.size());
  for (long i : indices) out.push_back(wanted[i]);
  return out;
}

}  // namespace oasim::data
