// The gateway's routes, one file per resource; each add*Routes registers its resource's routes
// on the router with the roles that may use them. The handlers share the Backends, built once by
// the Gateway; every part of it is thread-safe.
#pragma once

#include <prometheus/counter.h>

#include "audit_log.h"
#include "bus_client.h"
#include "catalogue.h"
#include "gateway.h"
#include "pool.h"
#include "redis.h"
#include "router.h"
#include "scatter_gather.h"
#include "section_cache.h"
#include "worker_refs.h"

namespace mwp::gateway {

struct Backends {
  const GatewayOptions& options;
  const Catalogue& catalogue;
  ScatterGather& services;
  SectionCache& sections;
  Pool<Redis>& logRedis;  // the bus's log: stored events, refusals
  Pool<Publisher>& publishers;
  AuditLog& audit;
  const WorkerRefs& refs;
  // Lookups by full resident ID that found nobody, by key: a burst is someone guessing IDs.
  prometheus::Family<prometheus::Counter>& lookupMisses;
  Logger& log;
};

// `json` as `key`'s role may see it: resident IDs masked unless the role sees them whole, and
// then each workerId followed by its workerRef (workers.cpp).
std::string shownTo(const Backends& b, const ApiKey& key, const std::string& json);

void addWorkerRoutes(Router& router, Backends& b);   // workers.cpp: one worker's record
void addListingRoutes(Router& router, Backends& b);  // listings.cpp: the registry, the cases
void addMeasureRoutes(Router& router, Backends& b);  // measures.cpp: the 30 measures' progress
void addEventRoutes(Router& router, Backends& b);    // events.cpp: submission and lookup
void addAuditRoutes(Router& router, Backends& b);    // audit_routes.cpp: the audit of reads
void addProjectRoutes(Router& router, Backends& b);  // projects.cpp: measure 20's projects
void addScorecardRoutes(Router& router, Backends& b);  // scorecard.cpp: each area's targets

void addWorklistRoutes(Router& router, Backends& b);  // worklists.cpp: who is still to serve

// A page of a service's listing `name` (filter as the service reads it), with page_size and
// page_token from the request; everyone on it audited under `route` (the template), and shown as
// the key's role may see it (listings.cpp).
void sendListing(Backends& b, const HttpRequest& req, HttpResponse& res, const ApiKey& key,
                 const char* route, const std::string& service, const std::string& name,
                 const std::string& filter);

// The parts of sendListing: the service's page as JSON, with page_size and page_token from the
// request (askListing) or given (askList), a Problem if the service does not answer; and a JSON
// answer audited for everyone it shows (their IDs, read from `services`) and sent as the key's
// role may see it.
std::string askListing(Backends& b, const HttpRequest& req, const std::string& service,
                       const std::string& name, const std::string& filter);
std::string askList(Backends& b, const std::string& service, const std::string& name,
                    const std::string& filter, uint32_t pageSize, const std::string& pageToken);
void sendAudited(Backends& b, const HttpRequest& req, HttpResponse& res, const ApiKey& key,
                 const char* route, const std::vector<std::string>& services,
                 const std::string& json);

}  // namespace mwp::gateway
