// A rule that reaches for the loop (and through it Redis and ZeroMQ): must not compile.
#include "rules.h"
#include "service_loop.h"
