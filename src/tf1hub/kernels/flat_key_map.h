// FlatKeyMap<K, V>: the insert-only hash map behind lookup tables
// (lookup_table.cc), built for large vocabularies:
//
//   * open addressing with linear probing over one array of 8-byte slots
//     (32 bits of the key's hash + the entry's number), at most half full;
//   * entries (key, value) in insertion order in one vector; string keys
//     of up to 16 bytes are stored in their entry, longer ones in one byte
//     arena (no std::string per key); they are looked up as
//     std::string_view;
//   * the big arrays ask for transparent huge pages (HugePageAllocator),
//     so random probes of a large table seldom miss the TLB;
//   * the caller passes the hash (Hash(key)), so it can be computed once,
//     ahead of time, and the slot prefetched (Prefetch) while earlier keys
//     are inserted; FindMany pipelines a batch of lookups the same way.
//
//   FlatKeyMap<std::string, int64_t> map;
//   map.Reserve(lines, bytes);
//   auto [stored, inserted] = map.Insert("apple", map.Hash("apple"), 0);
//   map.FindMany(n, [&](size_t i) { return keys[i]; }, /*fallback=*/-1, out);
//
// Entries are never removed. At most kMaxEntries entries (Insert returns
// {nullptr, false} past that).
//
// Thread safety: const methods may run concurrently; Insert/Reserve need
// exclusive access.
#ifndef TF1HUB_KERNELS_FLAT_KEY_MAP_H_
#define TF1HUB_KERNELS_FLAT_KEY_MAP_H_

#include <algorithm>
#include <bit>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

#include "tf1hub/kernels/prefetch.h"

namespace tf1hub {

// farmhash's Hash64 of the bytes (not TensorFlow's Fingerprint64: any good
// hash will do here, nothing depends on its values).
uint64_t FlatKeyHash(std::string_view key);
// splitmix64's finalizer.
inline uint64_t FlatKeyHash(uint64_t key) {
  key ^= key >> 30;
  key *= 0xbf58476d1ce4e5b9ULL;
  key ^= key >> 27;
  key *= 0x94d049bb133111ebULL;
  key ^= key >> 31;
  return key;
}

// The allocator's two halves (flat_key_map.cc); AllocateHugePageBlock
// throws std::bad_alloc like operator new when memory is exhausted.
void* AllocateHugePageBlock(size_t bytes, size_t align);
void FreeHugePageBlock(void* p, size_t bytes, size_t align);

// std::allocator, except that blocks of 2 MiB or more are aligned to 2 MiB
// and marked for transparent huge pages: a large table's random probes then
// miss the TLB far less often (with 4 KiB pages each probe of a 1M-entry
// table walks the page tables).
template <typename T>
struct HugePageAllocator {
  using value_type = T;
  HugePageAllocator() = default;
  template <typename U>
  HugePageAllocator(const HugePageAllocator<U>&) {}  // NOLINT(runtime/explicit)
  T* allocate(size_t n);
  void deallocate(T* p, size_t n) { FreeHugePageBlock(p, n * sizeof(T), alignof(T)); }
  template <typename U>
  bool operator==(const HugePageAllocator<U>&) const {
    return true;
  }
};

template <typename T>
T* HugePageAllocator<T>::allocate(size_t n) {
  return static_cast<T*>(AllocateHugePageBlock(n * sizeof(T), alignof(T)));
}

template <typename K, typename V>
class FlatKeyMap {
 public:
  static constexpr bool kStringKeys = std::is_same_v<K, std::string>;
  static_assert(kStringKeys || std::is_integral_v<K>, "string or integer keys");
  // How keys are passed in.
  using KeyView = std::conditional_t<kStringKeys, std::string_view, K>;
  static constexpr uint64_t kMaxEntries = 0xfffffffeULL;

  static uint64_t Hash(KeyView key) {
    if constexpr (kStringKeys) {
      return FlatKeyHash(key);
    } else {
      return FlatKeyHash(static_cast<uint64_t>(key));
    }
  }

  size_t size() const { return entries_.size(); }

  // Room for `entries` more entries (and, for string keys, `key_bytes` more
  // key bytes) without growing.
  void Reserve(size_t entries, size_t key_bytes = 0) {
    entries_.reserve(entries_.size() + entries);
    if constexpr (kStringKeys) arena_.reserve(arena_.size() + key_bytes);
    const uint64_t want = SlotsFor(entries_.size() + entries);
    if (want > slots_.size()) Rehash(want);
  }

