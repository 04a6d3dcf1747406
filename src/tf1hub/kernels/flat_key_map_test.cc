#include "tf1hub/kernels/flat_key_map.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <map>
#include <random>
#include <string>
#include <unordered_map>
#include <vector>

namespace tf1hub {
namespace {

TEST(FlatKeyMapTest, InsertKeepsTheFirstValue) {
  FlatKeyMap<std::string, int64_t> map;
  auto [a, added_a] = map.Insert("apple", map.Hash("apple"), 5);
  ASSERT_NE(a, nullptr);
  EXPECT_TRUE(added_a);
  auto [again, added_again] = map.Insert("apple", map.Hash("apple"), 6);
  ASSERT_NE(again, nullptr);
  EXPECT_FALSE(added_again);
  EXPECT_EQ(*again, 5);
  EXPECT_EQ(map.size(), 1u);
  EXPECT_EQ(*map.Find("apple", map.Hash("apple")), 5);
  EXPECT_EQ(map.Find("apples", map.Hash("apples")), nullptr);
}

TEST(FlatKeyMapTest, StringKeysAreBytes) {
  FlatKeyMap<std::string, int32_t> map;
  const std::string with_nul("a\0b", 3);
  for (const std::string& k : {std::string(), std::string("a"), with_nul, std::string("a\0", 2)}) {
    map.Insert(k, map.Hash(k), static_cast<int32_t>(k.size()));
  }
  EXPECT_EQ(map.size(), 4u);
  EXPECT_EQ(*map.Find("", map.Hash("")), 0);
  EXPECT_EQ(*map.Find(with_nul, map.Hash(with_nul)), 3);
  EXPECT_EQ(*map.Find(std::string_view("a\0", 2), map.Hash(std::string_view("a\0", 2))), 2);
  EXPECT_EQ(map.Find("b", map.Hash("b")), nullptr);
}

TEST(FlatKeyMapTest, FindOnAnEmptyMap) {
  FlatKeyMap<int64_t, double> map;
  EXPECT_EQ(map.Find(3, map.Hash(3)), nullptr);
  double out[2] = {1, 1};
  map.FindMany(
      2, [](size_t i) { return static_cast<int64_t>(i); }, -0.5, out);
  EXPECT_EQ(out[0], -0.5);
  EXPECT_EQ(out[1], -0.5);
}

// Against std::map, through growth (no Reserve) and with a Reserve'd map.
TEST(FlatKeyMapTest, AgreesWithStdMapThroughGrowth) {
  for (bool reserve : {false, true}) {
    std::mt19937_64 rng(7);
    FlatKeyMap<std::string, int64_t> map;
    if (reserve) map.Reserve(20000, 20000 * 8);
    std::map<std::string, int64_t> expected;
    for (int64_t i = 0; i < 20000; ++i) {
      const std::string key = "k" + std::to_string(rng() % 30000);
      auto [stored, added] = map.Insert(key, map.Hash(key), i);
      auto [it, expected_added] = expected.emplace(key, i);
      ASSERT_EQ(added, expected_added) << key;
      ASSERT_EQ(*stored, it->second) << key;
    }
    EXPECT_EQ(map.size(), expected.size());
    std::vector<std::string> probes;
    for (int i = 0; i < 40000; ++i) probes.push_back("k" + std::to_string(i));
    std::vector<int64_t> out(probes.size());
    map.FindMany(
        probes.size(), [&](size_t i) -> std::string_view { return probes[i]; }, -1, out.data());
    for (size_t i = 0; i < probes.size(); ++i) {
      auto it = expected.find(probes[i]);
      const int64_t want = it == expected.end() ? -1 : it->second;
      ASSERT_EQ(out[i], want) << probes[i];
      const int64_t* one = map.Find(probes[i], map.Hash(probes[i]));
      ASSERT_EQ(one == nullptr ? -1 : *one, want) << probes[i];
    }
  }
}

// Keys of every length around the inline/arena boundary (16 bytes) and the
// word-compare cases, probed with near misses differing in one byte.
TEST(FlatKeyMapTest, KeysOfEveryLength) {
  FlatKeyMap<std::string, int64_t> map;
  std::vector<std::string> keys;
  for (int len = 0; len <= 40; ++len) {
    std::string k;
    for (int i = 0; i < len; ++i) k.push_back(static_cast<char>('a' + (i * 7 + len) % 26));
    keys.push_back(k);
    map.Insert(k, map.Hash(k), len);
  }
  for (int len = 0; len <= 40; ++len) {
    const int64_t* v = map.Find(keys[len], map.Hash(keys[len]));
    ASSERT_NE(v, nullptr) << len;
    EXPECT_EQ(*v, len);
    for (int i = 0; i < len; ++i) {
      std::string miss = keys[len];
      miss[i] = static_cast<char>(miss[i] ^ 0x20);
      EXPECT_EQ(map.Find(miss, map.Hash(miss)), nullptr) << len << " " << i;
    }
  }
  std::vector<int64_t> out(keys.size());
  map.FindMany(
      keys.size(), [&](size_t i) -> std::string_view { return keys[i]; }, -1, out.data());
  for (size_t i = 0; i < keys.size(); ++i) EXPECT_EQ(out[i], static_cast<int64_t>(i));
}

TEST(FlatKeyMapTest, IntegerKeysAndStringValues) {
  FlatKeyMap<int32_t, std::string> map;
  for (int32_t k : {-1, 0, 7, 1 << 30, -(1 << 30)}) map.Insert(k, map.Hash(k), std::to_string(k));
  std::vector<int32_t> keys = {7, 8, -1, 1 << 30, 0};
  std::vector<std::string> out(keys.size());
  map.FindMany(
      keys.size(), [&](size_t i) { return keys[i]; }, std::string("none"), out.data());
  EXPECT_EQ(out, (std::vector<std::string>{"7", "none", "-1", "1073741824", "0"}));
}

// Random byte strings of 0..40 bytes (NULs included), around the 16-byte
// inline limit, and variants differing only in the last byte.
std::vector<std::string> RandomKeys(size_t n, uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::vector<std::string> keys;
  keys.reserve(n);
  for (size_t i = 0; i < n; ++i) {
    const size_t len = (i % 4 == 0) ? 15 + rng() % 3 : rng() % 41;
    std::string k(len, '\0');
    for (char& c : k) c = static_cast<char>(rng() % 4 == 0 ? 0 : rng() % 256);
    keys.push_back(std::move(k));
    if (len > 0 && i % 7 == 0 && i + 1 < n) {
      std::string near = keys.back();
      near.back() = static_cast<char>(near.back() ^ 1);
      keys.push_back(std::move(near));
      ++i;
    }
  }
  return keys;
}

// FindMany and Find against std::unordered_map: 100k random keys (with
// duplicates) inserted, then probed with the inserted keys and as many
// absent ones, in a shuffled order.
TEST(FlatKeyMapTest, FindManyAgreesWithUnorderedMap) {
  const std::vector<std::string> keys = RandomKeys(100000, 11);
  const std::vector<std::string> absent = RandomKeys(100000, 12);
  FlatKeyMap<std::string, int64_t> map;
  std::unordered_map<std::string, int64_t> expected;
  for (size_t i = 0; i < keys.size(); ++i) {
    const int64_t value = static_cast<int64_t>(i) * 3 + 1;
    auto [stored, added] = map.Insert(keys[i], map.Hash(keys[i]), value);
    auto [it, expected_added] = expected.emplace(keys[i], value);
    ASSERT_NE(stored, nullptr);
    ASSERT_EQ(added, expected_added) << i;
    ASSERT_EQ(*stored, it->second) << i;
  }
  ASSERT_EQ(map.size(), expected.size());
  std::vector<std::string> probes = keys;
  probes.insert(probes.end(), absent.begin(), absent.end());
  std::shuffle(probes.begin(), probes.end(), std::mt19937_64(13));
  std::vector<int64_t> out(probes.size(), 99);
  map.FindMany(
      probes.size(), [&](size_t i) -> std::string_view { return probes[i]; }, -7, out.data());
  size_t hits = 0;
  for (size_t i = 0; i < probes.size(); ++i) {
    auto it = expected.find(probes[i]);
    const int64_t want = it == expected.end() ? -7 : it->second;
    hits += it != expected.end();
    ASSERT_EQ(out[i], want) << i;
    const int64_t* one = map.Find(probes[i], map.Hash(probes[i]));
    ASSERT_EQ(one == nullptr ? -7 : *one, want) << i;
  }
  EXPECT_GT(hits, probes.size() / 3);                  // both hits
  EXPECT_GT(probes.size() - hits, probes.size() / 3);  // and misses
}

// Keys of 15, 16 and 17 bytes that differ only in their last byte, or only
// in a NUL's position, are distinct.
TEST(FlatKeyMapTest, NearlyEqualKeysAroundTheInlineLimit) {
  FlatKeyMap<std::string, int32_t> map;
  std::vector<std::string> keys;
  for (size_t len : {15, 16, 17}) {
    for (int last = 0; last < 4; ++last) {
      std::string k(len, 'x');
      k.back() = static_cast<char>(last);
      keys.push_back(k);
    }
    std::string nul_first(len, 'y'), nul_last(len, 'y');
    nul_first[0] = '\0';
    nul_last[len - 1] = '\0';
    keys.push_back(nul_first);
    keys.push_back(nul_last);
    keys.push_back(std::string(len - 1, 'x'));  // a prefix of the others
  }
  for (size_t i = 0; i < keys.size(); ++i) {
    auto [stored, added] = map.Insert(keys[i], map.Hash(keys[i]), static_cast<int32_t>(i));
    ASSERT_TRUE(added) << i;
  }
  EXPECT_EQ(map.size(), keys.size());
  for (size_t i = 0; i < keys.size(); ++i) {
    const int32_t* v = map.Find(keys[i], map.Hash(keys[i]));
    ASSERT_NE(v, nullptr) << i;
    EXPECT_EQ(*v, static_cast<int32_t>(i));
  }
  // Absent: each differs from keys above in one byte only.
  for (const std::string& miss :
       {std::string(17, 'x'), std::string(16, 'y'), std::string(15, 'y')}) {
    EXPECT_EQ(map.Find(miss, map.Hash(miss)), nullptr) << miss;
  }
}

// Growth from an empty, unreserved map: after each insertion every earlier
// key still maps to its value (the slots are rebuilt as the map passes 8,
// 16, 32, ... entries).
TEST(FlatKeyMapTest, EveryKeySurvivesEachRehash) {
  FlatKeyMap<std::string, int64_t> map;
  std::vector<std::string> keys;
  for (int i = 0; i < 300; ++i) {
    keys.push_back(i % 2 ? "short" + std::to_string(i)
                         : "a key well past sixteen bytes #" + std::to_string(i));
    map.Insert(keys.back(), map.Hash(keys.back()), i * 10);
    ASSERT_EQ(map.size(), keys.size());
    for (int j = 0; j <= i; ++j) {
      const int64_t* v = map.Find(keys[j], map.Hash(keys[j]));
      ASSERT_NE(v, nullptr) << i << " " << j;
      ASSERT_EQ(*v, j * 10) << i << " " << j;
    }
  }
}

// Reserve on a non-empty map keeps its entries; Insert after it still
// returns the first value of a duplicate.
TEST(FlatKeyMapTest, ReserveKeepsEntries) {
  FlatKeyMap<std::string, double> map;
  const std::string long_key = "a much longer key than the inline limit";
  map.Insert("one", map.Hash("one"), 1.5);
  map.Insert(long_key, map.Hash(long_key), 2.5);
  map.Reserve(100000, 1000);
  EXPECT_EQ(map.size(), 2u);
  EXPECT_EQ(*map.Find("one", map.Hash("one")), 1.5);
  auto [stored, added] = map.Insert(long_key, map.Hash(long_key), 9.0);
  EXPECT_FALSE(added);
  EXPECT_EQ(*stored, 2.5);
}

// 64-bit integer keys (extremes, negatives, random) against
// std::unordered_map, through growth; misses give the fallback.
TEST(FlatKeyMapTest, Int64KeysAgreeWithUnorderedMap) {
  std::mt19937_64 rng(21);
  FlatKeyMap<int64_t, int32_t> map;
  std::unordered_map<int64_t, int32_t> expected;
  std::vector<int64_t> keys = {0, -1, INT64_MIN, INT64_MAX, 1};
  for (int i = 0; i < 50000; ++i) keys.push_back(static_cast<int64_t>(rng() % 60000) - 30000);
  for (int i = 0; i < 1000; ++i) keys.push_back(static_cast<int64_t>(rng()));
  for (size_t i = 0; i < keys.size(); ++i) {
    const int32_t value = static_cast<int32_t>(i);
    auto [stored, added] = map.Insert(keys[i], map.Hash(keys[i]), value);
    auto [it, expected_added] = expected.emplace(keys[i], value);
    ASSERT_EQ(added, expected_added) << keys[i];
    ASSERT_EQ(*stored, it->second) << keys[i];
  }
  EXPECT_EQ(map.size(), expected.size());
  std::vector<int64_t> probes;
  for (int64_t k = -40000; k < 40000; ++k) probes.push_back(k);
  probes.push_back(INT64_MIN);
  probes.push_back(INT64_MAX);
  probes.push_back(INT64_MIN + 1);
  std::vector<int32_t> out(probes.size());
  map.FindMany(
      probes.size(), [&](size_t i) { return probes[i]; }, int32_t{-5}, out.data());
  for (size_t i = 0; i < probes.size(); ++i) {
    auto it = expected.find(probes[i]);
    ASSERT_EQ(out[i], it == expected.end() ? -5 : it->second) << probes[i];
  }
}

// FindMany of fewer keys than its pipeline depth, and of none.
TEST(FlatKeyMapTest, FindManyOfFewKeys) {
  FlatKeyMap<std::string, int64_t> map;
  map.Insert("a", map.Hash("a"), 1);
  map.Insert("b", map.Hash("b"), 2);
  const std::vector<std::string> probes = {"b", "c", "a"};
  for (size_t n = 0; n <= probes.size(); ++n) {
    std::vector<int64_t> out(4, 42);
    map.FindMany(
        n, [&](size_t i) -> std::string_view { return probes[i]; }, -1, out.data());
    const std::vector<int64_t> want = {2, -1, 1};
    for (size_t i = 0; i < n; ++i) EXPECT_EQ(out[i], want[i]) << n << " " << i;
    for (size_t i = n; i < 4; ++i) EXPECT_EQ(out[i], 42) << n << " " << i;  // untouched
  }
}

}  // namespace
}  // namespace tf1hub
