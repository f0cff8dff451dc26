#include "gridcare/service/working_calendar_files.h"

#include <algorithm>
#include <filesystem>

#include "gridcare/config/files.h"
#include "gridcare/core/text.h"
#include "gridcare/sla/chinese_calendar.h"

namespace gridcare::service {
namespace {

namespace fs = std::filesystem;

std::vector<std::string> SplitSpec(const std::string& spec) {
  std::vector<std::string> entries;
  size_t start = 0;
  while (start <= spec.size()) {
    const size_t comma = std::min(spec.find(',', start), spec.size());
    std::string entry(core::TrimAsciiSpace(std::string_view(spec).substr(start, comma - start)));
    if (!entry.empty()) entries.push_back(std::move(entry));
    start = comma + 1;
  }
  return entries;
}

}  // namespace

core::Result<std::vector<std::string>> ListCalendarFiles(const std::string& spec) {
  std::vector<std::string> files;
  for (const auto& entry : SplitSpec(spec)) {
    std::error_code error;
    if (fs::is_directory(entry, error)) {
      for (const auto& child : fs::directory_iterator(entry, error)) {
        if (child.is_regular_file() && child.path().extension() == ".json") {
          files.push_back(child.path().string());
        }
      }
      if (error)
        return core::NotFound("working calendar directory " + entry + ": " + error.message());
    } else if (fs::is_regular_file(entry, error)) {
      files.push_back(entry);
    } else {
      return core::NotFound("working calendar " + entry + ": no such file or directory");
    }
  }
  if (files.empty()) return core::NotFound("working calendar \"" + spec + "\": no calendar files");
  std::sort(files.begin(), files.end());
  return files;
}

core::Result<sla::WorkingCalendar> LoadWorkingCalendar(const std::string& spec) {
  auto files = ListCalendarFiles(spec);
  if (!files) return files.error();
  std::vector<sla::WorkingCalendar> calendars;
  for (const auto& path : *files) {
    auto text = config::ReadTextFile(path);
    if (!text) return text.error();
    auto calendar = sla::WorkingCalendar::FromJson(*text);
    if (!calendar)
      return core::Error{calendar.error().kind, path + ": " + calendar.error().message};
    calendars.push_back(std::move(calendar).value());
  }
  return sla::CombineWithStatutoryHolidays(calendars);
}

}  // namespace gridcare::service
