/*
 * collect/ — one collector per data set: what to fetch from Microsoft,
 * with which $select/$filter/$batch, saved to the case folder through
 * case/ (pages under graph/<path>/page-NNNN.json) and a record of what was
 * attempted (collect/<applet>.json: window, and per source ok / licence /
 * denied / failed / skipped with what it needs). Analysis never reads the
 * network: model/ reads what was saved, live or --offline alike.
 * Prefix: collect_.
 */
#ifndef REFLEXE_COLLECT_H
#define REFLEXE_COLLECT_H

#include <stdint.h>

#include "applets/applets.h"
#include "core/core.h"

/* check-admins (admins.c): collects into case_dir for the window
 * (since_abs, else now - since_dur, else 30 days). -1 with err set when
 * the run cannot go on (sign-in, network, case folder); sources that
 * cannot be read are recorded, not errors. */
int collect_admins(const char *case_dir, const struct common *c, int64_t since_abs,
		   int64_t since_dur);

#endif
