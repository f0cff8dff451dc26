// LoadConfigFile: one way for every service to load a configuration file named by a flag, with
// one message that names the flag, the file and how to fix it.
#include "gridcare/service/config_file.h"

#include <catch2/catch.hpp>
#include <fstream>

#include "gridcare/testing/process.h"

namespace gridcare::service {
namespace {

core::Result<int> ParseNumber(std::string_view text) {
  if (text.empty() || text.find_first_not_of("0123456789") != std::string_view::npos) {
    return core::InvalidArgument("\"" + std::string(text) + "\" is not a number");
  }
  return std::stoi(std::string(text));
}

// A file with `content` in a fresh temporary directory, removed with it.
class ScratchFile {
 public:
  explicit ScratchFile(const std::string& content) : path_((dir_.path() / "config.txt").string()) {
    std::ofstream(path_) << content;
  }
  const std::string& path() const { return path_; }

 private:
  testing::TempDir dir_;
  std::string path_;
};

}  // namespace

TEST_CASE("a configuration file is read and parsed") {
  ScratchFile file("42");
  auto loaded = LoadConfigFile("answer-file", file.path(), ParseNumber);
  REQUIRE(loaded.ok());
  CHECK(*loaded == 42);
}

TEST_CASE("a file that cannot be read or parsed names the flag, the file and the fix") {
  auto missing = LoadConfigFile("answer-file", "/nonexistent/answer.json", ParseNumber);
  REQUIRE_FALSE(missing.ok());
  CHECK(missing.error().kind == core::ErrorKind::kInvalidArgument);
  CHECK(missing.error().message.rfind("cannot load --answer-file (/nonexistent/answer.json): ",
                                      0) == 0);
  CHECK(missing.error().message.find("; fix the file or its flag") != std::string::npos);

  ScratchFile bad("forty-two");
  auto wrong = LoadConfigFile("answer-file", bad.path(), ParseNumber);
  REQUIRE_FALSE(wrong.ok());
  CHECK(wrong.error().message == "cannot load --answer-file (" + bad.path() +
                                     "): \"forty-two\" is not a number; fix the file or its flag");
}

TEST_CASE("an optional file left empty gives the defaults") {
  auto defaults = LoadOptionalConfigFile("answer-file", "", 7, ParseNumber);
  REQUIRE(defaults.ok());
  CHECK(*defaults == 7);
  ScratchFile file("8");
  CHECK(*LoadOptionalConfigFile("answer-file", file.path(), 7, ParseNumber) == 8);
}

}  // namespace gridcare::service
