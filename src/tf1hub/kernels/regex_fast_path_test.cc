// The single-character-class fast path of StaticRegexReplace/RegexReplace
// (char_class_filter.h): the kernels' outputs are compared with RE2 called
// directly, as TensorFlow calls it, never with the fast path's own output.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <re2/re2.h>

#include <random>
#include <string>
#include <vector>

#include "tf1hub/kernels/char_class_filter.h"
#include "tf1hub/kernels/kernel_test_util.h"

namespace tf1hub {
namespace {

using ::testing::ElementsAre;
using ::testing::ElementsAreArray;

Tensor Strings(const std::vector<std::string>& v) {
  return *Tensor::FromVector<std::string>(v,
                                          *TensorShape::Create({static_cast<int64_t>(v.size())}));
}

std::vector<std::string> Values(const Tensor& t) {
  auto f = t.flat<std::string>();
  return std::vector<std::string>(f.begin(), f.end());
}

std::vector<std::string> RunKernel(KernelRunner& r) {
  StatusOr<std::vector<Tensor>> out = r.Run();
  EXPECT_TRUE(out.ok()) << out.status().ToString();
  return out.ok() ? Values((*out)[0]) : std::vector<std::string>{};
}

std::vector<std::string> StaticReplace(const std::string& pattern, const std::string& rewrite,
                                       const std::vector<std::string>& in, bool global = true) {
  KernelRunner r("StaticRegexReplace");
  r.Attr("pattern", pattern).Attr("rewrite", rewrite).Attr("replace_global", global);
  r.Input(Strings(in));
  return RunKernel(r);
}

std::vector<std::string> DynamicReplace(const std::string& pattern, const std::string& rewrite,
                                        const std::vector<std::string>& in) {
  KernelRunner r("RegexReplace");
  r.Input(Strings(in))
      .Input(Tensor::Scalar<std::string>(pattern))
      .Input(Tensor::Scalar<std::string>(rewrite));
  return RunKernel(r);
}

// What TensorFlow computes: RE2 with default options on a copy of each string.
std::vector<std::string> Re2Replace(const std::string& pattern, const std::string& rewrite,
                                    const std::vector<std::string>& in, bool global = true) {
  RE2 re(pattern);
  EXPECT_TRUE(re.ok()) << pattern;
  std::vector<std::string> out = in;
  for (std::string& s : out) {
    if (global) {
      RE2::GlobalReplace(&s, re, rewrite);
    } else {
      RE2::Replace(&s, re, rewrite);
    }
  }
  return out;
}

// Unicode general category P among ASCII (UnicodeData.txt); $+<=>^`|~ are
// symbols (S), not punctuation.
const std::string kAsciiPunctP = "!\"#%&'()*,-./:;?@[\\]_{}";
const std::string kAsciiSymbolsS = "$+<=>^`|~";

// Random strings: mostly ASCII (control bytes, all punctuation, letters,
// spaces) of 0..100 bytes; some with valid multi-byte UTF-8 (including
// Unicode punctuation and spaces) and some with invalid bytes, which take
// RE2's path.
std::vector<std::string> RandomStrings(int n, uint32_t seed) {
  static const std::vector<std::string> kUtf8 = {
      "\xc3\xa9",          // é
      "\xc2\xa1",          // ¡ (Po)
      "\xc2\xab",          // « (Pi)
      "\xc2\xa0",          // no-break space (Zs)
      "\xe2\x80\xa6",      // … (Po)
      "\xe2\x80\x99",      // ’ (Pf)
      "\xe2\x80\xa8",      // line separator (Zl)
      "\xe4\xb8\xad",      // 中
      "\xf0\x9f\x98\x80",  // 😀 (So)
  };
  const std::string punct = kAsciiPunctP + kAsciiSymbolsS;
  std::mt19937 rng(seed);
  std::vector<std::string> out;
  for (int i = 0; i < n; ++i) {
    const int kind = static_cast<int>(rng() % 10);
    const int len = static_cast<int>(rng() % 101);
    std::string s;
    for (int j = 0; j < len; ++j) {
      const uint32_t pick = rng() % 4;
      if (pick == 0) {
        s += static_cast<char>(rng() % 128);  // any ASCII, control bytes too
      } else if (pick == 1) {
        s += punct[rng() % punct.size()];
      } else if (pick == 2) {
        s += static_cast<char>((rng() % 2 ? 'a' : 'A') + rng() % 26);
      } else {
        s += " \t\n"[rng() % 3];
      }
    }
    if (kind == 8 || kind == 9) {
      const int inserts = 1 + static_cast<int>(rng() % 3);
      for (int k = 0; k < inserts; ++k) {
        std::string piece = kind == 8 ? kUtf8[rng() % kUtf8.size()]
                                      : std::string(1, static_cast<char>(0x80 + rng() % 128));
        s.insert(s.empty() ? 0 : rng() % (s.size() + 1), piece);
      }
    }
    out.push_back(std::move(s));
  }
  return out;
}

// ---------------------------------------------------------------------------
// The pure parts.

TEST(CharClassFilterTest, RecognisesOnlySingleClassForms) {
  for (const char* p :
       {"\\pP", "\\PP", "\\pL", "\\p{P}", "\\p{Lu}", "\\p{^P}", "\\P{Greek}", "\\P{^Lu}",
        "\\p{Old_Italic}", "[[:punct:]]", "[[:^alpha:]]", "[[:space:]]"}) {
    EXPECT_TRUE(IsSingleCharClassSyntax(p)) << p;
  }
  for (const char* p :
       {"",       "\\p",          "\\pPP",        "\\p{}",    "\\p{^}",
        "\\p{P",  "\\p{P}+",      "\\pP*",        "\\pP|a",   "(\\pP)",
        "[\\pP]", "[[:punct:]a]", "[[:punct:]]+", "[[::]]",   "[[:^:]]",
        "\\C",    "\\d",          "\\s",          ".",        "a",
        "[,.]",   "\\p1",         "\\q{P}",       "(?i)\\pL", "[[:punct:]][[:punct:]]"}) {
    EXPECT_FALSE(IsSingleCharClassSyntax(p)) << p;
  }
}

TEST(CharClassFilterTest, TableComesFromRe2) {
  RE2 re("\\pP");
  std::optional<AsciiClassTable> t = AsciiClassTableFor("\\pP", re);
  ASSERT_TRUE(t.has_value());
  for (int c = 0; c < 128; ++c) {
    EXPECT_EQ(t->Contains(c), kAsciiPunctP.find(static_cast<char>(c)) != std::string::npos) << c;
  }
  RE2 group("(\\pP)");
  EXPECT_FALSE(AsciiClassTableFor("(\\pP)", group).has_value());
}

TEST(CharClassFilterTest, IsAsciiSeesAHighByteAnywhere) {
  EXPECT_TRUE(IsAscii(""));
  EXPECT_TRUE(IsAscii(std::string("\x00\x7f", 2) + std::string(40, 'a')));
  for (size_t len = 1; len <= 25; ++len) {
    for (size_t at = 0; at < len; ++at) {
      std::string s(len, 'a');
      s[at] = '\x80';
      EXPECT_FALSE(IsAscii(s)) << len << " " << at;
      s[at] = '\xff';
      EXPECT_FALSE(IsAscii(s)) << len << " " << at;
    }
  }
}

TEST(CharClassFilterTest, ReplacesMemberBytes) {
  AsciiClassTable t;
  t.Add(',');
  t.Add('!');
  std::string out = "stale";
  ReplaceAsciiClassMembers("a,b!!c", t, "", &out);
  EXPECT_EQ(out, "abc");
  ReplaceAsciiClassMembers("a,b!!c", t, "_", &out);
  EXPECT_EQ(out, "a_b__c");
  ReplaceAsciiClassMembers(",a,", t, "xyz", &out);
  EXPECT_EQ(out, "xyzaxyz");
  ReplaceAsciiClassMembers("", t, "xyz", &out);
  EXPECT_EQ(out, "");
}

// Lengths across the 16-byte blocks, members at the ends of the byte range
// (0x00, 0x7f) and mid-range, against a plain byte-by-byte loop written here.
TEST(CharClassFilterTest, BlocksAndTailsAgreeWithByteLoop) {
  const std::string members("\0,!p\x7f", 5);
  AsciiClassTable t;
  for (char c : members) t.Add(c);
  std::mt19937 rng(3);
  for (int k = 0; k < 2000; ++k) {
    std::string in(rng() % 70, ' ');
    for (char& c : in) c = rng() % 3 ? static_cast<char>(rng() % 128) : members[rng() % 5];
    if (k % 4 == 0) std::fill(in.begin(), in.end(), 'a');  // blocks without members
    for (const std::string rewrite : {"", "_", "xyz"}) {
      std::string want;
      for (char c : in) want += members.find(c) == std::string::npos ? std::string(1, c) : rewrite;
      std::string got;
      ReplaceAsciiClassMembers(in, t, rewrite, &got);
      ASSERT_EQ(got, want) << "length " << in.size() << " rewrite \"" << rewrite << "\"";
    }
  }
}

// ---------------------------------------------------------------------------
// The kernels against RE2.

TEST(RegexFastPathTest, RandomStringsMatchRe2) {
  const std::vector<std::string> in = RandomStrings(5000, 20240611);
  int non_ascii = 0;
  for (const std::string& s : in) non_ascii += IsAscii(s) ? 0 : 1;
  ASSERT_GT(non_ascii, 500);  // both paths are exercised
  ASSERT_LT(non_ascii, 1500);
  for (const char* pattern : {"\\pP", "\\pL", "\\PP", "\\p{P}", "\\p{Lu}", "\\p{^P}", "[[:punct:]]",
                              "[[:^alpha:]]", "[[:space:]]"}) {
    for (const char* rewrite : {"", " ", "xy"}) {
      const std::vector<std::string> got = StaticReplace(pattern, rewrite, in);
      const std::vector<std::string> want = Re2Replace(pattern, rewrite, in);
      ASSERT_EQ(got.size(), want.size());
      int mismatches = 0;
      for (size_t i = 0; i < in.size(); ++i) {
        if (got[i] != want[i] && ++mismatches <= 3) {
          ADD_FAILURE() << "pattern " << pattern << " rewrite \"" << rewrite << "\" input \""
                        << in[i] << "\": got \"" << got[i] << "\", RE2 gives \"" << want[i] << "\"";
        }
      }
      EXPECT_EQ(mismatches, 0) << pattern << " / \"" << rewrite << "\"";
    }
  }
}

TEST(RegexFastPathTest, EveryAsciiByteThroughPunctuation) {
  std::vector<std::string> in;
  for (int c = 0; c < 128; ++c) in.push_back(std::string(1, static_cast<char>(c)));
  const std::vector<std::string> got = StaticReplace("\\pP", "", in);
  EXPECT_EQ(got, Re2Replace("\\pP", "", in));
  ASSERT_EQ(got.size(), 128u);
  for (int c = 0; c < 128; ++c) {
    const bool punct = kAsciiPunctP.find(static_cast<char>(c)) != std::string::npos;
    EXPECT_EQ(got[c], punct ? "" : in[c]) << "byte " << c;
  }
  for (char c : kAsciiSymbolsS) EXPECT_EQ(got[static_cast<unsigned char>(c)], std::string(1, c));
}

TEST(RegexFastPathTest, BackslashRewritesAndFirstMatchGoThroughRe2) {
  const std::vector<std::string> in = {"a,b!", "x.y", "", "none", "\xc2\xa1h\xc3\xa9!"};
  EXPECT_THAT(StaticReplace("\\pP", "<\\0>", in),
              ElementsAre("a<,>b<!>", "x<.>y", "", "none", "<\xc2\xa1>h\xc3\xa9<!>"));
  EXPECT_THAT(StaticReplace("\\pP", "\\\\", in),
              ElementsAre("a\\b\\", "x\\y", "", "none", "\\h\xc3\xa9\\"));
  // \1 names a group \pP lacks: RE2 refuses and leaves every string as it is.
  EXPECT_THAT(StaticReplace("\\pP", "\\1", in), ElementsAreArray(in));
  EXPECT_THAT(StaticReplace("\\pP", "", in, /*global=*/false),
              ElementsAre("ab!", "xy", "", "none", "h\xc3\xa9!"));
  for (const char* rewrite : {"<\\0>", "\\\\", "\\1", "", "xy"}) {
    EXPECT_EQ(StaticReplace("\\pP", rewrite, in), Re2Replace("\\pP", rewrite, in)) << rewrite;
    EXPECT_EQ(StaticReplace("\\pP", rewrite, in, false), Re2Replace("\\pP", rewrite, in, false))
        << rewrite;
  }
}

TEST(RegexFastPathTest, DynamicPatternMatchesRe2) {
  EXPECT_THAT(DynamicReplace("\\pP", "", {"Hello, world!", "a$b", "\xe2\x80\xa6ok."}),
              ElementsAre("Hello world", "a$b", "ok"));
  const std::vector<std::string> in = RandomStrings(3000, 7);
  for (const char* pattern : {"\\pP", "[[:punct:]]", "\\p{^L}"}) {
    for (const char* rewrite : {"", "-", "\\0\\0"}) {
      EXPECT_EQ(DynamicReplace(pattern, rewrite, in), Re2Replace(pattern, rewrite, in))
          << pattern << " / \"" << rewrite << "\"";
    }
  }
}

// Patterns RE2 rejects fail as before, whatever their shape.
TEST(RegexFastPathTest, UnknownClassNamesAreCompileErrors) {
  KernelRunner r("StaticRegexReplace");
  r.Attr("pattern", "\\p{Nope}").Attr("rewrite", "").Input(Strings({"a"}));
  EXPECT_EQ(r.Run().status().message(),
            "Invalid pattern: \\p{Nope}, error: invalid character class range: \\p{Nope}");
}

}  // namespace
}  // namespace tf1hub
