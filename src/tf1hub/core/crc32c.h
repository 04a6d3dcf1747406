// CRC-32C (Castagnoli polynomial 0x1EDC6F41, reflected 0x82F63B78), as used by
// TensorFlow's tensor bundles, TFRecord files and LevelDB blocks.
//
//   uint32_t crc = crc32c::Value(data, n);
//   crc = crc32c::Extend(crc, more, m);          // == Value(data ++ more)
//   uint32_t stored = crc32c::Mask(crc);         // what files store
//   crc = crc32c::Combine(Value(a, n), Value(b, m), m);  // == Value(a ++ b)
//
// Picks at run time: carry-less multiplication folding with AVX-512
// VPCLMULQDQ for inputs of 1 KiB and more when the CPU (and OS) support it,
// else the SSE4.2 CRC32 instruction (three interleaved streams on long
// inputs), else a slicing-by-8 table.
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

// Returns the CRC-32C of concat(A, B) given crc1 = CRC-32C of A, crc2 =
// CRC-32C of B and len2 = |B|, without the bytes: CRCs of the pieces of a
// buffer computed on different threads combine into the CRC of the whole.
// Costs O(log len2) 32-bit carry-less multiplications.
uint32_t Combine(uint32_t crc1, uint32_t crc2, uint64_t len2);

// Combining many pieces of one length: CombineFactor(len2) is what Combine
// computes from len2, and CombineWithFactor(crc1, crc2, CombineFactor(len2))
// == Combine(crc1, crc2, len2) in one multiplication.
uint32_t CombineFactor(uint64_t len2);
uint32_t CombineWithFactor(uint32_t crc1, uint32_t crc2, uint32_t factor);

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
// AVX-512 + VPCLMULQDQ folding (crc32c_avx512.cc); requires
// Avx512Available() (which implies HardwareAvailable()).
uint32_t ExtendAvx512(uint32_t crc, const char* data, size_t n);
bool Avx512Available();
}  // namespace internal

}  // namespace tf1hub::crc32c

#endif  // TF1HUB_CORE_CRC32C_H_
