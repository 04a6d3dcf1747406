// Test helpers for the CRC-32C code: a reference written from the definition
// (independent of crc32c.cc) and random test data. Header-only.
#ifndef TF1HUB_CORE_CRC32C_TEST_UTIL_H_
#define TF1HUB_CORE_CRC32C_TEST_UTIL_H_

#include <cstdint>
#include <random>
#include <string>
#include <string_view>

namespace tf1hub::testing {

// Bit-at-a-time CRC-32C: reflected polynomial 0x82F63B78, init and final
// xor 0xFFFFFFFF.
inline uint32_t ReferenceCrc(std::string_view s) {
  uint32_t crc = 0xffffffffu;
  for (unsigned char c : s) {
    crc ^= c;
    for (int i = 0; i < 8; ++i) crc = (crc >> 1) ^ (0x82f63b78u & (0u - (crc & 1)));
  }
  return ~crc;
}

// n bytes from a Mersenne twister seeded with `seed`.
inline std::string RandomBytes(size_t n, uint32_t seed) {
  std::mt19937 rng(seed);
  std::string s(n, '\0');
  for (char& c : s) c = static_cast<char>(rng());
  return s;
}

}  // namespace tf1hub::testing

#endif  // TF1HUB_CORE_CRC32C_TEST_UTIL_H_
