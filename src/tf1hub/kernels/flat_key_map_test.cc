#include "tf1hub/kernels/flat_key_map.h"

#include <gtest/gtest.h>

#include <map>
#include <random>
#include <string>
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

}  // namespace
}  // namespace tf1hub
