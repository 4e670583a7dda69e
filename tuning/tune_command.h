// `ringcast tune ...` (CLI11):
//   ringcast tune check [--profile NAME|FILE] [--proc-root DIR]
//       exit 0 when the host matches the profile, 1 when it differs, 2 on usage errors
//   ringcast tune apply [--profile NAME|FILE] [--dest DIR] [--proc-root DIR]
//       exit 0 when every setting now matches, 1 when some could not be set, 2 on errors
//   ringcast tune list                  the built-in profiles
//   ringcast tune show [NAME]           prints a built-in profile file
#pragma once

namespace rc::tuning {

inline constexpr const char* kDefaultProfile = "sfu";

// argv[0] is "tune" (the arguments after the program name).
int runTuneCommand(int argc, char** argv);

}  // namespace rc::tuning
