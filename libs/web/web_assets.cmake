# Embeds a web page's folder (index.html, its scripts, styles, images) into a C++ source, so a
# service serves the page with no files to install beside it.
#
#   gridcare_embed_web_assets(<folder> <namespace> <function> <out_var>)
#   e.g. gridcare_embed_web_assets(${CMAKE_CURRENT_SOURCE_DIR}/desk gridcare::complaint
#                                  FindDeskAsset _desk_assets_cpp)
#   ... add ${_desk_assets_cpp} to the sources of exactly one target, which links gridcare::web ...
#
# The generated file defines
#   const gridcare::web::StaticAsset* <namespace>::<function>(std::string_view path);
# (declare it in one of your headers, or use it through web::LookupIn): "/" and "/index.html" give
# the page, "/desk.js" etc. the other files (paths relative to the folder, with a leading '/',
# exact, case-sensitive); nullptr for anything else. Embedded: every file under the folder except
# *.cmake, *.h, *.cpp, *.md, CMakeLists.txt, hidden files and editor backups (*~); index.html
# must be there. The bytes go in as '\xNN' char arrays: any content survives (UTF-8 Chinese
# text, binary images), and nothing depends on a raw-string delimiter.
#
# Re-runs: the file list is globbed with CONFIGURE_DEPENDS (a new or removed file re-runs CMake);
# the generation is an add_custom_command that depends on every embedded file and on this script
# (an edited file regenerates the source, which is only rewritten when it changed). Several
# folders may be embedded from one CMake directory (one output file per function name).
#
# The same file is the generator: `cmake -P web_assets.cmake` with GRIDCARE_WEB_DIR,
# GRIDCARE_WEB_OUT, GRIDCARE_WEB_FILES ("|"-separated paths relative to the dir),
# GRIDCARE_WEB_NAMESPACE and GRIDCARE_WEB_FUNCTION.

# --- Shared by both modes ------------------------------------------------------------------

# The content type a file is served with (text types carry charset=utf-8).
function(_gridcare_web_content_type file out_var)
  string(TOLOWER "${file}" lower)
  get_filename_component(ext "${lower}" LAST_EXT)
  set(charset "; charset=utf-8")
  if(ext STREQUAL ".html" OR ext STREQUAL ".htm")
    set(type "text/html${charset}")
  elseif(ext STREQUAL ".js" OR ext STREQUAL ".mjs")
    set(type "text/javascript${charset}")
  elseif(ext STREQUAL ".css")
    set(type "text/css${charset}")
  elseif(ext STREQUAL ".json" OR ext STREQUAL ".map")
    set(type "application/json${charset}")
  elseif(ext STREQUAL ".svg")
    set(type "image/svg+xml${charset}")
  elseif(ext STREQUAL ".txt")
    set(type "text/plain${charset}")
  elseif(ext STREQUAL ".png")
    set(type "image/png")
  elseif(ext STREQUAL ".jpg" OR ext STREQUAL ".jpeg")
    set(type "image/jpeg")
  elseif(ext STREQUAL ".gif")
    set(type "image/gif")
  elseif(ext STREQUAL ".webp")
    set(type "image/webp")
  elseif(ext STREQUAL ".ico")
    set(type "image/x-icon")
  elseif(ext STREQUAL ".woff2")
    set(type "font/woff2")
  else()
    set(type "application/octet-stream")
  endif()
  set(${out_var} "${type}" PARENT_SCOPE)
endfunction()

# --- Script mode: write the C++ source -----------------------------------------------------

