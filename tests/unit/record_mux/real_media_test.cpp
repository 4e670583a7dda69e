// End to end with real media: the ffmpeg CLI encodes 4 s of test video (VP8, or H264 with
// libx264) and Opus audio; the frames are read back with libavformat, packetized into RTP
// as WebRTC senders do (RFC 7741, RFC 6184 FU-A/single NAL, RFC 7587), partly reordered,
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

#include "engine/rtp/rtp_packet.h"
#include "record/mux/recording_muxer.h"

namespace rc::record {
namespace {

namespace fs = std::filesystem;
constexpr size_t kMaxPayload = 1100;

std::string run(const std::string& cmd) {
  std::string out;
  FILE* p = popen((cmd + " 2>&1").c_str(), "r");
  if (!p) return "popen failed";
  std::array<char, 4096> buf;
  while (size_t n = fread(buf.data(), 1, buf.size(), p)) out.append(buf.data(), n);
  pclose(p);
  return out;
}

struct Frame {
  std::vector<uint8_t> bytes;
  int64_t ptsUs;
};

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
    frames.push_back({{pkt->data, pkt->data + pkt->size}, ptsUs});
    av_packet_unref(pkt);
  }
  av_packet_free(&pkt);
  avformat_close_input(&ctx);
  return frames;
}

struct Rtp {
  std::vector<uint8_t> bytes;
  int64_t sendUs;
  size_t track;
};

class Packetizer {
 public:
  Packetizer(size_t track, uint8_t pt, uint32_t clock) : track_(track), pt_(pt), clock_(clock) {}
  void add(std::vector<Rtp>& out, const std::vector<uint8_t>& payload, int64_t ptsUs, bool marker) {
    std::vector<uint8_t> pkt(12 + payload.size());
    rtp::RtpHeaderFields h{marker, pt_, seq_++, static_cast<uint32_t>(ptsUs * clock_ / 1000000),
                           0x1000u + static_cast<uint32_t>(track_)};
    rtp::writeHeader(pkt, h, {});
    std::copy(payload.begin(), payload.end(), pkt.begin() + 12);
    out.push_back({std::move(pkt), ptsUs, track_});
  }

 private:
  size_t track_;
  uint8_t pt_;
  uint32_t clock_;
  uint16_t seq_ = 65500;  // wraps during the test
};

// RFC 7741: S=1/PID=0 on the first packet of a frame, marker on the last.
void packetizeVp8(Packetizer& p, std::vector<Rtp>& out, const Frame& f) {
  for (size_t pos = 0; pos < f.bytes.size(); pos += kMaxPayload) {
    size_t n = std::min(kMaxPayload, f.bytes.size() - pos);
    std::vector<uint8_t> payload = {static_cast<uint8_t>(pos == 0 ? 0x10 : 0x00)};
    payload.insert(payload.end(), f.bytes.begin() + pos, f.bytes.begin() + pos + n);
    p.add(out, payload, f.ptsUs, pos + n == f.bytes.size());
  }
}

std::vector<std::vector<uint8_t>> splitAnnexB(const std::vector<uint8_t>& au) {
  std::vector<std::vector<uint8_t>> nals;
  size_t start = std::string::npos;
  for (size_t i = 0; i + 2 < au.size(); ++i) {
    if (au[i] == 0 && au[i + 1] == 0 && au[i + 2] == 1) {
      if (start != std::string::npos) {
        size_t end = i;
        while (end > start && au[end - 1] == 0) --end;
        nals.emplace_back(au.begin() + start, au.begin() + end);
      }
      start = i + 3;
      i += 2;
    }
  }
  if (start != std::string::npos) nals.emplace_back(au.begin() + start, au.end());
  return nals;
}

