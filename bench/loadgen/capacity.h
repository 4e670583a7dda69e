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
// core, so server_cpu_percent is a percentage of that core). CPU is fitted against the packets
// the server forwarded: cpu% = fixed + slope * forwarded_pps (least squares over two or more
// loads; with one load, fixed = 0 and slope = server_cpu_us_per_packet). A "unit" of load is a
// subscriber (livestream, audio: each receives every published stream), or for a meeting of N
// participants one of the N(N-1) (sender, receiver) pairs. Its packet rate is what the
// publishers sent (sent_pps), so losses in a run do not shrink the planned load.
// Runs whose loss exceeds the loss limit measure a saturated host and are left out of the fit.
struct ScenarioModel {
  std::string scenario;
  int runs = 0;
  int excluded = 0;           // runs over the loss limit, not in the fit
  bool fitted = false;        // least squares over >= 2 loads
  double fixedPercent = 0;    // cpu% at zero load
  double percentPerUnit = 0;  // cpu% per subscriber (meeting: per stream pair)
  double usPerPacket = 0;     // median server_cpu_us_per_packet of the fitted runs
  double ppsPerUnit = 0;      // packets/s per subscriber (meeting: per pair), as sent
  double bpsPerUnit = 0;      // forwarded bits/s per subscriber (meeting: per pair)
  double worstLoss = 0;       // largest loss_ratio among the fitted runs
  struct Point {
    double subscribers, cpuPercent;
    bool fitted;
  };
  std::vector<Point> points;  // every run, for the plot
};

// Groups results by scenario. Throws std::runtime_error when a result lacks the subscribers,
// forwarded_pps or server CPU figures (a run without --server-pid), or when every run of a
// scenario lost more than maxLoss.
std::vector<ScenarioModel> buildModels(const std::vector<nlohmann::json>& results,
                                       double maxLoss = 0.01);

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
