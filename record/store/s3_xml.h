// Readers for the S3 XML response bodies the store uses (AWS S3 API reference:
// ListObjectsV2, CreateMultipartUpload, Error responses), built on libxml2. Every reader
// is total: malformed or hostile input gives an empty/`ok=false` result, never a throw.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace rc::record::s3xml {

struct ListedObject {
  std::string key;
  uint64_t size = 0;
  int64_t lastModifiedMs = 0;
};

struct ListPage {
  bool ok = false;
  std::vector<ListedObject> objects;
  bool truncated = false;
  std::string nextToken;  // NextContinuationToken
};

ListPage parseListObjectsV2(std::string_view xml);
// <InitiateMultipartUploadResult><UploadId>: the id, or nullopt.
std::optional<std::string> parseUploadId(std::string_view xml);
// <Error><Code>: e.g. "NoSuchUpload"; empty when absent.
std::string parseErrorCode(std::string_view xml);
// ISO 8601 "2009-10-12T17:50:30.000Z" -> Unix milliseconds, 0 when unreadable.
int64_t parseIsoTimeMs(std::string_view text);

// The CompleteMultipartUpload request body for parts 1..n with their ETags.
std::string completeBody(const std::vector<std::string>& etags);

}  // namespace rc::record::s3xml
