// `ringcast-bench run` and `ringcast-bench joins`: options, and the JSON they produce.
// The JSON keys are an interface (bench/compare-janus and `capacity` read them):
//   scenario, server, publishers, subscribers, duration_s, joins_per_s, join_failures,
//   forwarded_pps, forwarded_bps, server_cpu_percent, server_cpu_us_per_packet, server_rss_kib,
//   rss_kib_per_subscriber, loss_ratio, latency_ms {p50, p99, max}, generator_cpu_percent,
//   server_forwarded_pps (ringcast's own count), counted_at ("subscribers" | "server")
// (values that cannot be measured, e.g. server figures without --server-pid, are null).
#pragma once

#include <nlohmann/json.hpp>

#include <memory>
#include <string>

#include "bench/loadgen/signaling.h"

namespace rc::bench {

struct RunOptions {
  std::string serverUrl = "http://127.0.0.1:7880";
  std::string kind = "ringcast";  // ringcast | janus
  std::string apiKey, apiSecret;
  std::string scenario = "livestream";  // livestream | audio | meeting
  int publishers = -1;                  // -1: 1 for livestream, 10 for audio
  int subscribers = 10;                 // meeting: the number of participants
  double durationS = 10;                // steady-state measuring window
  double settleS = 2;                   // after the last join, before measuring
  int videoKbps = 1200;
  int serverPid = 0;
  double rampPerS = 0;       // joins per second; 0 = as fast as signalling answers
  int threads = 1;           // media loop threads
  int signalingThreads = 4;  // concurrent HTTP signalling exchanges while joining
  std::string room;          // default: a fresh random room name
  int rooms = 1;             // joins: spread the joiners over this many rooms
  // Subscribers' sockets set UDP_GRO, so a server's GSO send on loopback reaches them as one
  // buffer: the kernel's receive side then costs the server's core per send, not per datagram,
  // as it would with a NIC that segments. Off: every datagram is received alone.
  bool receiveGro = true;
  // Subscribers' sockets bind to this IPv4 address (""= the one the route to the server picks),
  // so a test can route what the server sends them apart from its own HTTP replies.
  std::string subscriberAddress;
  // A shell command run once every subscriber has joined, before the settle time (e.g. the one
  // bench/worker-scaling uses to turn the subscribers' route into a sink). Non-zero exit throws.
  std::string afterJoin;
  // Count forwarded packets at the server (its rtp_packets_out counter) instead of at the
  // subscribers, whose media then goes to a sink: loss is 1 - forwarded / (published x
  // subscribers per publisher), and there is no latency.
  bool countAtServer = false;
  // Publishers connect but send no media until every subscriber has joined (and --after-join
  // ran), so the joins do not compete with forwarding (bench/worker-scaling: the subscribers
  // cannot receive it, and a backlog from the joins would spill into the window).
  bool mediaAfterJoin = false;
};

// Throws std::runtime_error for a bad option or when nothing could join.
nlohmann::json runScenario(const RunOptions& options);

// Joins `count` WHEP subscribers (ICE + DTLS + SRTP keys), spread over options.rooms rooms, and
// reports how fast they complete:
// {"server","joins","joined","join_failures","joins_per_s","join_time_s","join_p50_ms",
//  "join_p99_ms","generator_cpu_percent"}.
nlohmann::json runJoins(const RunOptions& options, int count);

// The human table for either JSON.
std::string formatTable(const nlohmann::json& result);

// ringcast -> makeWhipSignaling; janus -> makeJanusSignaling when this build has it.
std::unique_ptr<Signaling> makeSignaling(const RunOptions& options);

}  // namespace rc::bench
