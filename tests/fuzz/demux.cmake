rc_add_fuzz_target(demux SOURCE ${CMAKE_CURRENT_SOURCE_DIR}/target_demux.cpp LIBS rc_rtcp rc_rtp)
