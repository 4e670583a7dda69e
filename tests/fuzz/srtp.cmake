rc_add_fuzz_target(srtp SOURCE ${CMAKE_CURRENT_SOURCE_DIR}/target_srtp.cpp LIBS rc_crypto)
