#include "tuning/tune_command.h"

#include <CLI/CLI.hpp>

#include <iostream>
#include <vector>

#include "tuning/apply.h"
#include "tuning/host_check.h"
#include "tuning/profile_catalog.h"

namespace rc::tuning {
namespace {

constexpr int kUsageError = 2;

struct TuneOptions {
  std::string profile = kDefaultProfile;
  std::string procRoot = kProcSys;
  std::string destDir = kSysctlDir;
};

int runCheck(const TuneOptions& o) {
  CheckReport report = checkHost(loadProfile(o.profile), o.procRoot);
  std::cout << formatReport(report);
  return report.matches() ? 0 : 1;
}

int runApply(const TuneOptions& o) {
  ApplyResult result = applyProfile(loadProfile(o.profile), {o.procRoot, o.destDir});
  for (const auto& line : result.lines) std::cout << line << "\n";
  if (result.failures > 0) {
    std::cout << result.failures << " setting(s) could not be applied; see above.\n";
    return 1;
  }
  return 0;
}

int runList() {
  for (const Profile& p : builtinProfiles()) {
    std::cout << p.name << "  (" << p.settings.size() << " settings)  " << p.description << "\n";
  }
  return 0;
}

int runShow(const TuneOptions& o) {
  std::cout << loadProfile(o.profile).text;
  return 0;
}

void addProcRoot(CLI::App& cmd, TuneOptions& o) {
  cmd.add_option("--proc-root", o.procRoot, "sysctl tree to read (default /proc/sys)")
      ->check(CLI::ExistingDirectory);
}

}  // namespace

int runTuneCommand(int argc, char** argv) {
  CLI::App app{"Checks or applies a host tuning profile (tuning/README.md)", "ringcast tune"};
  app.require_subcommand(1, 1);
  TuneOptions o;
  auto* check =
      app.add_subcommand("check", "compare the host with a profile (exit 1 if it differs)");
  check->add_option("--profile", o.profile, "profile name or .conf file (default sfu)");
  addProcRoot(*check, o);
  auto* apply = app.add_subcommand("apply", "write the sysctl.d file and apply it (root)");
  apply->add_option("--profile", o.profile, "profile name or .conf file (default sfu)");
  apply->add_option("--dest", o.destDir, "sysctl.d directory (default /etc/sysctl.d)");
  addProcRoot(*apply, o);
  auto* list = app.add_subcommand("list", "list the built-in profiles");
  auto* show = app.add_subcommand("show", "print a profile file");
  show->add_option("profile", o.profile, "profile name (default sfu)");
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e) == 0 ? 0 : kUsageError;
  }
  try {
    if (check->parsed()) return runCheck(o);
    if (apply->parsed()) return runApply(o);
    if (list->parsed()) return runList();
    if (show->parsed()) return runShow(o);
  } catch (const ProfileError& e) {
    std::cerr << "ringcast tune: " << e.what() << "\n";
    return kUsageError;
  } catch (const ApplyError& e) {
    std::cerr << "ringcast tune apply: " << e.what() << "\n";
    return kUsageError;
  }
  return kUsageError;
}

}  // namespace rc::tuning
