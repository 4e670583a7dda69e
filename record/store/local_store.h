// The embedded default when no bucket is configured: the same spool and cut-point semantics,
// and at the end the spool file is truncated to the object's length and renamed into
// `localDir/<key>` (atomic when spool and folder share a filesystem, else copied then renamed).
#pragma once

#include <memory>

#include "record/store/recording_store.h"

namespace rc::record {

std::unique_ptr<RecordingStore> makeLocalStore(const StoreConfig& config);

// Moves a finished spool file to `dir/key` (creating folders); false + error on failure.
bool publishLocalFile(const std::string& spoolPath, const std::string& dir, const std::string& key,
                      std::string& finalPath, std::string& error);
// Keys are relative paths without "..", NUL or a leading '/'.
bool isSafeKey(const std::string& key);

}  // namespace rc::record
