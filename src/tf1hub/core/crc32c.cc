#include "tf1hub/core/crc32c.h"

#include <array>
#include <cstring>

#if defined(__x86_64__)
#include <nmmintrin.h>
#define TF1HUB_CRC32C_X86 1
#else
#define TF1HUB_CRC32C_X86 0
#endif

namespace tf1hub::crc32c {
namespace {

// The CRC state below is the "raw" register: Extend() inverts on entry and
// exit, as the CRC-32C definition requires (init 0xFFFFFFFF, final xor
// 0xFFFFFFFF). On the raw register, processing bytes is linear:
//   raw(s, A ++ B) = raw(raw(s, A), B)  and
//   raw(s, B) = raw(s, zeros(|B|)) ^ raw(0, B).
constexpr uint32_t kPolynomial = 0x82f63b78u;  // reflected 0x1EDC6F41

// Slicing-by-8 tables: kTables[0] is the classic byte table; kTables[k][b]
// is the raw CRC of byte b followed by k zero bytes.
using Tables = std::array<std::array<uint32_t, 256>, 8>;

constexpr Tables MakeTables() {
  Tables t{};
  for (uint32_t b = 0; b < 256; ++b) {
    uint32_t crc = b;
    for (int i = 0; i < 8; ++i) crc = (crc >> 1) ^ ((crc & 1) ? kPolynomial : 0);
    t[0][b] = crc;
  }
  for (uint32_t b = 0; b < 256; ++b) {
    for (int k = 1; k < 8; ++k) t[k][b] = (t[k - 1][b] >> 8) ^ t[0][t[k - 1][b] & 0xff];
  }
  return t;
}

constexpr Tables kTables = MakeTables();

inline uint32_t LoadLE32(const unsigned char* p) {
  uint32_t v;
  std::memcpy(&v, p, 4);
  return v;  // x86 and ARM little-endian targets only
}

uint32_t RawPortable(uint32_t crc, const unsigned char* p, size_t n) {
  // Bytes until 8-byte alignment, then 8 bytes per step, then the tail.
  while (n > 0 && (reinterpret_cast<uintptr_t>(p) & 7) != 0) {
    crc = (crc >> 8) ^ kTables[0][(crc ^ *p++) & 0xff];
    --n;
  }
  while (n >= 8) {
    const uint32_t lo = LoadLE32(p) ^ crc;
    const uint32_t hi = LoadLE32(p + 4);
    crc = kTables[7][lo & 0xff] ^ kTables[6][(lo >> 8) & 0xff] ^ kTables[5][(lo >> 16) & 0xff] ^
          kTables[4][lo >> 24] ^ kTables[3][hi & 0xff] ^ kTables[2][(hi >> 8) & 0xff] ^
          kTables[1][(hi >> 16) & 0xff] ^ kTables[0][hi >> 24];
    p += 8;
    n -= 8;
  }
  while (n > 0) {
    crc = (crc >> 8) ^ kTables[0][(crc ^ *p++) & 0xff];
    --n;
  }
  return crc;
}

#if TF1HUB_CRC32C_X86

// Shifting a raw CRC over `len` zero bytes is linear in the CRC's 32 bits, so
// it is four table lookups (one per CRC byte) into tables built from the
// shifts of single bits.
struct ShiftTable {
  std::array<std::array<uint32_t, 256>, 4> t;

  explicit ShiftTable(size_t len) {
    std::array<uint32_t, 32> bit_shift;
    for (int bit = 0; bit < 32; ++bit) {
      uint32_t crc = uint32_t{1} << bit;
      for (size_t i = 0; i < len; ++i) crc = (crc >> 8) ^ kTables[0][crc & 0xff];
      bit_shift[bit] = crc;
    }
    for (int k = 0; k < 4; ++k) {
      for (uint32_t b = 0; b < 256; ++b) {
        uint32_t v = 0;
        for (int i = 0; i < 8; ++i) {
          if (b & (1u << i)) v ^= bit_shift[8 * k + i];
        }
        t[k][b] = v;
      }
    }
  }

