// Fakes of the engine (RecordSource), the store and the muxer for the recorder tests.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "record/recorder.h"

namespace rc::record::testing {

struct FakeSource : RecordSource {
  // room -> identity -> tracks
  std::map<std::string, std::map<std::string, std::vector<TrackSpec>>> rooms;
  std::map<uint64_t, std::vector<std::shared_ptr<RecordTap>>> attached;
  std::vector<std::pair<uint64_t, std::function<void()>>> detaches;
  std::vector<std::pair<uint64_t, size_t>> keyframes;
  std::function<void(const RecordSourceEvent&)> sink;
  uint64_t next = 0;

  TapAttachment attachTaps(const TapRequest& r) override {
    auto room = rooms.find(r.room);
    if (room == rooms.end()) return tapRefusal(404, "room not found");
    TapAttachment a;
    for (const auto& [who, tracks] : room->second) {
      for (const auto& t : tracks) {
        bool want = r.trackIds.empty() ? who == r.identity
                                       : std::find(r.trackIds.begin(), r.trackIds.end(),
                                                   t.trackId) != r.trackIds.end();
        if (!want) continue;
        a.tracks.push_back(t);
        a.identities.push_back(who);
        a.taps.push_back(std::make_shared<RecordTap>(a.taps.size(), 64));
      }
    }
    if (!r.trackIds.empty() && a.tracks.size() != r.trackIds.size())
      return tapRefusal(404, "track not found");
    if (a.tracks.empty()) return tapRefusal(404, "nothing to record");
    a.handle = ++next;
    a.roomSid = "RM_" + r.room;
    attached[a.handle] = a.taps;
    return a;
  }
  void detachTaps(uint64_t handle, std::function<void()> done) override {
    detaches.emplace_back(handle, std::move(done));
  }
  void acknowledgeDetaches() {
    for (auto& [h, done] : detaches)
      if (done) std::exchange(done, nullptr)();
  }
  void requestKeyframe(uint64_t handle, size_t track) override {
    keyframes.emplace_back(handle, track);
  }
  std::vector<std::string> publishers(const std::string& room) override {
    std::vector<std::string> out;
    auto it = rooms.find(room);
    if (it != rooms.end())
      for (const auto& [who, t] : it->second) out.push_back(who);
    return out;
  }
  void setRecordEventSink(std::function<void(const RecordSourceEvent&)> s) override {
    sink = std::move(s);
  }
};

// What a sink received; outlives the sink (the recorder frees sinks after the upload).
struct SinkRecord {
  std::string bytes;
  int cuts = 0;
  bool finished = false, aborted = false;
};

struct FakeSink : FragmentSink {
  std::shared_ptr<SinkRecord> record = std::make_shared<SinkRecord>();
  void append(std::span<const uint8_t> b, bool cut) override {
    record->bytes.append(reinterpret_cast<const char*>(b.data()), b.size());
    record->cuts += cut;
  }
  void finish() override { record->finished = true; }
  void abort(const std::string&) override { record->aborted = true; }
};

struct FakeStore : RecordingStore {
  struct Opened {
    std::string key, contentType;
    std::optional<api::S3Output> s3;
    std::shared_ptr<SinkRecord> sink;
    std::function<void(const UploadResult&)> onDone;
  };
  std::vector<Opened> opened;
  std::vector<ObjectEntry> objects;
  bool listThrows = false;

  std::unique_ptr<FragmentSink> open(const std::string& key, const std::string& contentType,
                                     const std::optional<api::S3Output>& s3,
                                     std::function<void(const UploadResult&)> onDone) override {
    auto sink = std::make_unique<FakeSink>();
    opened.push_back({key, contentType, s3, sink->record, std::move(onDone)});
    return sink;
  }
  // Completes every finished upload.
  void completeUploads(bool ok = true) {
    for (auto& o : opened) {
      if (!o.onDone || !o.sink->finished) continue;
      UploadResult r{ok, o.key, "s3://bucket/" + o.key, o.sink->bytes.size(),
                     ok ? "" : "503 from S3"};
      std::exchange(o.onDone, nullptr)(r);
    }
  }
  size_t recover() override { return 0; }
  std::vector<ObjectEntry> list(const std::string& prefix) override {
    if (listThrows) throw std::runtime_error("connection refused");
    std::vector<ObjectEntry> out;
    for (const auto& o : objects)
      if (o.key.starts_with(prefix)) out.push_back(o);
    return out;
  }
  std::string downloadUrl(const std::string& key, int ttl) override {
    return "https://s3/" + key + "?X-Amz-Expires=" + std::to_string(ttl);
  }
  StoreStats stats() const override { return {}; }
};

// Writes a header on the first packet, then each RTP payload byte count; SRs are counted.
struct FakeMuxer : RecordingMuxer {
  std::vector<TrackSpec> tracks;
  FragmentSink& sink;
  MuxStats s;
  std::vector<char> keyframeWanted;
  int senderReports = 0;
  bool throwOnRtp = false;
  FakeMuxer(std::vector<TrackSpec> t, FragmentSink& out) : tracks(std::move(t)), sink(out) {
    for (const auto& t : tracks) keyframeWanted.push_back(t.isVideo());
  }
  void write(const std::string& text, bool cut) {
    sink.append({reinterpret_cast<const uint8_t*>(text.data()), text.size()}, cut);
    s.bytesWritten += text.size();
  }
  void onRtp(size_t track, std::span<const uint8_t> p, int64_t arrivalUs) override {
    if (throwOnRtp) throw std::runtime_error("bad stream");
    if (s.packets++ == 0) {
      write("HDR", true);
      s.firstPtsUs = arrivalUs;
    }
    s.lastPtsUs = arrivalUs;
    write("[" + std::to_string(track) + ":" + std::to_string(p.size()) + "]", false);
  }
  void onSenderReport(size_t, std::span<const uint8_t>, int64_t) override { ++senderReports; }
  void tick(int64_t) override {}
  bool takeKeyframeRequest(size_t t) override {
    return std::exchange(keyframeWanted[t], char(0)) != 0;
  }
  void finish() override {
    write("END", true);
    sink.finish();
  }
  MuxStats stats() const override { return s; }
};

}  // namespace rc::record::testing
