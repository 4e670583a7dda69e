// Compile-time detection of ThreadSanitizer: the stress tests use smaller counts under
// it (TSan makes each atomic operation tens of times slower).
#pragma once

#if defined(__SANITIZE_THREAD__)
#define RC_TEST_TSAN 1
#elif defined(__has_feature)
#if __has_feature(thread_sanitizer)
#define RC_TEST_TSAN 1
#endif
#endif
#ifndef RC_TEST_TSAN
#define RC_TEST_TSAN 0
#endif
