#include "gridcare/web/static_asset.h"

namespace gridcare::web {

AssetLookup LookupIn(AssetFinder find) {
  return [find](std::string_view path) -> std::optional<StaticAsset> {
    const StaticAsset* asset = find != nullptr ? find(path) : nullptr;
    if (asset == nullptr) return std::nullopt;
    return *asset;
  };
}

}  // namespace gridcare::web
