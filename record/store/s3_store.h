// The S3 store: spool-first sinks (spool_sink.h) and one uploader thread of its own driving a
// libcurl multi handle, so every recording's transfer progresses independently. Per recording
// at most one request is in flight: CreateMultipartUpload, UploadPart (parts end on cut points,
// upload_plan.h), CompleteMultipartUpload, or one PutObject for a small file. Failures are
// retried with exponential backoff (0.5 s doubling to 30 s); network errors, 5xx and throttling
// forever (S3 away for minutes: the spool keeps growing, nothing is lost), other 4xx up to
// kMaxClientErrors times, then the recording fails (its spool stays for the next recover()).
#pragma once

#include <memory>

#include "record/store/credentials.h"
#include "record/store/recording_store.h"

namespace rc::record {

std::unique_ptr<RecordingStore> makeS3Store(const StoreConfig& config,
                                            std::shared_ptr<CredentialProvider> credentials);

}  // namespace rc::record
