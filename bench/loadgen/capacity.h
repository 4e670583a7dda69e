// `ringcast-bench capacity --from run.json...`: turns measured server CPU into a capacity table
// (subscribers per core for each scenario, and per EC2 compute-optimized size) and a PNG plot of
// server CPU against subscribers (measured points and the linear model).
#pragma once

#include <nlohmann/json.hpp>

#include <string>
#include <vector>

namespace CLI {
class App;
}

namespace rc::bench {

// The CPU model of one scenario, for one server core (the runs pin a one-worker server to a
// core, so server_cpu_percent is a percentage of that core).
//   livestream, audio: cpu% = fixed + perSubscriber * subscribers
//   meeting (N participants, each receiving the other N-1): cpu% = fixed + perSubscriber * N(N-1)
// With runs at two or more loads the line is a least-squares fit; with one load, `fixed` is 0
// and the slope comes from server_cpu_us_per_packet times the measured packets per subscriber.
struct ScenarioModel {
  std::string scenario;
  int runs = 0;
  bool fitted = false;        // least-squares over >= 2 loads
  double fixedPercent = 0;    // cpu% at zero subscribers
  double percentPerUnit = 0;  // cpu% per subscriber (meeting: per forwarded stream pair)
  double usPerPacket = 0;     // median server_cpu_us_per_packet
  double ppsPerUnit = 0;      // median forwarded packets/s per subscriber (meeting: per pair)
  double bpsPerUnit = 0;      // median forwarded bits/s per subscriber (meeting: per pair)
  double worstLoss = 0;       // largest loss_ratio among the runs
  std::vector<std::pair<double, double>> points;  // (subscribers, cpu%) measured
};

// Groups results by scenario. Throws std::runtime_error when a result lacks the subscribers,
// forwarded_pps or server CPU figures (a run without --server-pid).
std::vector<ScenarioModel> buildModels(const std::vector<nlohmann::json>& results);

// The largest subscriber count (meeting: participants) whose modelled CPU on `cores` cores stays
// at or under cpuLimitPercent of each (subscribers spread evenly over the cores' workers).
long maxSubscribers(const ScenarioModel& model, double cpuLimitPercent, int cores);

struct InstanceSize {
  const char* name;
  int vcpus;
  int cores;  // physical cores: vCPUs / 2 (two hyperthreads per core on c7i)
};
const std::vector<InstanceSize>& ec2Sizes();

// The human report: the models, subscribers per core, and the EC2 table.
std::string formatCapacity(const std::vector<ScenarioModel>& models, double cpuLimitPercent);

// Writes a PNG (gnuplot, pngcairo or png terminal) of cpu% vs subscribers: the measured points
// and each model's line up to the CPU limit. Throws std::runtime_error when gnuplot fails.
void writeCapacityPlot(const std::vector<ScenarioModel>& models, double cpuLimitPercent,
                       const std::string& pngPath);

void addCapacityCommand(CLI::App& app);

}  // namespace rc::bench
