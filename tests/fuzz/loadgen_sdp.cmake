# ringcast-bench reading a server's SDP (answers, and Janus offers it answers); corpus in
# corpus/loadgen_sdp.
rc_add_fuzz_target(loadgen_sdp SOURCE ${CMAKE_CURRENT_SOURCE_DIR}/target_loadgen_sdp.cpp
                   LIBS rc_loadgen)