  // Brings `hash`'s first slot into the cache.
  void Prefetch(uint64_t hash) const {
    if (!slots_.empty()) tf1hub::Prefetch(&slots_[hash >> shift_]);
  }

  // Adds key -> value unless `key` is present. Returns the value stored for
  // `key` and whether this call added it. `hash` must be Hash(key).
  std::pair<const V*, bool> Insert(KeyView key, uint64_t hash, const V& value) {
    if (SlotsFor(entries_.size() + 1) > slots_.size()) Rehash(SlotsFor(entries_.size() + 1));
    const uint32_t tag = static_cast<uint32_t>(hash);
    const uint64_t mask = slots_.size() - 1;
    for (uint64_t pos = hash >> shift_;; pos = (pos + 1) & mask) {
      const uint64_t slot = slots_[pos];
      if (slot == 0) {
        if (entries_.size() >= kMaxEntries) return {nullptr, false};
        slots_[pos] = MakeSlot(tag, entries_.size());
        entries_.push_back(Entry{StoreKey(key), value});
        return {&entries_.back().value, true};
      }
      if (SlotTag(slot) == tag && KeyEquals(entries_[SlotEntry(slot)], key)) {
        return {&entries_[SlotEntry(slot)].value, false};
      }
    }
  }

  // The value stored for `key` (hash = Hash(key)), or nullptr.
  const V* Find(KeyView key, uint64_t hash) const {
    if (slots_.empty()) return nullptr;
    return FindFrom(key, static_cast<uint32_t>(hash), hash >> shift_);
  }

  // out[i] = the value of key_at(i), or `fallback`, for i in [0, n).
  // key_at(i) returns something convertible to KeyView. Lookups are
  // software-pipelined: key i is hashed (and its slot prefetched) kProbe
  // keys before its slot is probed (and its entry prefetched), which is
  // kCompare keys before the key is compared; so the cache misses of many
  // keys overlap.
  template <typename KeyAt, typename Out>
  void FindMany(size_t n, const KeyAt& key_at, const V& fallback, Out* out) const {
    if (slots_.empty()) {
      for (size_t i = 0; i < n; ++i) out[i] = fallback;
      return;
    }
    constexpr size_t kProbe = 24, kCompare = 16,
                     kRing = 64;  // kRing > kProbe + kCompare
    const uint64_t mask = slots_.size() - 1;
    uint64_t hash[kRing];
    uint64_t pos[kRing];
    for (size_t i = 0; i < n + kProbe + kCompare; ++i) {
      if (i < n) {
        const uint64_t h = Hash(key_at(i));
        hash[i % kRing] = h;
        tf1hub::Prefetch(&slots_[h >> shift_]);
      }
      if (i >= kProbe && i - kProbe < n) {
        // The first slot that is empty or has the key's tag.
        const size_t j = i - kProbe;
        const uint64_t h = hash[j % kRing];
        const uint32_t tag = static_cast<uint32_t>(h);
        uint64_t p = h >> shift_;
        while (slots_[p] != 0 && SlotTag(slots_[p]) != tag) p = (p + 1) & mask;
        pos[j % kRing] = p;
        // (A key longer than kInline is read from the arena when compared,
        // without a prefetch: its offset is in the entry still in flight.)
        if (slots_[p] != 0) tf1hub::Prefetch(&entries_[SlotEntry(slots_[p])]);
      }
      if (i >= kProbe + kCompare) {
        const size_t k = i - kProbe - kCompare;
        const uint64_t slot = slots_[pos[k % kRing]];
        const V* found = nullptr;
        if (slot != 0) {
          const KeyView key = key_at(k);
          const Entry& e = entries_[SlotEntry(slot)];
          found = KeyEquals(e, key) ? &e.value
                                    : FindFrom(key, static_cast<uint32_t>(hash[k % kRing]),
                                               (pos[k % kRing] + 1) & mask);
        }
        out[k] = found != nullptr ? *found : fallback;
      }
    }
  }

 private:
  template <typename T>
  using Vector = std::vector<T, HugePageAllocator<T>>;

