#include "tuning/profile.h"

#include <gtest/gtest.h>

#include "tuning/profile_catalog.h"

namespace rc::tuning {
namespace {

constexpr const char* kSample = R"(# header
# description: a test profile

# why: buffer limit
# check: min
# free text about it
net.core.rmem_max =   4194304

# why: must be off
net.core.busy_poll = 0
# check: max
vm.dirty_ratio = 20
-kernel.io_uring_disabled = 0
net.ipv4.udp_mem = 1	2   3
)";

TEST(Profile, ParsesTagsRulesAndOptionalKeys) {
  Profile p = parseProfile(kSample, "t", "t.conf");
  EXPECT_EQ(p.description, "a test profile");
  ASSERT_EQ(p.settings.size(), 5u);
  EXPECT_EQ(p.settings[0].key, "net.core.rmem_max");
  EXPECT_EQ(p.settings[0].value, "4194304");
  EXPECT_EQ(p.settings[0].rule, Rule::Min);
  EXPECT_EQ(p.settings[0].why, "buffer limit");
  EXPECT_EQ(p.settings[0].line, 7);
  EXPECT_EQ(p.settings[1].rule, Rule::Exact);  // no check tag: exact
  EXPECT_EQ(p.settings[1].why, "must be off");
  EXPECT_EQ(p.settings[2].rule, Rule::Max);
  EXPECT_EQ(p.settings[2].why, "");  // tags do not leak from the previous setting
  EXPECT_TRUE(p.settings[3].optional);
  EXPECT_EQ(p.settings[3].key, "kernel.io_uring_disabled");
  EXPECT_FALSE(p.settings[0].optional);
  EXPECT_EQ(p.settings[4].value, "1 2 3");
}

TEST(Profile, RejectsMalformedFiles) {
  EXPECT_THROW(parseProfile("# only comments\n", "t", "t"), ProfileError);
  EXPECT_THROW(parseProfile("net.core.rmem_max 5\n", "t", "t"), ProfileError);
  EXPECT_THROW(parseProfile("a = 1\na = 2\n", "t", "t"), ProfileError);
  EXPECT_THROW(parseProfile("a =\n", "t", "t"), ProfileError);
  EXPECT_THROW(parseProfile("# check: atleast\na = 1\n", "t", "t"), ProfileError);
  EXPECT_THROW(parseProfile("# check: min\na = fq\n", "t", "t"), ProfileError);
  try {
    parseProfile("a = 1\nb\n", "t", "x.conf");
    FAIL();
  } catch (const ProfileError& e) {
    EXPECT_STREQ(e.what(), "x.conf:2: expected 'key = value'");
  }
}

TEST(Profile, ParsesIntegerLists) {
  EXPECT_EQ(parseIntegers(" 1 2\t3 "), (std::vector<int64_t>{1, 2, 3}));
  EXPECT_EQ(parseIntegers("-1"), (std::vector<int64_t>{-1}));
  EXPECT_FALSE(parseIntegers("fq_codel"));
  EXPECT_FALSE(parseIntegers("12abc"));
  EXPECT_FALSE(parseIntegers(""));
}

TEST(ProfileCatalog, BuiltinProfilesAreEmbeddedAndDocumented) {
  std::vector<Profile> all = builtinProfiles();
  ASSERT_EQ(all.size(), 2u);
  EXPECT_EQ(all[0].name, "sfu");
  EXPECT_EQ(all[1].name, "sfu-large");
  for (const Profile& p : all) {
    EXPECT_FALSE(p.description.empty()) << p.name;
    for (const Setting& s : p.settings) EXPECT_FALSE(s.why.empty()) << p.name << " " << s.key;
  }
  EXPECT_EQ(loadProfile("sfu").settings.size(), all[0].settings.size());
}

TEST(ProfileCatalog, UnknownNameListsTheKnownOnes) {
  try {
    loadProfile("sfu-huge");
    FAIL();
  } catch (const ProfileError& e) {
    EXPECT_NE(std::string(e.what()).find("known: sfu, sfu-large"), std::string::npos);
  }
  EXPECT_THROW(loadProfile("/nonexistent/ringcast-x.conf"), ProfileError);
  EXPECT_TRUE(looksLikeProfile("sfu-large"));
  EXPECT_TRUE(looksLikeProfile("/etc/ringcast/my.conf"));
  EXPECT_FALSE(looksLikeProfile("sfu-huge"));
  EXPECT_EQ(profileNameFromFile("/x/ringcast-sfu-large.conf"), "sfu-large");
}

}  // namespace
}  // namespace rc::tuning
