// CRC-32C (Castagnoli polynomial 0x1EDC6F41, reflected 0x82F63B78), as used by
// TensorFlow's tensor bundles, TFRecord files and LevelDB blocks.
//
//   uint32_t crc = crc32c::Value(data, n);
//   crc = crc32c::Extend(crc, more, m);          // == Value(data ++ more)
//   uint32_t stored = crc32c::Mask(crc);         // what files store
//
// Uses the SSE4.2 CRC32 instruction (three interleaved streams on long
// inputs) when the CPU has it, a slicing-by-8 table otherwise.
//
// Thread safety: all functions are pure.
#ifndef TF1HUB_CORE_CRC32C_H_
#define TF1HUB_CORE_CRC32C_H_

#include <cstddef>
#include <cstdint>

namespace tf1hub::crc32c {

// Returns the CRC-32C of concat(A, data[0, n)) where `crc` is the CRC-32C of
// some string A.
uint32_t Extend(uint32_t crc, const char* data, size_t n);

// CRC-32C of data[0, n).
inline uint32_t Value(const char* data, size_t n) { return Extend(0, data, n); }

// Masking, as LevelDB and TensorFlow store CRCs: storing the CRC of a string
// that itself contains CRCs is error-prone, so files hold a rotated and
// offset form instead.
inline constexpr uint32_t kMaskDelta = 0xa282ead8u;

inline uint32_t Mask(uint32_t crc) { return ((crc >> 15) | (crc << 17)) + kMaskDelta; }

inline uint32_t Unmask(uint32_t masked) {
  const uint32_t rot = masked - kMaskDelta;
  return (rot >> 17) | (rot << 15);
}

namespace internal {
// The two implementations, exposed so tests can compare them.
uint32_t ExtendPortable(uint32_t crc, const char* data, size_t n);
// Requires HardwareAvailable().
uint32_t ExtendHardware(uint32_t crc, const char* data, size_t n);
bool HardwareAvailable();
}  // namespace internal

}  // namespace tf1hub::crc32c

#endif  // TF1HUB_CORE_CRC32C_H_
