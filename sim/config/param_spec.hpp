#pragma once
// The config layer's one mechanism: a table of declared keys (dotted path, unit, type, range, default,
// meaning, source) with typed accessors into a config struct. One table drives parsing with file:line
// errors, validation, `oasim describe`, `--set` overrides and sweep axes, so they can never disagree.
// Generic over the config struct; the hardware components declare their rows (models/components).
#include <fmt/format.h>

#include <charconv>
#include <cmath>
#include <functional>
#include <string>
#include <type_traits>
#include <vector>

namespace oasim::config {

template <typename Config>
struct ParamSpecT {
  std::string key;        // dotted path, e.g. "adc.bits"
  std::string unit;       // "" for unitless
  std::string type;       // "integer", "number", "choice", "string"
  std::string meaning;
  double min = 0, max = 0;              // inclusive range for integer/number
  std::vector<std::string> choices;     // for choice
  std::function<std::string(const Config&)> get;
  // Parses and stores text; returns "" on success, else what was expected.
  std::function<std::string(Config&, const std::string&)> set;
  std::string source;     // where the default comes from (paper, datasheet class, or "assumed: why")
  std::string replaces;   // an old key this one replaced ("" = none): old configs get a message naming it

  std::string expected() const {
    if (type == "integer") return fmt::format("an integer in [{:g}, {:g}]", min, max);
    if (type == "number") return fmt::format("a number in [{:g}, {:g}]", min, max);
    if (type == "choice") {
      std::string s = "one of: ";
      for (size_t i = 0; i < choices.size(); ++i) s += (i ? ", " : "") + choices[i];
      return s;
    }
    return "a string";
  }
};

// Row builders. `acc(config)` returns a reference to the field.
template <typename Config, typename Access>
ParamSpecT<Config> integer_param(std::string key, std::string unit, double lo, double hi, std::string meaning,
                                 std::string source, Access acc) {
  ParamSpecT<Config> p{std::move(key), std::move(unit), "integer", std::move(meaning), lo, hi, {}, {}, {},
                       std::move(source), {}};
  p.get = [acc](const Config& c) { return std::to_string(acc(const_cast<Config&>(c))); };
  p.set = [acc, lo, hi, ex = p.expected()](Config& c, const std::string& text) -> std::string {
    long long v = 0;
    auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
    if (ec != std::errc() || ptr != text.data() + text.size() || double(v) < lo || double(v) > hi) return ex;
    acc(c) = static_cast<std::remove_reference_t<decltype(acc(c))>>(v);
    return "";
  };
  return p;
}

template <typename Config, typename Access>
ParamSpecT<Config> number_param(std::string key, std::string unit, double lo, double hi, std::string meaning,
                                std::string source, Access acc) {
  ParamSpecT<Config> p{std::move(key), std::move(unit), "number", std::move(meaning), lo, hi, {}, {}, {},
                       std::move(source), {}};
  p.get = [acc](const Config& c) { return fmt::format("{:g}", acc(const_cast<Config&>(c))); };
  p.set = [acc, lo, hi, ex = p.expected()](Config& c, const std::string& text) -> std::string {
    char* end = nullptr;
    const double v = std::strtod(text.c_str(), &end);
    if (text.empty() || end != text.c_str() + text.size() || !std::isfinite(v) || v < lo || v > hi) return ex;
    acc(c) = v;
    return "";
  };
  return p;
}

template <typename Config, typename Enum, typename Access>
ParamSpecT<Config> choice_param(std::string key, std::vector<std::string> names, std::string meaning,
                                std::string source, Access acc) {
  ParamSpecT<Config> p{std::move(key), "", "choice", std::move(meaning), 0, 0, names, {}, {}, std::move(source), {}};
  p.get = [acc, names](const Config& c) { return names.at(size_t(acc(const_cast<Config&>(c)))); };
  p.set = [acc, names, ex = p.expected()](Config& c, const std::string& text) -> std::string {
    for (size_t i = 0; i < names.size(); ++i)
      if (names[i] == text) {
        acc(c) = Enum(i);
        return "";
      }
    return ex;
  };
  return p;
}

}  // namespace oasim::config
