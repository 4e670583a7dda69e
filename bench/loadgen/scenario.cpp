// The three scenarios (issue 3): livestream 1 -> N, audio conference 10 -> N, meeting N x N.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <random>
#include <stdexcept>
#include <thread>

#include "bench/loadgen/fleet.h"
#include "bench/loadgen/proc_stats.h"
#include "bench/loadgen/run.h"

namespace rc::bench {
namespace {

// What addWindowFigures needs besides the two snapshots.
struct WindowContext {
  long baselineRss = 0;
  int subscribers = 0;
  bool countAtServer = false;
  double copiesPerPacket = 0;  // subscribers each published packet goes to
  // --count-at-server: before the publishers started, and once the server went quiet after
  // they stopped; loss is counted between the two, where nothing is in flight at either end.
  const Snapshot* mediaStart = nullptr;
  const Snapshot* drained = nullptr;
};

struct Plan {
  std::vector<PeerSpec> publishers, subscriptions;
  int publisherCount = 0, subscriberCount = 0;
};

PeerSpec publisherSpec(const std::string& identity, bool video, int kbps) {
  PeerSpec p;
  p.publisher = true;
  p.identity = identity;
  p.video = video;
  p.videoKbps = kbps;
  return p;
}

// Subscriber `index` receives `from` (each a publisher identity): one subscription per
// publisher, or one for the whole room where the server's subscribe() covers every publisher.
void addSubscriber(Plan& plan, int index, const std::string& identity,
                   const std::vector<std::string>& from, bool video, bool wholeRoom) {
  PeerSpec s;
  s.identity = identity;
  s.video = video;
  s.subscriber = index;
  if (wholeRoom) {
    plan.subscriptions.push_back(s);
    return;
  }
  for (const auto& publisher : from) {
    s.publisherFilter = publisher;
    plan.subscriptions.push_back(s);
  }
}

Plan planScenario(const RunOptions& o, bool wholeRoom) {
  Plan plan;
  bool meeting = o.scenario == "meeting";
  bool video = o.scenario != "audio";
  if (!meeting && o.scenario != "livestream" && o.scenario != "audio")
    throw std::runtime_error("--scenario must be livestream, audio or meeting");
  int m = meeting ? o.subscribers : o.publishers >= 0 ? o.publishers : (video ? 1 : 10);
  if (m < 1 || o.subscribers < (meeting ? 2 : 1))
    throw std::runtime_error("need at least one publisher and one subscriber (meeting: two)");
  std::vector<std::string> names;
  for (int i = 0; i < m; ++i) {
    names.push_back((meeting ? "p-" : "pub-") + std::to_string(i));
    plan.publishers.push_back(publisherSpec(names.back(), video, o.videoKbps));
  }
  for (int i = 0; i < o.subscribers; ++i) {
    std::vector<std::string> from = names;
    if (meeting) from.erase(from.begin() + i);
    std::string identity = meeting ? names[i] + "-rx" : "sub-" + std::to_string(i);
    addSubscriber(plan, i, identity, from, video, wholeRoom);
  }
  plan.publisherCount = m;
  plan.subscriberCount = o.subscribers;
  return plan;
}

std::string randomRoom(const std::string& prefix) {
  std::mt19937_64 rng{std::random_device{}()};
  char buf[17];
  std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(rng()));
  return prefix + buf;
}

double seconds(uint64_t ns) {
  return static_cast<double>(ns) / 1e9;
}

nlohmann::json orNull(bool have, double value) {
  return have ? nlohmann::json(value) : nlohmann::json(nullptr);
}

double medianMs(std::vector<double> v) {
  if (v.empty()) return 0;
  std::nth_element(v.begin(), v.begin() + v.size() / 2, v.end());
  return v[v.size() / 2];
}

// Where a join's time goes: signalling (POST to answer), ICE (answer to the first binding
// success), DTLS (to the handshake's end); medians over the joined peers.
void addJoinPhases(nlohmann::json& j, const Fleet& fleet) {
  std::vector<double> signaling, ice, dtls;
  for (const auto& p : fleet.peers()) {
    if (p->joinDoneNs() == 0 || p->iceDoneNs() == 0) continue;
    signaling.push_back(static_cast<double>(p->answeredNs - p->joinStartNs) / 1e6);
    ice.push_back(static_cast<double>(p->iceDoneNs() - p->answeredNs) / 1e6);
    dtls.push_back(static_cast<double>(p->joinDoneNs() - p->iceDoneNs()) / 1e6);
  }
  j["join_phase_p50_ms"] = {
      {"signaling", medianMs(signaling)}, {"ice", medianMs(ice)}, {"dtls", medianMs(dtls)}};
}

// Join rate over the whole join phase: first POST to the last DTLS completion.
void addJoinFigures(nlohmann::json& j, const Fleet& fleet) {
  addJoinPhases(j, fleet);
  uint64_t first = UINT64_MAX, last = 0;
  std::vector<double> durationsMs;
  for (const auto& p : fleet.peers()) {
    first = std::min(first, p->joinStartNs);
    if (p->joinDoneNs() == 0) continue;
    last = std::max(last, p->joinDoneNs());
    durationsMs.push_back(static_cast<double>(p->joinDoneNs() - p->joinStartNs) / 1e6);
  }
  std::sort(durationsMs.begin(), durationsMs.end());
  double span = last > first ? seconds(last - first) : 0;
  j["joined"] = durationsMs.size();
  j["join_time_s"] = span;
  j["joins_per_s"] = span > 0 ? static_cast<double>(durationsMs.size()) / span : 0.0;
  auto pct = [&](double p) {
    if (durationsMs.empty()) return 0.0;
    return durationsMs[static_cast<size_t>(p / 100.0 *
                                           static_cast<double>(durationsMs.size() - 1))];
  };
  j["join_p50_ms"] = pct(50);
  j["join_p99_ms"] = pct(99);
  uint64_t loopFailures = 0;
  for (const auto& p : fleet.peers()) loopFailures += p->joinDoneNs() == 0;
  j["join_failures"] = fleet.signalingFailures() + loopFailures;
  std::string error = fleet.firstError();
  for (const auto& p : fleet.peers()) {
    if (error.empty() && !p->failure().empty()) error = p->spec().identity + ": " + p->failure();
  }
  j["first_error"] = error;
}

int subscribersWithoutMedia(const Fleet& fleet, int subscribers) {
  std::vector<uint64_t> received(static_cast<size_t>(subscribers), 0);
  for (const auto& p : fleet.peers()) {
    if (p->spec().subscriber >= 0)
      received[static_cast<size_t>(p->spec().subscriber)] += p->packetsReceived();
  }
  return static_cast<int>(std::count(received.begin(), received.end(), 0u));
}

// The subscriber transports that joined, per publisher: each receives one publisher, so
// this is how many copies of a published packet the server should send (a meeting's N - 1).
double copiesPerPublishedPacket(const Fleet& fleet, int publishers) {
  size_t joined = 0;
  for (const auto& p : fleet.peers()) joined += p->spec().subscriber >= 0 && p->joinDoneNs() != 0;
  return publishers > 0 ? static_cast<double>(joined) / publishers : 0.0;
}

double lossRatio(double expected, double got) {
  return expected > 0 && expected > got ? (expected - got) / expected : 0.0;
}

// What the subscribers received, or with --count-at-server what the server sent: forwarded
// packets, forwarded_pps and loss_ratio; returns the packets the window's per-packet figures
// divide by.
uint64_t addForwardedFigures(nlohmann::json& j, const Snapshot& a, const Snapshot& b,
                             const WindowContext& c) {
  double window = seconds(b.ns - a.ns);
  const char* out = "rtp_packets_out";
  bool serverCount = a.serverCounters.contains(out) && b.serverCounters.contains(out);
  double serverOut = serverCount ? b.serverCounters.at(out) - a.serverCounters.at(out) : 0;
  j["server_forwarded_pps"] = orNull(serverCount, serverOut / window);
  j["counted_at"] = c.countAtServer ? "server" : "subscribers";
  if (c.countAtServer) {
    if (!serverCount || !c.mediaStart || !c.drained)
      throw std::runtime_error("--count-at-server: cannot read the server's counter");
    j["forwarded_pps"] = serverOut / window;
    const char* bytes = "rtp_bytes_out";
    if (a.serverCounters.contains(bytes) && b.serverCounters.contains(bytes))
      j["forwarded_bps"] = (b.serverCounters.at(bytes) - a.serverCounters.at(bytes)) * 8 / window;
    // A window's count is off by what is in flight at its edges (one keyframe's fan-out over
    // thousands of subscribers is tens of milliseconds), so loss is counted over the whole
    // media run instead, from before the first packet to after the last one went out.
    const Snapshot &start = *c.mediaStart, &end = *c.drained;
    double total = end.serverCounters.at(out) - start.serverCounters.at(out);
    double expected = static_cast<double>(end.sentPackets - start.sentPackets) * c.copiesPerPacket;
    j["forwarded_of_expected"] = expected > 0 ? total / expected : 0.0;
    j["loss_ratio"] = lossRatio(expected, total);
    j["media_run_s"] = seconds(end.ns - start.ns);
    return static_cast<uint64_t>(serverOut);
  }
  uint64_t packets = b.packets - a.packets;
  j["forwarded_pps"] = static_cast<double>(packets) / window;
  j["forwarded_bps"] = static_cast<double>(b.bytes - a.bytes) * 8 / window;
  j["loss_ratio"] = lossRatio(static_cast<double>(b.expected - a.expected),
                              static_cast<double>(b.unique - a.unique));
  return packets;
}

// ringcast's counters over the window: server_counters (every one that moved), server_drops
// (the drop_* among them) and server_worker_busy_percent (one per worker).
void addServerCounters(nlohmann::json& j, const Snapshot& a, const Snapshot& b) {
  nlohmann::json counters = nlohmann::json::object(), drops = nlohmann::json::object();
  std::vector<double> busy;  // by worker index
  double window = seconds(b.ns - a.ns);
  for (const auto& [name, value] : b.serverCounters) {
    auto before = a.serverCounters.find(name);
    double delta = value - (before == a.serverCounters.end() ? 0 : before->second);
    if (name.starts_with("busy_seconds/")) {
      auto worker = static_cast<size_t>(std::stoul(name.substr(name.find('/') + 1)));
      if (worker >= busy.size()) busy.resize(worker + 1);
      busy[worker] = delta / window * 100;
    } else if (delta != 0) {
      counters[name] = delta;
      if (name.starts_with("drop_")) drops[name] = delta;
    }
  }
  j["server_counters"] = counters;
  j["server_drops"] = drops;
  j["server_worker_busy_percent"] = busy;
}

void addWindowFigures(nlohmann::json& j, const Snapshot& a, const Snapshot& b,
                      const WindowContext& c) {
  double window = seconds(b.ns - a.ns);
  j["duration_s"] = window;
  j["sent_pps"] = static_cast<double>(b.sentPackets - a.sentPackets) / window;
  uint64_t packets = addForwardedFigures(j, a, b, c);
  j["duplicates"] = b.duplicates - a.duplicates;
  j["reordered"] = b.reordered - a.reordered;
  j["decrypt_failures"] = b.decryptFailures - a.decryptFailures;
  j["keyframe_requests"] = b.keyframeRequests - a.keyframeRequests;
  j["nacks"] = b.nacks - a.nacks;
  j["send_errors"] = b.sendErrors - a.sendErrors;
  bool server = a.haveServer && b.haveServer;
  double serverCpu = b.serverCpuS - a.serverCpuS;
  j["server_cpu_percent"] = orNull(server, serverCpu / window * 100);
  j["server_cpu_us_per_packet"] =
      orNull(server && packets > 0, serverCpu * 1e6 / static_cast<double>(packets));
  j["server_rss_kib"] = server ? nlohmann::json(b.serverRssKib) : nlohmann::json(nullptr);
  j["rss_kib_per_subscriber"] =
      orNull(server && c.baselineRss > 0,
             static_cast<double>(b.serverRssKib - c.baselineRss) / std::max(1, c.subscribers));
  j["generator_cpu_percent"] = (b.selfCpuS - a.selfCpuS) / window * 100;
  j["generator_cpu_us_per_packet"] =
      packets > 0 ? (b.selfCpuS - a.selfCpuS) * 1e6 / static_cast<double>(packets) : 0.0;
  j["host_udp_rcvbuf_errors"] = b.udp.rcvbufErrors - a.udp.rcvbufErrors;
  j["host_udp_sndbuf_errors"] = b.udp.sndbufErrors - a.udp.sndbufErrors;
  addServerCounters(j, a, b);
  double busiest = 0;
  for (size_t i = 0; i < b.loopCpuS.size() && i < a.loopCpuS.size(); ++i)
    busiest = std::max(busiest, b.loopCpuS[i] - a.loopCpuS[i]);
  j["generator_busiest_thread_percent"] = busiest / window * 100;
}

// Stops the publishers and waits until the server's rtp_packets_out stops moving (its
// backlog sent or dropped), at most 30 s.
Snapshot stopMediaAndDrain(Fleet& fleet) {
  fleet.setMedia(false);
  auto sent = [](const Snapshot& s) {
    auto it = s.serverCounters.find("rtp_packets_out");
    return it == s.serverCounters.end() ? -1.0 : it->second;
  };
  Snapshot last = fleet.snapshot();
  for (int quiet = 0, i = 0; quiet < 2 && i < 120; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(250));
    Snapshot now = fleet.snapshot();
    quiet = sent(now) == sent(last) ? quiet + 1 : 0;
    last = std::move(now);
  }
  return last;
}

