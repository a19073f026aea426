#include "workloads/quant/residual_rotation.hpp"

#include <cmath>

#include "sim/common/error.hpp"
#include "sim/common/rng.hpp"

namespace oasim::quant {
namespace {

using Md = Eigen::MatrixXd;

bool is_prime(int q) {
  if (q < 2) return false;
  for (int d = 2; d * d <= q; ++d)
    if (q % d == 0) return false;
  return true;
}

// Paley construction I, order q + 1 for a prime q = 3 mod 4: H = I + [[0, 1^T], [-1, J]] with the
// Jacobsthal matrix J_ij = chi(j - i) (quadratic character mod q).
Md paley(int q) {
  std::vector<int> chi(size_t(q), -1);
  chi[0] = 0;
  for (int x = 1; x < q; ++x) chi[size_t((long(x) * x) % q)] = 1;
  Md s = Md::Zero(q + 1, q + 1);
  for (int i = 1; i <= q; ++i) {
    s(0, i) = 1;
    s(i, 0) = -1;
    for (int j = 1; j <= q; ++j) s(i, j) = chi[size_t(((j - i) % q + q) % q)];
  }
  return Md::Identity(q + 1, q + 1) + s;
}

Md sylvester(int n) {
  Md h = Md::Ones(1, 1);
  while (h.rows() < n) {
    const long k = h.rows();
    Md next(2 * k, 2 * k);
    next << h, h, h, -h;
    h = next;
  }
  return h;
}

Md kron(const Md& a, const Md& b) {
  Md out(a.rows() * b.rows(), a.cols() * b.cols());
  for (long i = 0; i < a.rows(); ++i)
    for (long j = 0; j < a.cols(); ++j) out.block(i * b.rows(), j * b.cols(), b.rows(), b.cols()) = a(i, j) * b;
  return out;
}

bool power_of_two(int n) { return n > 0 && (n & (n - 1)) == 0; }

MatrixRM to_f(const Md& m) { return m.cast<float>(); }

}  // namespace

Md hadamard_matrix(int n) {
  if (power_of_two(n)) return sylvester(n);
  for (int m = 4; m <= n; m += 4)
    if (n % m == 0 && power_of_two(n / m) && is_prime(m - 1) && (m - 1) % 4 == 3) return kron(paley(m - 1), sylvester(n / m));
  return Md();
}

Md residual_rotation_matrix(int d, uint64_t seed) {
  Md h = hadamard_matrix(d);
  if (h.size() == 0) {  // block-diagonal Sylvester blocks of the largest power of two dividing d
    const int b = hadamard_block(d);
    h = Md::Zero(d, d);
    const Md hb = sylvester(b);
    for (int k = 0; k < d; k += b) h.block(k, k, b, b) = hb / std::sqrt(double(b)) * std::sqrt(double(d));
  }
  Eigen::VectorXd signs(d);
  for (int i = 0; i < d; ++i) signs[i] = (splitmix64(seed ^ splitmix64(uint64_t(i) + 0x5157)) & 1) ? 1.0 : -1.0;
  return h * signs.asDiagonal() / std::sqrt(double(d));
}

videomamba::ModelWeights rotate_residual(const videomamba::ModelWeights& w, const Md& q) {
  const long d = w.config.embed_dim;
  if (q.rows() != d || q.cols() != d) fail_input("residual rotation is {}x{}, the model width is {}", q.rows(), q.cols(), d);
  videomamba::ModelWeights r = w;
  // Rows of the residual stream are row vectors: r' = r Q^T. A producer y = x W^T + b becomes Q W, Q b.
  auto rotate_producer = [&](videomamba::LinearWeights& l) {
    l.weight = to_f(q * l.weight.cast<double>());
    if (l.bias.size()) l.bias = (q * l.bias.cast<double>()).cast<float>();
  };
  // A consumer of RMSNorm(r) * g becomes W diag(g) Q^T, reading RMSNorm(r') with unit weight.
  auto fold_consumer = [&](videomamba::LinearWeights& l, VectorF& norm_weight) {
    l.weight = to_f(l.weight.cast<double>() * norm_weight.cast<double>().asDiagonal() * q.transpose());
    norm_weight.setOnes();
  };
  auto rotate_rows = [&](MatrixRM& m) {
    if (m.size()) m = to_f(m.cast<double>() * q.transpose());
  };
  rotate_producer(r.patch_embed);
  r.cls_token = (r.cls_token.cast<double>() * q.transpose()).cast<float>();
  rotate_rows(r.pos_embed);
  rotate_rows(r.temporal_pos_embed);
  for (auto& l : r.layers) {
    fold_consumer(l.in_proj, l.norm_weight);
    rotate_producer(l.out_proj);
  }
  fold_consumer(r.head, r.norm_f_weight);
  return r;
}

std::unique_ptr<videomamba::VideoMambaModel> offline_model(const videomamba::VideoMambaModel& m, const Recipe& r) {
  if (!r.residual_rotation) return nullptr;
  const Md q = residual_rotation_matrix(m.config().embed_dim, r.residual_rotation_seed);
  return std::make_unique<videomamba::VideoMambaModel>(rotate_residual(m.weights(), q));
}

}  // namespace oasim::quant
