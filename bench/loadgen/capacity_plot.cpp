// The capacity plot: gnuplot (Debian gnuplot-nox) renders server CPU against subscribers.
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <stdexcept>

#include "bench/loadgen/capacity.h"

namespace rc::bench {
namespace {

std::string gnuplotString(const std::string& s) {
  std::string out = "'";
  for (char c : s) out += c == '\'' ? std::string("''") : std::string(1, c);
  return out + "'";
}

// Two data blocks per scenario (gnuplot's "index"): the fitted runs, then the runs over the
// loss limit; "subscribers cpu%" lines.
void writeData(const std::vector<ScenarioModel>& models, const std::string& path) {
  std::ofstream out(path);
  for (const auto& m : models) {
    for (bool fitted : {true, false}) {
      out << "# " << m.scenario << (fitted ? " fitted" : " over the loss limit") << "\n";
      for (const auto& p : m.points) {
        if (p.fitted == fitted) out << p.subscribers << " " << p.cpuPercent << "\n";
      }
      out << "\n\n";
    }
  }
  if (!out) throw std::runtime_error("cannot write " + path);
}

std::string modelFormula(const ScenarioModel& m) {
  std::string x = m.scenario == "meeting" ? "x*(x-1)" : "x";
  return std::to_string(m.fixedPercent) + " + " + std::to_string(m.percentPerUnit) + "*" + x;
}

std::string script(const std::vector<ScenarioModel>& models, double limit, const std::string& data,
                   const std::string& png) {
  long xmax = 1;
  for (const auto& m : models) xmax = std::max(xmax, maxSubscribers(m, limit, 1));
  std::string s =
      "set terminal pngcairo size 900,560 noenhanced\n"
      "set output " +
      gnuplotString(png) +
      "\n"
      "set title 'ringcast server CPU (one core, one worker) vs subscribers'\n"
      "set xlabel 'subscribers (meeting: participants)'\nset ylabel 'server CPU, % of one core'\n"
      "set key left top\nset grid\nset samples 400\n"
      "set xrange [0:" +
      std::to_string(static_cast<long>(xmax * 1.1) + 1) +
      "]\n"
      "set yrange [0:" +
      std::to_string(static_cast<int>(std::max(100.0, limit))) +
      "]\n"
      "plot " +
      std::to_string(limit) + " title 'CPU limit' with lines dashtype 2 lc 'gray'";
  for (size_t i = 0; i < models.size(); ++i) {
    const ScenarioModel& m = models[i];
    std::string color = std::to_string(i + 1);
    s += ", " + gnuplotString(data) + " index " + std::to_string(2 * i) + " using 1:2 title " +
         gnuplotString(m.scenario + " measured") + " with points pt 7 ps 1.3 lc " + color;
    if (m.excluded) {
      s += ", " + gnuplotString(data) + " index " + std::to_string(2 * i + 1) +
           " using 1:2 title " + gnuplotString(m.scenario + " measured, loss over the limit") +
           " with points pt 6 ps 1.3 lc " + color;
    }
    s += ", " + modelFormula(m) + " title " + gnuplotString(m.scenario + " model") +
         " with lines lw 2 lc " + color;
  }
  return s + "\n";
}

}  // namespace

void writeCapacityPlot(const std::vector<ScenarioModel>& models, double limit,
                       const std::string& pngPath) {
  char dir[] = "/tmp/rcb-plot.XXXXXX";
  if (!mkdtemp(dir)) throw std::runtime_error("cannot make a temporary folder");
  std::string data = std::string(dir) + "/points.dat", plot = std::string(dir) + "/plot.gp";
  writeData(models, data);
  std::ofstream(plot) << script(models, limit, data, pngPath);
  std::string command = "gnuplot " + gnuplotString(plot) + " 2>&1";
  std::string output;
  int rc = -1;
  if (FILE* pipe = popen(command.c_str(), "r")) {
    char line[512];
    while (fgets(line, sizeof line, pipe)) output += line;
    rc = pclose(pipe);
  }
  std::remove(data.c_str());
  std::remove(plot.c_str());
  rmdir(dir);
  std::error_code ec;
  bool written = std::filesystem::file_size(pngPath, ec) > 0 && !ec;
  if (rc != 0 || !written) {
    throw std::runtime_error("gnuplot failed (exit " + std::to_string(rc) + ", " +
                             (written ? "" : "no PNG written, ") +
                             "install gnuplot-nox for the plot): " + output);
  }
}

}  // namespace rc::bench
