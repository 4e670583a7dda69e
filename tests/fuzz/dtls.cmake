rc_add_fuzz_target(dtls SOURCE ${CMAKE_CURRENT_SOURCE_DIR}/target_dtls.cpp LIBS rc_crypto)
