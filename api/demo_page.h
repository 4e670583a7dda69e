// The demo page (api/web/index.html), embedded at build time by api/embed_file.cmake.
#pragma once

#include <string_view>

namespace rc::api {

std::string_view demoPageHtml();

}  // namespace rc::api
