#pragma once
// Provenance of a report: which oasim, which command line, and the SHA-256 of every input file, so a report
// can be traced to exactly what produced it (docs/report-format.md).
#include <string>
#include <vector>

namespace oasim {

// The oasim version (the CMake project version) and the command line, recorded once by main().
const char* oasim_version();
void set_command_line(int argc, char** argv);
const std::string& command_line();  // "" when not set (library use, tests)

// Lower-case hex SHA-256 of a file's bytes (OpenSSL EVP); InputError if it cannot be read.
std::string sha256_file(const std::string& path);
std::string sha256_bytes(const std::string& bytes);

}  // namespace oasim
