// The seam between the muxer (record/mux) and storage (record/store): the muxer
// writes one recording file as an ordered byte stream; storage spools it and uploads
// it. Both run off the media workers (recorder thread, uploader thread).
#pragma once

#include <cstdint>
#include <span>
#include <string>

namespace rc::record {

class FragmentSink {
 public:
  virtual ~FragmentSink() = default;
  // Appends the next bytes of the file. `cutPoint` is true when the bytes written so far
  // end on a boundary a reader can stop at (the header, or the end of a moof+mdat
  // fragment / WebM cluster): storage may upload everything up to here as a part, and
  // crash recovery keeps the file up to the last cut point.
  virtual void append(std::span<const uint8_t> bytes, bool cutPoint) = 0;
  // The muxer wrote its trailer: the file is complete (storage completes the upload).
  virtual void finish() = 0;
  // The recording failed or was aborted: keep what reached a cut point, never a torn tail.
  virtual void abort(const std::string& reason) = 0;
};

}  // namespace rc::record