  uint32_t Shift(uint32_t crc) const {
    return t[0][crc & 0xff] ^ t[1][(crc >> 8) & 0xff] ^ t[2][(crc >> 16) & 0xff] ^
           t[3][crc >> 24];
  }
};

// Stream lengths for the three-way interleave: long blocks amortise the
// combine step; short blocks keep medium inputs on the fast path.
constexpr size_t kLongBlock = 8192;
constexpr size_t kShortBlock = 256;

const ShiftTable& LongShift() {
  static const ShiftTable table(kLongBlock);
  return table;
}
const ShiftTable& ShortShift() {
  static const ShiftTable table(kShortBlock);
  return table;
}

__attribute__((target("sse4.2"))) inline uint64_t Load64(const unsigned char* p) {
  uint64_t v;
  std::memcpy(&v, p, 8);
  return v;
}

// Three independent CRC chains over consecutive `block`-byte slices hide the
// instruction's 3-cycle latency; the partial CRCs are then combined by
// shifting over the following slices.
__attribute__((target("sse4.2"))) inline uint64_t ThreeWay(uint64_t crc0,
                                                           const unsigned char*& p, size_t& n,
                                                           size_t block,
                                                           const ShiftTable& shift) {
  while (n >= 3 * block) {
    uint64_t crc1 = 0;
    uint64_t crc2 = 0;
    const unsigned char* p0 = p;
    const unsigned char* p1 = p + block;
    const unsigned char* p2 = p + 2 * block;
    for (size_t i = 0; i < block; i += 8) {
      crc0 = _mm_crc32_u64(crc0, Load64(p0 + i));
      crc1 = _mm_crc32_u64(crc1, Load64(p1 + i));
      crc2 = _mm_crc32_u64(crc2, Load64(p2 + i));
    }
    crc0 = shift.Shift(static_cast<uint32_t>(crc0)) ^ crc1;
    crc0 = shift.Shift(static_cast<uint32_t>(crc0)) ^ crc2;
    p += 3 * block;
    n -= 3 * block;
  }
  return crc0;
}

__attribute__((target("sse4.2"))) uint32_t RawHardware(uint32_t crc32, const unsigned char* p,
                                                       size_t n) {
  uint64_t crc = crc32;
  while (n > 0 && (reinterpret_cast<uintptr_t>(p) & 7) != 0) {
    crc = _mm_crc32_u8(static_cast<uint32_t>(crc), *p++);
    --n;
  }
  if (n >= 3 * kLongBlock) crc = ThreeWay(crc, p, n, kLongBlock, LongShift());
  if (n >= 3 * kShortBlock) crc = ThreeWay(crc, p, n, kShortBlock, ShortShift());
  while (n >= 8) {
    crc = _mm_crc32_u64(crc, Load64(p));
    p += 8;
    n -= 8;
  }
  while (n > 0) {
    crc = _mm_crc32_u8(static_cast<uint32_t>(crc), *p++);
    --n;
  }
  return static_cast<uint32_t>(crc);
}

bool DetectHardware() { return __builtin_cpu_supports("sse4.2"); }

#endif  // TF1HUB_CRC32C_X86

}  // namespace

namespace internal {

uint32_t ExtendPortable(uint32_t crc, const char* data, size_t n) {
  return ~RawPortable(~crc, reinterpret_cast<const unsigned char*>(data), n);
}

bool HardwareAvailable() {
#if TF1HUB_CRC32C_X86
  static const bool available = DetectHardware();
  return available;
#else
  return false;
#endif
}

uint32_t ExtendHardware(uint32_t crc, const char* data, size_t n) {
#if TF1HUB_CRC32C_X86
  return ~RawHardware(~crc, reinterpret_cast<const unsigned char*>(data), n);
#else
  return ExtendPortable(crc, data, n);
#endif
}

}  // namespace internal

uint32_t Extend(uint32_t crc, const char* data, size_t n) {
  // Below 1 KiB the folding's setup and final reduction do not pay off.
  if (n >= 1024 && internal::Avx512Available()) return internal::ExtendAvx512(crc, data, n);
  if (internal::HardwareAvailable()) return internal::ExtendHardware(crc, data, n);
  return internal::ExtendPortable(crc, data, n);
}

}  // namespace tf1hub::crc32c
