// `ringcast-bench capacity`: CPU models per scenario, subscribers per core and per EC2 size.
#include "bench/loadgen/capacity.h"

#include <CLI/CLI.hpp>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <iostream>
#include <map>
#include <set>
#include <stdexcept>

#include "bench/loadgen/compare.h"

namespace rc::bench {
namespace {

using nlohmann::json;

bool isMeeting(const std::string& scenario) {
  return scenario == "meeting";
}

// The unit the model counts: subscribers, or for a meeting of N the N(N-1) stream pairs.
double unitsOf(const std::string& scenario, double subscribers) {
  return isMeeting(scenario) ? subscribers * (subscribers - 1) : subscribers;
}

double required(const json& r, const char* key) {
  auto v = metricValue(r, key);
  if (!v) {
    throw std::runtime_error(std::string("a ") + r.value("scenario", "?") + " result has no " +
                             key + " (server figures need `run --server-pid`)");
  }
  return *v;
}

// Least squares y = a + b x; needs two distinct x.
std::pair<double, double> fitLine(const std::vector<std::pair<double, double>>& xy) {
  double n = static_cast<double>(xy.size()), sx = 0, sy = 0, sxx = 0, sxy = 0;
  for (auto [x, y] : xy) {
    sx += x, sy += y, sxx += x * x, sxy += x * y;
  }
  double b = (n * sxy - sx * sy) / (n * sxx - sx * sx);
  return {(sy - b * sx) / n, b};
}

// Packets/s the publishers send per unit of load (see ScenarioModel).
double sentPerUnit(const std::string& scenario, const json& r, double units) {
  auto sent = metricValue(r, "sent_pps");
  if (!sent) return required(r, "forwarded_pps") / units;
  if (!isMeeting(scenario)) return *sent;
  return *sent / metricValue(r, "publishers").value_or(required(r, "subscribers"));
}

ScenarioModel modelOf(const std::string& scenario, const std::vector<json>& runs, double maxLoss) {
  ScenarioModel m;
  m.scenario = scenario;
  m.runs = static_cast<int>(runs.size());
  std::vector<double> usPerPacket, pps, bps;
  std::vector<std::pair<double, double>> ppsCpu;
  std::set<double> loads;
  for (const json& r : runs) {
    double subs = required(r, "subscribers"), units = unitsOf(scenario, subs);
    double cpu = required(r, "server_cpu_percent"), forwarded = required(r, "forwarded_pps");
    double loss = metricValue(r, "loss_ratio").value_or(0);
    bool fitted = loss <= maxLoss;
    m.points.push_back({subs, cpu, fitted});
    if (!fitted) {
      ++m.excluded;
      continue;
    }
    usPerPacket.push_back(required(r, "server_cpu_us_per_packet"));
    pps.push_back(sentPerUnit(scenario, r, units));
    bps.push_back(metricValue(r, "forwarded_bps").value_or(0) / units);
    m.worstLoss = std::max(m.worstLoss, loss);
    ppsCpu.emplace_back(forwarded, cpu);
    loads.insert(units);
  }
  if (ppsCpu.empty()) {
    throw std::runtime_error(scenario + ": every run lost more than the loss limit");
  }
  m.usPerPacket = median(usPerPacket);
  m.ppsPerUnit = median(pps);
  m.bpsPerUnit = median(bps);
  m.fitted = loads.size() >= 2;
  double percentPerPps = m.usPerPacket / 1e4;  // us per packet -> % of one core per packet/s
  if (m.fitted) std::tie(m.fixedPercent, percentPerPps) = fitLine(ppsCpu);
  m.percentPerUnit = percentPerPps * m.ppsPerUnit;
  if (m.percentPerUnit <= 0) {
    throw std::runtime_error(scenario + ": CPU does not grow with load in these runs");
  }
  return m;
}

std::string fmt(const char* format, double v) {
  char buf[256];
  std::snprintf(buf, sizeof buf, format, v);
  return buf;
}

std::string describeModel(const ScenarioModel& m) {
  std::string unit = isMeeting(m.scenario) ? "stream pair" : "subscriber";
  return m.scenario + ": " + std::to_string(m.runs) + " runs; " + fmt("%.3f us", m.usPerPacket) +
         " server CPU per forwarded packet; " + fmt("%.1f", m.ppsPerUnit) + " packets/s and " +
         fmt("%.0f", m.bpsPerUnit / 1000) + " kbit/s per " + unit +
         "; model cpu% = " + fmt("%.3g", m.fixedPercent) + " + " + fmt("%.4g", m.percentPerUnit) +
         " x " + (isMeeting(m.scenario) ? "N(N-1)" : "N") +
         (m.fitted ? " (least squares)" : " (from the per-packet cost, one load)") +
         fmt("; worst loss %.3g", m.worstLoss) +
         (m.excluded ? "; " + std::to_string(m.excluded) + " runs over the loss limit left out"
                     : std::string()) +
         "\n";
}

std::string capacityRow(const std::string& name, const std::string& vcpus,
                        const std::vector<std::string>& cells) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%-14s %-6s", name.c_str(), vcpus.c_str());
  std::string out = buf;
  for (const auto& c : cells) {
    std::snprintf(buf, sizeof buf, " %-22s", c.c_str());
    out += buf;
  }
  return out + "\n";
}

std::string capacityCell(const ScenarioModel& m, double limit, int cores) {
  long n = maxSubscribers(m, limit, cores);
  double gbps = m.bpsPerUnit * unitsOf(m.scenario, static_cast<double>(n)) / 1e9;
  return std::to_string(n) + fmt(" (%.1f Gbit/s)", gbps);
}

}  // namespace

