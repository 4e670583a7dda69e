#include "record/store/upload_plan.h"

#include <gtest/gtest.h>

using namespace rc::record;

namespace {
UploadProgress progress(const std::vector<uint64_t>& cuts) {
  UploadProgress p;
  p.cuts = &cuts;
  p.partBytes = 100;
  return p;
}
}  // namespace

TEST(UploadPlan, WaitsUntilAPartOfMinimumSizeEndsOnACut) {
  std::vector<uint64_t> cuts{40, 90};
  EXPECT_EQ(planNextUpload(progress(cuts)).action, UploadAction::None);
  cuts.push_back(130);
  auto p = progress(cuts);
  EXPECT_EQ(planNextUpload(p).action, UploadAction::Create);
  p.haveUploadId = true;
  UploadStep s = planNextUpload(p);
  EXPECT_EQ(s.action, UploadAction::UploadPart);
  EXPECT_EQ(s.from, 0u);
  EXPECT_EQ(s.to, 130u);  // the first cut at least 100 bytes in
}

TEST(UploadPlan, SmallFinishedFileIsOnePut) {
  std::vector<uint64_t> cuts{40};
  auto p = progress(cuts);
  p.finished = true;
  p.end = 60;
  UploadStep s = planNextUpload(p);
  EXPECT_EQ(s.action, UploadAction::Put);
  EXPECT_EQ(s.to, 60u);
  p.end = 0;
  EXPECT_EQ(planNextUpload(p).action, UploadAction::Put);
}

TEST(UploadPlan, FinishedUploadsTheSmallerLastPartThenCompletes) {
  std::vector<uint64_t> cuts{250};
  auto p = progress(cuts);
  p.finished = true;
  p.end = 250;
  p.haveUploadId = true;
  p.uploaded = 200;
  p.partCount = 2;
  UploadStep s = planNextUpload(p);
  EXPECT_EQ(s.action, UploadAction::UploadPart);
  EXPECT_EQ(s.from, 200u);
  EXPECT_EQ(s.to, 250u);
  p.uploaded = 250;
  p.partCount = 3;
  EXPECT_EQ(planNextUpload(p).action, UploadAction::Complete);
}

TEST(UploadPlan, AbortedEndBeforeLaterCutsIsRespected) {
  std::vector<uint64_t> cuts{120, 400};
  auto p = progress(cuts);
  p.finished = true;
  p.end = 150;
  p.haveUploadId = true;
  p.uploaded = 120;
  p.partCount = 1;
  UploadStep s = planNextUpload(p);
  EXPECT_EQ(s.to, 150u);
}
