// The storage settings from the daemon configuration (api/config.h `recording:` section).
#pragma once

#include "api/config.h"
#include "record/store/recording_store.h"

namespace rc::record {

// localDir = recording.dir, spoolDir = recording.spool_dir (default <dir>/.spool),
// s3 = recording.s3 (empty bucket: the local-folder store).
StoreConfig storeConfigFrom(const api::Config& config);

}  // namespace rc::record
