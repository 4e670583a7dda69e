#include "bench/loadgen/record_soak.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <iostream>
#include <stdexcept>
#include <thread>

#include "api/token.h"
#include "bench/loadgen/fleet.h"
#include "bench/loadgen/http_client.h"
#include "bench/loadgen/proc_stats.h"
#include "bench/loadgen/rtp_source.h"
#include "bench/loadgen/server_metrics.h"

namespace rc::bench {
namespace {

using nlohmann::json;

constexpr const char* kWritten = "ringcast_recorder_bytes_written_total";
constexpr const char* kPending = "ringcast_recorder_pending_bytes";
constexpr const char* kTapDrops = "ringcast_recorder_tap_drops_total";
constexpr const char* kCompleted = "ringcast_recordings_total{result=\"complete\"}";
constexpr const char* kFailed = "ringcast_recordings_total{result=\"failed\"}";

struct Sample {
  double tS = 0, cpuS = 0, recorderCpuS = 0, uploadCpuS = 0;
  long rssKib = 0;
  std::map<std::string, double> series;
  double value(const char* name) const {
    auto it = series.find(name);
    return it == series.end() ? 0 : it->second;
  }
};

std::string roomName(int i) {
  return "rec-soak-" + std::to_string(i);
}

// POST to the app API with a roomRecord token for `room`; returns the parsed answer.
json appCall(const RunOptions& o, const std::string& route, const json& body,
             const std::string& room) {
  api::AccessClaims claims;
  claims.identity = "record-soak";
  claims.video.room = room;
  claims.video.roomRecord = true;
  std::string token = api::issueToken(o.apiKey, o.apiSecret, claims, 3600);
  HttpResult res = httpRequest({"POST",
                                o.serverUrl + route,
                                {{"Authorization", "Bearer " + token}},
                                body.dump(),
                                "application/json"});
  if (res.status != 200)
    throw std::runtime_error(route + ": HTTP " + std::to_string(res.status) + ": " + res.body);
  return json::parse(res.body);
}

Sample takeSample(const RunOptions& o, uint64_t startNs) {
  Sample s;
  s.tS = static_cast<double>(monotonicNs() - startNs) / 1e9;
  if (auto p = sampleProcess(o.serverPid)) {
    s.cpuS = p->cpuSeconds;
    s.rssKib = p->rssKib;
  }
  s.recorderCpuS = threadsCpuSeconds(o.serverPid, "rc-recorder").value_or(0);
  s.uploadCpuS = threadsCpuSeconds(o.serverPid, "rc-s3-upload").value_or(0);
  s.series = readServerSeries(o.serverUrl, {kWritten, kPending, kTapDrops, "ringcast_recordings"});
  return s;
}

double percent(double cpuS, double wallS) {
  return wallS > 0 ? cpuS / wallS * 100 : 0;
}

json sampleRow(const Sample& prev, const Sample& s) {
  double wall = s.tS - prev.tS;
  return {{"t_s", s.tS},
          {"rss_kib", s.rssKib},
          {"cpu_percent", percent(s.cpuS - prev.cpuS, wall)},
          {"recorder_cpu_percent", percent(s.recorderCpuS - prev.recorderCpuS, wall)},
          {"upload_cpu_percent", percent(s.uploadCpuS - prev.uploadCpuS, wall)},
          {"written_bytes", s.value(kWritten)},
          {"pending_bytes", s.value(kPending)},
          {"tap_drops", s.value(kTapDrops)}};
}

// Least-squares slope of RSS over time for the samples in the second half of the run.
double rssSlopeKibPerMin(const std::vector<Sample>& samples, double durationS) {
  double n = 0, sx = 0, sy = 0, sxx = 0, sxy = 0;
  for (const auto& s : samples) {
    if (s.tS < durationS / 2) continue;
    double x = s.tS / 60, y = static_cast<double>(s.rssKib);
    n += 1;
    sx += x;
    sy += y;
    sxx += x * x;
    sxy += x * y;
  }
  double d = n * sxx - sx * sx;
  return n >= 2 && d != 0 ? (n * sxy - sx * sy) / d : 0;
}

void joinPublishers(Fleet& fleet, const RecordSoakOptions& o) {
  std::vector<PeerSpec> specs;
  for (int i = 0; i < o.recordings; ++i) {
    PeerSpec p;
    p.publisher = true;
    p.identity = "pub-" + std::to_string(i);
    p.videoKbps = o.run.videoKbps;
    p.room = roomName(i);
    specs.push_back(p);
  }
  fleet.joinAll(specs, roomName(0));
  fleet.waitSettled(30);
  size_t connected = 0;
  for (const auto& p : fleet.peers()) connected += p->joinDoneNs() != 0;
  if (connected != specs.size())
    throw std::runtime_error(std::to_string(specs.size() - connected) +
                             " publishers did not connect: " + fleet.firstError());
}

// Stops every recording and waits (up to 300 s: a store may still be uploading) until the server
// counts them as ended.
void stopAll(const RecordSoakOptions& o, const std::vector<std::string>& egressIds,
             const Sample& before) {
  for (size_t i = 0; i < egressIds.size(); ++i)
    appCall(o.run, "/stop-recording", {{"egressId", egressIds[i]}}, roomName(static_cast<int>(i)));
  for (int waited = 0; waited < 3000; ++waited) {
    auto now = readServerSeries(o.run.serverUrl, {"ringcast_recordings_total"});
    double ended =
        now[kCompleted] + now[kFailed] - before.value(kCompleted) - before.value(kFailed);
    if (ended >= static_cast<double>(egressIds.size())) return;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
}

json summarize(const RecordSoakOptions& o, const std::vector<Sample>& samples, long rssBefore,
               const Sample& ended) {
  const Sample& first = samples.front();
  const Sample& last = samples.back();
  double wall = last.tS - first.tS;
  json rows = json::array();
  long maxRss = 0;
  for (size_t i = 1; i < samples.size(); ++i) {
    rows.push_back(sampleRow(samples[i - 1], samples[i]));
    maxRss = std::max(maxRss, samples[i].rssKib);
  }
  double written = last.value(kWritten) - first.value(kWritten);
  return {{"recordings", o.recordings},
          {"video_kbps", o.run.videoKbps},
          {"duration_s", wall},
          {"samples", rows},
          {"server_cpu_percent", percent(last.cpuS - first.cpuS, wall)},
          {"recorder_cpu_percent", percent(last.recorderCpuS - first.recorderCpuS, wall)},
          {"upload_cpu_percent", percent(last.uploadCpuS - first.uploadCpuS, wall)},
          {"written_mbit_per_s", wall > 0 ? written * 8 / wall / 1e6 : 0},
          {"expected_mbit_per_s", o.recordings * (o.run.videoKbps + 40) / 1000.0},
          {"rss_kib",
           {{"before", rssBefore},
            {"first", samples.size() > 1 ? samples[1].rssKib : first.rssKib},
            {"last", last.rssKib},
            {"max", maxRss}}},
          {"rss_slope_kib_per_min", rssSlopeKibPerMin(samples, wall)},
          {"tap_drops", last.value(kTapDrops) - first.value(kTapDrops)},
          {"completed", ended.value(kCompleted) - first.value(kCompleted)},
          {"failed", ended.value(kFailed) - first.value(kFailed)}};
}

}  // namespace

json runRecordSoak(const RecordSoakOptions& o) {
  if (o.recordings < 1) throw std::runtime_error("--recordings must be at least 1");
  if (o.run.serverPid <= 0) throw std::runtime_error("--server-pid is required");
  long rssBefore = sampleProcess(o.run.serverPid).value_or(ProcSample{}).rssKib;
  Fleet fleet(o.run);
  joinPublishers(fleet, o);
  fleet.setMeasuring(true);
  std::vector<std::string> egressIds;
  for (int i = 0; i < o.recordings; ++i) {
    json started = appCall(o.run, "/start-recording", {{"roomName", roomName(i)}}, roomName(i));
    egressIds.push_back(started.value("egressId", ""));
  }
  uint64_t startNs = monotonicNs();
  std::vector<Sample> samples{takeSample(o.run, startNs)};
  while (samples.back().tS < o.durationS) {
    double next = std::min(o.durationS, samples.back().tS + o.sampleS);
    std::this_thread::sleep_for(std::chrono::duration<double>(next - samples.back().tS));
    samples.push_back(takeSample(o.run, startNs));
    std::cerr << formatRecordSoak({{"row", sampleRow(samples[samples.size() - 2], samples.back())}})
              << std::flush;
  }
  stopAll(o, egressIds, samples.front());
  Sample ended = takeSample(o.run, startNs);
  fleet.stopLoops();
  fleet.closeSessions();
  return summarize(o, samples, rssBefore, ended);
}

std::string formatRecordSoak(const json& r) {
  char line[256];
  auto rowText = [&](const json& row) {
    std::snprintf(line, sizeof line,
                  "t=%6.0f s  rss %8.1f MiB  server %5.1f %%  recorder %5.1f %%  upload %5.1f %%"
                  "  written %8.1f MiB  pending %6.1f MiB  tap drops %.0f\n",
                  row["t_s"].get<double>(), row["rss_kib"].get<double>() / 1024,
                  row["cpu_percent"].get<double>(), row["recorder_cpu_percent"].get<double>(),
                  row["upload_cpu_percent"].get<double>(),
                  row["written_bytes"].get<double>() / 1048576,
                  row["pending_bytes"].get<double>() / 1048576, row["tap_drops"].get<double>());
    return std::string(line);
  };
  if (r.contains("row")) return rowText(r["row"]);
  std::string out;
  for (const auto& row : r["samples"]) out += rowText(row);
  const json& rss = r["rss_kib"];
  std::snprintf(line, sizeof line,
                "%d recordings of %d kbit/s for %.0f s: server %.1f %% of a core, recorder "
                "thread %.1f %%, upload thread %.1f %%\n",
                r["recordings"].get<int>(), r["video_kbps"].get<int>(),
                r["duration_s"].get<double>(), r["server_cpu_percent"].get<double>(),
                r["recorder_cpu_percent"].get<double>(), r["upload_cpu_percent"].get<double>());
  out += line;
  std::snprintf(line, sizeof line,
                "written %.2f Mbit/s (expected ~%.2f); RSS before %.1f MiB, first sample %.1f, "
                "last %.1f, max %.1f; slope over the second half %.1f KiB/min\n",
                r["written_mbit_per_s"].get<double>(), r["expected_mbit_per_s"].get<double>(),
                rss["before"].get<double>() / 1024, rss["first"].get<double>() / 1024,
                rss["last"].get<double>() / 1024, rss["max"].get<double>() / 1024,
                r["rss_slope_kib_per_min"].get<double>());
  out += line;
  std::snprintf(line, sizeof line, "tap drops %.0f; recordings completed %.0f, failed %.0f\n",
                r["tap_drops"].get<double>(), r["completed"].get<double>(),
                r["failed"].get<double>());
  return out + line;
}

}  // namespace rc::bench
