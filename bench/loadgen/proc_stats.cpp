#include "bench/loadgen/proc_stats.h"

#include <sys/resource.h>
#include <unistd.h>

#include <fstream>
#include <sstream>
#include <string>

namespace rc::bench {
namespace {

std::optional<double> cpuSecondsOf(int pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
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

double selfCpuSeconds() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  auto seconds = [](const timeval& tv) {
    return static_cast<double>(tv.tv_sec) + static_cast<double>(tv.tv_usec) / 1e6;
  };
  return seconds(usage.ru_utime) + seconds(usage.ru_stime);
}

}  // namespace rc::bench
