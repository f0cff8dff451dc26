#pragma once
// The dispatch web console's files (index.html, console.js, ...), compiled into the service.
// The definition is generated at build time by console_assets.cmake from the files of
// services/dispatch/console (every file but *.cmake, *.h, *.cpp, *.md and hidden ones).

#include <string_view>

namespace gridcare::dispatch {

/// One embedded file. Both views point into static storage: valid for the whole program.
struct ConsoleAsset {
  std::string_view content_type;  ///< e.g. "text/html; charset=utf-8"
  std::string_view body;          ///< the file's bytes, exactly as in the source tree
};

/// The asset served at `path`: "/" and "/index.html" give the page, "/console.js",
/// "/console.css", ... the other files (paths relative to the console folder, with a leading
/// '/'). The path must be exact (no query string, no "..", case-sensitive). nullptr when there
/// is no such file. Thread-safe: the table is constant-initialised.
const ConsoleAsset* FindConsoleAsset(std::string_view path);

}  // namespace gridcare::dispatch
