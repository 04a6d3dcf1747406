// crc32c::Combine: the CRC of a concatenation from the CRCs of its parts.
//
// Math. Write the raw CRC register (before the final inversion) as a
// polynomial over GF(2) of degree < 32, reduced modulo the Castagnoli
// polynomial P. Feeding a zero bit multiplies it by x (mod P), so feeding n
// zero bytes multiplies it by x^(8n). For Value() (init and final xor
// 0xFFFFFFFF) the inversions cancel out (see crc32c.cc), leaving
//   Value(A ++ B) = Value(A) * x^(8|B|)  xor  Value(B)   (mod P),
// which is what zlib's crc32_combine also relies on.
//
// Representation (the reflected one the CRC uses): bit 31 of a word is the
// coefficient of x^0, bit 0 that of x^31. Multiplying by x is then a right
// shift, with the x^32 term folded back by xoring the reflected polynomial.
#include <array>
#include <cstdint>

#include "tf1hub/core/crc32c.h"

namespace tf1hub::crc32c {
namespace {

constexpr uint32_t kPolynomial = 0x82f63b78u;  // reflected 0x1EDC6F41
constexpr uint32_t kOne = 0x80000000u;         // the polynomial 1 (x^0)

// a * b mod P, by shift-and-add over the 32 coefficients of `a`.
constexpr uint32_t MultiplyModP(uint32_t a, uint32_t b) {
  uint32_t product = 0;
  for (int power = 0; power < 32 && a != 0; ++power) {
    const uint32_t bit = kOne >> power;  // coefficient of x^power in a
    if (a & bit) {
      product ^= b;
      a ^= bit;
    }
    b = (b >> 1) ^ ((b & 1) ? kPolynomial : 0);  // b *= x
  }
  return product;
}

// kBytePowers[k] = x^(8 * 2^k) mod P: the factor for 2^k zero bytes.
constexpr std::array<uint32_t, 64> MakeBytePowers() {
  std::array<uint32_t, 64> powers{};
  powers[0] = kOne >> 8;  // x^8
  for (size_t k = 1; k < powers.size(); ++k) {
    powers[k] = MultiplyModP(powers[k - 1], powers[k - 1]);
  }
  return powers;
}

constexpr std::array<uint32_t, 64> kBytePowers = MakeBytePowers();

// Sanity checks of the representation: x^8 * x^8 == x^16, and x^32 is
// P's low terms.
static_assert(MultiplyModP(kOne >> 8, kOne >> 8) == (kOne >> 16));
static_assert(MultiplyModP(kOne >> 16, kOne >> 16) == kPolynomial);

}  // namespace

uint32_t CombineFactor(uint64_t len2) {
  uint32_t factor = kOne;
  for (int k = 0; len2 != 0; ++k, len2 >>= 1) {
    if (len2 & 1) factor = MultiplyModP(factor, kBytePowers[k]);
  }
  return factor;
}

uint32_t CombineWithFactor(uint32_t crc1, uint32_t crc2, uint32_t factor) {
  return MultiplyModP(crc1, factor) ^ crc2;
}

uint32_t Combine(uint32_t crc1, uint32_t crc2, uint64_t len2) {
  return CombineWithFactor(crc1, crc2, CombineFactor(len2));
}

}  // namespace tf1hub::crc32c