void runAfterJoin(const std::string& command) {
  if (command.empty()) return;
  int rc = std::system(command.c_str());
  if (rc != 0)
    throw std::runtime_error("--after-join command failed (status " + std::to_string(rc) + ")");
}

// Latency and media presence as the subscribers saw them.
void addReceiverFigures(nlohmann::json& j, const Fleet& fleet, int subscribers) {
  LatencyHistogram latency = fleet.mergedLatency();
  j["latency_ms"] = {{"p50", latency.percentileMs(50)},
                     {"p99", latency.percentileMs(99)},
                     {"max", latency.maxMs()}};
  j["latency_samples"] = latency.count();
  j["subscribers_without_media"] = subscribersWithoutMedia(fleet, subscribers);
}

double joinTimeout(const RunOptions& o, size_t count) {
  double ramp = o.rampPerS > 0 ? static_cast<double>(count) / o.rampPerS : 0;
  return 30 + ramp;
}

}  // namespace

std::unique_ptr<Signaling> makeSignaling(const RunOptions& options) {
  if (options.kind == "ringcast")
    return makeWhipSignaling(options.serverUrl, options.apiKey, options.apiSecret);
  if (options.kind == "janus") {
#ifdef RC_BENCH_HAS_JANUS
    return makeJanusSignaling(options.serverUrl);
#else
    throw std::runtime_error("this build has no Janus client (bench/loadgen/janus_*.cpp absent)");
#endif
  }
  throw std::runtime_error("--kind must be ringcast or janus");
}

