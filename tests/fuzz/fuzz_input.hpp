#pragma once
// Shared by the libFuzzer targets: readers that take a path get the fuzzer's bytes through a temporary file,
// and an InputError is the expected answer to garbage (anything else escaping, or a crash, is a finding).
#include <unistd.h>

#include <cstdint>
#include <cstdio>
#include <string>

namespace oasim::fuzz {

// Writes the input to one per-process file (rewritten on every call) and returns its path.
inline std::string input_file(const uint8_t* data, size_t size, const char* suffix) {
  static const std::string path = "/tmp/oasim-fuzz-" + std::to_string(getpid()) + suffix;
  FILE* f = std::fopen(path.c_str(), "wb");
  if (!f) std::abort();
  if (size) std::fwrite(data, 1, size, f);
  std::fclose(f);
  return path;
}

}  // namespace oasim::fuzz
