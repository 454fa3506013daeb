// The request and response the gateway's handlers read and write. One name for them, so the
// handlers do not depend on which HTTP server carries them (today common/runtime/http_server.h).
#pragma once

#include "http_server.h"

namespace mwp::gateway {

using HttpRequest = http::Request;
using HttpResponse = http::Response;

}  // namespace mwp::gateway
