// Distributions over Philox4x32 words, reproducing TensorFlow's CPU random
// ops bit for bit: which words become which values, and how one output
// tensor is cut into groups so that any split across threads gives the same
// numbers.
//
// Word -> value conversions (TensorFlow's facts):
//   * float in [0, 1): the word's low 23 bits are the mantissa of a float in
//     [1, 2) (exponent 127), minus 1.0f.
//   * double in [0, 1): two words w0, w1; the low 20 bits of w0 then all of
//     w1 form the 52-bit mantissa of a double in [1, 2), minus 1.0.
//   * half in [0, 1): the word's low 10 bits over exponent 15, minus 1.
//   * bfloat16 in [0, 1): the word's low 7 bits over exponent 127, minus 1.
//   * normal (Box-Muller) from two words (float) or four (double):
//     u1 = max(uniform(w0), 1e-7), v = 2*pi*uniform(w1) (computed in double,
//     then stored as float for the float variant), r = sqrt(-2 log u1),
//     (sin v * r, cos v * r). Half and bfloat16 are the float values
//     rounded to nearest-even.
//
// Groups: the output is split into groups of kGroupSize consecutive values.
// Group g starts from the reserved generator skipped g * kBlocksPerGroup
// blocks. Fixed samplers use exactly one block per group. TruncatedNormal
// rejects samples, so each of its groups owns 256 words per value (a
// generous bound it never exhausts in practice) and reads its words one at
// a time, dropping Box-Muller values with |x| >= 2. The last, partial group
// is generated whole and cut.
//
//   Philox4x32 gen(seed, seed2);
//   FillGroups<UniformSampler<float>>(gen, data, n, 0, NumGroups<...>(n));
//
// Thread safety: stateless functions; FillGroups on disjoint group ranges of
// one buffer may run concurrently.
#ifndef TF1HUB_KERNELS_RANDOM_DISTRIBUTIONS_H_
#define TF1HUB_KERNELS_RANDOM_DISTRIBUTIONS_H_

#include <math.h>  // sincos, sincosf (GNU), as TensorFlow calls them on Linux

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstdint>
#include <numbers>
#include <type_traits>

#include <Eigen/Core>

#include "tf1hub/kernels/philox_random.h"

namespace tf1hub {
namespace random {

// ---- Word -> value conversions.

inline float Uint32ToUnitFloat(uint32_t w) {
  return std::bit_cast<float>(uint32_t{127} << 23 | (w & 0x7fffffu)) - 1.0f;
}

inline double Uint64ToUnitDouble(uint32_t w0, uint32_t w1) {
  const uint64_t mantissa = uint64_t{w0 & 0xfffffu} << 32 | w1;
  return std::bit_cast<double>(uint64_t{1023} << 52 | mantissa) - 1.0;
}

// Uses the low 16 bits of `w`; exact (the result has 10 significant bits).
inline Eigen::half Uint32ToUnitHalf(uint32_t w) {
  return Eigen::half(static_cast<float>(w & 0x3ffu) * (1.0f / 1024.0f));
}

// Uses the low 16 bits of `w`; exact (the result has 7 significant bits).
inline Eigen::bfloat16 Uint32ToUnitBfloat16(uint32_t w) {
  return Eigen::bfloat16(static_cast<float>(w & 0x7fu) * (1.0f / 128.0f));
}

// Two standard normal floats from two words. The operation order and the
// float/double mix are TensorFlow's, so results agree to the last bit (the
// transcendental functions are the C library's logf and sincosf).
inline void BoxMullerFloat(uint32_t w0, uint32_t w1, float* f0, float* f1) {
  constexpr float kMinU = 1.0e-7f;
  float u1 = Uint32ToUnitFloat(w0);
  if (u1 < kMinU) u1 = kMinU;
  const float v = static_cast<float>(2.0 * std::numbers::pi * Uint32ToUnitFloat(w1));
  const float r = std::sqrt(-2.0f * std::log(u1));
  ::sincosf(v, f0, f1);
  *f0 *= r;
  *f1 *= r;
}

// Two standard normal doubles from four words.
inline void BoxMullerDouble(uint32_t w0, uint32_t w1, uint32_t w2, uint32_t w3, double* d0,
                            double* d1) {
  constexpr double kMinU = 1.0e-7;
  double u1 = Uint64ToUnitDouble(w0, w1);
  if (u1 < kMinU) u1 = kMinU;
  const double v = 2.0 * std::numbers::pi * Uint64ToUnitDouble(w2, w3);
  const double r = std::sqrt(-2.0 * std::log(u1));
  ::sincos(v, d0, d1);
  *d0 *= r;
  *d1 *= r;
}

// ---- Samplers: one group of values at a time.
//
// A sampler S for element type T provides
//   kGroupSize       values per group
//   kBlocksPerGroup  generator blocks between the starts of two groups
//   kCostPerGroup    rough cycles per group (for the thread pool)
//   Group(gen, out)  writes out[0, kGroupSize) from `gen` (positioned at the
//                    group's start)

namespace internal {
inline constexpr int64_t kCostPerWord = 10;  // one Philox word

// TensorFlow's reserve for samplers that reject: 256 words per value.
inline constexpr int64_t kReservedWordsPerValue = 256;

// Narrows a float to T (identity, or round to nearest-even).
template <typename T>
T FromFloat(float f) {
  return static_cast<T>(f);
}
}  // namespace internal

template <typename T>
struct UniformSampler {
  static constexpr int kGroupSize = std::is_same_v<T, double> ? 2 : 4;
  static constexpr int64_t kBlocksPerGroup = 1;
  static constexpr int64_t kCostPerGroup = 4 * (internal::kCostPerWord + 3);

