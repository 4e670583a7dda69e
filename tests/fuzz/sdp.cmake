# SDP parser + answer negotiation fuzz target (RFC 8866); corpus in corpus/sdp.
rc_add_fuzz_target(sdp SOURCE ${CMAKE_CURRENT_SOURCE_DIR}/target_sdp.cpp LIBS rc_sdp)
