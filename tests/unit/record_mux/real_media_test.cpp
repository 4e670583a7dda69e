// End to end with real media: the ffmpeg CLI encodes 4 s of test video (VP8, H264 with
// libx264, VP9 with libvpx-vp9, AV1 with libaom-av1) and Opus audio; the frames are read
// back with libavformat, packetized into RTP as WebRTC senders do (RFC 7741, RFC 6184
// FU-A/single NAL, RFC 9628, the AOM AV1 payload format, RFC 7587), partly reordered,
// fed to makeRecordingMuxer, and the file it writes must satisfy ffprobe and decode with no
// error. Skips when ffmpeg/ffprobe or the encoders are missing.
extern "C" {
#include <libavformat/avformat.h>
}

#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <string>
#include <vector>

#include "engine/rtcp/reports.h"
#include "engine/rtp/rtp_packet.h"
#include "record/mux/recording_muxer.h"
#include "tests/unit/record_mux/rtp_packetizers.h"

namespace rc::record {
namespace {

namespace fs = std::filesystem;
using namespace rc::record::testing;
constexpr int64_t kAudioLateUs = 150'000;  // audio packets arrive 150 ms after the video's
constexpr int64_t kReportsAtUs = 1'000'000;

std::string run(const std::string& cmd) {
  std::string out;
  FILE* p = popen((cmd + " 2>&1").c_str(), "r");
  if (!p) return "popen failed";
  std::array<char, 4096> buf;
  while (size_t n = fread(buf.data(), 1, buf.size(), p)) out.append(buf.data(), n);
  pclose(p);
  return out;
}

// Every frame of the first stream of `file`, with its pts in microseconds.
std::vector<Frame> readFrames(const std::string& file) {
  std::vector<Frame> frames;
  AVFormatContext* ctx = nullptr;
  if (avformat_open_input(&ctx, file.c_str(), nullptr, nullptr) < 0) return frames;
  avformat_find_stream_info(ctx, nullptr);
  AVPacket* pkt = av_packet_alloc();
  while (av_read_frame(ctx, pkt) >= 0) {
    AVRational tb = ctx->streams[pkt->stream_index]->time_base;
    // A raw H264 stream has no timestamps: frames are 1/30 s apart (the encoder's rate).
    int64_t ptsUs = pkt->pts == AV_NOPTS_VALUE ? static_cast<int64_t>(frames.size()) * 1000000 / 30
                                               : av_rescale_q(pkt->pts, tb, {1, 1000000});
    frames.push_back(
        {{pkt->data, pkt->data + pkt->size}, ptsUs, (pkt->flags & AV_PKT_FLAG_KEY) != 0});
    av_packet_unref(pkt);
  }
  av_packet_free(&pkt);
  avformat_close_input(&ctx);
  return frames;
}

// Packets of the first stream of `type` in `file`: bytes -> pts in microseconds.
std::map<std::vector<uint8_t>, int64_t> packetsOf(const std::string& file, AVMediaType type) {
  std::map<std::vector<uint8_t>, int64_t> packets;
  AVFormatContext* ctx = nullptr;
  if (avformat_open_input(&ctx, file.c_str(), nullptr, nullptr) < 0) return packets;
  avformat_find_stream_info(ctx, nullptr);
  int stream = av_find_best_stream(ctx, type, -1, -1, nullptr, 0);
  AVPacket* pkt = av_packet_alloc();
  while (stream >= 0 && av_read_frame(ctx, pkt) >= 0) {
    if (pkt->stream_index == stream) {
      AVRational tb = ctx->streams[stream]->time_base;
      packets.emplace(std::vector<uint8_t>(pkt->data, pkt->data + pkt->size),
                      av_rescale_q(pkt->pts, tb, {1, 1000000}));
    }
    av_packet_unref(pkt);
  }
  av_packet_free(&pkt);
  avformat_close_input(&ctx);
  return packets;
}

// The recorded video frames in order (their bytes change: MP4 stores H264 with length
// prefixes and AV1 without temporal delimiters) keyed by the source frames' bytes: every
// source frame is recorded (checked with nb_read_frames below).
std::map<std::vector<uint8_t>, int64_t> videoPts(const std::string& file,
                                                 const std::vector<Frame>& source) {
  std::vector<int64_t> pts;
  for (const auto& [bytes, p] : packetsOf(file, AVMEDIA_TYPE_VIDEO)) pts.push_back(p);
  std::sort(pts.begin(), pts.end());
  std::map<std::vector<uint8_t>, int64_t> byBytes;
  for (size_t i = 0; i < pts.size() && i < source.size(); ++i)
    byBytes.emplace(source[i].bytes, pts[i]);
  return byBytes;
}

// Median of (recorded pts - capture time) over the frames captured after `fromUs`, matching
// recorded packets to source frames by their bytes.
int64_t medianShift(const std::map<std::vector<uint8_t>, int64_t>& recorded,
                    const std::vector<Frame>& source, int64_t fromUs) {
  std::vector<int64_t> shifts;
  for (const auto& f : source) {
    auto it = recorded.find(f.bytes);
    if (f.ptsUs >= fromUs && it != recorded.end()) shifts.push_back(it->second - f.ptsUs);
  }
  if (shifts.empty()) return INT64_MIN;
  std::nth_element(shifts.begin(), shifts.begin() + shifts.size() / 2, shifts.end());
  return shifts[shifts.size() / 2];
}

// RFC 3550 §6.4.1 sender report tying capture time 0 (NTP kNtpSec) to `rtpAtZero`.
std::vector<uint8_t> senderReport(uint32_t ssrc, uint32_t rtpAtZero) {
  rtcp::SenderReport sr;
  sr.ssrc = ssrc;
  sr.ntpSec = 3'900'000'000u;
  sr.rtpTs = rtpAtZero;
  std::vector<uint8_t> out(28);
  out.resize(rtcp::writeSenderReport(out, sr));
  return out;
}

struct FileSink : FragmentSink {
  std::vector<uint8_t> bytes;
  int cuts = 0;
  bool finished = false;
  void append(std::span<const uint8_t> b, bool cut) override {
    bytes.insert(bytes.end(), b.begin(), b.end());
    cuts += cut ? 1 : 0;
  }
  void finish() override { finished = true; }
  void abort(const std::string&) override {}
};

struct Case {
  const char* name;
  MediaCodec codec;
  const char* encoder;
  const char* rawFormat;
  const char* expectCodec;
  const char* options = "";  // encoder options, as a WebRTC sender would configure it
};

void packetize(MediaCodec codec, Packetizer& p, std::vector<Rtp>& out, const Frame& f,
               uint16_t pictureId) {
  switch (codec) {
    case MediaCodec::VP8:
      return packetizeVp8(p, out, f);
    case MediaCodec::H264:
      return packetizeH264(p, out, f);
    case MediaCodec::VP9:
      return packetizeVp9(p, out, f, pictureId, 320, 240);
    case MediaCodec::AV1:
      return packetizeAv1(p, out, f);
    case MediaCodec::Opus:
      break;
  }
}

class RealMedia : public ::testing::TestWithParam<Case> {};

TEST_P(RealMedia, RecordedFilePassesFfprobeAndDecodes) {
  const Case& c = GetParam();
  if (run("ffmpeg -hide_banner -encoders").find(c.encoder) == std::string::npos)
    GTEST_SKIP() << "ffmpeg without " << c.encoder;
  fs::path dir = fs::temp_directory_path() / ("rc-mux-" + std::string(c.name));
  fs::create_directories(dir);
  std::string video = (dir / "v.raw").string(), audio = (dir / "a.ogg").string();
  run("ffmpeg -y -v error -f lavfi -i testsrc=size=320x240:rate=30 -t 4 -g 60 -c:v " +
      std::string(c.encoder) + " " + c.options + " -f " + c.rawFormat + " " + video);
  run("ffmpeg -y -v error -f lavfi -i sine=frequency=440:sample_rate=48000 -t 4 -ac 2 -c:a "
      "libopus -frame_duration 20 " +
      audio);
  auto videoFrames = readFrames(video), audioFrames = readFrames(audio);
  ASSERT_GT(videoFrames.size(), 100u);
  ASSERT_GT(audioFrames.size(), 150u);

  std::vector<Rtp> rtp;
  Packetizer vp(0, 96, 90000), ap(1, 111, 48000);
  vp.setTimestampBase(0x12345678u);
  ap.setTimestampBase(0xfffff000u);  // wraps
  uint16_t pictureId = 0;
  for (const auto& f : videoFrames) packetize(c.codec, vp, rtp, f, pictureId++);
  for (const auto& f : audioFrames) ap.add(rtp, f.bytes, f.ptsUs, false);
  for (auto& p : rtp) p.sendUs += p.track == 1 ? kAudioLateUs : 0;  // skewed arrival
  std::stable_sort(rtp.begin(), rtp.end(), [](auto& a, auto& b) { return a.sendUs < b.sendUs; });
  for (size_t i = 10; i + 1 < rtp.size(); i += 37) std::swap(rtp[i], rtp[i + 1]);  // reorder

  TrackSpec v{"TR_v", c.codec, 96, 0, 90000, 0}, a{"TR_a", MediaCodec::Opus, 111, 0, 48000, 2};
  FileSink sink;
  auto muxer = makeRecordingMuxer({v, a}, sink, MuxOptions{2000, 100});
  EXPECT_TRUE(muxer->takeKeyframeRequest(0)) << "a recording asks for a keyframe at start";
  bool reported = false;
  for (const auto& p : rtp) {
    if (!reported && p.sendUs >= kReportsAtUs) {  // after both tracks were placed by arrival
      muxer->onSenderReport(0, senderReport(0x1000, vp.rtpTimestamp(0)), 1'000'000 + p.sendUs);
      muxer->onSenderReport(1, senderReport(0x1001, ap.rtpTimestamp(0)), 1'000'000 + p.sendUs);
      reported = true;
    }
    muxer->onRtp(p.track, p.bytes, 1'000'000 + p.sendUs);
    muxer->tick(1'000'000 + p.sendUs);
  }
  // Crash safety needs the fragments in the sink while the recording runs, not at finish().
  size_t beforeFinish = sink.bytes.size();
  int cutsBeforeFinish = sink.cuts;
  muxer->finish();
  ASSERT_TRUE(sink.finished);
  EXPECT_GE(cutsBeforeFinish, 2) << "header + at least one whole fragment before the end";
  EXPECT_GT(beforeFinish, sink.bytes.size() / 3) << "fragments reach the sink as they close";
  EXPECT_GE(sink.cuts, 3) << "header + at least two fragments";
  MuxStats st = muxer->stats();
  EXPECT_EQ(st.lostPackets, 0u);
  EXPECT_EQ(st.senderReports, 2u);
  EXPECT_TRUE(st.avSynced);
  EXPECT_NEAR(st.avSyncShiftUs, -kAudioLateUs, 1000) << "audio moved back by its lateness";
  EXPECT_GT(st.frames, videoFrames.size());

  std::string text(sink.bytes.begin(), sink.bytes.end());
  if (containerExtension({v, a}) == "mp4") {
    EXPECT_NE(text.find("moof"), std::string::npos) << "fragmented MP4";
  }
  std::string out = (dir / ("out." + containerExtension({v, a}))).string();
  std::ofstream(out, std::ios::binary)
      .write(reinterpret_cast<const char*>(sink.bytes.data()), std::streamsize(sink.bytes.size()));
  std::string probe = run("ffprobe -v error -show_entries stream=codec_name -of csv=p=0 " + out);
  EXPECT_NE(probe.find(c.expectCodec), std::string::npos) << probe;
  EXPECT_NE(probe.find("opus"), std::string::npos) << probe;
  std::string lastPts =
      run("ffprobe -v error -select_streams v -show_entries packet=pts_time "
          "-of csv=p=0 " +
          out + " | sort -g | tail -1");
  double seconds = std::atof(lastPts.c_str());
  EXPECT_NEAR(seconds, 4.0, 0.4) << lastPts;
  // After the sender reports, audio and video are where they were captured relative to each
  // other (within a millisecond), whatever the arrival skew.
  int64_t videoShift = medianShift(videoPts(out, videoFrames), videoFrames, 2'000'000);
  int64_t audioShift = medianShift(packetsOf(out, AVMEDIA_TYPE_AUDIO), audioFrames, 2'000'000);
  ASSERT_NE(videoShift, INT64_MIN);
  ASSERT_NE(audioShift, INT64_MIN);
  EXPECT_NEAR(audioShift, videoShift, 1000) << "A/V aligned by the sender reports";
  std::printf("%s: video shift %.3f ms, audio shift %.3f ms\n", c.name, videoShift / 1e3,
              audioShift / 1e3);
  // The stream's size in the header is the picture's, and every frame decodes.
  std::string decoded =
      run("ffprobe -v error -count_frames -select_streams v -show_entries "
          "stream=width,height,nb_read_frames -of csv=p=0 " +
          out);
  int width = 0, height = 0, frames = 0;
  std::sscanf(decoded.c_str(), "%d,%d,%d", &width, &height, &frames);
  EXPECT_EQ(width, 320) << decoded;
  EXPECT_EQ(height, 240) << decoded;
  EXPECT_EQ(frames, static_cast<int>(videoFrames.size())) << decoded;
  std::printf("%s: %d video frames decoded (%dx%d), last video pts %.3f s, %zu bytes\n", c.name,
              frames, width, height, seconds, sink.bytes.size());
  EXPECT_EQ(run("ffmpeg -v error -i " + out + " -f null -"), "") << "decode errors";
  if (!HasFailure()) fs::remove_all(dir);
}

// Real-time settings as in WebRTC: no B-frames (H264), no lookahead or hidden alt-ref
// frames (VP9, AV1), so every packet is one shown frame.
INSTANTIATE_TEST_SUITE_P(
    Codecs, RealMedia,
    ::testing::Values(
        Case{"vp8", MediaCodec::VP8, "libvpx", "ivf", "vp8"},
        Case{"h264", MediaCodec::H264, "libx264", "h264", "h264",
             "-pix_fmt yuv420p -profile:v baseline -bf 0 -bsf:v h264_mp4toannexb"},
        Case{"vp9", MediaCodec::VP9, "libvpx-vp9", "ivf", "vp9",
             "-deadline realtime -cpu-used 8 -lag-in-frames 0 -auto-alt-ref 0 -b:v 400k"},
        Case{"av1", MediaCodec::AV1, "libaom-av1", "ivf", "av1",
             "-usage realtime -cpu-used 8 -lag-in-frames 0 -b:v 300k"}),
    [](const auto& info) { return std::string(info.param.name); });

}  // namespace
}  // namespace rc::record
