// The recorder thread: taps -> muxers, ticks, keyframe requests, and the EgressInfo
// state machine (Starting -> Active -> Ending -> Complete | Failed | Aborted).
#include <pthread.h>
#include <spdlog/spdlog.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <chrono>

#include "record/recorder.h"
#include "record/recorder_state.h"
#include "record/recording_keys.h"

namespace rc::record {

using api::EgressStatus;

namespace {

constexpr size_t kMaxSlotsPerTurn = 4096;  // per tap: bounded work per turn

// Like the control thread: below the media workers (nice 10, SCHED_BATCH).
void lowerPriority() {
  setpriority(PRIO_PROCESS, static_cast<id_t>(syscall(SYS_gettid)), 10);
  sched_param param{};
  pthread_setschedparam(pthread_self(), SCHED_BATCH, &param);
  pthread_setname_np(pthread_self(), "rc-recorder");
}

}  // namespace

void RecorderService::run() {
  lowerPriority();
  const auto tick = std::chrono::milliseconds(options_.tickMs);
  for (;;) {
    {
      std::unique_lock lock(notices_->m);
      notices_->cv.wait_for(lock, tick, [&] { return notices_->pending || notices_->stopping; });
      notices_->pending = false;
    }
    turn();
    std::lock_guard lock(notices_->m);
    if (notices_->stopping) break;
  }
  turn();  // the files ended by the destructor are finished and handed to the store
}

void RecorderService::turn() {
  handleNotices();
  {
    std::lock_guard lock(mutex_);
    int64_t nowUs = options_.steadyNowUs();
    for (auto& [id, e] : egresses_) {
      if (isFinal(e->info.status)) continue;
      for (auto& f : e->files) {
        if (f->state == File::State::Recording) feed(*f, nowUs);
      }
      updateState(*e);
    }
  }
  flushEvents();
}

void RecorderService::feed(File& f, int64_t nowUs) {
  try {
    for (size_t i = 0; i < f.taps.size(); ++i) {
      RecordTap& tap = *f.taps[i];
      for (size_t n = 0; n < kMaxSlotsPerTurn; ++n) {
        const TapSlot* slot = tap.front();
        if (!slot) break;
        if (slot->kind == TapKind::Rtp) {
          f.muxer->onRtp(i, slot->data(), slot->arrivalUs);
        } else {
          f.muxer->onSenderReport(i, slot->data(), slot->arrivalUs);
        }
        tap.release();
      }
    }
    f.muxer->tick(nowUs);
    for (size_t i = 0; i < f.tracks.size(); ++i) {
      if (f.muxer->takeKeyframeRequest(i)) source_.requestKeyframe(f.handle, i);
    }
    f.stats = f.muxer->stats();
  } catch (const std::exception& ex) {
    spdlog::error("recorder: {} failed: {}", f.key, ex.what());
    f.error = std::string("muxer: ") + ex.what();
    f.muxer.reset();
    f.sink->abort(f.error);
    f.state = File::State::Done;
    source_.detachTaps(f.handle, [n = notices_, h = f.handle] { n->acknowledge(h); });
  }
}

// Drains what the taps still hold, then finishes the file (the store completes the upload
// and reports through Notices) or, when nothing was written, aborts it.
void RecorderService::endFile(Egress& e, File& f, const char* why) {
  if (f.state != File::State::Recording) return;
  source_.detachTaps(f.handle, [n = notices_, h = f.handle] { n->acknowledge(h); });
  feed(f, options_.steadyNowUs());
  if (f.state != File::State::Recording) return;  // the muxer failed while draining
  int64_t now = options_.unixNowNs();
  f.result.filename = f.key;
  f.result.startedAtNs = f.startedNs;
  f.result.endedAtNs = now;
  if (f.stats.bytesWritten == 0) {
    f.muxer.reset();
    f.sink->abort(std::string("no media was recorded (") + why + ")");
    f.error = "no media was recorded";
    f.state = File::State::Done;
    return;
  }
  try {
    f.muxer->finish();
    f.stats = f.muxer->stats();
    f.state = File::State::Uploading;
  } catch (const std::exception& ex) {
    f.error = std::string("muxer: ") + ex.what();
    f.sink->abort(f.error);
    f.state = File::State::Done;
  }
  if (f.stats.firstPtsUs >= 0 && f.stats.lastPtsUs > f.stats.firstPtsUs) {
    f.result.durationNs = (f.stats.lastPtsUs - f.stats.firstPtsUs) * 1000;
  } else {
    f.result.durationNs = now - f.startedNs;
  }
  spdlog::info(
      "recorder: {} ends ({}): {} bytes, {} ms, {} frames ({} dropped, {} packets lost), {} "
      "sender reports, A/V {}",
      f.key, why, f.stats.bytesWritten, f.result.durationNs / 1'000'000, f.stats.frames,
      f.stats.droppedFrames, f.stats.lostPackets, f.stats.senderReports,
      f.stats.avSynced
          ? fmt::format("synced by sender reports (moved {} ms)", f.stats.avSyncShiftUs / 1000)
          : std::string("placed by arrival"));
  (void)e;
}

void RecorderService::beginEnding(Egress& e, const char* why) {
  e.ending = true;
  if (e.info.status == EgressStatus::Starting || e.info.status == EgressStatus::Active) {
    if (e.info.status == EgressStatus::Active) e.info.status = EgressStatus::Ending;
    e.info.updatedAtNs = options_.unixNowNs();
    emit("egress_updated", e.info);
  }
  for (auto& f : e.files) endFile(e, *f, why);
}

void RecorderService::updateState(Egress& e) {
  if (e.info.status == EgressStatus::Starting && e.bytesWritten() > 0) {
    e.info.status = e.ending ? EgressStatus::Ending : EgressStatus::Active;
    e.info.startedAtNs = e.info.updatedAtNs = options_.unixNowNs();
    emit("egress_updated", e.info);
  }
  if (!e.ending) return;
  for (const auto& f : e.files) {
    if (f->state != File::State::Done) return;
  }
  if (e.room && e.manifest == Egress::Manifest::None && e.bytesWritten() > 0) writeManifest(e);
  if (e.manifest == Egress::Manifest::Uploading) return;
  std::string error;
  bool anyOk = false;
  for (const auto& f : e.files) {
    if (f->ok) anyOk = true;
    if (!f->ok && error.empty() && f->error != "no media was recorded") error = f->error;
  }
  if (!e.manifestError.empty() && error.empty()) error = "manifest: " + e.manifestError;
  if (!anyOk && error.empty()) {
    finishEgress(e, EgressStatus::Aborted, "stopped before any media was recorded");
  } else {
    finishEgress(e, error.empty() ? EgressStatus::Complete : EgressStatus::Failed, error);
  }
}

void RecorderService::finishEgress(Egress& e, EgressStatus status, const std::string& error) {
  e.info.status = status;
  e.info.error = error;
  e.info.endedAtNs = e.info.updatedAtNs = options_.unixNowNs();
  if (e.info.startedAtNs == 0) e.info.startedAtNs = e.requestedNs;
  status == EgressStatus::Complete ? ++completed_ : ++failed_;
  spdlog::info("recorder: {} {}{}{}", e.info.egressId, statusName(status),
               error.empty() ? "" : ": ", error);
  emit("egress_ended", e.info);
}

void RecorderService::writeManifest(Egress& e) {
  std::vector<ManifestEntry> entries;
  for (const auto& f : e.files) {
    if (!f->ok) continue;
    entries.push_back({f->identity, f->key, (f->startedNs - e.requestedNs) / 1'000'000,
                       f->result.durationNs / 1'000'000, f->tracks});
  }
  int64_t now = options_.unixNowNs();
  e.info.manifest = keySafe(e.info.roomName) + "/" + keySafe(e.info.roomName) + "-" +
                    keyTime(e.requestedNs) + ".json";
  api::EgressInfo snapshot = e.info;
  snapshot.endedAtNs = now;
  std::string text = roomManifest(snapshot, entries);
  try {
    auto sink = store_.open(e.info.manifest, "application/json", e.info.request.s3,
                            [n = notices_, id = e.info.egressId, key = e.info.manifest](
                                const UploadResult& u) { n->push(id, key, u); });
    e.manifest = Egress::Manifest::Uploading;
    sink->append({reinterpret_cast<const uint8_t*>(text.data()), text.size()}, true);
    sink->finish();
  } catch (const std::exception& ex) {
    e.manifest = Egress::Manifest::Done;
    e.manifestError = ex.what();
  }
}

void RecorderService::handleNotices() {
  decltype(notices_->uploads) uploads;
  std::vector<RecordSourceEvent> events;
  std::vector<uint64_t> detached;
  {
    std::lock_guard lock(notices_->m);
    uploads.swap(notices_->uploads);
    events.swap(notices_->events);
    detached.swap(notices_->detached);
  }
  std::lock_guard lock(mutex_);
  for (const auto& [egressId, key, upload] : uploads) {
    auto it = egresses_.find(egressId);
    if (it == egresses_.end()) continue;
    Egress& e = *it->second;
    if (key == e.info.manifest) {
      e.manifest = Egress::Manifest::Done;
      if (!upload.ok) e.manifestError = upload.error;
      continue;
    }
    for (auto& f : e.files) {
      if (f->key != key || f->state != File::State::Uploading) continue;
      f->state = File::State::Done;
      f->ok = upload.ok;
      f->error = upload.ok ? "" : "upload: " + upload.error;
      f->result.size = upload.size;
      f->result.location = upload.location;
      f->muxer.reset();
      f->sink.reset();
      if (upload.ok) e.info.files.push_back(f->result);
    }
  }
  for (const auto& ev : events) onSourceEvent(ev);
  for (uint64_t handle : detached) {
    for (auto& [id, e] : egresses_) {
      for (auto& f : e->files) {
        if (f->handle != handle || f->detached) continue;
        f->detached = true;
        for (const auto& t : f->taps) f->tapDrops += t->drops();
        f->taps.clear();  // no worker can write into them any more
      }
    }
  }
}

// Recorded tracks went away: the participant's file ends (a participant or track egress
// then ends too; a room recording goes on). A publisher joining a recorded room is added.
void RecorderService::onSourceEvent(const RecordSourceEvent& ev) {
  using Kind = RecordSourceEvent::Kind;
  for (auto& [id, e] : egresses_) {
    if (e->ending || isFinal(e->info.status) || e->info.roomName != ev.room) continue;
    if (ev.kind == Kind::RoomClosed) {
      beginEnding(*e, "room closed");
    } else if (ev.kind == Kind::TracksGone) {
      for (auto& f : e->files) {
        bool gone = std::any_of(f->tracks.begin(), f->tracks.end(), [&](const TrackSpec& t) {
          return std::find(ev.trackIds.begin(), ev.trackIds.end(), t.trackId) != ev.trackIds.end();
        });
        if (gone) endFile(*e, *f, "tracks unpublished");
      }
      if (!e->room) beginEnding(*e, "participant left");
    } else if (ev.kind == Kind::PublisherJoined && e->room) {
      bool recording = std::any_of(e->files.begin(), e->files.end(), [&](const auto& f) {
        return f->identity == ev.identity && f->state == File::State::Recording;
      });
      if (recording) continue;
      auto [status, error] = addFile(*e, {ev.room, ev.identity, {}}, ev.identity);
      if (status != 200) spdlog::warn("recorder: cannot add {}: {}", ev.identity, error);
    }
  }
}

}  // namespace rc::record
