// Fuzz target "s3_xml": the S3 response readers (record/store/s3_xml.h, libxml2 with NONET
// and no entity expansion): ListObjectsV2, CreateMultipartUpload and Error documents. Any
// crash, leak or sanitizer report is a finding; results must be well-formed.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "record/store/s3_xml.h"

using namespace rc::record::s3xml;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view xml(reinterpret_cast<const char*>(data), size);
  ListPage page = parseListObjectsV2(xml);
  if (!page.ok && (!page.objects.empty() || page.truncated)) abort();
  for (const auto& o : page.objects) {
    if (o.key.empty()) abort();
  }
  if (auto id = parseUploadId(xml); id && id->empty()) abort();
  parseErrorCode(xml);
  parseIsoTimeMs(xml);
  return 0;
}
