// The `tuning.profile` key of the daemon's config (api/config.cpp).
#include <gtest/gtest.h>

#include "api/config.h"

namespace rc::api {
namespace {

TEST(ConfigTuning, DefaultsToTheSfuProfile) {
  EXPECT_EQ(parseConfig("").tuning.profile, "sfu");
}

TEST(ConfigTuning, AcceptsBuiltinNamesPathsAndOff) {
  EXPECT_EQ(parseConfig("tuning:\n  profile: sfu-large\n").tuning.profile, "sfu-large");
  EXPECT_EQ(parseConfig("tuning:\n  profile: 'off'\n").tuning.profile, "off");
  EXPECT_EQ(parseConfig("tuning:\n  profile: off\n").tuning.profile, "off");  // not a bool
  EXPECT_EQ(parseConfig("tuning: {profile: /etc/ringcast/host.conf}").tuning.profile,
            "/etc/ringcast/host.conf");
}

TEST(ConfigTuning, RejectsUnknownProfilesAndKeys) {
  EXPECT_THROW(parseConfig("tuning:\n  profile: sfu-huge\n"), ConfigError);
  EXPECT_THROW(parseConfig("tuning:\n  profil: sfu\n"), ConfigError);
}

}  // namespace
}  // namespace rc::api
