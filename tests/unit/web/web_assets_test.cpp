// gridcare_embed_web_assets on tests/unit/web/page: every file but *.md, *.cpp, hidden files and
// editor backups, byte for byte, with its content type; "/" is the page.
#include <catch2/catch.hpp>
#include <fstream>
#include <iterator>
#include <string>
#include <string_view>

#include "gridcare/web/static_asset.h"

namespace gridcare::web::test {
const StaticAsset* FindTestAsset(std::string_view path);
}  // namespace gridcare::web::test

namespace gridcare::web {
namespace {

std::string SourceFile(const std::string& rel) {
  std::ifstream in(std::string(GRIDCARE_SOURCE_DIR) + "/tests/unit/web/page/" + rel,
                   std::ios::binary);
  REQUIRE(in.good());
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

TEST_CASE("embedded files are the source files byte for byte, with their content types",
          "[web][assets]") {
  using test::FindTestAsset;
  const StaticAsset* page = FindTestAsset("/index.html");
  REQUIRE(page != nullptr);
  CHECK(page->content_type == "text/html; charset=utf-8");
  CHECK(std::string(page->body) == SourceFile("index.html"));
  CHECK(std::string(page->body).find("投诉工作台") != std::string::npos);
  CHECK(FindTestAsset("/") == page);

  const StaticAsset* script = FindTestAsset("/sub/app.js");
  REQUIRE(script != nullptr);
  CHECK(script->content_type == "text/javascript; charset=utf-8");
  CHECK(std::string(script->body) == "export const x = '\\x';\n");

  const StaticAsset* image = FindTestAsset("/pixel.png");
  REQUIRE(image != nullptr);
  CHECK(image->content_type == "image/png");
  CHECK(image->body.size() == 13);
  CHECK(std::string(image->body) == SourceFile("pixel.png"));  // NUL and 0xff bytes survive

  const StaticAsset* empty = FindTestAsset("/empty.txt");
  REQUIRE(empty != nullptr);
  CHECK(empty->content_type == "text/plain; charset=utf-8");
  CHECK(empty->body.empty());
}

TEST_CASE("what a page folder keeps out of the binary", "[web][assets]") {
  using test::FindTestAsset;
  CHECK(FindTestAsset("/README.md") == nullptr);
  CHECK(FindTestAsset("/notes.cpp") == nullptr);
  CHECK(FindTestAsset("/.hidden") == nullptr);
  CHECK(FindTestAsset("/index.html~") == nullptr);
  CHECK(FindTestAsset("/CMakeLists.txt") == nullptr);
  CHECK(FindTestAsset("/INDEX.HTML") == nullptr);         // exact, case-sensitive
  CHECK(FindTestAsset("/index.html?x=1") == nullptr);     // no query strings
  CHECK(FindTestAsset("/sub/../index.html") == nullptr);  // no path games
  CHECK(FindTestAsset("index.html") == nullptr);          // the leading '/' is required
}

TEST_CASE("LookupIn adapts a finder to an AssetLookup", "[web][assets]") {
  const AssetLookup lookup = LookupIn(test::FindTestAsset);
  const auto page = lookup("/");
  REQUIRE(page.has_value());
  CHECK(page->content_type == "text/html; charset=utf-8");
  CHECK_FALSE(lookup("/nope.js").has_value());
  CHECK_FALSE(LookupIn(nullptr)("/").has_value());
}

}  // namespace
}  // namespace gridcare::web
