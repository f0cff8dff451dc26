#include "table.h"

#include <catch2/catch.hpp>

using gridcare::ops::Table;

TEST_CASE("display width counts Chinese characters as two columns") {
  CHECK(gridcare::ops::DisplayWidth("abc") == 3);
  CHECK(gridcare::ops::DisplayWidth("故障报修") == 8);
  CHECK(gridcare::ops::DisplayWidth("A区１号") == 7);  // full-width digit is wide
  CHECK(gridcare::ops::DisplayWidth("") == 0);
}

TEST_CASE("cells wider than their column are cut with an ellipsis") {
  CHECK(gridcare::ops::FitWidth("abcdef", 4) == "abc…");
  CHECK(gridcare::ops::FitWidth("abc", 4) == "abc");
  CHECK(gridcare::ops::FitWidth("故障报修", 5) == "故障…");
  CHECK(gridcare::ops::DisplayWidth(gridcare::ops::FitWidth("故障报修", 5)) <= 5);
}

TEST_CASE("a table aligns columns by display width and keeps each row on one line") {
  Table table({{"name", "NAME", 20}, {"count", "N", 5}, {"note", "NOTE", 30}});
  table.AddRow({"故障", 3, "line one\nline two\x1b[31m"});
  table.AddRow({"ab", nullptr, true});
  const std::string text = table.RenderText();
  CHECK(text ==
        "NAME  N  NOTE\n"
        "故障  3  line one line two [31m\n"
        "ab    -  yes\n");
}

TEST_CASE("a table as JSON has one object per row with the stable keys") {
  Table table({{"id", "ID"}, {"n", "N"}});
  table.AddRow({"x", 2});
  table.AddRow({"y"});
  const auto json = table.ToJson();
  REQUIRE(json.size() == 2);
  CHECK(json[0]["id"] == "x");
  CHECK(json[0]["n"] == 2);
  CHECK(json[1]["n"].is_null());
}

TEST_CASE("an empty table renders as nothing") {
  const Table table(std::vector<gridcare::ops::Column>{{"a", "A"}});
  CHECK(table.RenderText().empty());
}

TEST_CASE("JSON output survives invalid UTF-8") {
  const std::string text = gridcare::ops::DumpJson({{"v", std::string("a\xff")}});
  CHECK(text.find("\"a\xEF\xBF\xBD\"") != std::string::npos);
}