std::vector<ScenarioModel> buildModels(const std::vector<json>& results, double maxLoss) {
  std::map<std::string, std::vector<json>> byScenario;
  for (const json& r : results) byScenario[r.value("scenario", "unknown")].push_back(r);
  std::vector<ScenarioModel> models;
  for (const auto& [scenario, runs] : byScenario)
    models.push_back(modelOf(scenario, runs, maxLoss));
  return models;
}

long maxSubscribers(const ScenarioModel& m, double cpuLimitPercent, int cores) {
  // Each core's worker carries 1/cores of the units and pays the fixed cost once.
  double unitsPerCore = (cpuLimitPercent - m.fixedPercent) / m.percentPerUnit;
  if (unitsPerCore <= 0) return 0;
  double units = unitsPerCore * cores;
  if (!isMeeting(m.scenario)) return static_cast<long>(std::floor(units));
  return static_cast<long>(std::floor((1 + std::sqrt(1 + 4 * units)) / 2));  // N(N-1) <= units
}

const std::vector<InstanceSize>& ec2Sizes() {
  static const std::vector<InstanceSize> sizes = {{"c7i.large", 2, 1},     {"c7i.xlarge", 4, 2},
                                                  {"c7i.2xlarge", 8, 4},   {"c7i.4xlarge", 16, 8},
                                                  {"c7i.8xlarge", 32, 16}, {"c7i.16xlarge", 64, 32},
                                                  {"c7i.24xlarge", 96, 48}};
  return sizes;
}

std::string formatCapacity(const std::vector<ScenarioModel>& models, double limit) {
  std::string out;
  for (const auto& m : models) out += describeModel(m);
  out +=
      fmt("\nCapacity at <= %.0f%% CPU per core (meeting: participants; in brackets the "
          "forwarded bit rate)\n",
          limit);
  std::vector<std::string> names;
  for (const auto& m : models) names.push_back(m.scenario);
  out += capacityRow("host", "vCPU", names);
  std::vector<std::string> perCore;
  for (const auto& m : models) perCore.push_back(capacityCell(m, limit, 1));
  out += capacityRow("one core", "-", perCore);
  for (const auto& size : ec2Sizes()) {
    std::vector<std::string> cells;
    for (const auto& m : models) cells.push_back(capacityCell(m, limit, size.cores));
    out += capacityRow(size.name, std::to_string(size.vcpus), cells);
  }
  out +=
      "\nAssumptions: one worker per physical core, 2 vCPUs per core (c7i hyperthreads), "
      "workers scale linearly (measure it with bench/worker-scaling), no headroom beyond the "
      "CPU limit for "
      "the control thread. Compare the bit rate with the instance's network bandwidth.\n";
  return out;
}

void addCapacityCommand(CLI::App& app) {
  struct Flags {
    std::vector<std::string> files;
    double limit = 80;
    double maxLoss = 0.01;
    std::string plot = "capacity.png";
  };
  auto f = std::make_shared<Flags>();
  CLI::App* cmd = app.add_subcommand("capacity", "capacity table and CPU plot from run results");
  cmd->add_option("--from", f->files, "results of `run --json` (one server, pinned, 1 worker)")
      ->required()
      ->expected(1, -1);
  cmd->add_option("--cpu-limit", f->limit, "CPU percent per core to plan for")
      ->capture_default_str();
  cmd->add_option("--max-loss", f->maxLoss, "runs losing more (a ratio) are left out of the fit")
      ->capture_default_str();
  cmd->add_option("--plot", f->plot, "PNG to write (empty: none)")->capture_default_str();
  cmd->callback([f] {
    try {
      auto models = buildModels(readResults(f->files), f->maxLoss);
      std::cout << formatCapacity(models, f->limit) << std::flush;
      if (!f->plot.empty()) {
        writeCapacityPlot(models, f->limit, f->plot);
        std::cout << "plot: " << f->plot << "\n";
      }
    } catch (const std::exception& e) {
      std::fprintf(stderr, "ringcast-bench capacity: %s\n", e.what());
      throw CLI::RuntimeError(1);
    }
  });
}

}  // namespace rc::bench
