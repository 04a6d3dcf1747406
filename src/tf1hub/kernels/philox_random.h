// Philox4x32-10 (Salmon et al., "Parallel random numbers: as easy as 1, 2,
// 3", SC 2011), the counter-based generator behind TensorFlow's stateful
// random ops, with TensorFlow's seeding layout so that our streams are bit
// for bit TensorFlow's.
//
// State: a 128-bit counter (four 32-bit words, word 0 least significant)
// and a 64-bit key (two words). Each call to Next() encrypts the counter
// with the key (10 rounds) into one 128-bit block of four uint32 and then
// increments the counter. Skip(n) jumps n blocks ahead in O(1), which is
// how parallel workers find their part of one stream.
//
// Seeding as TensorFlow's PhiloxRandom(seed, seed2) does:
//   key     = { low32(seed),  high32(seed)  }
//   counter = { 0, 0, low32(seed2), high32(seed2) }
//
//   Philox4x32 gen(/*seed=*/1, /*seed2=*/2);
//   Philox4x32::Block b = gen.Next();   // four uniformly random words
//   gen.Skip(1000);                     // 1000 blocks further on
//
// Thread safety: a plain value type (trivially copyable); copies are
// independent. Guard a shared instance yourself.
#ifndef TF1HUB_KERNELS_PHILOX_RANDOM_H_
#define TF1HUB_KERNELS_PHILOX_RANDOM_H_

#include <array>
#include <cstdint>

namespace tf1hub {
namespace random {

class Philox4x32 {
 public:
  using Block = std::array<uint32_t, 4>;
  using Key = std::array<uint32_t, 2>;
  // Words per block.
  static constexpr int kBlockWords = 4;

  constexpr Philox4x32() = default;
  constexpr Philox4x32(uint64_t seed, uint64_t seed2)
      : counter_{0, 0, static_cast<uint32_t>(seed2), static_cast<uint32_t>(seed2 >> 32)},
        key_{static_cast<uint32_t>(seed), static_cast<uint32_t>(seed >> 32)} {}
  constexpr Philox4x32(const Block& counter, const Key& key) : counter_(counter), key_(key) {}

  constexpr const Block& counter() const { return counter_; }
  constexpr const Key& key() const { return key_; }

  // Advances the counter by `blocks`: a 64-bit add into words 0-1 whose
  // carry propagates into words 2-3.
  constexpr void Skip(uint64_t blocks) {
    const uint64_t low = Low64() + blocks;
    const bool carry = low < blocks;
    counter_[0] = static_cast<uint32_t>(low);
    counter_[1] = static_cast<uint32_t>(low >> 32);
    if (carry) {
      const uint64_t high = High64() + 1;
      counter_[2] = static_cast<uint32_t>(high);
      counter_[3] = static_cast<uint32_t>(high >> 32);
    }
  }

  // The block for the current counter; then moves to the next counter.
  constexpr Block Next() {
    const Block out = Encrypt(counter_, key_);
    Skip(1);
    return out;
  }

  // The 10-round Philox4x32 bijection of `counter` under `key`.
  static constexpr Block Encrypt(Block counter, Key key) {
    for (int round = 0; round < 10; ++round) {
      if (round > 0) {
        key[0] += kKeyBumpA;
        key[1] += kKeyBumpB;
      }
      counter = Round(counter, key);
    }
    return counter;
  }

 private:
  // Round multipliers and Weyl key increments (the paper's constants).
  static constexpr uint32_t kMulA = 0xD2511F53u;
  static constexpr uint32_t kMulB = 0xCD9E8D57u;
  static constexpr uint32_t kKeyBumpA = 0x9E3779B9u;
  static constexpr uint32_t kKeyBumpB = 0xBB67AE85u;

  static constexpr Block Round(const Block& c, const Key& k) {
    const uint64_t p0 = uint64_t{kMulA} * c[0];
    const uint64_t p1 = uint64_t{kMulB} * c[2];
    return Block{static_cast<uint32_t>(p1 >> 32) ^ c[1] ^ k[0], static_cast<uint32_t>(p1),
                 static_cast<uint32_t>(p0 >> 32) ^ c[3] ^ k[1], static_cast<uint32_t>(p0)};
  }

  constexpr uint64_t Low64() const { return uint64_t{counter_[1]} << 32 | counter_[0]; }
  constexpr uint64_t High64() const { return uint64_t{counter_[3]} << 32 | counter_[2]; }

  Block counter_{};
  Key key_{};
};

}  // namespace random
}  // namespace tf1hub

#endif  // TF1HUB_KERNELS_PHILOX_RANDOM_H_
