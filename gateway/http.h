// The request and response the gateway's handlers read and write. One name for them, so the
// handlers do not depend on which HTTP server carries them.
#pragma once

#include <httplib.h>

namespace mwp::gateway {

using HttpRequest = httplib::Request;
using HttpResponse = httplib::Response;

}  // namespace mwp::gateway
