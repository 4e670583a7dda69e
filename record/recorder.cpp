// RecorderService: the api::Recorder calls (control thread) and the recording state
// machine. The loop itself is in recorder_loop.cpp.
#include "record/recorder.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <chrono>
#include <random>

#include "record/recorder_state.h"
#include "record/recording_keys.h"

namespace rc::record {

using api::EgressInfo;
using api::EgressRequest;
using api::EgressStatus;
using api::RecorderResult;

std::string newEgressId() {
  static constexpr char kAlphabet[] =
      "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
  thread_local std::mt19937_64 rng{std::random_device{}()};
  std::string id = "EG_";
  for (int i = 0; i < 12; ++i) id += kAlphabet[rng() % (sizeof kAlphabet - 1)];
  return id;
}

RecorderService::RecorderService(RecordSource& source, RecordingStore& store, MuxerFactory muxers,
                                 RecorderOptions options)
    : source_(source),
      store_(store),
      muxers_(std::move(muxers)),
      options_(std::move(options)),
      notices_(std::make_shared<Notices>()) {
  if (!options_.unixNowNs) {
    options_.unixNowNs = [] {
      return std::chrono::system_clock::now().time_since_epoch() / std::chrono::nanoseconds(1);
    };
  }
  if (!options_.steadyNowUs) {
    options_.steadyNowUs = [] {
      return std::chrono::steady_clock::now().time_since_epoch() / std::chrono::microseconds(1);
    };
  }
  source_.setRecordEventSink([n = notices_](const RecordSourceEvent& ev) { n->push(ev); });
  if (options_.startThread) thread_ = std::thread([this] { run(); });
}

RecorderService::~RecorderService() {
  source_.setRecordEventSink(nullptr);
  {
    std::lock_guard lock(mutex_);
    for (auto& [id, e] : egresses_) {
      if (!e->ending && !isFinal(e->info.status)) beginEnding(*e, "server stopping");
    }
  }
  notices_->stop();
  if (thread_.joinable()) thread_.join();
  flushEvents();
}

void RecorderService::setEventSink(api::EgressEventSink sink) {
  std::lock_guard lock(mutex_);
  sink_ = std::move(sink);
}

void RecorderService::emit(const char* event, const EgressInfo& info) {
  pendingEvents_.emplace_back(event, info);
}

void RecorderService::flushEvents() {
  std::vector<std::pair<const char*, EgressInfo>> events;
  api::EgressEventSink sink;
  {
    std::lock_guard lock(mutex_);
    events.swap(pendingEvents_);
    sink = sink_;
  }
  if (!sink) return;
  for (const auto& [event, info] : events) sink(event, info);
}

namespace {

std::string validate(const EgressRequest& r) {
  if (r.roomName.empty()) return "roomName";
  switch (r.kind) {
    case EgressRequest::Kind::Participant:
      return r.identity.empty() ? "identity" : "";
    case EgressRequest::Kind::Track:
      return r.trackId.empty() ? "trackId" : "";
    case EgressRequest::Kind::TrackComposite:
      return r.audioTrackId.empty() && r.videoTrackId.empty() ? "audioTrackId" : "";
    case EgressRequest::Kind::Room:
      return "";
  }
  return "";
}

TapRequest tapRequestFor(const EgressRequest& r) {
  TapRequest t{r.roomName, r.identity, {}};
  if (r.kind == EgressRequest::Kind::Track) t.trackIds = {r.trackId};
  if (r.kind == EgressRequest::Kind::TrackComposite) {
    for (const auto* id : {&r.audioTrackId, &r.videoTrackId})
      if (!id->empty()) t.trackIds.push_back(*id);
  }
  return t;
}

}  // namespace

RecorderResult<EgressInfo> RecorderService::start(const EgressRequest& request) {
  RecorderResult<EgressInfo> result;
  {
    std::lock_guard lock(mutex_);
    result = startLocked(request);
  }
  flushEvents();
  notices_->wakeUp();
  return result;
}

RecorderResult<EgressInfo> RecorderService::startLocked(const EgressRequest& request) {
  if (auto field = validate(request); !field.empty()) {
    return {400, "field '" + field + "' is required", {}};
  }
  auto e = std::make_unique<Egress>();
  e->info.egressId = newEgressId();
  e->info.roomName = request.roomName;
  e->info.request = request;
  e->info.updatedAtNs = e->requestedNs = options_.unixNowNs();
  e->room = request.kind == EgressRequest::Kind::Room;
  std::vector<std::string> identities;
  if (e->room) {
    identities = source_.publishers(request.roomName);
    if (identities.empty()) {
      return {404, "room '" + request.roomName + "' has no publisher to record", {}};
    }
  }
  if (!e->room) {
    auto [status, error] = addFile(*e, tapRequestFor(request), request.identity);
    if (status != 200) return {status, error, {}};
  }
  for (const auto& who : identities) {
    auto [status, error] = addFile(*e, {request.roomName, who, {}}, who);
    if (status != 200) spdlog::warn("recorder: {} in room {}: {}", who, request.roomName, error);
  }
  if (e->files.empty())
    return {409, "nothing in room '" + request.roomName + "' can be recorded", {}};
  spdlog::info("recorder: {} started ({} file(s), room {})", e->info.egressId, e->files.size(),
               request.roomName);
  emit("egress_started", e->info);
  EgressInfo info = e->info;
  egresses_[info.egressId] = std::move(e);
  forgetOldEgresses();
  return {200, {}, info};
}

std::pair<int, std::string> RecorderService::addFile(Egress& e, const TapRequest& tapRequest,
                                                     const std::string& identity) {
  TapAttachment att = source_.attachTaps(tapRequest);
  if (att.status != 200) return {att.status, att.error};
  auto f = std::make_unique<File>();
  f->handle = att.handle;
  f->identity = identity.empty() ? att.identities.front() : identity;
  f->tracks = att.tracks;
  f->taps = att.taps;
  f->startedNs = options_.unixNowNs();
  e.info.roomId = att.roomSid;
  const auto& r = e.info.request;
  bool templated = !e.room || r.filepath.find("{publisher_identity}") != std::string::npos;
  KeyFields fields{r.roomName, att.roomSid, f->identity,
                   att.tracks.size() == 1 ? att.tracks[0].trackId : "", f->startedNs};
  try {
    f->key = recordingKey(templated ? r.filepath : "", fields, muxers_.extension(f->tracks));
    f->sink = store_.open(f->key, muxers_.mimeType(f->tracks), r.s3,
                          [n = notices_, id = e.info.egressId,
                           key = f->key](const UploadResult& u) { n->push(id, key, u); });
    f->muxer = muxers_.make(f->tracks, *f->sink);
  } catch (const std::exception& ex) {
    if (f->sink) f->sink->abort(ex.what());
    source_.detachTaps(att.handle, nullptr);
    return {400, std::string("cannot record: ") + ex.what()};
  }
  e.files.push_back(std::move(f));
  return {200, {}};
}

RecorderResult<EgressInfo> RecorderService::stop(const std::string& egressId) {
  RecorderResult<EgressInfo> result;
  {
    std::lock_guard lock(mutex_);
    auto it = egresses_.find(egressId);
    if (it == egresses_.end()) {
      result = {404, "egress '" + egressId + "' not found", {}};
    } else if (it->second->ending || isFinal(it->second->info.status)) {
      result = {409, "egress '" + egressId + "' is already " + statusName(it->second->info.status),
                it->second->info};
    } else {
      beginEnding(*it->second, "stopped");
      result = {200, {}, it->second->info};
    }
  }
  flushEvents();
  notices_->wakeUp();
  return result;
}

std::vector<EgressInfo> RecorderService::list(const std::string& roomName,
                                              const std::string& egressId, bool activeOnly) {
  std::vector<EgressInfo> out;
  std::lock_guard lock(mutex_);
  for (const auto& [id, e] : egresses_) {
    if (!roomName.empty() && e->info.roomName != roomName) continue;
    if (!egressId.empty() && id != egressId) continue;
    if (activeOnly && isFinal(e->info.status)) continue;
    out.push_back(e->info);
  }
  std::sort(out.begin(), out.end(),
            [](const auto& a, const auto& b) { return a.egressId < b.egressId; });
  return out;
}

RecorderResult<std::vector<api::RecordingListing>> RecorderService::listRecordings(
    const std::string& roomName, int urlTtlSec) {
  if (roomName.empty()) return {400, "field 'roomName' is required", {}};
  std::vector<ObjectEntry> objects;
  try {
    objects = store_.list(keySafe(roomName) + "/");
  } catch (const std::exception& e) {
    return {503, std::string("recording storage unavailable: ") + e.what(), {}};
  }
  std::vector<api::RecordingListing> out;
  for (const auto& o : objects) {
    api::RecordingListing l{o.key, o.size, o.lastModifiedMs, store_.downloadUrl(o.key, urlTtlSec)};
    std::lock_guard lock(mutex_);
    for (const auto& [id, e] : egresses_) {
      for (const auto& f : e->files) {
        if (f->key != o.key) continue;
        l.startedAtNs = f->result.startedAtNs;
        l.durationNs = f->result.durationNs;
      }
    }
    out.push_back(std::move(l));
  }
  return {200, {}, std::move(out)};
}

void RecorderService::forgetOldEgresses() {
  constexpr size_t kKeepFinal = 1000;
  size_t finals = 0;
  for (const auto& [id, e] : egresses_) finals += isFinal(e->info.status) ? 1 : 0;
  for (auto it = egresses_.begin(); finals > kKeepFinal && it != egresses_.end();) {
    if (!isFinal(it->second->info.status)) {
      ++it;
      continue;
    }
    dropsOfForgotten_ += it->second->tapDrops();
    bytesOfForgotten_ += it->second->bytesWritten();
    it = egresses_.erase(it);
    --finals;
  }
}

RecorderMetrics RecorderService::metrics() const {
  RecorderMetrics m;
  std::lock_guard lock(mutex_);
  m.tapDrops = dropsOfForgotten_;
  m.bytesWritten = bytesOfForgotten_;
  for (const auto& [id, e] : egresses_) {
    m.active += isFinal(e->info.status) ? 0 : 1;
    m.tapDrops += e->tapDrops();
    m.bytesWritten += e->bytesWritten();
  }
  m.completed = completed_;
  m.failed = failed_;
  return m;
}

void RecorderService::appendMetrics(std::string& out) const {
  RecorderMetrics m = metrics();
  auto series = [&](const char* name, const char* type, const char* help, uint64_t v) {
    out += std::string("# HELP ") + name + " " + help + "\n# TYPE " + name + " " + type + "\n" +
           name + " " + std::to_string(v) + "\n";
  };
  series("ringcast_recordings_active", "gauge", "Recordings (egresses) not yet ended.", m.active);
  series("ringcast_recorder_tap_drops_total", "counter",
         "Packets dropped because a recording tap ring was full.", m.tapDrops);
  series("ringcast_recorder_bytes_written_total", "counter",
         "Bytes the muxers wrote into recording files.", m.bytesWritten);
  out +=
      "# HELP ringcast_recordings_total Recordings ended, by result.\n"
      "# TYPE ringcast_recordings_total counter\n"
      "ringcast_recordings_total{result=\"complete\"} " +
      std::to_string(m.completed) + "\nringcast_recordings_total{result=\"failed\"} " +
      std::to_string(m.failed) + "\n";
}

}  // namespace rc::record
