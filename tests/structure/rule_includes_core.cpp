// A rule's usual includes, all of mwp::core: must compile.
#include "catalogue.h"
#include "derived_events.h"
#include "indicator_counts.h"
#include "rules.h"
#include "stored_record.h"
