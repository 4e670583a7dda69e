// The human-readable table printed after a run.
#include <cstdio>
#include <sstream>

#include "bench/loadgen/run.h"

namespace rc::bench {
namespace {

std::string number(const nlohmann::json& v, int decimals) {
  if (v.is_null()) return "n/a";
  if (!v.is_number()) return v.dump();
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", decimals, v.get<double>());
  return buf;
}

void row(std::ostringstream& o, const char* label, const std::string& value, const char* unit) {
  char buf[160];
  std::snprintf(buf, sizeof buf, "  %-28s %14s %s\n", label, value.c_str(), unit);
  o << buf;
}

void field(std::ostringstream& o, const nlohmann::json& j, const char* key, const char* label,
           int decimals, const char* unit) {
  if (j.contains(key)) row(o, label, number(j[key], decimals), unit);
}

}  // namespace

std::string formatTable(const nlohmann::json& j) {
  std::ostringstream o;
  o << "ringcast-bench: " << j.value("scenario", std::string("joins")) << " against "
    << j.value("server", std::string("?")) << "\n";
  field(o, j, "publishers", "publishers", 0, "");
  field(o, j, "subscribers", "subscribers", 0, "");
  field(o, j, "transports", "transports (ICE+DTLS)", 0, "");
  field(o, j, "joins", "joins attempted", 0, "");
  field(o, j, "rooms", "rooms", 0, "");
  field(o, j, "joined", "joined", 0, "");
  field(o, j, "join_failures", "join failures", 0, "");
  field(o, j, "join_time_s", "time to join all", 2, "s");
  field(o, j, "joins_per_s", "joins", 1, "/s");
  field(o, j, "join_p50_ms", "join time p50", 1, "ms");
  field(o, j, "join_p99_ms", "join time p99", 1, "ms");
  if (j.contains("join_phase_p50_ms")) {
    const auto& phase = j["join_phase_p50_ms"];
    row(o, "join p50: signalling", number(phase["signaling"], 1), "ms");
    row(o, "join p50: ICE", number(phase["ice"], 1), "ms");
    row(o, "join p50: DTLS", number(phase["dtls"], 1), "ms");
  }
  field(o, j, "duration_s", "measured window", 1, "s");
  field(o, j, "sent_pps", "published packets", 0, "pkt/s");
  bool atServer = j.value("counted_at", std::string()) == "server";
  field(o, j, "forwarded_pps", atServer ? "forwarded (server's count)" : "forwarded (received)", 0,
        "pkt/s");
  if (!atServer) field(o, j, "server_forwarded_pps", "sent by the server", 0, "pkt/s");
  if (j.contains("forwarded_bps"))
    row(o, "forwarded bitrate", number(j["forwarded_bps"].get<double>() / 1e6, 1), "Mbit/s");
  if (j.contains("loss_ratio")) row(o, "loss", number(j["loss_ratio"].get<double>() * 100, 3), "%");
  field(o, j, "duplicates", "duplicates", 0, "");
  field(o, j, "reordered", "reordered", 0, "");
  field(o, j, "subscribers_without_media", "subscribers without media", 0, "");
  if (j.contains("latency_ms")) {
    row(o, "latency p50", number(j["latency_ms"]["p50"], 3), "ms");
    row(o, "latency p99", number(j["latency_ms"]["p99"], 3), "ms");
    row(o, "latency max", number(j["latency_ms"]["max"], 3), "ms");
  }
  field(o, j, "server_cpu_percent", "server CPU", 1, "% of a core");
  field(o, j, "server_cpu_us_per_packet", "server CPU per fwd packet", 3, "us");
  field(o, j, "server_rss_kib", "server RSS", 0, "KiB");
  field(o, j, "rss_kib_per_subscriber", "server RSS per subscriber", 1, "KiB");
  field(o, j, "host_udp_rcvbuf_errors", "host UDP rcvbuf overflows", 0, "");
  field(o, j, "host_udp_sndbuf_errors", "host UDP sndbuf overflows", 0, "");
  if (j.contains("server_worker_busy_percent") && !j["server_worker_busy_percent"].empty()) {
    std::string busy;
    for (const auto& v : j["server_worker_busy_percent"])
      busy += (busy.empty() ? "" : " / ") + number(v, 1);
    row(o, "server workers busy", busy, "%");
  }
  if (j.contains("server_drops")) {
    for (const auto& [name, value] : j["server_drops"].items()) {
      row(o, ("server " + name).c_str(), number(value, 0), "");
    }
  }
  field(o, j, "generator_cpu_percent", "generator CPU", 1, "% of a core");
  field(o, j, "generator_cpu_us_per_packet", "generator CPU per rcvd packet", 3, "us");
  field(o, j, "generator_busiest_thread_percent", "generator busiest thread", 1, "% of a core");
  if (j.contains("first_error") && !j["first_error"].get<std::string>().empty())
    o << "  first error: " << j["first_error"].get<std::string>() << "\n";
  return o.str();
}

}  // namespace rc::bench
