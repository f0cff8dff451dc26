#pragma once

// Output of every gridcare sub-command: one table object that renders as aligned text for people
// and as JSON (stable keys) for scripts. Pure: no I/O. Not thread-safe.

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

namespace gridcare::ops {

struct Column {
  std::string key;        // JSON key, snake_case, stable for scripts: "source_topic"
  std::string header;     // text header: "SOURCE TOPIC"
  size_t max_width = 40;  // text cells wider than this are cut with "…" (JSON is never cut)
};

class Table {
 public:
  explicit Table(std::vector<Column> columns) : columns_(std::move(columns)) {}

  /// One cell per column, in column order (missing cells are null, extra ones ignored). Strings,
  /// numbers, booleans and null ("-" in text) are what cells hold.
  void AddRow(std::vector<nlohmann::json> cells);

  /// Header line and one line per row, columns separated by two spaces and padded by display
  /// width (CJK characters take two columns); control characters in cells become spaces, so one
  /// row is always one line and no cell can move the terminal's cursor. "" when empty.
  std::string RenderText() const;
  /// An array with one object per row, keyed by Column::key.
  nlohmann::json ToJson() const;

  size_t size() const { return rows_.size(); }
  bool empty() const { return rows_.empty(); }

 private:
  std::vector<Column> columns_;
  std::vector<std::vector<nlohmann::json>> rows_;
};

/// Terminal columns `text` (UTF-8) takes: East Asian wide and full-width characters count two,
/// combining marks zero, everything else one.
size_t DisplayWidth(std::string_view text);

/// `text` cut to at most `width` display columns, ending in "…" when it was cut.
std::string FitWidth(std::string_view text, size_t width);

/// A text cell: null ("-" in text) when empty.
nlohmann::json TextOrNull(const std::string& text);

/// A cell as text: strings as they are, numbers in decimal, true/false as yes/no, null as "-".
std::string CellText(const nlohmann::json& cell);

/// `text` with control characters (C0, DEL, C1) replaced by spaces and invalid UTF-8 by U+FFFD.
std::string OneLine(std::string_view text);

/// JSON text for scripts: indented by 2, invalid UTF-8 replaced rather than thrown on.
std::string DumpJson(const nlohmann::json& value);

}  // namespace gridcare::ops
