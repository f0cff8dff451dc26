#include "table.h"

#include <algorithm>

#include "gridcare/core/utf8.h"

namespace gridcare::ops {
namespace {

constexpr std::string_view kEllipsis = "…";

bool IsWide(char32_t c) {
  return (c >= 0x1100 && c <= 0x115F) || (c >= 0x2E80 && c <= 0xA4CF && c != 0x303F) ||
         (c >= 0xAC00 && c <= 0xD7A3) || (c >= 0xF900 && c <= 0xFAFF) ||
         (c >= 0xFE30 && c <= 0xFE4F) || (c >= 0xFF00 && c <= 0xFF60) ||
         (c >= 0xFFE0 && c <= 0xFFE6) || (c >= 0x1F300 && c <= 0x1F64F) ||
         (c >= 0x1F900 && c <= 0x1F9FF) || (c >= 0x20000 && c <= 0x3FFFD);
}

bool IsZeroWidth(char32_t c) {
  return (c >= 0x0300 && c <= 0x036F) || c == 0x200B || c == 0x200D || c == 0xFE0F;
}

size_t CodePointWidth(char32_t c) {
  if (IsZeroWidth(c)) return 0;
  return IsWide(c) ? 2 : 1;
}

std::string PadRight(const std::string& text, size_t width) {
  const size_t used = DisplayWidth(text);
  return used >= width ? text : text + std::string(width - used, ' ');
}

}  // namespace

void Table::AddRow(std::vector<nlohmann::json> cells) {
  cells.resize(columns_.size());
  rows_.push_back(std::move(cells));
}

std::string Table::RenderText() const {
  if (rows_.empty()) return "";
  std::vector<std::vector<std::string>> texts;
  std::vector<size_t> widths;
  for (const auto& column : columns_) widths.push_back(DisplayWidth(column.header));
  for (const auto& row : rows_) {
    std::vector<std::string> line;
    for (size_t i = 0; i < columns_.size(); ++i) {
      line.push_back(FitWidth(OneLine(CellText(row[i])), columns_[i].max_width));
      widths[i] = std::max(widths[i], DisplayWidth(line.back()));
    }
    texts.push_back(std::move(line));
  }
  auto render_line = [&](const std::vector<std::string>& cells) {
    std::string out;
    for (size_t i = 0; i < cells.size(); ++i) {
      const bool last = i + 1 == cells.size();
      out += last ? cells[i] : PadRight(cells[i], widths[i]) + "  ";
    }
    while (!out.empty() && out.back() == ' ') out.pop_back();
    return out + "\n";
  };
  std::vector<std::string> headers;
  for (const auto& column : columns_) headers.push_back(column.header);
  std::string out = render_line(headers);
  for (const auto& line : texts) out += render_line(line);
  return out;
}

nlohmann::json Table::ToJson() const {
  auto out = nlohmann::json::array();
  for (const auto& row : rows_) {
    auto object = nlohmann::json::object();
    for (size_t i = 0; i < columns_.size(); ++i) object[columns_[i].key] = row[i];
    out.push_back(std::move(object));
  }
  return out;
}

size_t DisplayWidth(std::string_view text) {
  size_t width = 0;
  for (const char32_t c : core::DecodeUtf8(text)) width += CodePointWidth(c);
  return width;
}

std::string FitWidth(std::string_view text, size_t width) {
  if (DisplayWidth(text) <= width) return std::string(text);
  if (width == 0) return "";
  std::string out;
  size_t used = 0;
  for (const char32_t c : core::DecodeUtf8(text)) {
    const size_t w = CodePointWidth(c);
    if (used + w > width - 1) break;  // one column is kept for the ellipsis
    core::AppendUtf8(out, c);
    used += w;
  }
  return out + std::string(kEllipsis);
}

nlohmann::json TextOrNull(const std::string& text) {
  return text.empty() ? nlohmann::json() : nlohmann::json(text);
}

std::string CellText(const nlohmann::json& cell) {
  if (cell.is_null()) return "-";
  if (cell.is_string()) return cell.get<std::string>();
  if (cell.is_boolean()) return cell.get<bool>() ? "yes" : "no";
  return cell.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

std::string OneLine(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (const char32_t c : core::DecodeUtf8(text)) {
    const bool control = c < 0x20 || c == 0x7F || (c >= 0x80 && c <= 0x9F);
    core::AppendUtf8(out, control ? U' ' : c);
  }
  return out;
}

std::string DumpJson(const nlohmann::json& value) {
  return value.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
}

}  // namespace gridcare::ops
