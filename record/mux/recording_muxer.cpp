// The per-file pipeline behind makeRecordingMuxer: RTP packets -> ReorderBuffer ->
// Depacketizer -> keyframe gate -> TrackClocks (timelines, SR alignment) -> AvOutput. Nothing is
// written before the first video keyframe (a recording starts decodable); after a loss a video
// track drops frames until its next keyframe and asks for one (PLI) through takeKeyframeRequest().
#include "record/mux/recording_muxer.h"

#include <stdexcept>

#include "engine/rtp/rtp_packet.h"
#include "record/mux/av_output.h"
#include "record/mux/depacketizer.h"
#include "record/mux/reorder_buffer.h"
#include "record/mux/stream_setup.h"
#include "record/mux/track_clocks.h"

namespace rc::record {
namespace {

struct Track {
  TrackSpec spec;
  std::unique_ptr<Depacketizer> depacketizer;
  ReorderBuffer reorder;
  int stream = -1;
  bool needKeyframe = true, keyframeRequestPending = true;
  int64_t lastArrivalUs = 0;
  int64_t lastPtsUs = -1;  // of the last frame written
};

class PipelineMuxer final : public RecordingMuxer {
 public:
  PipelineMuxer(std::vector<TrackSpec> specs, FragmentSink& sink, MuxOptions options)
      : output_(containerExtension(specs) == "webm" ? "webm" : "mp4", options.fragmentMs, sink),
        clocks_(clockRates(specs)) {
    for (auto& spec : specs) {
      auto d = makeDepacketizer(spec);
      if (!d) throw std::invalid_argument("recording this codec is not supported yet");
      tracks_.push_back(Track{spec, std::move(d), ReorderBuffer(options.reorderWaitMs * 1000LL)});
      hasVideo_ = hasVideo_ || spec.isVideo();
    }
  }

  void onRtp(size_t track, std::span<const uint8_t> packet, int64_t arrivalUs) override {
    if (track >= tracks_.size()) return;
    auto pkt = rtp::RtpPacket::parse(packet);
    if (!pkt) return;  // the worker parsed it already; a copy that no longer parses is dropped
    stats_.packets++;
    Track& t = tracks_[track];
    t.lastArrivalUs = arrivalUs;
    t.reorder.insert(pkt->sequenceNumber(), packet, arrivalUs);
    drain(t, arrivalUs);
  }

  void onSenderReport(size_t track, std::span<const uint8_t> rtcp, int64_t) override {
    if (track >= tracks_.size()) return;
    auto clock = parseSenderClock(rtcp);
    if (!clock) return;
    stats_.senderReports++;
    clocks_.onSenderReport(track, *clock);
  }

  void tick(int64_t nowUs) override {
    for (auto& t : tracks_) drain(t, nowUs);
  }

  bool takeKeyframeRequest(size_t track) override {
    if (track >= tracks_.size() || !tracks_[track].spec.isVideo()) return false;
    bool pending = tracks_[track].keyframeRequestPending;
    tracks_[track].keyframeRequestPending = false;
    if (pending) stats_.keyframeRequests++;
    return pending;
  }

  void finish() override {
    for (auto& t : tracks_) drain(t, INT64_MAX);
    output_.finish();
    stats_.bytesWritten = output_.bytesWritten();
  }

  MuxStats stats() const override {
    MuxStats s = stats_;
    s.bytesWritten = output_.bytesWritten();
    for (const auto& t : tracks_) s.lostPackets += t.reorder.lost();
    for (size_t i = 0; i < tracks_.size(); ++i) s.avSynced = s.avSynced || clocks_.synced(i);
    s.avSyncShiftUs = clocks_.syncShiftUs();
    return s;
  }

