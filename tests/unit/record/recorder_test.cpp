// The recorder's state machine, keys, manifest, listing and metrics against a fake
// engine, store and muxer. The loop is driven by turn() (startThread = false) except in
// the last test, which runs the real thread.
#include "record/recorder.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <chrono>
#include <thread>

#include "fakes.h"
#include "record/recording_keys.h"

namespace rc::record {
namespace {

using api::EgressRequest;
using api::EgressStatus;
using testing::FakeMuxer;
using testing::FakeSource;
using testing::FakeStore;

constexpr int64_t kT0 = 1'795'000'000'000'000'000;  // 2026-11-18T...

TrackSpec audio(const std::string& id) {
  return {id, MediaCodec::Opus, 111, 0, 48000, 2};
}
TrackSpec video(const std::string& id) {
  return {id, MediaCodec::VP8, 96, 0, 90000, 0};
}

struct RecorderTest : ::testing::Test {
  FakeSource source;
  FakeStore store;
  std::vector<FakeMuxer*> muxers;
  bool muxerThrows = false;
  int64_t now = kT0;
  std::vector<std::pair<std::string, api::EgressInfo>> events;
  std::unique_ptr<RecorderService> recorder;

  void SetUp() override {
    source.rooms["class"]["alice"] = {audio("TR_a1"), video("TR_v1")};
    source.rooms["class"]["bob"] = {audio("TR_a2")};
    MuxerFactory factory{
        [this](std::vector<TrackSpec> t, FragmentSink& sink) -> std::unique_ptr<RecordingMuxer> {
          if (muxerThrows) throw std::invalid_argument("VP8 with H264");
          auto m = std::make_unique<FakeMuxer>(std::move(t), sink);
          muxers.push_back(m.get());
          return m;
        },
        [](const std::vector<TrackSpec>& t) {
          for (const auto& s : t)
            if (s.codec == MediaCodec::VP8) return std::string("webm");
          return std::string("mp4");
        },
        [](const std::vector<TrackSpec>&) { return std::string("video/mp4"); }};
    RecorderOptions options;
    options.startThread = false;
    options.unixNowNs = [this] { return now; };
    options.steadyNowUs = [this] { return now / 1000; };
    recorder = std::make_unique<RecorderService>(source, store, factory, options);
    recorder->setEventSink(
        [this](const char* ev, const api::EgressInfo& info) { events.emplace_back(ev, info); });
  }