  // A string key: up to kInline bytes in place, longer ones in arena_ (so
  // a lookup of a short key touches its slot and its entry only).
  static constexpr size_t kInline = 16;
  struct StringKey {
    uint64_t size;
    union {
      char bytes[kInline];  // size <= kInline
      uint64_t offset;      // size > kInline: in arena_
    };
    const char* data(const Vector<char>& arena) const {
      return size <= kInline ? bytes : arena.data() + offset;
    }
  };
  using StoredKey = std::conditional_t<kStringKeys, StringKey, K>;
  struct Entry {
    StoredKey key;
    V value;
  };

  static uint64_t MakeSlot(uint32_t tag, uint64_t entry) {
    return (uint64_t{tag} << 32) | (entry + 1);
  }
  static uint32_t SlotTag(uint64_t slot) { return static_cast<uint32_t>(slot >> 32); }
  static uint64_t SlotEntry(uint64_t slot) { return (slot & 0xffffffffULL) - 1; }
  // A power of two at least twice `entries` (and at least 16).
  static uint64_t SlotsFor(uint64_t entries) {
    return std::bit_ceil(std::max<uint64_t>(16, 2 * entries));
  }

  KeyView KeyOf(const Entry& e) const {
    if constexpr (kStringKeys) {
      return std::string_view(e.key.data(arena_), e.key.size);
    } else {
      return e.key;
    }
  }
  // Equal bytes; short runs without a call to memcmp (two overlapping
  // word loads compare 4..16 bytes).
  static bool BytesEqual(const char* a, const char* b, size_t n) {
    auto load64 = [](const char* p) {
      uint64_t v;
      std::memcpy(&v, p, 8);
      return v;
    };
    auto load32 = [](const char* p) {
      uint32_t v;
      std::memcpy(&v, p, 4);
      return v;
    };
    if (n >= 8 && n <= 16) {
      return load64(a) == load64(b) && load64(a + n - 8) == load64(b + n - 8);
    }
    if (n >= 4 && n < 8) return load32(a) == load32(b) && load32(a + n - 4) == load32(b + n - 4);
    if (n < 4) {
      for (size_t i = 0; i < n; ++i) {
        if (a[i] != b[i]) return false;
      }
      return true;
    }
    return std::memcmp(a, b, n) == 0;
  }

  bool KeyEquals(const Entry& e, KeyView key) const {
    if constexpr (kStringKeys) {
      return e.key.size == key.size() && BytesEqual(e.key.data(arena_), key.data(), key.size());
    } else {
      return e.key == key;
    }
  }
  StoredKey StoreKey(KeyView key) {
    if constexpr (kStringKeys) {
      StringKey stored;
      stored.size = key.size();
      if (key.size() <= kInline) {
        std::memcpy(stored.bytes, key.data(), key.size());
      } else {
        stored.offset = arena_.size();
        arena_.insert(arena_.end(), key.begin(), key.end());
      }
      return stored;
    } else {
      return key;
    }
  }

  const V* FindFrom(KeyView key, uint32_t tag, uint64_t pos) const {
    const uint64_t mask = slots_.size() - 1;
    for (;; pos = (pos + 1) & mask) {
      const uint64_t slot = slots_[pos];
      if (slot == 0) return nullptr;
      if (SlotTag(slot) == tag && KeyEquals(entries_[SlotEntry(slot)], key)) {
        return &entries_[SlotEntry(slot)].value;
      }
    }
  }

  // Rebuilds the slots with `capacity` (a power of two) slots; the slot of a
  // key is its hash's top bits, so hashes are recomputed from the keys.
  void Rehash(uint64_t capacity) {
    slots_.assign(capacity, 0);
    shift_ = 64 - std::countr_zero(capacity);
    const uint64_t mask = capacity - 1;
    for (uint64_t i = 0; i < entries_.size(); ++i) {
      const uint64_t hash = Hash(KeyOf(entries_[i]));
      uint64_t pos = hash >> shift_;
      while (slots_[pos] != 0) pos = (pos + 1) & mask;
      slots_[pos] = MakeSlot(static_cast<uint32_t>(hash), i);
    }
  }

  Vector<uint64_t> slots_;  // 0: empty; else tag << 32 | (entry + 1)
  int shift_ = 64;          // slot of a hash: hash >> shift_
  Vector<Entry> entries_;
  Vector<char> arena_;  // string keys' bytes
};

}  // namespace tf1hub

#endif  // TF1HUB_KERNELS_FLAT_KEY_MAP_H_
