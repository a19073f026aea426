#pragma once
// A terminal progress bar on stderr for long work. Silent when stderr is not a terminal unless forced,
// so logs and CI output stay clean; always prints a final line when `always` is set.
#include <chrono>
#include <cstdio>
#include <string>

namespace oasim {

class ProgressBar {
 public:
  ProgressBar(std::string label, long total, bool enabled);
  void update(long done);
  void finish();
  ~ProgressBar();

 private:
  std::string label_;
  long total_;
  bool enabled_;
  bool finished_ = false;
  std::chrono::steady_clock::time_point start_;
  std::chrono::steady_clock::time_point last_draw_;
};

bool stderr_is_terminal();

}  // namespace oasim
