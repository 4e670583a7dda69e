# Sourced by scripts/package.sh and scripts/test.sh: the CMake options of the shipped build
# (Debian's hardening flags from dpkg-buildflags, yaml-cpp static, spdlog/fmt header-only), so
# the suite's Release tree is the tree the .deb is packed from. The flags are passed as cache
# options, not through the environment, so an existing tree picks them up too.
package_cmake_options=(
  -DCMAKE_BUILD_TYPE=Release -DRINGCAST_PORTABLE_DEB=ON
  "-DCMAKE_C_FLAGS=$(DEB_BUILD_MAINT_OPTIONS=hardening=+all dpkg-buildflags --get CFLAGS) $(DEB_BUILD_MAINT_OPTIONS=hardening=+all dpkg-buildflags --get CPPFLAGS)"
  "-DCMAKE_CXX_FLAGS=$(DEB_BUILD_MAINT_OPTIONS=hardening=+all dpkg-buildflags --get CXXFLAGS) $(DEB_BUILD_MAINT_OPTIONS=hardening=+all dpkg-buildflags --get CPPFLAGS)"
  "-DCMAKE_EXE_LINKER_FLAGS=$(DEB_BUILD_MAINT_OPTIONS=hardening=+all dpkg-buildflags --get LDFLAGS)"
)