  static void Group(Philox4x32& gen, T* out) {
    const Philox4x32::Block b = gen.Next();
    if constexpr (std::is_same_v<T, double>) {
      out[0] = Uint64ToUnitDouble(b[0], b[1]);
      out[1] = Uint64ToUnitDouble(b[2], b[3]);
    } else {
      for (int i = 0; i < 4; ++i) {
        if constexpr (std::is_same_v<T, float>) {
          out[i] = Uint32ToUnitFloat(b[i]);
        } else if constexpr (std::is_same_v<T, Eigen::half>) {
          out[i] = Uint32ToUnitHalf(b[i]);
        } else {
          static_assert(std::is_same_v<T, Eigen::bfloat16>);
          out[i] = Uint32ToUnitBfloat16(b[i]);
        }
      }
    }
  }
};

template <typename T>
struct NormalSampler {
  static constexpr int kGroupSize = std::is_same_v<T, double> ? 2 : 4;
  static constexpr int64_t kBlocksPerGroup = 1;
  static constexpr int64_t kCostPerGroup = 4 * (internal::kCostPerWord + 70);

  static void Group(Philox4x32& gen, T* out) {
    const Philox4x32::Block b = gen.Next();
    if constexpr (std::is_same_v<T, double>) {
      BoxMullerDouble(b[0], b[1], b[2], b[3], &out[0], &out[1]);
    } else {
      for (int i = 0; i < 4; i += 2) {
        float f0, f1;
        BoxMullerFloat(b[i], b[i + 1], &f0, &f1);
        out[i] = internal::FromFloat<T>(f0);
        out[i + 1] = internal::FromFloat<T>(f1);
      }
    }
  }
};

// Hands out a generator's words one at a time, a block at a time.
class WordStream {
 public:
  explicit WordStream(Philox4x32* gen) : gen_(gen) {}
  uint32_t operator()() {
    if (next_ == Philox4x32::kBlockWords) {
      block_ = gen_->Next();
      next_ = 0;
    }
    return block_[next_++];
  }

 private:
  Philox4x32* gen_;
  Philox4x32::Block block_{};
  int next_ = Philox4x32::kBlockWords;
};

// Standard normal values with |x| < 2, by rejection.
template <typename T>
struct TruncatedNormalSampler {
  static constexpr int kGroupSize = std::is_same_v<T, double> ? 2 : 4;
  static constexpr int64_t kBlocksPerGroup =
      kGroupSize * internal::kReservedWordsPerValue / Philox4x32::kBlockWords;
  static constexpr int64_t kCostPerGroup = 4 * (internal::kCostPerWord + 90);

  static void Group(Philox4x32& gen, T* out) {
    WordStream words(&gen);
    int n = 0;
    while (true) {
      if constexpr (std::is_same_v<T, double>) {
        const uint32_t w0 = words(), w1 = words(), w2 = words(), w3 = words();
        double d[2];
        BoxMullerDouble(w0, w1, w2, w3, &d[0], &d[1]);
        for (double x : d) {
          if (std::abs(x) < 2.0) {
            out[n++] = x;
            if (n == kGroupSize) return;
          }
        }
      } else {
        const uint32_t w0 = words(), w1 = words();
        float f[2];
        BoxMullerFloat(w0, w1, &f[0], &f[1]);
        for (float x : f) {
          if (std::abs(x) < 2.0f) {
            out[n++] = internal::FromFloat<T>(x);
            if (n == kGroupSize) return;
          }
        }
      }
    }
  }
};

// ---- Filling a buffer.

template <class Sampler>
constexpr int64_t NumGroups(int64_t size) {
  return (size + Sampler::kGroupSize - 1) / Sampler::kGroupSize;
}

// Generator blocks a fill of `size` values may use; TensorFlow advances a
// node's generator by this much per run (256 blocks per value, whatever the
// distribution).
constexpr uint64_t BlocksToReserve(int64_t size) {
  return static_cast<uint64_t>(size) * static_cast<uint64_t>(internal::kReservedWordsPerValue);
}

// Writes groups [begin_group, end_group) of data[0, size), the stream
// starting at `base`.
template <class Sampler, typename T>
void FillGroups(const Philox4x32& base, T* data, int64_t size, int64_t begin_group,
                int64_t end_group) {
  constexpr int kGroupSize = Sampler::kGroupSize;
  const int64_t full_end = std::min(end_group, size / kGroupSize);
  Philox4x32 gen = base;
  gen.Skip(static_cast<uint64_t>(begin_group) * Sampler::kBlocksPerGroup);
  for (int64_t g = begin_group; g < full_end; ++g) {
    if constexpr (Sampler::kBlocksPerGroup != 1) {
      // Rejection uses a variable number of words: restart at the group's
      // own region so the result does not depend on earlier groups.
      gen = base;
      gen.Skip(static_cast<uint64_t>(g) * Sampler::kBlocksPerGroup);
    }
    Sampler::Group(gen, data + g * kGroupSize);
  }
  if (full_end < end_group) {  // the last, partial group
    gen = base;
    gen.Skip(static_cast<uint64_t>(full_end) * Sampler::kBlocksPerGroup);
    T tail[kGroupSize];
    Sampler::Group(gen, tail);
    std::copy(tail, tail + (size - full_end * kGroupSize), data + full_end * kGroupSize);
  }
}

}  // namespace random
}  // namespace tf1hub

#endif  // TF1HUB_KERNELS_RANDOM_DISTRIBUTIONS_H_
