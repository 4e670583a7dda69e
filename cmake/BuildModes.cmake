# Build modes: Release, Debug, Asan (ASan+UBSan), Tsan, Fuzz (clang + libFuzzer).
# Select with -DCMAKE_BUILD_TYPE=<mode>.
if(NOT CMAKE_BUILD_TYPE)
  set(CMAKE_BUILD_TYPE Release CACHE STRING "Build mode" FORCE)
endif()
set_property(CACHE CMAKE_BUILD_TYPE PROPERTY STRINGS Release Debug Asan Tsan Fuzz)

add_compile_options(-Wall -Wextra -Wno-unused-parameter)

# ccache, when installed, shares compiled objects between build directories and worktrees:
# paths are hashed relative to the source tree.
find_program(RC_CCACHE ccache)
if(RC_CCACHE AND NOT CMAKE_CXX_COMPILER_LAUNCHER)
  set(RC_LAUNCHER env CCACHE_BASEDIR=${PROJECT_SOURCE_DIR} CCACHE_NOHASHDIR=1 ${RC_CCACHE})
  set(CMAKE_CXX_COMPILER_LAUNCHER ${RC_LAUNCHER})
  set(CMAKE_C_COMPILER_LAUNCHER ${RC_LAUNCHER})
endif()

set(CMAKE_CXX_FLAGS_RELEASE "-O2 -g -DNDEBUG")
set(CMAKE_C_FLAGS_RELEASE "-O2 -g -DNDEBUG")
set(CMAKE_CXX_FLAGS_ASAN "-O1 -g -fno-omit-frame-pointer -fsanitize=address,undefined -fno-sanitize-recover=undefined")
set(CMAKE_C_FLAGS_ASAN "${CMAKE_CXX_FLAGS_ASAN}")
set(CMAKE_EXE_LINKER_FLAGS_ASAN "-fsanitize=address,undefined")
set(CMAKE_SHARED_LINKER_FLAGS_ASAN "-fsanitize=address,undefined")
set(CMAKE_CXX_FLAGS_TSAN "-O1 -g -fno-omit-frame-pointer -fsanitize=thread")
set(CMAKE_C_FLAGS_TSAN "${CMAKE_CXX_FLAGS_TSAN}")
set(CMAKE_EXE_LINKER_FLAGS_TSAN "-fsanitize=thread")
set(CMAKE_SHARED_LINKER_FLAGS_TSAN "-fsanitize=thread")
# Fuzz mode: every library is instrumented; fuzz targets link libFuzzer's main.
set(CMAKE_CXX_FLAGS_FUZZ "-O1 -g -fno-omit-frame-pointer -fsanitize=fuzzer-no-link,address,undefined")
set(CMAKE_C_FLAGS_FUZZ "${CMAKE_CXX_FLAGS_FUZZ}")
set(CMAKE_EXE_LINKER_FLAGS_FUZZ "-fsanitize=address,undefined")

string(TOUPPER "${CMAKE_BUILD_TYPE}" RC_BUILD_MODE)
set(RC_FUZZ_MODE OFF)
if(RC_BUILD_MODE STREQUAL "FUZZ")
  set(RC_FUZZ_MODE ON)
endif()
