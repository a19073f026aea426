#pragma once
// Refusing, up front, a request whose memory cannot exist on this machine (e.g. `--frames 100000000`),
// instead of letting it die of std::bad_alloc or the kernel's OOM killer half-way through.
#include <string>

namespace oasim {

// Physical memory of this machine, in bytes.
double physical_memory_bytes();

// InputError naming `what` (the flag and its value) when `bytes` (a lower bound of what the request needs)
// exceeds the machine's physical memory.
void check_memory(double bytes, const std::string& what);

}  // namespace oasim
