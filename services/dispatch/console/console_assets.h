#pragma once
// The dispatch web console's files (index.html, console.js, ...), compiled into the service.
// The definition is generated at build time by gridcare_embed_web_assets (libs/web/
// web_assets.cmake) from the files of services/dispatch/console (every file but *.cmake, *.h,
// *.cpp, *.md and hidden ones).

#include <string_view>

#include "gridcare/web/static_asset.h"

namespace gridcare::dispatch {

/// One embedded file. Both views point into static storage: valid for the whole program.
using ConsoleAsset = web::StaticAsset;

/// The asset served at `path`: "/" and "/index.html" give the page, "/console.js",
/// "/console.css", ... the other files (paths relative to the console folder, with a leading
/// '/'). The path must be exact (no query string, no "..", case-sensitive). nullptr when there
/// is no such file. Thread-safe: the table is constant-initialised.
const ConsoleAsset* FindConsoleAsset(std::string_view path);

}  // namespace gridcare::dispatch
