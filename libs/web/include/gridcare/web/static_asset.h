#pragma once

// A web page's files compiled into the service (web_assets.cmake generates the table), and how a
// JsonHttpServer looks them up.

#include <functional>
#include <optional>
#include <string_view>

namespace gridcare::web {

/// One embedded file. For generated tables both views point into static storage: valid for the
/// whole program.
struct StaticAsset {
  std::string_view content_type;  ///< e.g. "text/html; charset=utf-8"
  std::string_view body;          ///< the file's bytes, exactly as in the source tree
};

/// The page's files by URL path ("/" is the page itself); nullopt for unknown paths. Called on
/// the server's worker threads: must be thread-safe.
using AssetLookup = std::function<std::optional<StaticAsset>(std::string_view path)>;

/// What gridcare_embed_web_assets generates: the asset at an exact path, or nullptr.
using AssetFinder = const StaticAsset* (*)(std::string_view path);

/// An AssetLookup over a generated finder (null `find`: no assets).
AssetLookup LookupIn(AssetFinder find);

}  // namespace gridcare::web
