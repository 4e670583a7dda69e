# RTP payload depacketizers (Opus + RFC 2198 RED, VP8, H264, VP9, AV1) fed one input split into packets.
rc_add_fuzz_target(depacketize SOURCE ${CMAKE_CURRENT_SOURCE_DIR}/target_depacketize.cpp
                   LIBS rc_record_mux)
