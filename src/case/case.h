/*
 * case/ — the case folder on the stick: case.ini, raw evidence files,
 * requests.jsonl, manifest.sha256. Prefix: case_.
 * (DESIGN.md puts "files" in core/; the case folder's own rules — one
 * tenant per folder, manifest last, request log — are more than files,
 * so they get their own folder below ms/ and collect/.)
 *
 *   case.c      open / create, case.ini, one tenant per folder, clock skew
 *   manifest.c  evidence writes (atomic, then the manifest line), earlier
 *               runs' files moved aside, manifest compaction and checks
 *   reqlog.c    requests.jsonl: one line per HTTP exchange, no secrets
 *   find.c      which case folder a run works in
 *
 * Thread-safe: worker threads save evidence and log requests through one
 * case_dir (one mutex around the manifest and the request log).
 */
#ifndef REFLEXE_CASE_H
#define REFLEXE_CASE_H

#include <pthread.h>
#include <stdint.h>

#include "core/core.h"

struct case_dir;

struct case_info {
	char dir[4096];
	char tenant[256];         /* as given when the case was made (--tenant) */
	char tenant_id[64];       /* the directory's GUID once known */
	char domains[4096];       /* verified domains once known, space-separated */
	char case_id[40];         /* random UUID v4 */
	char responder[256];
	char tool_version[64];
	char started[32];         /* ISO 8601 UTC */
	int has_skew;
	int64_t skew_s;           /* host clock minus the server's Date */
	char skew_at[32];
};

/* Opens (or, live, creates) the case folder dir for tenant. tenant may be
 * NULL or "organizations"/"common" when not known yet (sign-in will tell:
 * case_set_tenant). Refuses a folder whose case.ini names another tenant.
 * offline: the folder must exist with its case.ini; nothing is written. */
int case_open(struct case_dir **out, const char *dir, const char *tenant,
	      const char *responder, int offline);
/* Closes: compacts the manifest (drops lines of files moved aside). */
int case_close(struct case_dir *c);
const struct case_info *case_info(const struct case_dir *c);
const char *case_path(const struct case_dir *c);   /* the folder */
int case_offline(const struct case_dir *c);

/* The default folder name: "case-<tenant>-<YYYYMMDD>" (UTC date), with
 * characters other than [A-Za-z0-9.-] replaced by '_'. */
int case_default_dir(const char *tenant, int64_t now, char *out, size_t n);

/* Settles the case folder of a run into out: opt (--case), else
 * REFLEXE_CASE, else the only ./case-* folder here. When there is none
 * and tenant is given (an applet that may start a case), the default
 * folder for tenant (case_default_dir): returns 1. 0 when found, -1 with
 * err set (E_CASE_NONE, E_CASE_MANY…). Nothing is created. */
int case_find_dir(const char *opt, const char *tenant, int64_t now, char *out, size_t sz);

/* Records the tenant id and verified domains learnt after sign-in;
 * refuses (-1) when case.ini already names another tenant. */
int case_set_tenant(struct case_dir *c, const char *tenant_id, const char *domains);
/* First server Date seen in this run: records host minus server, once per
 * run (rewrites case.ini). date_hdr is the raw header. */
int case_note_date(struct case_dir *c, const char *date_hdr, int64_t host_now);

/* ---- evidence (manifest.c) -------------------------------------------------
 * rel: case-relative path, '/'-separated, no "." or ".." segment, no
 * leading '/'. The file is written atomically (temp, fsync, rename, fsync
 * the folder), then "<sha256>  <rel>" is appended to manifest.sha256 and
 * fsynced. A file of an earlier run at that path is first moved to
 * superseded/<run>/<rel> (listed too), so nothing is lost and the
 * manifest always checks. sha_hex (65 bytes) may be NULL. */
int case_save(struct case_dir *c, const char *rel, const void *data, size_t n, char *sha_hex);
/* Before writing the pages of a collection to folder rel: moves aside
 * the page-*.json files an earlier run left there (a shorter run must not
 * leave stale pages behind). Once per folder per run; cheap afterwards. */
int case_begin_pages(struct case_dir *c, const char *rel);
/* Checks rel's bytes against the manifest (offline reads): 0 when listed
 * with that hash, -1 (err set) when listed with another or not listed. */
int case_check(struct case_dir *c, const char *rel, const void *data, size_t n);
/* 1 when the manifest lists rel (offline: a page listed but gone from
 * the folder is evidence lost, not the end of a collection), 0 when it
 * does not, -1 (err set) when the manifest cannot be read. */
