// Replay driver for fuzz targets outside Fuzz mode: feeds every file found in the
// directories (or files) given on the command line to LLVMFuzzerTestOneInput.
// A crash fails the ctest; an empty or missing corpus directory is not an error
// for the crashes/ folder but the first argument (the corpus) must hold files.
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size);

namespace {

size_t replayFile(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::vector<char> bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  LLVMFuzzerTestOneInput(reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size());
  return 1;
}

size_t replayPath(const std::filesystem::path& path) {
  namespace fs = std::filesystem;
  if (!fs::exists(path)) return 0;
  if (!fs::is_directory(path)) return replayFile(path);
  size_t count = 0;
  for (const auto& entry : fs::recursive_directory_iterator(path)) {
    if (entry.is_regular_file()) count += replayFile(entry.path());
  }
  return count;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: %s CORPUS_DIR [MORE_DIRS...]\n", argv[0]);
    return 2;
  }
  size_t corpus = replayPath(argv[1]);
  if (corpus == 0) {
    std::fprintf(stderr, "corpus %s is empty or missing\n", argv[1]);
    return 1;
  }
  size_t total = corpus;
  for (int i = 2; i < argc; ++i) total += replayPath(argv[i]);
  std::printf("replayed %zu inputs\n", total);
  return 0;
}
