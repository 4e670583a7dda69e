#include "record/store/s3_xml.h"

#include <gtest/gtest.h>

using namespace rc::record::s3xml;

// Shape from the AWS S3 API reference, ListObjectsV2 "Response Syntax".
TEST(S3Xml, ParsesListObjectsV2Page) {
  const char* xml = R"(<?xml version="1.0" encoding="UTF-8"?>
<ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/">
  <Name>bucket</Name><Prefix>room/</Prefix><KeyCount>2</KeyCount>
  <IsTruncated>true</IsTruncated><NextContinuationToken>1ueGcxLPRx1Tr/XYExHnhbYLgveDs2J/wm36Hy4vbOwM=</NextContinuationToken>
  <Contents><Key>room/a &amp; b.mp4</Key><LastModified>2009-10-12T17:50:30.000Z</LastModified>
    <ETag>"fba9dede5f27731c9771645a39863328"</ETag><Size>434234</Size><StorageClass>STANDARD</StorageClass></Contents>
  <Contents><Key>room/b.webm</Key><LastModified>2009-10-12T17:50:31Z</LastModified><Size>5</Size></Contents>
</ListBucketResult>)";
  ListPage p = parseListObjectsV2(xml);
  ASSERT_TRUE(p.ok);
  ASSERT_EQ(p.objects.size(), 2u);
  EXPECT_EQ(p.objects[0].key, "room/a & b.mp4");
  EXPECT_EQ(p.objects[0].size, 434234u);
  EXPECT_EQ(p.objects[0].lastModifiedMs, 1255369830000);
  EXPECT_EQ(p.objects[1].lastModifiedMs, 1255369831000);
  EXPECT_TRUE(p.truncated);
  EXPECT_EQ(p.nextToken, "1ueGcxLPRx1Tr/XYExHnhbYLgveDs2J/wm36Hy4vbOwM=");
}

TEST(S3Xml, RejectsOtherDocumentsAndGarbage) {
  EXPECT_FALSE(parseListObjectsV2("<Error><Code>AccessDenied</Code></Error>").ok);
  EXPECT_FALSE(parseListObjectsV2("not xml").ok);
  EXPECT_FALSE(parseListObjectsV2("").ok);
  EXPECT_TRUE(parseListObjectsV2("<ListBucketResult/>").ok);
}

TEST(S3Xml, ExternalEntitiesAreNotExpanded) {
  const char* xxe = R"(<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]>
<ListBucketResult><Contents><Key>&x;</Key><Size>1</Size></Contents></ListBucketResult>)";
  ListPage p = parseListObjectsV2(xxe);
  for (const auto& o : p.objects) EXPECT_EQ(o.key.find("root:"), std::string::npos);
}

TEST(S3Xml, UploadIdAndErrorCode) {
  EXPECT_EQ(parseUploadId("<InitiateMultipartUploadResult><Bucket>b</Bucket><Key>k</Key>"
                          "<UploadId>VXBsb2FkIElE</UploadId></InitiateMultipartUploadResult>"),
            "VXBsb2FkIElE");
  EXPECT_FALSE(parseUploadId("<InitiateMultipartUploadResult/>").has_value());
  EXPECT_EQ(parseErrorCode("<Error><Code>NoSuchUpload</Code><Message>m</Message></Error>"),
            "NoSuchUpload");
  EXPECT_EQ(parseErrorCode("<CompleteMultipartUploadResult/>"), "");
}

TEST(S3Xml, CompleteBodyListsPartsInOrder) {
  EXPECT_EQ(completeBody({"\"a\"", "\"b\""}),
            "<CompleteMultipartUpload><Part><PartNumber>1</PartNumber><ETag>\"a\"</ETag></Part>"
            "<Part><PartNumber>2</PartNumber><ETag>\"b\"</ETag></Part></CompleteMultipartUpload>");
}
