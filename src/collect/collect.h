/*
 * collect/ — one collector per data set: what to fetch from Microsoft,
 * with which $select/$filter/$batch, saved to the case folder through
 * case/ (pages under graph/<path>/page-NNNN.json) and a record of what was
 * attempted (collect/<applet>.json: window, and per source ok / licence /
 * denied / failed / skipped with what it needs). Analysis never reads the
 * network: model/ reads what was saved, live or --offline alike.
 * Prefix: collect_.
 *
 *   session.c  sign-in, case folder, Graph service, probe (every collector)
 *   admins.c   check-admins
 *   import.c   exports a customer sends (no network): one file into the case
 */
#ifndef REFLEXE_COLLECT_H
#define REFLEXE_COLLECT_H

#include <stdint.h>

#include "applets/applets.h"
#include "core/core.h"
#include "export/export.h"
#include "ms/ms.h"

/* Connections to Graph: a $batch carries 20 requests, and a handful of
 * them in flight keeps a 50-admin tenant to a few round trips. */
#define COLLECT_PARALLEL 8

struct collect_session {
	struct auth_cfg a;
	struct ms_token_source ts;
	struct case_dir *cs;
	struct ms_svc *g;
	int a_init, ts_init, quiet;
};
/* Signs in (or takes the tokens `reflexe login` left), opens the case
 * folder (created if needed) and the Graph service. -1 with err set. */
int collect_open(struct collect_session *s, const char *case_dir, const struct common *co);
/* Runs the probe (licences, granted scopes, tenant id) and records the
 * tenant in case.ini. -1 when it could not run: callers then ask without
 * knowing beforehand, and record what Microsoft answers. */
int collect_probe(struct collect_session *s, struct ms_probe *p);
/* "N requests (M in $batch), …" on stderr. */
void collect_stats(struct collect_session *s);
int collect_close(struct collect_session *s);
/* Saves data at rel in the case folder (atomic, in the manifest). */
int collect_save(const char *case_dir, const struct common *co, const char *rel,
		 const struct buf *data);

/* check-admins (admins.c): collects into case_dir for the window
 * (since_abs, else now - since_dur, else 30 days). -1 with err set when
 * the run cannot go on (sign-in, network, case folder); sources that
 * cannot be read are recorded, not errors. */
int collect_admins(const char *case_dir, const struct common *c, int64_t since_abs,
		   int64_t since_dur);

/* import (import.c): one export file into the open case c, streamed (a
 * chunk and one record in memory, whatever its size): the original
 * bytes, the normalised events and the import record under
 * imports/<sha256>/, all listed in the manifest — or, on any fault
 * (unknown layout, malformed row: err set naming file line; no zone and
 * no tz), nothing. A file whose hash the case already lists is not
 * imported again: res->duplicate. */
struct collect_import_opts {
	const struct tm_zone *tz;     /* --tz, or NULL */
	const char *who;              /* responder, for the record */
};
struct collect_import_result {
	int duplicate;
	char sha[65];
	char folder[128];             /* imports/<sha256> */
	unsigned long long bytes;
	struct exp_stats st;
};
int collect_import(struct case_dir *c, const char *path, const struct collect_import_opts *o,
		   struct collect_import_result *res);

#endif