  EgressRequest participant(const std::string& who) {
    EgressRequest r;
    r.kind = EgressRequest::Kind::Participant;
    r.roomName = "class";
    r.identity = who;
    return r;
  }
  void pushRtp(uint64_t handle, size_t track, size_t bytes = 100) {
    std::vector<uint8_t> p(bytes, 0x80);
    ASSERT_TRUE(source.attached[handle][track]->push(TapKind::Rtp, p, now / 1000));
  }
  api::EgressInfo info(const std::string& id) {
    auto list = recorder->list("", id, false);
    EXPECT_EQ(list.size(), 1u);
    return list.empty() ? api::EgressInfo{} : list[0];
  }
  std::vector<std::string> eventNames() {
    std::vector<std::string> out;
    for (const auto& [e, i] : events)
      out.push_back(e + std::string(":") + std::to_string(int(i.status)));
    return out;
  }
};

TEST_F(RecorderTest, ParticipantRecordingGoesThroughEveryState) {
  auto started = recorder->start(participant("alice"));
  ASSERT_EQ(started.status, 200) << started.error;
  std::string id = started.value.egressId;
  EXPECT_TRUE(id.starts_with("EG_"));
  EXPECT_EQ(id.size(), 15u);
  EXPECT_EQ(started.value.status, EgressStatus::Starting);
  ASSERT_EQ(store.opened.size(), 1u);
  EXPECT_EQ(store.opened[0].key, "class/alice-" + keyTime(kT0) + ".webm");

  recorder->turn();  // no media yet: still starting, but the video keyframe was asked for
  EXPECT_EQ(info(id).status, EgressStatus::Starting);
  ASSERT_EQ(source.keyframes.size(), 1u);
  EXPECT_EQ(source.keyframes[0].second, 1u);  // tracks[1] is the video

  pushRtp(1, 0, 50);
  pushRtp(1, 1, 900);
  std::vector<uint8_t> sr(28, 0x80);
  source.attached[1][0]->push(TapKind::SenderReport, sr, 0);
  now += 1'000'000'000;
  recorder->turn();
  EXPECT_EQ(info(id).status, EgressStatus::Active);
  EXPECT_EQ(info(id).startedAtNs, now);
  EXPECT_EQ(muxers[0]->senderReports, 1);
  EXPECT_EQ(store.opened[0].sink->bytes, "HDR[0:50][1:900]");

  now += 20'000'000'000;
  auto stopped = recorder->stop(id);
  ASSERT_EQ(stopped.status, 200);
  EXPECT_EQ(stopped.value.status, EgressStatus::Ending);
  EXPECT_TRUE(store.opened[0].sink->finished);
  ASSERT_EQ(source.detaches.size(), 1u);

  recorder->turn();  // upload not done yet
  EXPECT_EQ(info(id).status, EgressStatus::Ending);
  store.completeUploads();
  recorder->turn();
  auto done = info(id);
  EXPECT_EQ(done.status, EgressStatus::Complete);
  ASSERT_EQ(done.files.size(), 1u);
  EXPECT_EQ(done.files[0].filename, store.opened[0].key);
  EXPECT_EQ(done.files[0].location, "s3://bucket/" + store.opened[0].key);
  EXPECT_EQ(done.files[0].size, store.opened[0].sink->bytes.size());
  EXPECT_EQ(done.files[0].durationNs, 21'000'000'000);  // one media time: the wall clock
  EXPECT_EQ(done.endedAtNs, now);
  EXPECT_EQ(eventNames(), (std::vector<std::string>{"egress_started:0", "egress_updated:1",
                                                    "egress_updated:2", "egress_ended:3"}));
}

TEST_F(RecorderTest, StopBeforeAnyMediaIsAborted) {
  auto id = recorder->start(participant("bob")).value.egressId;
  recorder->stop(id);
  recorder->turn();
  EXPECT_EQ(info(id).status, EgressStatus::Aborted);
  EXPECT_TRUE(store.opened[0].sink->aborted);
  EXPECT_FALSE(store.opened[0].sink->finished);
  EXPECT_EQ(events.back().first, "egress_ended");
}

TEST_F(RecorderTest, FailedUploadFailsTheEgress) {
  auto id = recorder->start(participant("bob")).value.egressId;
  pushRtp(1, 0);
  recorder->turn();
  recorder->stop(id);
  store.completeUploads(false);
  recorder->turn();
  EXPECT_EQ(info(id).status, EgressStatus::Failed);
  EXPECT_EQ(info(id).error, "upload: 503 from S3");
  EXPECT_TRUE(info(id).files.empty());
}

TEST_F(RecorderTest, RequestErrors) {
  auto r = recorder->start(participant(""));
  EXPECT_EQ(r.status, 400);
  EXPECT_NE(r.error.find("identity"), std::string::npos);
  EgressRequest noRoom = participant("alice");
  noRoom.roomName = "";
  EXPECT_EQ(recorder->start(noRoom).status, 400);
  EgressRequest track;
  track.kind = EgressRequest::Kind::Track;
  track.roomName = "class";
  EXPECT_NE(recorder->start(track).error.find("trackId"), std::string::npos);
  EgressRequest elsewhere = participant("alice");
  elsewhere.roomName = "nowhere";
  EXPECT_EQ(recorder->start(elsewhere).status, 404);
  EXPECT_EQ(recorder->start(participant("carol")).status, 404);
  EXPECT_EQ(recorder->stop("EG_unknown").status, 404);
  EXPECT_TRUE(store.opened.empty());

  auto id = recorder->start(participant("bob")).value.egressId;
  EXPECT_EQ(recorder->stop(id).status, 200);
  EXPECT_EQ(recorder->stop(id).status, 409);
}

TEST_F(RecorderTest, UnsupportedCodecMixDetachesAndRefuses) {
  muxerThrows = true;
  auto r = recorder->start(participant("alice"));
  EXPECT_EQ(r.status, 400);
  EXPECT_NE(r.error.find("VP8 with H264"), std::string::npos);
  ASSERT_EQ(source.detaches.size(), 1u);
  EXPECT_TRUE(store.opened[0].sink->aborted);
  EXPECT_TRUE(recorder->list("", "", false).empty());
}

TEST_F(RecorderTest, MuxerErrorFailsTheFile) {
  auto id = recorder->start(participant("bob")).value.egressId;
  muxers[0]->throwOnRtp = true;
  pushRtp(1, 0);
  recorder->turn();
  recorder->stop(id);
  recorder->turn();
  EXPECT_EQ(info(id).status, EgressStatus::Failed);
  EXPECT_EQ(info(id).error, "muxer: bad stream");
  EXPECT_TRUE(store.opened[0].sink->aborted);
}

TEST_F(RecorderTest, TrackAndTrackCompositeRecordExactlyTheirTracks) {
  EgressRequest track;
  track.kind = EgressRequest::Kind::Track;
  track.roomName = "class";
  track.trackId = "TR_a2";
  track.filepath = "exports/{room_name}/{track_id}";
  auto t = recorder->start(track);
  ASSERT_EQ(t.status, 200) << t.error;
  EXPECT_EQ(store.opened[0].key, "exports/class/TR_a2.mp4");
  EgressRequest composite;
  composite.kind = EgressRequest::Kind::TrackComposite;
  composite.roomName = "class";
  composite.audioTrackId = "TR_a1";
  composite.videoTrackId = "TR_v1";
  ASSERT_EQ(recorder->start(composite).status, 200);
  EXPECT_EQ(muxers[1]->tracks.size(), 2u);
  composite.videoTrackId = "TR_missing";
  EXPECT_EQ(recorder->start(composite).status, 404);
}

TEST_F(RecorderTest, S3OutputReachesTheStore) {
  EgressRequest r = participant("bob");
  r.s3 = api::S3Output{"bucket2", "eu-west-1", "http://127.0.0.1:9000", "AK", "SK", "", true};
  ASSERT_EQ(recorder->start(r).status, 200);
  ASSERT_TRUE(store.opened[0].s3.has_value());
  EXPECT_EQ(store.opened[0].s3->bucket, "bucket2");
}

TEST_F(RecorderTest, ParticipantLeavingEndsItsRecording) {
  auto id = recorder->start(participant("alice")).value.egressId;
  pushRtp(1, 0);
  recorder->turn();
  source.sink({RecordSourceEvent::Kind::TracksGone, "class", "alice", {"TR_a1", "TR_v1"}});
  recorder->turn();
  EXPECT_EQ(info(id).status, EgressStatus::Ending);
  store.completeUploads();
  recorder->turn();
  EXPECT_EQ(info(id).status, EgressStatus::Complete);
}

TEST_F(RecorderTest, RoomRecordingFollowsPublishersAndWritesAManifest) {
  EgressRequest r;
  r.kind = EgressRequest::Kind::Room;
  r.roomName = "class";
  auto started = recorder->start(r);
  ASSERT_EQ(started.status, 200) << started.error;
  std::string id = started.value.egressId;
  ASSERT_EQ(store.opened.size(), 2u);  // alice and bob
  pushRtp(1, 0);
  pushRtp(2, 0);
  recorder->turn();
  EXPECT_EQ(info(id).status, EgressStatus::Active);

  // bob leaves: his file ends, the room recording goes on; carol joins and is added.
  source.sink({RecordSourceEvent::Kind::TracksGone, "class", "bob", {"TR_a2"}});
  source.rooms["class"]["carol"] = {audio("TR_a3")};
  now += 5'000'000'000;
  source.sink({RecordSourceEvent::Kind::PublisherJoined, "class", "carol", {}});
  recorder->turn();
  EXPECT_EQ(info(id).status, EgressStatus::Active);
  ASSERT_EQ(store.opened.size(), 3u);
  EXPECT_TRUE(store.opened[1].sink->finished);
  EXPECT_FALSE(store.opened[0].sink->finished);
  pushRtp(3, 0);
  recorder->turn();

  source.sink({RecordSourceEvent::Kind::RoomClosed, "class", "", {}});
  recorder->turn();
  store.completeUploads();
  recorder->turn();  // the manifest is written once every file is uploaded
  ASSERT_EQ(store.opened.size(), 4u);
  EXPECT_EQ(store.opened[3].contentType, "application/json");
  auto manifest = nlohmann::json::parse(store.opened[3].sink->bytes);
  EXPECT_EQ(manifest["roomName"], "class");
  ASSERT_EQ(manifest["participants"].size(), 3u);
  EXPECT_EQ(manifest["participants"][2]["identity"], "carol");
  EXPECT_EQ(manifest["participants"][2]["startOffsetMs"], 5000);
  EXPECT_EQ(manifest["participants"][0]["tracks"][1]["codec"], "vp8");
  EXPECT_EQ(info(id).status, EgressStatus::Ending);
  store.completeUploads();
  recorder->turn();
  EXPECT_EQ(info(id).status, EgressStatus::Complete);
  EXPECT_EQ(info(id).files.size(), 3u);
  EXPECT_EQ(info(id).manifest, store.opened[3].key);
}

TEST_F(RecorderTest, DetachAcknowledgementReleasesTheTaps) {
  auto id = recorder->start(participant("bob")).value.egressId;
  std::weak_ptr<RecordTap> tap = source.attached[1][0];
  source.attached.clear();
  recorder->stop(id);
  recorder->turn();
  EXPECT_FALSE(tap.expired());  // the worker may still write into it
  source.acknowledgeDetaches();
  recorder->turn();
  EXPECT_TRUE(tap.expired());
}

TEST_F(RecorderTest, MetricsCountActiveDropsAndBytes) {
  auto id = recorder->start(participant("bob")).value.egressId;
  auto tap = source.attached[1][0];
  std::vector<uint8_t> p(10, 0);
  for (int i = 0; i < 70; ++i) tap->push(TapKind::Rtp, p, 0);  // 64 slots: 6 dropped
  recorder->turn();
  auto m = recorder->metrics();
  EXPECT_EQ(m.active, 1u);
  EXPECT_EQ(m.tapDrops, 6u);
  EXPECT_EQ(m.bytesWritten, store.opened[0].sink->bytes.size());
  std::string text;
  recorder->appendMetrics(text);
  EXPECT_NE(text.find("ringcast_recordings_active 1\n"), std::string::npos);
  EXPECT_NE(text.find("ringcast_recorder_tap_drops_total 6\n"), std::string::npos);
  recorder->stop(id);
  store.completeUploads();
  recorder->turn();
  EXPECT_EQ(recorder->metrics().active, 0u);
  EXPECT_EQ(recorder->metrics().completed, 1u);
}

TEST_F(RecorderTest, ListRecordingsSignsUrlsAndAddsDurations) {
  auto id = recorder->start(participant("bob")).value.egressId;
  pushRtp(1, 0);
  recorder->turn();
  now += 3'000'000'000;
  recorder->stop(id);
  store.completeUploads();
  recorder->turn();
  store.objects = {{store.opened[0].key, 1234, 99}, {"other/x.mp4", 1, 1}};
  auto listed = recorder->listRecordings("class", 600);
  ASSERT_EQ(listed.status, 200);
  ASSERT_EQ(listed.value.size(), 1u);
  EXPECT_EQ(listed.value[0].size, 1234u);
  EXPECT_EQ(listed.value[0].url, "https://s3/" + store.opened[0].key + "?X-Amz-Expires=600");
  EXPECT_EQ(listed.value[0].startedAtNs, kT0);
  EXPECT_EQ(listed.value[0].durationNs, 3'000'000'000);  // no media time: wall clock
  store.listThrows = true;
  EXPECT_EQ(recorder->listRecordings("class", 600).status, 503);
  EXPECT_EQ(recorder->listRecordings("", 600).status, 400);
}

TEST(RecordingKeys, TemplatesAreSanitisedAndGetTheExtension) {
  KeyFields f{"my room", "RM_1", "alice/../x", "TR_1", kT0};
  EXPECT_EQ(recordingKey("", f, "mp4"), "my_room/alice_.._x-" + keyTime(kT0) + ".mp4");
  EXPECT_EQ(recordingKey("/{room_name}/{publisher_identity}-{time}.mp4", f, "mp4"),
            "my_room/alice_.._x-" + keyTime(kT0) + ".mp4");
  EXPECT_EQ(recordingKey("out/", f, "webm"), "out/alice_.._x-" + keyTime(kT0) + ".webm");
  EXPECT_EQ(recordingKey("../../etc/{room_id}", f, "mp4"), "etc/RM_1.mp4");
  EXPECT_EQ(keyTime(0), "1970-01-01T000000");
}

TEST(RecorderThread, RecordsWithoutBeingDriven) {
  FakeSource source;
  FakeStore store;
  source.rooms["r"]["p"] = {audio("TR_1")};
  MuxerFactory factory{[](std::vector<TrackSpec> t, FragmentSink& sink) {
                         return std::unique_ptr<RecordingMuxer>(new FakeMuxer(std::move(t), sink));
                       },
                       [](const auto&) { return std::string("mp4"); },
                       [](const auto&) { return std::string("video/mp4"); }};
  RecorderOptions options;
  options.tickMs = 5;
  RecorderService recorder(source, store, factory, options);
  EgressRequest r;
  r.roomName = "r";
  r.identity = "p";
  auto id = recorder.start(r).value.egressId;
  std::vector<uint8_t> p(20, 0);
  source.attached[1][0]->push(TapKind::Rtp, p, 1);
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (recorder.list("", id, false)[0].status != EgressStatus::Active &&
         std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  EXPECT_EQ(recorder.list("", id, false)[0].status, EgressStatus::Active);
}

}  // namespace
}  // namespace rc::record