nlohmann::json runScenario(const RunOptions& options) {
  Fleet fleet(options);
  Plan plan = planScenario(options, fleet.signaling().receivesWholeRoom());
  std::string room = options.room.empty() ? randomRoom("bench-") : options.room;
  long baselineRss = 0;
  if (auto s = sampleProcess(options.serverPid)) baselineRss = s->rssKib;
  fleet.joinAll(plan.publishers, room);
  fleet.waitSettled(joinTimeout(options, plan.publishers.size()));
  fleet.joinAll(plan.subscriptions, room);
  fleet.waitSettled(joinTimeout(options, plan.subscriptions.size()));
  runAfterJoin(options.afterJoin);
  Snapshot mediaStart = fleet.snapshot();
  fleet.setMedia(true);
  std::this_thread::sleep_for(std::chrono::duration<double>(options.settleS));
  fleet.setMeasuring(true);
  Snapshot a = fleet.snapshot();
  std::this_thread::sleep_for(std::chrono::duration<double>(options.durationS));
  Snapshot b = fleet.snapshot();
  fleet.setMeasuring(false);
  Snapshot drained = options.countAtServer ? stopMediaAndDrain(fleet) : b;
  fleet.stopLoops();
  nlohmann::json j;
  j["scenario"] = options.scenario;
  j["server"] = options.kind;
  j["publishers"] = plan.publisherCount;
  j["subscribers"] = plan.subscriberCount;
  j["transports"] = plan.publishers.size() + plan.subscriptions.size();
  j["threads"] = options.threads;
  j["receive_gro"] = options.receiveGro;
  j["video_kbps"] = options.videoKbps;
  addJoinFigures(j, fleet);
  addWindowFigures(j, a, b,
                   {baselineRss, plan.subscriberCount, options.countAtServer,
                    copiesPerPublishedPacket(fleet, plan.publisherCount), &mediaStart, &drained});
  if (!options.countAtServer) addReceiverFigures(j, fleet, plan.subscriberCount);
  fleet.closeSessions();
  return j;
}

