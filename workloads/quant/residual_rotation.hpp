#pragma once
// QuaRot-style offline rotation of the residual stream. Every RMSNorm weight is folded into the Linear
// that reads the norm (in_proj; norm_f into head), after which RMSNorm(Q r) = Q RMSNorm(r) for any
// orthogonal Q (the norm is over all D channels and eps sits inside the mean of squares). So the whole
// residual stream can be carried rotated, r' = Q r, with only offline weight changes:
//   patch_embed W, b -> Q W, Q b;  cls token, pos and temporal embeddings -> rotated rows;
//   in_proj W -> W diag(norm weight) Q^T;  out_proj W, b -> Q W, Q b;  head W -> W diag(norm_f) Q^T.
// The residual adds and norms run in the digital unit in fp32 and see only the rotated values: nothing
// runs online, unlike the per-Linear Hadamard sites, whose FWHT the digital unit pays for every vector.
#include <Eigen/Dense>
#include <cstdint>
#include <memory>

#include "workloads/quant/recipe.hpp"
#include "workloads/videomamba/model_weights.hpp"
#include "workloads/videomamba/videomamba_model.hpp"

namespace oasim::quant {

// Hadamard matrix of order n (entries +-1, H H^T = n I) when n = 2^a * m with m = 1 (Sylvester) or m = q + 1
// for a prime q = 3 mod 4 (Paley I: 12, 20, 24, 32, 44, 48, ...), as H_m kron H_(2^a); empty when none.
// 192 = 12 * 16, 384 = 12 * 32: the model widths get a full Hadamard that mixes every channel.
Eigen::MatrixXd hadamard_matrix(int n);

// Orthogonal D x D rotation: H diag(signs) / sqrt(D) with random signs from `seed`; where no Hadamard of
// order D is built, the block-diagonal one of hadamard_block(D) (still orthogonal, mixes within blocks).
Eigen::MatrixXd residual_rotation_matrix(int d, uint64_t seed);

// The model with norm weights folded (all-ones afterwards) and the residual stream rotated by q. Exact
// in real arithmetic: logits are unchanged up to fp32 rounding.
videomamba::ModelWeights rotate_residual(const videomamba::ModelWeights& w, const Eigen::MatrixXd& q);

// The model the optical hardware runs under recipe r, when it differs from the file's (residual rotation);
// nullptr otherwise. The fp32 reference always runs the file's model.
std::unique_ptr<videomamba::VideoMambaModel> offline_model(const videomamba::VideoMambaModel& m, const Recipe& r);

}  // namespace oasim::quant
