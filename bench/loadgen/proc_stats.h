// CPU time and resident memory of a process from /proc (proc(5)).
#pragma once

#include <optional>
#include <string>

namespace rc::bench {

struct ProcSample {
  double cpuSeconds = 0;  // utime + stime (/proc/PID/stat fields 14 and 15)
  long rssKib = 0;        // VmRSS from /proc/PID/status
};

// nullopt when the process does not exist or its files do not parse.
std::optional<ProcSample> sampleProcess(int pid);

// Host-wide UDP counters from /proc/net/snmp (both ends run on this host over loopback, so
// receive-buffer overflows here are datagrams a socket could not queue).
struct UdpCounters {
  unsigned long long rcvbufErrors = 0, sndbufErrors = 0, inErrors = 0;
};
std::optional<UdpCounters> sampleUdpCounters();

// CPU seconds of the threads of `pid` whose name (/proc/PID/task/TID/comm) starts with
// `namePrefix`, summed; nullopt when the process does not exist.
std::optional<double> threadsCpuSeconds(int pid, const std::string& namePrefix);

// This process's CPU time, all threads (getrusage(RUSAGE_SELF)).
double selfCpuSeconds();

}  // namespace rc::bench
