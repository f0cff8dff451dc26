#include "gridcare/core/clock.h"

#include <cstdio>
#include <ctime>

namespace gridcare::core {

int64_t ToUnixMillis(TimePoint t) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(t.time_since_epoch()).count();
}

TimePoint FromUnixMillis(int64_t millis) {
  return TimePoint(std::chrono::duration_cast<Duration>(std::chrono::milliseconds(millis)));
}

std::string FormatRfc3339(TimePoint t) {
  const int64_t millis = ToUnixMillis(t);
  int64_t seconds = millis / 1000;
  int64_t remainder = millis % 1000;
  if (remainder < 0) {  // floor division for times before 1970
    remainder += 1000;
    seconds -= 1;
  }
  const std::time_t tt = static_cast<std::time_t>(seconds);
  std::tm utc{};
  gmtime_r(&tt, &utc);
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", utc.tm_year + 1900,
                utc.tm_mon + 1, utc.tm_mday, utc.tm_hour, utc.tm_min, utc.tm_sec,
                static_cast<int>(remainder));
  return buffer;
}

}  // namespace gridcare::core
