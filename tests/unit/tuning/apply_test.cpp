#include "tuning/apply.h"

#include <gtest/gtest.h>

#include "fake_tree.h"
#include "tuning/profile_catalog.h"

namespace rc::tuning {
namespace {

using test::FakeProcSys;
using test::TempDir;

// A host with kernel defaults, except udp_mem which (as on real hosts) is larger than the
// profile's minimum.
void setKernelDefaults(const FakeProcSys& proc, const Profile& p) {
  proc.setAll(p);
  proc.set("net.core.rmem_max", "212992");
  proc.set("net.core.wmem_max", "212992");
  proc.set("net.core.netdev_max_backlog", "1000");
  proc.set("net.ipv4.udp_mem", "575667 767559 1151334");
  proc.set("net.core.busy_poll", "0");
}

TEST(Apply, WritesTheFileAndTheSysctls) {
  Profile sfu = loadProfile("sfu");
  FakeProcSys proc;
  TempDir dest;
  setKernelDefaults(proc, sfu);
  ApplyResult r = applyProfile(sfu, {proc.path(), dest.path()});
  EXPECT_EQ(r.failures, 0);
  EXPECT_EQ(r.filePath, dest.path() + "/90-ringcast.conf");
  EXPECT_EQ(proc.get("net.core.rmem_max"), "4194304");
  EXPECT_EQ(proc.get("net.core.netdev_max_backlog"), "5000");
  EXPECT_EQ(proc.get("net.ipv4.udp_mem"), "575667 767559 1151334");  // never lowered
  EXPECT_TRUE(checkHost(sfu, proc.path()).matches());
  std::string joined;
  for (const auto& l : r.lines) joined += l + "\n";
  EXPECT_NE(joined.find("changed   net.core.rmem_max: 212992 -> 4194304"), std::string::npos);
  EXPECT_NE(joined.find("unchanged net.core.busy_poll = 0"), std::string::npos);

  std::string file = test::readText(r.filePath);
  EXPECT_NE(file.find("\nnet.core.rmem_max = 4194304\n"), std::string::npos);
  EXPECT_NE(file.find("\n-kernel.io_uring_disabled = 0\n"), std::string::npos);
  EXPECT_NE(file.find("# not lowered, the host already has 575667 767559 1151334:\n"
                      "# net.ipv4.udp_mem = 65536 131072 262144\n"),
            std::string::npos);
  EXPECT_NE(file.find("# why: ringcast asks SO_RCVBUF=4 MiB"), std::string::npos);
  // The written file is itself a valid profile carrying the same rules.
  Profile reread = parseProfile(file, "sfu", r.filePath);
  EXPECT_EQ(reread.settings.size(), sfu.settings.size() - 1);
}

TEST(Apply, MergesTriplesElementByElement) {
  Setting s = test::makeSetting("net.ipv4.udp_mem", "65536 131072 262144", Rule::Min);
  EXPECT_EQ(targetValue(s, std::string("100000 100000 100000")), "100000 131072 262144");
  EXPECT_EQ(targetValue(s, std::nullopt), "65536 131072 262144");
  Setting exact = test::makeSetting("net.core.busy_poll", "0", Rule::Exact);
  EXPECT_EQ(targetValue(exact, std::string("50")), "0");
}

TEST(Apply, ReportsSettingsItCannotSet) {
  Profile sfu = loadProfile("sfu");
  FakeProcSys proc;
  TempDir dest;
  setKernelDefaults(proc, sfu);
  std::filesystem::remove(sysctlPath(proc.path(), "net.core.busy_read"));
  std::filesystem::remove(sysctlPath(proc.path(), "kernel.io_uring_disabled"));
  ApplyResult r = applyProfile(sfu, {proc.path(), dest.path()});
  EXPECT_EQ(r.failures, 1);
  std::string joined;
  for (const auto& l : r.lines) joined += l + "\n";
  EXPECT_NE(joined.find("FAILED    net.core.busy_read: unavailable"), std::string::npos);
  EXPECT_NE(joined.find("absent    kernel.io_uring_disabled"), std::string::npos);
  EXPECT_EQ(proc.get("net.core.rmem_max"), "4194304");  // the others are still applied
}

TEST(Apply, RejectsAMissingDestination) {
  Profile sfu = loadProfile("sfu");
  FakeProcSys proc;
  setKernelDefaults(proc, sfu);
  EXPECT_THROW(applyProfile(sfu, {proc.path(), proc.path() + "/no/such/dir"}), ApplyError);
  EXPECT_EQ(proc.get("net.core.rmem_max"), "212992");  // nothing applied
}

}  // namespace
}  // namespace rc::tuning