// RFC 6184: a NAL unit that fits is sent alone (§5.6), a larger one as FU-A (§5.8).
void packetizeH264(Packetizer& p, std::vector<Rtp>& out, const Frame& f) {
  auto nals = splitAnnexB(f.bytes);
  for (size_t k = 0; k < nals.size(); ++k) {
    const auto& nal = nals[k];
    bool last = k + 1 == nals.size();
    if (nal.size() <= kMaxPayload) {
      p.add(out, nal, f.ptsUs, last);
      continue;
    }
    for (size_t pos = 1; pos < nal.size(); pos += kMaxPayload) {
      size_t n = std::min(kMaxPayload, nal.size() - pos);
      bool end = pos + n == nal.size();
      std::vector<uint8_t> payload = {
          static_cast<uint8_t>((nal[0] & 0xe0) | 28),
          static_cast<uint8_t>((pos == 1 ? 0x80 : 0) | (end ? 0x40 : 0) | (nal[0] & 0x1f))};
      payload.insert(payload.end(), nal.begin() + pos, nal.begin() + pos + n);
      p.add(out, payload, f.ptsUs, last && end);
    }
  }
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
};

class RealMedia : public ::testing::TestWithParam<Case> {};

TEST_P(RealMedia, RecordedFilePassesFfprobeAndDecodes) {
  const Case& c = GetParam();
  if (run("ffmpeg -hide_banner -encoders").find(c.encoder) == std::string::npos)
    GTEST_SKIP() << "ffmpeg without " << c.encoder;
  fs::path dir = fs::temp_directory_path() / ("rc-mux-" + std::string(c.name));
  fs::create_directories(dir);
  std::string video = (dir / "v.raw").string(), audio = (dir / "a.ogg").string();
  run("ffmpeg -y -v error -f lavfi -i testsrc=size=320x240:rate=30 -t 4 -g 60 -c:v " +
      std::string(c.encoder) +
      (c.codec == MediaCodec::H264
           ? " -pix_fmt yuv420p -profile:v baseline -bf 0 -bsf:v h264_mp4toannexb"
           : "") +
      " -f " + c.rawFormat + " " + video);
  run("ffmpeg -y -v error -f lavfi -i sine=frequency=440:sample_rate=48000 -t 4 -ac 2 -c:a "
      "libopus -frame_duration 20 " +
      audio);
  auto videoFrames = readFrames(video), audioFrames = readFrames(audio);
  ASSERT_GT(videoFrames.size(), 100u);
  ASSERT_GT(audioFrames.size(), 150u);

  std::vector<Rtp> rtp;
  Packetizer vp(0, 96, 90000), ap(1, 111, 48000);
  for (const auto& f : videoFrames)
    c.codec == MediaCodec::VP8 ? packetizeVp8(vp, rtp, f) : packetizeH264(vp, rtp, f);
  for (const auto& f : audioFrames) ap.add(rtp, f.bytes, f.ptsUs, false);
  std::stable_sort(rtp.begin(), rtp.end(), [](auto& a, auto& b) { return a.sendUs < b.sendUs; });
  for (size_t i = 10; i + 1 < rtp.size(); i += 37) std::swap(rtp[i], rtp[i + 1]);  // reorder

  TrackSpec v{"TR_v", c.codec, 96, 0, 90000, 0}, a{"TR_a", MediaCodec::Opus, 111, 0, 48000, 2};
  FileSink sink;
  auto muxer = makeRecordingMuxer({v, a}, sink, MuxOptions{2000, 100});
  EXPECT_TRUE(muxer->takeKeyframeRequest(0)) << "a recording asks for a keyframe at start";
  for (const auto& p : rtp) {
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
  EXPECT_GT(st.frames, videoFrames.size());

  std::string text(sink.bytes.begin(), sink.bytes.end());
  if (c.codec == MediaCodec::H264) {
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
  EXPECT_EQ(run("ffmpeg -v error -i " + out + " -f null -"), "") << "decode errors";
  fs::remove_all(dir);
}

INSTANTIATE_TEST_SUITE_P(Codecs, RealMedia,
                         ::testing::Values(Case{"vp8", MediaCodec::VP8, "libvpx", "ivf", "vp8"},
                                           Case{"h264", MediaCodec::H264, "libx264", "h264",
                                                "h264"}),
                         [](const auto& info) { return std::string(info.param.name); });

}  // namespace
}  // namespace rc::record
