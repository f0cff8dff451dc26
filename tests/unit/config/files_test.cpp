#include "gridcare/config/files.h"

#include <unistd.h>

#include <catch2/catch.hpp>
#include <cstdio>
#include <fstream>
#include <string>

namespace gridcare::config {
namespace {

// A file in the system's temporary directory, removed when the test ends.
class ScratchFile {
 public:
  explicit ScratchFile(const std::string& content) {
    char name[] = "/tmp/gridcare-files-test-XXXXXX";
    const int fd = mkstemp(name);
    REQUIRE(fd >= 0);
    close(fd);
    path_ = name;
    std::ofstream(path_) << content;
  }
  ~ScratchFile() { std::remove(path_.c_str()); }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

TEST_CASE("ReadTextFile returns the whole file, byte for byte") {
  const std::string content = "{\"停电\": 1}\r\nline two\n\xFF";
  ScratchFile file(content);
  auto text = ReadTextFile(file.path());
  REQUIRE(text.ok());
  CHECK(*text == content);
  ScratchFile empty("");
  CHECK(ReadTextFile(empty.path()).value().empty());
}

TEST_CASE("ReadTextFile names a file it cannot read") {
  auto text = ReadTextFile("/nonexistent/rules.json");
  REQUIRE_FALSE(text.ok());
  CHECK(text.error().kind == core::ErrorKind::kNotFound);
  CHECK_THAT(text.error().message, Catch::Contains("/nonexistent/rules.json"));
}

TEST_CASE("ReadEnvFile reads KEY=VALUE lines and removes one level of matching quotes") {
  ScratchFile file(
      "# written by deploy/local/stack.sh\n"
      "\n"
      "GRIDCARE_KAFKA_BOOTSTRAP_SERVERS=127.0.0.1:1,127.0.0.1:2\n"
      "GRIDCARE_RUN_DIR='/work/my run'\n"
      "GRIDCARE_NAME=\"quoted\"\n"
      "GRIDCARE_MIXED='half\"\n"
      "GRIDCARE_EMPTY=\n"
      "GRIDCARE_EQUALS=a=b\n"
      "not a setting\n");
  auto values = ReadEnvFile(file.path());
  REQUIRE(values.ok());
  CHECK(values->size() == 6);
  CHECK(values->at("GRIDCARE_KAFKA_BOOTSTRAP_SERVERS") == "127.0.0.1:1,127.0.0.1:2");
  CHECK(values->at("GRIDCARE_RUN_DIR") == "/work/my run");
  CHECK(values->at("GRIDCARE_NAME") == "quoted");
  CHECK(values->at("GRIDCARE_MIXED") == "'half\"");
  CHECK(values->at("GRIDCARE_EMPTY").empty());
  CHECK(values->at("GRIDCARE_EQUALS") == "a=b");
}

TEST_CASE("ReadEnvFile names a file it cannot read") {
  auto values = ReadEnvFile("/nonexistent/endpoints.env");
  REQUIRE_FALSE(values.ok());
  CHECK(values.error().kind == core::ErrorKind::kNotFound);
  CHECK_THAT(values.error().message, Catch::Contains("/nonexistent/endpoints.env"));
}

}  // namespace
}  // namespace gridcare::config
