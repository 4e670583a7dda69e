#include "bench/loadgen/proc_stats.h"

#include <sys/resource.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

namespace rc::bench {
namespace {

// utime + stime of /proc/<path>/stat (a process or one of its tasks).
std::optional<double> cpuSecondsAt(const std::string& path) {
  std::ifstream in(path + "/stat");
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  size_t paren = text.rfind(')');  // the command name may contain spaces and parentheses
  if (paren == std::string::npos) return std::nullopt;
  std::istringstream fields(text.substr(paren + 1));
  std::string field;
  unsigned long long utime = 0, stime = 0;
  // After ')' come field 3 (state) onwards; utime and stime are fields 14 and 15.
  for (int index = 3; index <= 15 && fields >> field; ++index) {
    if (index == 14) utime = std::stoull(field);
    if (index == 15) stime = std::stoull(field);
  }
  if (!fields) return std::nullopt;
  return static_cast<double>(utime + stime) / static_cast<double>(sysconf(_SC_CLK_TCK));
}

std::optional<double> cpuSecondsOf(int pid) {
  return cpuSecondsAt("/proc/" + std::to_string(pid));
}

std::optional<long> rssKibOf(int pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/status");
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind("VmRSS:", 0) == 0) return std::stol(line.substr(6));
  }
  return std::nullopt;
}

}  // namespace

std::optional<ProcSample> sampleProcess(int pid) {
  if (pid <= 0) return std::nullopt;
  try {
    auto cpu = cpuSecondsOf(pid);
    auto rss = rssKibOf(pid);
    if (!cpu || !rss) return std::nullopt;
    return ProcSample{*cpu, *rss};
  } catch (const std::exception&) {
    return std::nullopt;
  }
}

std::optional<UdpCounters> sampleUdpCounters() {
  std::ifstream in("/proc/net/snmp");
  std::string names, values;
  while (std::getline(in, names)) {
    if (names.rfind("Udp:", 0) != 0 || !std::getline(in, values)) continue;
    std::istringstream n(names), v(values);
    std::string name, value;
    UdpCounters out;
    while (n >> name && v >> value) {
      if (name == "RcvbufErrors") out.rcvbufErrors = std::stoull(value);
      if (name == "SndbufErrors") out.sndbufErrors = std::stoull(value);
      if (name == "InErrors") out.inErrors = std::stoull(value);
    }
    return out;
  }
  return std::nullopt;
}

std::optional<double> threadsCpuSeconds(int pid, const std::string& namePrefix) {
  std::error_code ec;
  std::filesystem::directory_iterator tasks("/proc/" + std::to_string(pid) + "/task", ec);
  if (ec) return std::nullopt;
  double total = 0;
  for (const auto& task : tasks) {
    std::ifstream comm(task.path() / "comm");
    std::string name;
    if (!std::getline(comm, name) || name.rfind(namePrefix, 0) != 0) continue;
    try {
      total += cpuSecondsAt(task.path().string()).value_or(0);
    } catch (const std::exception&) {
      // A thread that ended between the listing and the read counts as nothing.
    }
  }
  return total;
}

double selfCpuSeconds() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  auto seconds = [](const timeval& tv) {
    return static_cast<double>(tv.tv_sec) + static_cast<double>(tv.tv_usec) / 1e6;
  };
  return seconds(usage.ru_utime) + seconds(usage.ru_stime);
}

}  // namespace rc::bench