int case_listed(struct case_dir *c, const char *rel);
/* Calls fn(ctx, rel) for each path the manifest lists below folder dir
 * ("dir/..."), in no particular order; stops at fn's first -1. For a
 * reader that walks sub-folders: one deleted with all its files is still
 * named here. dir "" walks every path listed. -1 (err set) when the
 * manifest cannot be read.
 * The manifest is read in order (manifest.c): a later line for a path
 * supersedes an earlier one, and a file moved to superseded/ is no longer
 * listed at its old path (until a later line lists it there again). */
typedef int (*case_rel_fn)(void *ctx, const char *rel);
int case_listed_under(struct case_dir *c, const char *dir, case_rel_fn fn, void *ctx);
/* Checks a relative path is one case_save accepts (for callers building
 * paths from API paths). */
int case_rel_ok(const char *rel);
/* SHA-256 of data as lower-case hex (through mbedTLS). */
int case_sha256_hex(const void *data, size_t n, char out[65]);

/* ---- group commit ---------------------------------------------------------------
 * Many small files at once (the 20 answers of a $batch): each file is
 * still written whole (temp, fsync, rename, fsync its folder) before it
 * is listed, but the manifest lines and request-log lines are gathered
 * and written with one write and one fsync each by case_commit. On a USB
 * stick, where an fsync costs milliseconds and the manifest is shared by
 * every worker thread, this is most of the time a batch takes. */
struct case_batch {
	struct buf manifest;      /* lines for manifest.sha256 */
	struct buf log;           /* lines for requests.jsonl */
};
/* case_save, with the manifest line kept in b until case_commit. */
int case_save_in(struct case_dir *c, struct case_batch *b, const char *rel,
		 const void *data, size_t n, char *sha_hex);
int case_commit(struct case_dir *c, struct case_batch *b);
void case_batch_free(struct case_batch *b);

/* ---- requests.jsonl (reqlog.c) ---------------------------------------------- */
struct case_req {
	int64_t time_ms;          /* when the request was sent (Unix ms) */
	int64_t elapsed_ms;
	const char *method;
	const char *url;          /* redacted by case_log (query values kept
				     only for OData options) */
	int status;               /* 0: no response (network error) */
	const char *request_id;   /* the server's request-id header */
	const char *client_request_id;
	unsigned long long bytes;
	const char *sha256;       /* of the saved body, or NULL */
	const char *path;         /* case-relative path it was saved to, or NULL */
	const char *error;        /* service error code or local reason, or NULL */
	const char *batch;        /* client-request-id of the $batch it was in */
	const char *sub_id;       /* its id in that $batch */
	const char *retry_after;  /* the Retry-After value received, or NULL */
};
int case_log(struct case_dir *c, const struct case_req *r);
/* The line kept in b until case_commit. */
int case_log_in(struct case_dir *c, struct case_batch *b, const struct case_req *r);
/* The URL as logged: query parameters other than the OData options
 * ($select, $filter, $top, $expand, $orderby, $count, $search) and
 * api-version keep their name but lose their value ("$skiptoken=…"
 * becomes "$skiptoken=REDACTED"); user:password@ is dropped. */
int case_redact_url(const char *url, struct buf *out);

/* ==== internals shared by case/ files, declared here for the unit tests
 * (one header per folder). Callers outside case/ use the API above. */
struct case_map;                  /* rel -> sha256, from the manifest */
struct case_dir {
	struct case_info info;
	int offline;
	pthread_mutex_t mu;       /* manifest, request log, case.ini */
	int log_fd;               /* requests.jsonl, opened on first use */
	int skew_done;            /* this run measured the clock skew */
	char run[64];             /* this run's stamp, for superseded/<run>/ */
	struct case_map *index;   /* loaded on the first case_check */
};
int case_ini_write(struct case_dir *c);
/* Appends text (whole lines) to requests.jsonl, fdatasync; caller holds mu. */
int case_log_write(struct case_dir *c, const char *text, size_t n);
/* Rewrites manifest.sha256 without the lines of files moved aside to
 * superseded/ (a line "<h>  <p>" is dropped when a later line lists
 * "<h>  superseded/<run>/<p>"), blank lines, nor repeats of a path's live
 * line. */
int case_manifest_compact(struct case_dir *c);
void case_index_free(struct case_dir *c);
/* Parses one manifest line "<64 hex>  <path>" (sha256sum's text mode;
 * "*" binary marker accepted). 0, or -1 when it is not one. */
int case_manifest_line(const char *line, size_t n, char sha[65], const char **path, size_t *plen);

#endif
