#include "sim/common/progress.hpp"

#include <unistd.h>

#include <algorithm>

namespace oasim {

bool stderr_is_terminal() { return isatty(fileno(stderr)) != 0; }

ProgressBar::ProgressBar(std::string label, long total, bool enabled)
    : label_(std::move(label)), total_(std::max(1L, total)), enabled_(enabled),
      start_(std::chrono::steady_clock::now()), last_draw_(start_) {}

void ProgressBar::update(long done) {
  if (!enabled_) return;
  auto now = std::chrono::steady_clock::now();
  // Redraw at most 10 times a second: drawing is not free and floods logs.
  if (done < total_ && now - last_draw_ < std::chrono::milliseconds(100)) return;
  last_draw_ = now;
  double frac = std::min(1.0, double(done) / double(total_));
  double elapsed = std::chrono::duration<double>(now - start_).count();
  double eta = frac > 0 ? elapsed * (1.0 - frac) / frac : 0.0;
  const int width = 30;
  int filled = int(frac * width);
  std::string bar(filled, '#');
  bar.resize(width, '.');
  std::fprintf(stderr, "\r%s [%s] %ld/%ld  %.1fs elapsed, ~%.1fs left ", label_.c_str(), bar.c_str(), done,
               total_, elapsed, eta);
  std::fflush(stderr);
}

void ProgressBar::finish() {
  if (!enabled_ || finished_) return;
  finished_ = true;
  update(total_);
  std::fprintf(stderr, "\n");
}

ProgressBar::~ProgressBar() { finish(); }

}  // namespace oasim