 private:
  void drain(Track& t, int64_t nowUs) {
    t.reorder.release(nowUs, [&](std::span<const uint8_t> bytes, bool gap) {
      auto pkt = rtp::RtpPacket::parse(bytes);
      if (!pkt) return;
      if (gap && t.spec.isVideo() && !t.needKeyframe) {
        t.needKeyframe = t.keyframeRequestPending = true;
      }
      auto au = t.depacketizer->push(pkt->payload(), pkt->timestamp(), pkt->marker(), gap);
      if (au) onAccessUnit(t, *au);
    });
  }

  void onAccessUnit(Track& t, AccessUnit& au) {
    if (t.spec.isVideo() && t.needKeyframe) {
      if (!au.keyframe) return void(stats_.droppedFrames++);
      t.needKeyframe = false;
    }
    if (failed_) return void(stats_.droppedFrames++);
    if (!output_.headerWritten() && !startOutput(t, au)) return void(stats_.droppedFrames++);
    if (t.stream < 0) return void(stats_.droppedFrames++);
    size_t index = static_cast<size_t>(&t - tracks_.data());
    int64_t ptsUs = clocks_.toMicros(index, au.rtpTimestamp, t.lastArrivalUs, originUs_);
    // Before the first video keyframe, or (audio moved back by a late sender report, see
    // track_clocks.h) on time already written.
    if (ptsUs < 0 || ptsUs <= t.lastPtsUs) return void(stats_.droppedFrames++);
    if (!output_.writeFrame(t.stream, au.bytes, ptsUs, au.keyframe))
      return void(stats_.droppedFrames++);
    stats_.frames++;
    t.lastPtsUs = ptsUs;
    if (stats_.firstPtsUs < 0) stats_.firstPtsUs = ptsUs;
    stats_.lastPtsUs = std::max(stats_.lastPtsUs, ptsUs);
  }

  // The header needs the video's dimensions (and H264's SPS/PPS): it is written at the first
  // video keyframe, or at the first audio frame of an audio-only recording. Audio before that
  // is dropped so that the file starts decodable.
  bool startOutput(Track& t, const AccessUnit& au) {
    if (hasVideo_ && !t.spec.isVideo()) return false;
    originUs_ = t.lastArrivalUs;
    for (auto& track : tracks_) {
      const AccessUnit* first = &track == &t ? &au : nullptr;
      auto setup = streamSetup(track.spec, first);
      if (!setup) continue;  // a second video track without its keyframe yet: not recorded
      track.stream = output_.addStream(*setup);
    }
    try {
      output_.writeHeader();
    } catch (const std::exception&) {
      failed_ = true;  // libavformat refused these streams: nothing can be written
      return false;
    }
    return true;
  }

  static std::vector<uint32_t> clockRates(const std::vector<TrackSpec>& specs) {
    std::vector<uint32_t> rates;
    for (const auto& s : specs) rates.push_back(s.clockRate);
    return rates;
  }

  std::vector<Track> tracks_;
  AvOutput output_;
  TrackClocks clocks_;
  bool hasVideo_ = false, failed_ = false;
  int64_t originUs_ = 0;
  MuxStats stats_;
};

}  // namespace

std::string containerExtension(const std::vector<TrackSpec>& tracks) {
  for (const auto& t : tracks) {
    if (t.codec == MediaCodec::VP8) return "webm";
    if (t.isVideo()) return "mp4";
  }
  return "webm";  // Opus alone: WebM (RFC 7845 mapping in Matroska), universally playable
}

std::string containerMimeType(const std::vector<TrackSpec>& tracks) {
  bool video = false;
  for (const auto& t : tracks) video = video || t.isVideo();
  return (video ? "video/" : "audio/") + containerExtension(tracks);
}

std::unique_ptr<RecordingMuxer> makeRecordingMuxer(std::vector<TrackSpec> tracks,
                                                   FragmentSink& sink, MuxOptions options) {
  int videos = 0;
  for (const auto& t : tracks) videos += t.isVideo() ? 1 : 0;
  if (tracks.empty() || videos > 1)
    throw std::invalid_argument("a recording file holds one audio and at most one video track");
  return std::make_unique<PipelineMuxer>(std::move(tracks), sink, options);
}

}  // namespace rc::record
