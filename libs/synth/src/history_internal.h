#pragma once

// Pieces of the history generator shared by its source files (not part of the public API).

#include <cstdint>
#include <string>
#include <string_view>

#include "gridcare/v1/common.pb.h"
#include "random.h"

namespace gridcare::synth::internal {

/// e^x from IEEE +, *, / and exact power-of-two scaling, so it rounds the same everywhere
/// (<cmath>'s exp is implementation-defined). Relative error ~1e-16 for |x| <= 700.
double Exp(double x);

/// A Poisson(mean) count (Knuth's product of uniforms, in pieces of mean <= 16 so e^-mean never
/// underflows). 0 for mean <= 0.
int64_t Poisson(Rng& rng, double mean);

/// A contact channel with the shares of a 95598 centre: agent 45 %, IVR 10 %, app 20 %,
/// WeChat 20 %, web 5 %.
v1::Channel PickChannel(uint64_t bits);

/// `phrase` with a greeting before and a request after, chosen by `bits`, so texts vary as real
/// ones do while keeping the phrase's words.
std::string Dress(std::string_view phrase, bool english, uint64_t bits);

}  // namespace gridcare::synth::internal
