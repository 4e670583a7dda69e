// One recording file: the depacketized audio and video of one participant (or one
// track), muxed into fragmented MP4 (H264, VP9, AV1, Opus) or WebM (VP8) and written
// to a FragmentSink. Runs on the recorder thread; never on a media worker.
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "record/fragment_sink.h"
#include "record/mux/track_spec.h"

namespace rc::record {

struct MuxOptions {
  int fragmentMs = 2000;    // ~2 s fragments (frag_keyframe + empty_moov)
  int reorderWaitMs = 300;  // how long a gap may wait for a NACKed retransmission
};

struct MuxStats {
  uint64_t packets = 0, frames = 0, bytesWritten = 0;
  uint64_t lostPackets = 0, droppedFrames = 0, keyframeRequests = 0;
  int64_t firstPtsUs = -1, lastPtsUs = -1;  // media time actually written
  uint64_t senderReports = 0;               // RTCP SRs received (all tracks)
  bool avSynced = false;                    // tracks placed by their sender reports
  int64_t avSyncShiftUs = 0;                // how far a placed track was moved to sync
};

class RecordingMuxer {
 public:
  virtual ~RecordingMuxer() = default;
  // A decrypted RTP packet (RTX already unwrapped) of tracks[track].
  virtual void onRtp(size_t track, std::span<const uint8_t> packet, int64_t arrivalUs) = 0;
  // A decrypted RTCP sender report of tracks[track] (RFC 3550 §6.4.1), for A/V alignment.
  virtual void onSenderReport(size_t track, std::span<const uint8_t> rtcp, int64_t arrivalUs) = 0;
  // Releases frames whose reorder wait expired; call at least every 50 ms.
  virtual void tick(int64_t nowUs) = 0;
  // True once each time tracks[track] needs a keyframe (start, or loss): send a PLI.
  virtual bool takeKeyframeRequest(size_t track) = 0;
  // Flushes the last fragment and the trailer, then calls sink.finish().
  virtual void finish() = 0;
  virtual MuxStats stats() const = 0;
};

// "webm" when the video is VP8, otherwise "mp4".
std::string containerExtension(const std::vector<TrackSpec>& tracks);
std::string containerMimeType(const std::vector<TrackSpec>& tracks);

// Throws std::invalid_argument for an unsupported combination (e.g. VP8 with H264).
std::unique_ptr<RecordingMuxer> makeRecordingMuxer(std::vector<TrackSpec> tracks,
                                                   FragmentSink& sink, MuxOptions options = {});

}  // namespace rc::record
