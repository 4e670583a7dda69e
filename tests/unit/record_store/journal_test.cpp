#include "record/store/journal.h"

#include <gtest/gtest.h>

using namespace rc::record;

namespace {
JournalState header() {
  JournalState s;
  s.key = "room 1/alice.mp4";
  s.contentType = "video/mp4";
  s.bucket = "rec";
  s.region = "eu-west-1";
  s.endpoint = "http://127.0.0.1:9000";
  s.pathStyle = true;
  return s;
}
}  // namespace

TEST(Journal, RoundTripsEveryRecord) {
  std::string text = journalHeader(header()) + journalCut(100) + journalUpload("id/1+") +
                     journalPart({1, 0, 6000000, "\"e1\""}) + journalCut(6000000) +
                     journalCut(7000000) + journalFinish(7000000);
  JournalState s = parseJournal(text);
  ASSERT_TRUE(s.valid);
  EXPECT_FALSE(s.local);
  EXPECT_EQ(s.key, "room 1/alice.mp4");
  EXPECT_EQ(s.contentType, "video/mp4");
  EXPECT_EQ(s.endpoint, "http://127.0.0.1:9000");
  EXPECT_TRUE(s.pathStyle);
  EXPECT_EQ(s.uploadId, "id/1+");
  ASSERT_EQ(s.parts.size(), 1u);
  EXPECT_EQ(s.parts[0].etag, "\"e1\"");
  EXPECT_EQ(s.cutOffset, 7000000u);
  EXPECT_EQ(s.cuts, (std::vector<uint64_t>{100, 6000000, 7000000}));
  EXPECT_EQ(s.finishOffset, 7000000u);
}

TEST(Journal, TornLastLineIsIgnored) {
  std::string text = journalHeader(header()) + journalCut(100) + "cut offset=999";
  JournalState s = parseJournal(text);
  EXPECT_EQ(s.cutOffset, 100u);
  EXPECT_FALSE(s.finishOffset.has_value());
}

TEST(Journal, NotAJournalOrBadLinesAreRejected) {
  EXPECT_FALSE(parseJournal("hello\n").valid);
  EXPECT_FALSE(parseJournal("").valid);
  std::string text = journalHeader(header()) + "cut offset=abc\n" +
                     "part n=2 offset=0 length=5 etag=x\n" +
                     "cut offset=50\ncut offset=40\nbogus line\n";
  JournalState s = parseJournal(text);
  EXPECT_TRUE(s.valid);
  EXPECT_EQ(s.cutOffset, 50u);   // a cut never goes backwards
  EXPECT_TRUE(s.parts.empty());  // part 2 without part 1
}

TEST(Journal, NewUploadForgetsOldParts) {
  std::string text = journalHeader(header()) + journalUpload("old") + journalPart({1, 0, 10, "a"}) +
                     journalUpload("new");
  JournalState s = parseJournal(text);
  EXPECT_EQ(s.uploadId, "new");
  EXPECT_TRUE(s.parts.empty());
}

TEST(Journal, KeptPartsStopAtTheEndAndAtGaps) {
  JournalState s = header();
  s.parts = {{1, 0, 10, "a"}, {2, 10, 10, "b"}, {3, 20, 10, "c"}};
  EXPECT_EQ(keptParts(s, 30).size(), 3u);
  EXPECT_EQ(keptParts(s, 25).size(), 2u);  // part 3 runs past the last cut point
  s.parts[1].offset = 11;
  EXPECT_EQ(keptParts(s, 30).size(), 1u);
}