if(CMAKE_SCRIPT_MODE_FILE AND CMAKE_SCRIPT_MODE_FILE STREQUAL CMAKE_CURRENT_LIST_FILE)
  foreach(var GRIDCARE_WEB_DIR GRIDCARE_WEB_OUT GRIDCARE_WEB_FILES GRIDCARE_WEB_NAMESPACE
              GRIDCARE_WEB_FUNCTION)
    if(NOT DEFINED ${var} OR "${${var}}" STREQUAL "")
      message(FATAL_ERROR "web_assets.cmake: -D${var}=... is required")
    endif()
  endforeach()
  string(REPLACE "|" ";" files "${GRIDCARE_WEB_FILES}")
  list(SORT files)

  # 16 bytes (32 hex digits) per line.
  string(REPEAT "." 32 line_regex)
  set(arrays "")
  set(entries "")
  set(index 0)
  foreach(rel IN LISTS files)
    set(path "${GRIDCARE_WEB_DIR}/${rel}")
    if(NOT EXISTS "${path}")
      message(FATAL_ERROR "web_assets.cmake: ${path} does not exist (re-run CMake)")
    endif()
    # Paths and types are plain ASCII by construction; refuse anything that would need escaping.
    if(NOT rel MATCHES "^[A-Za-z0-9._/-]+$")
      message(FATAL_ERROR "web_assets.cmake: '${rel}': use only A-Z a-z 0-9 . _ / - in asset names")
    endif()
    file(READ "${path}" hex HEX)
    string(LENGTH "${hex}" hex_length)
    math(EXPR size "${hex_length} / 2")
    string(REGEX REPLACE "(${line_regex})" "\\1\n" hex "${hex}")
    string(REGEX REPLACE "([0-9a-f][0-9a-f])" "'\\\\x\\1'," bytes "${hex}")
    string(REPLACE "\n" "\n    " bytes "${bytes}")
    _gridcare_web_content_type("${rel}" type)
    # A trailing '\0' keeps every array non-empty (an empty file is legal); `size` excludes it.
    string(APPEND arrays
      "// ${rel}: ${size} bytes\n"
      "constexpr char kAsset${index}[] = {\n    ${bytes}'\\0'};\n\n")
    string(APPEND entries
      "    {\"/${rel}\", {\"${type}\", std::string_view(kAsset${index}, ${size})}},\n")
    math(EXPR index "${index} + 1")
  endforeach()

  set(ns "${GRIDCARE_WEB_NAMESPACE}")
  set(fn "${GRIDCARE_WEB_FUNCTION}")
  set(content "// Generated by libs/web/web_assets.cmake: do not edit.
// ${index} file(s) of ${GRIDCARE_WEB_DIR}, embedded byte for byte.
#include <string_view>

#include \"gridcare/web/static_asset.h\"

namespace ${ns} {
const ::gridcare::web::StaticAsset* ${fn}(std::string_view path);
}  // namespace ${ns}

namespace {

${arrays}struct Entry {
  std::string_view path;
  ::gridcare::web::StaticAsset asset;
};

constexpr Entry kEntries[] = {
${entries}};

}  // namespace

const ::gridcare::web::StaticAsset* ${ns}::${fn}(std::string_view path) {
  if (path == \"/\") path = \"/index.html\";
  for (const Entry& entry : kEntries) {
    if (entry.path == path) return &entry.asset;
  }
  return nullptr;
}
")
  file(WRITE "${GRIDCARE_WEB_OUT}.tmp" "${content}")
  file(COPY_FILE "${GRIDCARE_WEB_OUT}.tmp" "${GRIDCARE_WEB_OUT}" ONLY_IF_DIFFERENT)
  file(REMOVE "${GRIDCARE_WEB_OUT}.tmp")
  return()
endif()

# --- Project mode: the function ------------------------------------------------------------

include_guard(GLOBAL)
set(_GRIDCARE_WEB_ASSETS_SCRIPT "${CMAKE_CURRENT_LIST_FILE}" CACHE INTERNAL "web asset generator")

# See the top of this file. Sets OUT_VAR in the caller's scope to the generated source's path, in
# the caller's binary directory.
function(gridcare_embed_web_assets DIR NAMESPACE FUNCTION OUT_VAR)
  if(NOT IS_ABSOLUTE "${DIR}")
    set(DIR "${CMAKE_CURRENT_SOURCE_DIR}/${DIR}")
  endif()
  if(NOT IS_DIRECTORY "${DIR}")
    message(FATAL_ERROR "gridcare_embed_web_assets: ${DIR} is not a directory")
  endif()
  set(identifier "[A-Za-z_][A-Za-z0-9_]*")
  if(NOT NAMESPACE MATCHES "^${identifier}(::${identifier})*$")
    message(FATAL_ERROR "gridcare_embed_web_assets: '${NAMESPACE}' is not a C++ namespace (e.g. gridcare::complaint)")
  endif()
  if(NOT FUNCTION MATCHES "^${identifier}$")
    message(FATAL_ERROR "gridcare_embed_web_assets: '${FUNCTION}' is not a C++ function name")
  endif()
  file(GLOB_RECURSE candidates CONFIGURE_DEPENDS LIST_DIRECTORIES false RELATIVE "${DIR}" "${DIR}/*")
  set(assets "")
  set(depends "")
  foreach(rel IN LISTS candidates)
    get_filename_component(name "${rel}" NAME)
    if(rel MATCHES "(^|/)\\." OR name MATCHES "(\\.cmake|\\.h|\\.cpp|\\.md|~)$" OR name STREQUAL "CMakeLists.txt")
      continue()
    endif()
    list(APPEND assets "${rel}")
    list(APPEND depends "${DIR}/${rel}")
  endforeach()
  if(NOT "index.html" IN_LIST assets)
    message(FATAL_ERROR "gridcare_embed_web_assets: ${DIR}/index.html is missing")
  endif()
  list(SORT assets)
  list(JOIN assets "|" joined)
  set(out "${CMAKE_CURRENT_BINARY_DIR}/gridcare_web_assets_${FUNCTION}.cpp")
  add_custom_command(
    OUTPUT "${out}"
    COMMAND "${CMAKE_COMMAND}"
      "-DGRIDCARE_WEB_DIR=${DIR}"
      "-DGRIDCARE_WEB_OUT=${out}"
      "-DGRIDCARE_WEB_FILES=${joined}"
      "-DGRIDCARE_WEB_NAMESPACE=${NAMESPACE}"
      "-DGRIDCARE_WEB_FUNCTION=${FUNCTION}"
      -P "${_GRIDCARE_WEB_ASSETS_SCRIPT}"
    DEPENDS ${depends} "${_GRIDCARE_WEB_ASSETS_SCRIPT}"
    COMMENT "Embedding ${DIR} as ${NAMESPACE}::${FUNCTION} (${joined})"
    VERBATIM)
  set(${OUT_VAR} "${out}" PARENT_SCOPE)
endfunction()