nlohmann::json runJoins(const RunOptions& options, int count) {
  if (count < 1) throw std::runtime_error("--count must be at least 1");
  Fleet fleet(options);
  std::string room = options.room.empty() ? randomRoom("joins-") : options.room;
  std::vector<PeerSpec> specs(static_cast<size_t>(count));
  for (int i = 0; i < count; ++i) {
    specs[i].identity = "joiner-" + std::to_string(i);
    specs[i].subscriber = i;
    if (options.rooms > 1) specs[i].room = room + "-" + std::to_string(i % options.rooms);
  }
  double cpuBefore = selfCpuSeconds();
  auto serverBefore = sampleProcess(options.serverPid);
  uint64_t start = monotonicNs();
  fleet.joinAll(specs, room);
  fleet.waitSettled(joinTimeout(options, static_cast<size_t>(count)));
  double wall = seconds(monotonicNs() - start);
  auto serverAfter = sampleProcess(options.serverPid);
  fleet.stopLoops();
  nlohmann::json j;
  j["server"] = options.kind;
  j["joins"] = count;
  j["rooms"] = std::max(1, options.rooms);
  j["threads"] = options.threads;
  addJoinFigures(j, fleet);
  j["generator_cpu_percent"] = (selfCpuSeconds() - cpuBefore) / wall * 100;
  bool server = serverBefore && serverAfter;
  j["server_cpu_percent"] = orNull(
      server, server ? (serverAfter->cpuSeconds - serverBefore->cpuSeconds) / wall * 100 : 0);
  j["server_rss_kib"] = server ? nlohmann::json(serverAfter->rssKib) : nlohmann::json(nullptr);
  fleet.closeSessions();
  return j;
}

}  // namespace rc::bench
