/*
 * collect/ — one collector per data set: what to fetch from Microsoft,
 * with which $select/$filter/$batch, saved to the case folder through
 * case/ (pages under graph/<path>/page-NNNN.json, exo/<Cmdlet>/…) and a
 * record of what was attempted (collect/<check>.json: window, and per
 * source ok / licence / denied / failed / skipped with what it needs).
 * Analysis never reads the network: model/ reads what was saved, live or
 * --offline alike. Prefix: collect_.
 *
 *   session.c  sign-in, case folder, Graph (and Exchange) service, probe:
 *              opened once per run, shared by every check of a qualify
 *   record.c   the state of each source, as calls end, and the record
 *   subs.c     building a $batch of GETs, each tagged with its source
 *   admins.c   check-admins
 *   import.c   exports a customer sends (no network): one file into the case
 *   mail.c     check-mail
 *   apps.c     check-apps
 */
#ifndef REFLEXE_COLLECT_H
#define REFLEXE_COLLECT_H

#include <stdint.h>

#include "core/core.h"
#include "export/export.h"
#include "model/model.h"
#include "ms/ms.h"

/* Connections to Graph: a $batch carries 20 requests, and a handful of
 * them in flight keeps a 50-admin tenant to a few round trips. */
#define COLLECT_PARALLEL 8
/* Exchange: 4 requests in flight (collect/mail.c says why). */
#define COLLECT_EXO_PARALLEL 4

/* One run of a check, as the runner hands it to the collector and the
 * model: the options, the check's own options, the window. */
struct check_run {
	const struct common *c;
	const void *own;           /* the check's own options (check_def) */
	const char *case_dir;
	int64_t now;               /* live: the collection's time */
	int64_t since;             /* live: the window's start */
	const struct bl *bl;       /* --baseline, read before the sandbox
				      narrowed (NULL: none) */
};

struct collect_session {
	struct auth_cfg a;
	struct ms_token_source ts;
	struct case_dir *cs;
	struct ms_svc *g;          /* Graph */
	struct ms_svc *x;          /* Exchange, opened by collect_exo */
	struct ms_probe probe;
	int have_probe;            /* the probe ran (else: ask, record answers) */
	int a_init, ts_init, quiet, parallel;
	const char *proxy, *tenant;
};
/* Signs in (or takes the tokens `reflexe login` left), opens the case
 * folder (created if needed), the Graph service, and runs the probe
 * (licences, granted scopes, tenant id: recorded in case.ini; a probe
 * that cannot run is said, and collectors then ask without knowing
 * beforehand). -1 with err set. */
int collect_open(struct collect_session *s, const char *case_dir, const struct common *co);
/* collect_open in two steps, for a caller that narrows its sandbox in
 * between: collect_config reads the sign-in's configuration only (the
 * cloud's endpoints, s->a.cloud; nothing read from the network or the
 * case); collect_start goes on (token, case folder, Graph, probe) and
 * closes s when it fails. */
int collect_config(struct collect_session *s, const struct common *co);
int collect_start(struct collect_session *s, const char *case_dir, const struct common *co);
/* The Exchange admin API service, opened on first use. -1 with err set. */
int collect_exo(struct collect_session *s);
/* "N requests (M in $batch), …" on stderr. */
void collect_stats(struct collect_session *s);
int collect_close(struct collect_session *s);
/* The tenant as a responder reads it: its initial domain, else its id,
 * else what was given. */
const char *collect_tenant(const struct collect_session *s);

/* ---- record.c: the state of each source --------------------------------------
 * A collector keeps one struct mdl_src per source (model/ names them and
 * reads them back from the record: one type, written here, read there). */
/* Folds a call's result into its source: the worst outcome wins. */
void collect_note(struct mdl_src *src, const struct ms_result *r);
/* 1 when the probe says the call cannot be answered (noted in src): the
 * call is then not made. licence: MS_NEED_*; scopes: one suffices. */
int collect_lacks(const struct collect_session *s, struct mdl_src *src, enum ms_need licence,
		  const char *scopes);
/* Logs older than the licence keeps do not exist at Microsoft (Entra
 * data retention: sign-ins and audits, 7 days on Free, 30 on P1/P2): for
 * each log source in logs[] whose window starts earlier, notes from when
 * it covers and what would cover more. Licence unknown: nothing claimed. */
void collect_retention(const struct collect_session *s, struct mdl_src *src, const int *logs,
		       size_t nlogs, int64_t since, int64_t now);
/* Writes collect/<check>.json: the window and each source's state (a
 * source never attempted is "skipped"). */
int collect_record(struct collect_session *s, const char *check, const struct mdl_src *src,
		   size_t n, int64_t since, int64_t until);

/* ---- subs.c: a $batch of GETs, each tagged with its source ------------------- */
struct collect_subs {
	struct graph_sub *v;
	int *src;                  /* index of each one's source */
	char **owned;              /* urls and folders built for them */
	size_t n, cap, nown, capown;
};
/* Takes b's text (b is left empty, ready for the next one): the string
 * lives until collect_subs_free. NULL (err set) on out-of-memory. */
const char *collect_subs_own(struct collect_subs *s, struct buf *b);
/* Adds a GET of url (relative, version excluded) saved under save_as. */
int collect_subs_add(struct collect_subs *s, int src, const char *url, const char *save_as,
		     int none_on_404);
/* Sends them all ($batch), then notes each result into srcs[its source]. */
int collect_subs_run(struct collect_session *cs, struct collect_subs *s, ms_item_fn fn, void *ctx,
		     struct mdl_src *srcs);
void collect_subs_free(struct collect_subs *s);

/* ---- the collectors --------------------------------------------------------------- */
/* check-admins (admins.c) */
int collect_admins(struct collect_session *s, const struct check_run *r);
/* check-mail (mail.c); r->own is a struct collect_mail_opts (NULL: all
 * mailboxes). */
#define COLLECT_MAX_MAILBOX 256
struct collect_mail_opts {
	const char *mailbox[COLLECT_MAX_MAILBOX];   /* --mailbox, repeatable */
	size_t nmailbox;
	long max;                  /* --max-mailboxes, 0: no limit */
	int refresh;               /* ask again what the case already holds */
};
int collect_mail(struct collect_session *s, const struct check_run *r);

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
/* check-apps (apps.c) */
int collect_apps(struct collect_session *s, const struct check_run *r);

#endif
