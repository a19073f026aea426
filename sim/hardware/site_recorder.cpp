#include "sim/hardware/site_recorder.hpp"

#include "sim/common/h5_file.hpp"

namespace oasim::hardware {

void SiteRecorder::apply(const videomamba::LinearSite& site, const videomamba::LinearWeights& w, const MatrixRM& x,
                         MatrixRM& y) {
  inner_.apply(site, w, x, y);
  std::lock_guard<std::mutex> lock(m_);
  Rows& r = sites_[site.name()];
  r.in = x.cols();
  r.out = y.cols();
  const long take = std::min<long>(x.rows(), max_rows_ - r.rows);
  if (take <= 0) return;
  r.x.insert(r.x.end(), x.data(), x.data() + take * x.cols());  // row-major: the first `take` rows
  r.y.insert(r.y.end(), y.data(), y.data() + take * y.cols());
  r.rows += take;
}

void SiteRecorder::write(const std::string& path) const {
  std::lock_guard<std::mutex> lock(m_);
  h5::Writer w(path);
  w.attribute("format", std::string("oasim-site-records"));
  for (const auto& [name, r] : sites_) {
    w.floats("sites/" + name + "/x", {hsize_t(r.rows), hsize_t(r.in)}, r.x.data());
    w.floats("sites/" + name + "/y", {hsize_t(r.rows), hsize_t(r.out)}, r.y.data());
  }
}

}  // namespace oasim::hardware
