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

}  // namespace oasim
