#include "tuning/host_check.h"

#include <gtest/gtest.h>

#include "fake_tree.h"
#include "tuning/profile_catalog.h"

namespace rc::tuning {
namespace {

using test::FakeProcSys;

const Finding& findingFor(const CheckReport& r, const std::string& key) {
  for (const auto& f : r.findings) {
    if (f.setting.key == key) return f;
  }
  throw std::runtime_error("no finding for " + key);
}

TEST(HostCheck, MatchingHostPasses) {
  Profile sfu = loadProfile("sfu");
  FakeProcSys proc;
  proc.setAll(sfu);
  CheckReport r = checkHost(sfu, proc.path());
  EXPECT_TRUE(r.matches());
  EXPECT_NE(formatReport(r).find("The host matches profile sfu."), std::string::npos);
  EXPECT_EQ(summarise(r), "");
}

TEST(HostCheck, SmallBufferIsReportedInTheTable) {
  Profile sfu = loadProfile("sfu");
  FakeProcSys proc;
  proc.setAll(sfu);
  proc.set("net.core.rmem_max", "212992");
  CheckReport r = checkHost(sfu, proc.path());
  EXPECT_EQ(r.differing(), 1);
  EXPECT_EQ(findingFor(r, "net.core.rmem_max").status, Status::Low);
  std::string table = formatReport(r);
  EXPECT_NE(table.find("net.core.rmem_max"), std::string::npos);
  EXPECT_NE(table.find("212992"), std::string::npos);
  EXPECT_NE(table.find("LOW"), std::string::npos);
  EXPECT_NE(table.find("kernel silently clamps"), std::string::npos);  // the why column
  EXPECT_NE(table.find("1 of 11 settings differ from profile sfu"), std::string::npos);
  EXPECT_EQ(summarise(r),
            "1 setting differs from profile sfu (net.core.rmem_max 212992 < 4194304)");
}

TEST(HostCheck, HigherLimitsPassButExactSettingsMustMatch) {
  Profile sfu = loadProfile("sfu");
  FakeProcSys proc;
  proc.setAll(sfu);
  proc.set("net.core.rmem_max", "67108864");
  proc.set("net.core.busy_poll", "50");
  CheckReport r = checkHost(sfu, proc.path());
  EXPECT_EQ(findingFor(r, "net.core.rmem_max").status, Status::Ok);
  EXPECT_EQ(findingFor(r, "net.core.busy_poll").status, Status::Differs);
  EXPECT_EQ(r.differing(), 1);
}

TEST(HostCheck, MissingFileIsUnavailableNotACrash) {
  Profile sfu = loadProfile("sfu");
  FakeProcSys proc;
  proc.setAll(sfu);
  std::filesystem::remove(sysctlPath(proc.path(), "net.core.busy_read"));
  std::filesystem::remove(sysctlPath(proc.path(), "kernel.io_uring_disabled"));
  CheckReport r = checkHost(sfu, proc.path());
  EXPECT_EQ(findingFor(r, "net.core.busy_read").status, Status::Missing);
  EXPECT_FALSE(findingFor(r, "net.core.busy_read").current);
  // Optional in the profile (kernels before 6.6 have no io_uring_disabled).
  EXPECT_EQ(findingFor(r, "kernel.io_uring_disabled").status, Status::Absent);
  EXPECT_EQ(r.differing(), 1);
  EXPECT_NE(formatReport(r).find("(unavailable)"), std::string::npos);
  EXPECT_NE(summarise(r).find("net.core.busy_read unavailable"), std::string::npos);
}

TEST(HostCheck, EmptyTreeReportsEverySettingMissing) {
  Profile sfu = loadProfile("sfu");
  FakeProcSys proc;
  std::filesystem::create_directories(proc.path() + "/net/core/rmem_max");  // a directory
  CheckReport r = checkHost(sfu, proc.path());
  EXPECT_EQ(r.differing(), static_cast<int>(sfu.settings.size()) - 1);
  EXPECT_EQ(findingFor(r, "net.core.rmem_max").status, Status::Missing);
}

Setting minSetting(const std::string& value) {
  return test::makeSetting("net.ipv4.udp_mem", value, Rule::Min);
}

TEST(HostCheck, UdpMemIsComparedElementByElement) {
  Setting s = minSetting("65536 131072 262144");
  EXPECT_EQ(compareValue(s, "575667\t767559\t1151334"), Status::Ok);
  EXPECT_EQ(compareValue(s, "65536 131072 262144"), Status::Ok);
  EXPECT_EQ(compareValue(s, "575667 767559 200000"), Status::Low);  // only max too low
  EXPECT_EQ(compareValue(s, "1000 767559 1151334"), Status::Low);
  EXPECT_EQ(compareValue(s, "575667 767559"), Status::Differs);  // wrong shape
  EXPECT_EQ(compareValue(s, "lots"), Status::Differs);
}

TEST(HostCheck, MaxAndExactRules) {
  Setting max = test::makeSetting("vm.dirty_ratio", "20", Rule::Max);
  EXPECT_EQ(compareValue(max, "10"), Status::Ok);
  EXPECT_EQ(compareValue(max, "30"), Status::High);
  Setting exact = test::makeSetting("net.core.default_qdisc", "fq", Rule::Exact);
  EXPECT_EQ(compareValue(exact, "fq"), Status::Ok);
  EXPECT_EQ(compareValue(exact, "fq_codel"), Status::Differs);
  Setting num = test::makeSetting("kernel.io_uring_disabled", "0", Rule::Exact);
  EXPECT_EQ(compareValue(num, "2"), Status::Differs);
}

TEST(HostCheck, StartupWarningIsOneLine) {
  Profile sfu = loadProfile("sfu");
  FakeProcSys proc;
  proc.setAll(sfu);
  EXPECT_FALSE(startupWarning("sfu", proc.path()));
  EXPECT_FALSE(startupWarning("off", proc.path()));
  proc.set("net.core.rmem_max", "212992");
  proc.set("net.core.wmem_max", "212992");
  proc.set("net.core.netdev_max_backlog", "1000");
  proc.set("net.ipv4.udp_mem", "1 2 3");
  auto w = startupWarning("sfu", proc.path());
  ASSERT_TRUE(w);
  EXPECT_EQ(*w,
            "tuning: 4 settings differ from profile sfu (net.core.rmem_max 212992 < 4194304, "
            "net.core.wmem_max 212992 < 4194304, net.core.netdev_max_backlog 1000 < 5000, ...); "
            "run 'ringcast tune check --profile sfu'");
  EXPECT_EQ(w->find('\n'), std::string::npos);
  auto unknown = startupWarning("nope", proc.path());
  ASSERT_TRUE(unknown);
  EXPECT_NE(unknown->find("unknown profile 'nope'"), std::string::npos);
}

}  // namespace
}  // namespace rc::tuning
