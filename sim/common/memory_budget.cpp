#include "sim/common/memory_budget.hpp"

#include <unistd.h>

#include "sim/common/error.hpp"

namespace oasim {

double physical_memory_bytes() {
  const long pages = sysconf(_SC_PHYS_PAGES), page = sysconf(_SC_PAGESIZE);
  return pages > 0 && page > 0 ? double(pages) * double(page) : 0.0;
}

void check_memory(double bytes, const std::string& what) {
  const double have = physical_memory_bytes();
  if (have > 0 && bytes > have)
    fail_input("{} needs at least {:.1f} GiB of memory; this machine has {:.1f} GiB", what, bytes / (1 << 30),
               have / (1 << 30));
}

}  // namespace oasim
