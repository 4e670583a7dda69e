#include "engine/rtp/demux.h"

#include <gtest/gtest.h>

#include <vector>

namespace rc::rtp {
namespace {

std::vector<uint8_t> bytesWith(uint8_t b0, uint8_t b1, size_t n) {
  std::vector<uint8_t> v(n, 0);
  v[0] = b0;
  if (n > 1) v[1] = b1;
  return v;
}

TEST(Demux, ClassifiesByFirstByte) {  // RFC 7983 §7
  EXPECT_EQ(classify(bytesWith(0x00, 0x01, 20)), PacketClass::Stun);
  EXPECT_EQ(classify(bytesWith(0x03, 0x01, 20)), PacketClass::Stun);
  EXPECT_EQ(classify(bytesWith(20, 0xFE, 13)), PacketClass::Dtls);
  EXPECT_EQ(classify(bytesWith(63, 0xFE, 13)), PacketClass::Dtls);
  EXPECT_EQ(classify(bytesWith(0x80, 96, 12)), PacketClass::Rtp);
  EXPECT_EQ(classify(bytesWith(0x80, 0x80 | 111, 12)), PacketClass::Rtp);
  EXPECT_EQ(classify(bytesWith(0xBF, 127, 12)), PacketClass::Rtp);
  EXPECT_EQ(classify(bytesWith(0x81, 200, 8)), PacketClass::Rtcp);  // RFC 5761 §4
  EXPECT_EQ(classify(bytesWith(0x8F, 206, 8)), PacketClass::Rtcp);
  EXPECT_EQ(classify(bytesWith(0x80, 192, 8)), PacketClass::Rtcp);
  EXPECT_EQ(classify(bytesWith(0x80, 223, 8)), PacketClass::Rtcp);
  EXPECT_EQ(classify(bytesWith(0x80, 224, 12)), PacketClass::Rtp);
  EXPECT_EQ(classify(bytesWith(4, 0, 40)), PacketClass::Unknown);
  EXPECT_EQ(classify(bytesWith(64, 0, 40)), PacketClass::Unknown);   // TURN channel
  EXPECT_EQ(classify(bytesWith(127, 0, 40)), PacketClass::Unknown);  // QUIC
  EXPECT_EQ(classify(bytesWith(192, 0, 40)), PacketClass::Unknown);
}

TEST(Demux, TooShortIsUnknown) {
  EXPECT_EQ(classify({}), PacketClass::Unknown);
  EXPECT_EQ(classify(bytesWith(0x00, 0x01, 19)), PacketClass::Unknown);
  EXPECT_EQ(classify(bytesWith(22, 0xFE, 12)), PacketClass::Unknown);
  EXPECT_EQ(classify(bytesWith(0x80, 96, 11)), PacketClass::Unknown);
  EXPECT_EQ(classify(bytesWith(0x80, 200, 7)), PacketClass::Unknown);
  EXPECT_EQ(classify(bytesWith(0x80, 0, 1)), PacketClass::Unknown);
}

TEST(Demux, StunHeaderCheck) {
  std::vector<uint8_t> m = {0x00, 0x01, 0x00, 0x04, 0x21, 0x12, 0xA4, 0x42};
  m.resize(20 + 4, 0);
  EXPECT_TRUE(isStunHeader(m));
  m[7] = 0x43;  // bad cookie
  EXPECT_FALSE(isStunHeader(m));
  m[7] = 0x42;
  m.push_back(0);  // length mismatch
  EXPECT_FALSE(isStunHeader(m));
}

TEST(Demux, DtlsRecordWalk) {
  // Two records: handshake (22) with 3 bytes, change cipher spec (20) with 1 byte.
  std::vector<uint8_t> d = {22, 0xFE, 0xFD, 0,    0, 0, 0, 0, 0, 0, 1, 0, 3, 1, 2,
                            3,  20,   0xFE, 0xFD, 0, 1, 0, 0, 0, 0, 0, 2, 0, 1, 1};
  DtlsRecordWalker w(d);
  auto r1 = w.next();
  ASSERT_TRUE(r1);
  EXPECT_EQ(r1->contentType, 22);
  EXPECT_EQ(r1->version, 0xFEFD);
  EXPECT_EQ(r1->sequenceNumber, 1u);
  EXPECT_EQ(r1->fragment.size(), 3u);
  auto r2 = w.next();
  ASSERT_TRUE(r2);
  EXPECT_EQ(r2->epoch, 1);
  EXPECT_EQ(r2->sequenceNumber, 2u);
  EXPECT_FALSE(w.next());
  EXPECT_FALSE(w.malformed());
  d.push_back(23);  // trailing partial header
  DtlsRecordWalker w2(d);
  while (w2.next()) {
  }
  EXPECT_TRUE(w2.malformed());
}

}  // namespace
}  // namespace rc::rtp
