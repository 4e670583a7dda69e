#include "record/store/store_config.h"

namespace rc::record {

StoreConfig storeConfigFrom(const api::Config& config) {
  StoreConfig out;
  out.localDir = config.recordingDir;
  out.spoolDir = config.recording.spoolDir.empty() ? config.recordingDir + "/.spool"
                                                   : config.recording.spoolDir;
  const auto& s3 = config.recording.s3;
  out.s3.bucket = s3.bucket;
  out.s3.region = s3.region;
  out.s3.endpoint = s3.endpoint;
  out.s3.accessKey = s3.accessKey;
  out.s3.secret = s3.secret;
  out.s3.sessionToken = s3.sessionToken;
  out.s3.forcePathStyle = s3.forcePathStyle;
  return out;
}

}  // namespace rc::record
