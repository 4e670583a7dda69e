// ringcast's own drop counters, read from its Prometheus endpoint (GET /metrics), so a run can
// say whether loss happened inside the server and why.
#pragma once

#include <map>
#include <string>
#include <vector>

namespace rc::bench {

// counter name ("drop_ring", "io_send_would_block", ...) -> value for every
// `ringcast_media_total{counter="..."}` line, and "busy_seconds/<worker>" for every
// `ringcast_worker_busy_seconds_total{worker="..."}`; empty when the endpoint cannot be read
// (e.g. a Janus server).
std::map<std::string, double> readServerCounters(const std::string& baseUrl);

// The value of every series whose name (with its labels, as written: `name{a="b"}`) starts with
// one of `prefixes`; empty when the endpoint cannot be read.
std::map<std::string, double> readServerSeries(const std::string& baseUrl,
                                               const std::vector<std::string>& prefixes);

}  // namespace rc::bench
