#pragma once
// Error types shared by every part of oasim.
//
// InputError means "the user gave us something we cannot use" (a file, a key, a flag): the CLI prints
// its message on stderr and exits with code 2. Anything else escaping to main is a bug (exit 1).
#include <fmt/format.h>

#include <stdexcept>
#include <string>

namespace oasim {

class InputError : public std::runtime_error {
 public:
  explicit InputError(const std::string& what) : std::runtime_error(what) {}
};

template <typename... Args>
[[noreturn]] void fail_input(fmt::format_string<Args...> f, Args&&... args) {
  throw InputError(fmt::format(f, std::forward<Args>(args)...));
}

// Text from a user's file as it may appear in a one-line message: bytes that are not printable ASCII become
// '?', and it is cut after `max` characters, so a binary file never writes control bytes to the terminal.
inline std::string printable(const std::string& text, size_t max = 80) {
  std::string out;
  for (size_t i = 0; i < text.size() && i < max; ++i) {
    const unsigned char c = static_cast<unsigned char>(text[i]);
    out += (c >= 0x20 && c < 0x7f) ? char(c) : '?';
  }
  if (text.size() > max) out += "...";
  return out;
}

}  // namespace oasim
