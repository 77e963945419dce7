/*
 * ms/ — Microsoft: sign-in flows, Graph client (paging, $batch,
 * throttling), Exchange admin API, the read-only request policy.
 * Prefixes: ms_ (shared), auth_ (sign-in, tokens), graph_, exo_, guard_.
 * Stands on net/ (HTTP) and case/ (evidence); knows nothing of applets.
 */
#ifndef REFLEXE_MS_H
#define REFLEXE_MS_H

#include <stdint.h>

#include "core/core.h"
#include "net/net.h"

/* ==== shared types (lead) ================================================ */

/* Endpoints of one cloud. --cloud global|usgov|usgov-high|dod|china picks
 * a set; AZURE_AUTHORITY_HOST, REFLEXE_GRAPH_URL, REFLEXE_EXO_URL
 * override single entries (tests point them at the fakes). No trailing
 * slash. */
struct ms_cloud {
	char name[16];
	char authority[256];   /* https://login.microsoftonline.com */
	char graph[256];       /* https://graph.microsoft.com */
	char exo[256];         /* https://outlook.office365.com */
	char graph_aud[256];   /* token audience for Graph */
	char exo_aud[256];     /* token audience for Exchange Online */
};

enum ms_audience { MS_AUD_GRAPH = 0, MS_AUD_EXO = 1 };

/* Where Graph and Exchange clients get a bearer token. Must be safe to
 * call from several threads. Writes the raw access token into *out (the
 * caller wipes it with buf_wipe). Returns -1 with err_set on failure. */
struct ms_token_source {
	int (*get)(void *ctx, enum ms_audience aud, struct buf *out);
	void *ctx;
};

/* ==== sign-in (auth helper's section) ==================================== */

/* First-party public clients, present and pre-consented for their own
 * APIs in every tenant: the Microsoft Graph Command Line Tools (what
 * Connect-MgGraph uses) and the ExchangeOnlineManagement v3 module's. */
#define MS_CLIENT_GRAPH_CLI "14d82eec-204b-4c2f-b7e8-296a70dab67e"
#define MS_CLIENT_EXO_PS    "fb78d390-0c51-40cd-8e17-fdbfab77341b"

/* Fills c for --cloud name (NULL or "" = global; global, usgov,
 * usgov-high, dod, china), then applies AZURE_AUTHORITY_HOST,
 * REFLEXE_GRAPH_URL and REFLEXE_EXO_URL. -1 (err_set) on an unknown
 * name or an override that is not an https:// URL. (cloud.c) */
int ms_cloud_init(struct ms_cloud *c, const char *name);

/* What a sign-in needs; filled by auth_cfg_init from the options and
 * the environment (AZURE_TENANT_ID, AZURE_CLIENT_ID, AZURE_CLIENT_SECRET,
 * AZURE_CLIENT_CERTIFICATE_PATH, REFLEXE_KEYRING, REFLEXE_JWT_ALG). */
enum auth_mode { AUTH_DEVICE = 0, AUTH_SECRET, AUTH_CERT };
struct auth_cfg {
	struct ms_cloud cloud;
	char tenant[256];       /* --tenant, AZURE_TENANT_ID, else "organizations" */
	char client_id[64];     /* device code: --client-id or MS_CLIENT_GRAPH_CLI;
				   client credentials: AZURE_CLIENT_ID */
	enum auth_mode mode;
	char *secret;           /* AZURE_CLIENT_SECRET copy, wiped by auth_cfg_free */
	char cert_path[4096];   /* AZURE_CLIENT_CERTIFICATE_PATH */
	int pss;                /* assertion signed PS256 (default) or RS256 */
	const char *proxy;      /* --proxy, borrowed */
	int no_keyring;         /* REFLEXE_KEYRING=off: tokens in memory only */
	int quiet;              /* -q: no progress on stderr */
};
/* cloud/tenant/client_id/proxy may be NULL. -1 (err_set, usage) on a bad
 * cloud, tenant or client id, or half-set client-credential variables. */
int auth_cfg_init(struct auth_cfg *a, const char *cloud, const char *tenant,
		  const char *client_id, const char *proxy);
void auth_cfg_free(struct auth_cfg *a);

/* The token source every applet uses: with client-credential variables
 * set it signs in by itself (secret or certificate); otherwise it takes
 * the tokens `reflexe login` left in the kernel keyring, refreshing them
 * before they expire; with no keyring it runs the device code flow on
 * first use (tokens kept in this process only). Thread-safe, caches per
 * audience. Free with auth_token_source_free (wipes every token). */
int auth_token_source(struct ms_token_source *out, const struct auth_cfg *cfg);
void auth_token_source_free(struct ms_token_source *s);

/* ---- sign-in internals, for the login applet and the unit tests -------- */

enum {
	AUTH_RENEW_S = 300,            /* renew a token this long before expiry */
	AUTH_RT_KEEP_S = 12 * 3600,    /* refresh tokens kept in the keyring */
};

/* Scopes asked for Microsoft Graph, each with why (auth_scopes.c). */
struct auth_scope {
	const char *name;
	enum msg_id why;
};
extern const struct auth_scope auth_graph_scopes[];
extern const size_t auth_ngraph_scopes;
int auth_graph_scope_string(struct buf *out);      /* space-separated */
int auth_default_scope(struct buf *out, const char *aud, int offline);
/* Admin-consent URL for client_id: Graph scopes, or Exchange's .default. */
int auth_consent_url(struct buf *out, const struct auth_cfg *a, const char *client_id, int exo);

/* Form and query encoding (auth_form.c). */
int auth_form_enc(struct buf *b, const char *s);
int auth_form_add(struct buf *b, const char *name, const char *value);
/* Grows b once to hold n more bytes: a buffer about to hold a secret must
 * not be moved by realloc, which would leave an unwiped copy. */
int auth_buf_reserve(struct buf *b, size_t n);

/* base64url, JWT, randomness (jwt.c) */
int auth_b64url_enc(struct buf *out, const void *data, size_t n);
int auth_b64url_dec(struct buf *out, const char *s, size_t n);
int auth_jwt_claims(const char *jwt, struct buf *json);  /* unverified payload */
int auth_random(void *p, size_t n);                       /* CTR-DRBG */
struct auth_signer;            /* an application's certificate and RSA key */
int auth_signer_load(struct auth_signer **out, const char *pem_path);
void auth_signer_free(struct auth_signer *s);
void auth_signer_x5t(const struct auth_signer *s, unsigned char out[32]);
/* Client assertion (RFC 7523) for client_id, audience aud, issued at now. */
int auth_jwt_assertion(struct buf *out, struct auth_signer *s, const char *client_id,
		       const char *aud, int64_t now, int pss);

/* Token endpoint replies (auth_reply.c). */
struct auth_token {
	char *access;           /* malloc'ed, wiped by auth_token_wipe */
	char *refresh;          /* NULL when none */
	int64_t expires_at;     /* Unix seconds */
	int64_t obtained_at;    /* when it came (0: unknown, read back from the keyring) */
	char scope[2048];
	char client_id[64];     /* the client it was issued to */
};
void auth_token_wipe(struct auth_token *t);
/* A source holding the tokens a sign-in just obtained (moved in: graph
 * and exo are left empty); renewed in memory by their refresh tokens. */
int auth_token_source_with(struct ms_token_source *out, const struct auth_cfg *cfg,
			   struct auth_token *graph, struct auth_token *exo);
struct auth_oauth_err {
	char error[64];         /* RFC 6749 §5.2 error code */
	long code;              /* AADSTS number, 0 if none */
	char desc[512];         /* error_description, cleaned, no trace ids */
};
struct auth_devcode {
	char user_code[64];
	char uri[512];
	char *device_code;      /* malloc'ed, wiped */
	long long interval_ms;
	long long expires_at_ms;
};
void auth_devcode_wipe(struct auth_devcode *d);
/* 0 parsed, 1 OAuth error (e filled), -1 malformed (err_set). */
int auth_parse_token_reply(int status, const char *body, size_t n, int64_t now,
			   struct auth_token *t, struct auth_oauth_err *e);
int auth_parse_devcode_reply(int status, const char *body, size_t n, int64_t now,
			     struct auth_devcode *d, struct auth_oauth_err *e);
enum msg_id auth_aadsts_msg(long code);        /* E_AUTH_OAUTH if unmapped */
int auth_oauth_fail(const struct auth_oauth_err *e);   /* err_set; -1 */

/* HTTP (auth_http.c): a connection whose requests pass the read-only
 * guard, then auth_policy (ctx: the auth_cfg): the two sign-in endpoints
 * of the configured authority only. */
struct auth_conn;
int auth_policy(void *ctx, const char *method, const struct url *u, const void *body, size_t n);
int auth_conn_new(struct auth_conn **out, const struct auth_cfg *a);
void auth_conn_free(struct auth_conn *k);
int auth_endpoint(char *out, size_t n, const struct auth_cfg *a, const char *what);
int auth_post(struct auth_conn *k, const char *url, const struct buf *form, struct http_resp *resp);

/* Grants (auth_grant.c, auth_device.c). 0 ok; auth_refresh returns 1
 * with e filled when Microsoft refuses, so the caller may fall back. */
typedef int (*auth_stop_fn)(void);     /* nonzero: the user interrupted */
int auth_token_call(struct auth_conn *c, const struct auth_cfg *a, const struct buf *form,
		    struct auth_token *out, struct auth_oauth_err *e);
int auth_refresh(const struct auth_cfg *a, const char *client_id, const char *refresh,
		 const char *scope, struct auth_token *out, struct auth_oauth_err *e);
int auth_client_credentials(const struct auth_cfg *a, struct auth_signer *s, const char *scope,
			    struct auth_token *out);
int auth_device_flow(const struct auth_cfg *a, const char *client_id, const char *scope,
		     const char *label, auth_stop_fn stop, struct auth_token *out);

/* Kernel keyring (keyring.c). */
enum { AUTH_KR_SESSION = 1, AUTH_KR_USER_SESSION = 2 };
struct auth_keyring {
	long ring;              /* serial of the keyring we use */
	int kind;               /* AUTH_KR_* */
};
int auth_kr_open(struct auth_keyring *k);      /* -1: unavailable (err_set) */
int auth_kr_put(const struct auth_keyring *k, const char *desc, const void *data, size_t n, long ttl_s);
int auth_kr_get(const struct auth_keyring *k, const char *desc, struct buf *out); /* 1 absent */
int auth_kr_del(const struct auth_keyring *k, const char *desc);
int auth_kr_wipe_prefix(const struct auth_keyring *k, const char *prefix, int *count);

/* Token records in the keyring (auth_store.c). */
int auth_store_save(const struct auth_keyring *k, const char *tid, enum ms_audience aud,
		    const struct auth_token *t, const char *authority);
int auth_store_load(const struct auth_keyring *k, const char *tid, enum ms_audience aud, int refresh,
		    const char *authority, struct auth_token *t);   /* 1 absent */
int auth_store_put_info(const struct auth_keyring *k, const char *tid, const char *info);
int auth_store_get_info(const struct auth_keyring *k, const char *tid, struct buf *out);
int auth_store_alias(const struct auth_keyring *k, const char *name, const char *tid);
int auth_store_resolve(const struct auth_keyring *k, const char *name, char *tid, size_t n);

/* Settings helpers (auth_cfg.c). */
int auth_tenant_ok(const char *s);
void auth_harden(void);        /* no core dumps, no ptrace of this process */

/* Who a token is for, for display only (auth_who.c). */
struct auth_who {
	char tid[64], upn[256], appid[64], app[256], idtyp[16], aud[256];
	char scp[2048];         /* delegated scopes */
	char roles[2048];       /* application permissions */
	char wids[1024];        /* directory role template ids */
	int64_t exp;
};
int auth_who(const char *access, struct auth_who *w);
const char *auth_role_name(const char *template_id);  /* NULL if unknown */

/* ==== Graph, Exchange, guard, probe (graph helper's section) ============= */

/* ---- results a collector can act on (graph_err.c) ------------------------
 * Every Graph or Exchange call ends in one of these. "unknown" is an
 * answer (DESIGN.md principle 4): the tenant lacks a licence, or the
 * signed-in account a scope or role; `needs` says what, in words a
 * responder can hand to an administrator. */
enum ms_status {
	MS_OK = 0,        /* collected */
	MS_NONE,          /* a 404 where "none" is a valid answer */
	MS_UNKNOWN,       /* cannot be answered: needs a licence, scope or role */
	MS_FAILED,        /* could not complete (network, server, cap reached) */
	MS_ABSENT,        /* --offline: no evidence for it in the case folder */
};
enum ms_need {
	MS_NEED_NOTHING = 0,
	MS_NEED_P1,       /* Entra ID P1 (or P2) */
	MS_NEED_P2,       /* Entra ID P2 */
	MS_NEED_PERM,     /* a scope / application role or a directory role */
	MS_NEED_EXO,      /* an Exchange Online subscription */
	MS_NEED_EXO_ROLE, /* an Exchange role (View-Only Organization Management…) */
};
struct ms_result {
	enum ms_status st;
	int http;               /* last HTTP status, 0 if no response */
	enum ms_need need;
	char code[96];          /* service error code, e.g. Authorization_RequestDenied */
	char detail[320];       /* service message, verbatim (Microsoft writes English) */
	char needs[256];        /* "AuditLog.Read.All; rôle/role: Reports Reader, Global Reader" */
	unsigned long items;    /* items delivered */
	unsigned pages;         /* pages saved or read */
};
const char *ms_status_name(enum ms_status st);  /* "ok", "none", "unknown"… */
/* One line in the user's language: "inconnu — nécessite Entra ID P1 (HTTP
 * 403 Authentication_RequestFromNonPremiumTenantOrB2CTenant)". */
void ms_result_text(const struct ms_result *r, char *out, size_t n);
/* Fills r from an error response (Graph {"error":{"code","message"}} or
 * Exchange's "|Type|message"). `needs` is the caller's hint for a 403
 * (NULL: the built-in table by path); none_on_404 turns 404 into MS_NONE. */
void ms_result_from_error(struct ms_result *r, enum ms_audience aud, int status,
			  const char *body, size_t len, const char *path,
			  const char *needs, int none_on_404);

/* ---- read-only guard (guard.c) -------------------------------------------
 * The http_policy_fn every Microsoft request goes through, redirects
 * included (net/ calls it before a byte leaves). Allows only:
 *   GET to the authority, Graph or Exchange host;
 *   POST {authority}/{tenant}/oauth2/v2.0/devicecode and …/token;
 *   POST {graph}/(v1.0|beta)/$batch whose every sub-request is a GET;
 *   POST {exo}/adminapi/beta/{tenant}/InvokeCommand of a Get-* cmdlet.
 * Anything else: -1 with a message naming method and URL. */
struct guard_ep {
	char host[256];
	uint16_t port;
	char path[128];        /* base path without trailing '/' ("" usually) */
};
struct guard_ctx {
	struct guard_ep authority, graph, exo;
};
int guard_init(struct guard_ctx *g, const struct ms_cloud *c);
int guard_policy(void *ctx, const char *method, const struct url *u,
		 const void *body, size_t body_len);

/* ---- throttling (throttle.c) ---------------------------------------------
 * One per service (Graph, Exchange), shared by its worker threads: after a
 * 429/503 no thread sends to that service before the wait is over. */
struct ms_throttle;
/* Retry-After (RFC 9110 §10.2.3): delay-seconds, here also fractional as
 * Graph sends them, or an HTTP-date (judged against the response's Date
 * when given, else the host clock). Milliseconds in *ms; -1 unparsable. */
int ms_retry_after_ms(const char *value, const char *date_hdr, int64_t now_s, int64_t *ms);
/* Exponential backoff with "equal jitter" ("Exponential Backoff And
 * Jitter", AWS Architecture Blog, 2015): with c = min(32 s, 0.5 s·2^n),
 * uniform in [c/2, c]; rnd a random 32-bit value. Microsoft Graph's
 * throttling guidance asks for an exponential backoff when no
 * Retry-After is given. */
int64_t ms_backoff_ms(unsigned attempt, uint32_t rnd);
/* The wait after a 429 or 503 (ra: its Retry-After header or NULL;
 * failures: the attempts that failed before it). 1 when the service
 * said how long (a Retry-After asking for a wait; raised to
 * MS_RA_MIN_MS): such a retry does not use up a failure attempt, only
 * the cap on total throttling wait bounds it ("Microsoft Graph
 * throttling guidance": wait the Retry-After, then retry). 0 when *ms
 * is a backoff (no header, unparsable, or 0: nothing the cap could
 * bound): that retry counts against max_retries like a 5xx. */
#define MS_RA_MIN_MS 100
int ms_throttle_delay(const char *ra, const char *date_hdr, unsigned failures, int64_t *ms);

/* ---- services: Graph and Exchange clients (graph_svc.c, graph.c, batch.c, exo.c) */
struct case_dir;
#define MS_MAX_PARALLEL 16
struct ms_opts {
	const struct ms_cloud *cloud;
	struct ms_token_source tok;     /* unused with offline */
	struct case_dir *cs;            /* where evidence goes (required) */
	int parallel;                   /* connections, default 4, 1..16 */
	int offline;                    /* read the case folder, no network */
	int quiet;                      /* no progress on stderr */
	const char *proxy;              /* --proxy, NULL for the environment */
	const char *tenant;             /* Exchange: tenant id or domain for the URL */
	const char *anchor_domain;      /* Exchange: initial domain (X-AnchorMailbox) */
	int app_only;                   /* Exchange: app token (APP: anchor) */
	/* caps; 0 = defaults */
	int max_retries;                /* per request, default 6 */
	int max_wait_s;                 /* total throttling wait per service, 600 */
	int idle_ms;                    /* read timeout, default 60000 */
};
struct ms_svc;
int graph_open(struct ms_svc **out, const struct ms_opts *o);
int exo_open(struct ms_svc **out, const struct ms_opts *o);
void ms_svc_close(struct ms_svc *s);
struct ms_svc_stats {
	unsigned long requests;         /* HTTP exchanges (a $batch counts once) */
	unsigned long subrequests;      /* $batch sub-requests sent */
	unsigned long throttled;        /* 429/503 answers (incl. sub-requests) */
	unsigned long retries;
	int64_t waited_ms;              /* time spent waiting for throttling */
	unsigned long handshakes;
};
void ms_svc_stats(struct ms_svc *s, struct ms_svc_stats *st);

/* Called for every item of every page: the elements of "value", or the
 * root object of a single resource. ev: the page's case-relative path.
 * Same shape as model/'s mdl_item_fn, so one parser serves live and
 * --offline runs. Calls are serialised (never two at once). */
typedef int (*ms_item_fn)(void *ctx, const struct json *j, int item, const char *ev);

struct graph_query {
	const char *path;       /* "/v1.0/users", "/beta/…" (version first) */
	const char *select, *filter, *expand, *orderby;
	int top;                /* $top, 0 = server default */
	int count;              /* $count=true */
	int eventual;           /* ConsistencyLevel: eventual (advanced queries) */
	int none_on_404;        /* 404 means "none" (e.g. federationConfiguration) */
	const char *save_as;    /* case-relative folder; default graph/<path> */
	const char *needs;      /* what a 403 means here (default: table) */
	const char *label;      /* progress label; default the path */
};
/* Lists a collection (or reads one resource), following @odata.nextLink
 * to the end on the same Graph host only. Live: each page is saved, then
 * handed to fn; offline: the saved pages are handed to fn. 0 with res->st
 * ok / none / unknown / absent; -1 with res->st MS_FAILED and the
 * message set. fn may be NULL. */
int graph_list(struct ms_svc *g, const struct graph_query *q, ms_item_fn fn, void *ctx,
	       struct ms_result *res);

/* $batch: GETs sent 20 per batch over the parallel connections; answers
 * matched by id in any order; a sub-request throttled (its own
 * Retry-After) or failed with 5xx is retried on its own in a later batch;
 * a 4xx is mapped into its own result. Sub-responses are saved under the
 * path of each sub-request; their nextLinks are followed. */
struct graph_sub {
	const char *url;        /* relative, version excluded: "/users/{id}/memberOf?$select=id" */
	const char *save_as;    /* default graph/<version><path of url> */
	int none_on_404;
	int eventual;
	const char *needs;
	void *user;             /* the caller's tag */
	struct ms_result res;   /* out */
	/* private */
	unsigned attempts;      /* times sent */
	unsigned failures;      /* answers counted against max_retries: 5xx,
				   429/503 without Retry-After, none at all */
};
/* 0 when every sub-request has a result (each may be ok, none, unknown
 * or failed); -1 only when the run itself could not go on. The array is
 * the caller's memory (about 700 bytes a sub-request): on a large tenant
 * pass slices of a few thousand (bench/graph_bench.c does). */
int graph_batch(struct ms_svc *g, const char *version, struct graph_sub *subs, size_t n,
		ms_item_fn fn, void *ctx);

/* Exchange admin API: POST {exo}/adminapi/beta/{tenant}/InvokeCommand
 * {"CmdletInput":{"CmdletName":cmdlet,"Parameters":params}} with paging
 * by posting the same body to @odata.nextLink. cmdlet must match
 * ^Get-[A-Za-z]+$; params a JSON object text or NULL. Saved under
 * exo/<cmdlet>/ (or save_as). */
int exo_invoke(struct ms_svc *x, const char *cmdlet, const char *params, const char *save_as,
	       ms_item_fn fn, void *ctx, struct ms_result *res);
/* 1 when name is a cmdlet reflexe may send (^Get-[A-Za-z]+$), else 0. */
int exo_cmdlet_ok(const char *name);
/* The same call with what a per-mailbox cmdlet needs: the mailbox as
 * X-AnchorMailbox ("UPN:<upn>", the routing CIPP and the
 * ExchangeOnlineManagement module use for Get-InboxRule), and no
 * progress line of its own (the caller counts mailboxes). */
struct exo_req {
	const char *cmdlet, *params, *save_as;
	const char *mailbox;            /* anchor UPN, or NULL */
	int quiet;
};
int exo_run(struct ms_svc *x, const struct exo_req *q, ms_item_fn fn, void *ctx,
	    struct ms_result *res);
/* Exchange's Rate-Limit-Limit / -Remaining / -Reset headers (seen in a
 * 2024 capture of the admin API; their window is not documented): when
 * less than 5 % of the budget is left, the service is held until the
 * reset, 60 s at most. Called on every Exchange answer. */
void exo_rate_limit(struct ms_svc *x, const struct http_resp *r);

/* Runs job(ctx, i) for i in [0, n) on up to `parallel` threads of s
 * (e.g. one Get-InboxRule per mailbox). Stops early on the first -1. */
int ms_parallel(struct ms_svc *s, size_t n, int (*job)(void *ctx, size_t i), void *ctx);

/* ---- the probe after sign-in (probe.c) -----------------------------------
 * Saved to the case (graph/v1.0/organization, graph/v1.0/subscribedSkus,
 * graph/v1.0/me/transitiveMemberOf/… pages, and probe.json), read by
 * later checks to mark what they cannot answer before calling anything. */
#define MS_PROBE_LIST 4096
struct ms_probe {
	char tenant_id[64];
	char initial_domain[256];
	char default_domain[256];
	char domains[MS_PROBE_LIST];     /* verified domains, space-separated */
	int p1, p2, exo;                 /* 1 yes, 0 no, -1 unknown */
	int app;                         /* app-only token (roles, no user) */
	char who[256];                   /* UPN, or the application id */
	char scopes[MS_PROBE_LIST];      /* scp or roles claim, space-separated */
	char dir_roles[MS_PROBE_LIST];   /* directory role names, ';'-separated */
	char role_ids[MS_PROBE_LIST];    /* their template ids, space-separated */
	char sku_error[160];             /* why p1/p2/exo are unknown, if they are */
	char roles_error[160];           /* why dir_roles is unknown, if it is */
};
/* Runs the probe with a Graph service and the Graph token of tok. */
int ms_probe(struct ms_svc *g, const struct ms_token_source *tok, struct ms_probe *p);
/* Reads <case>/probe.json. -1 (err set) when absent or unreadable. */
int ms_probe_read(const char *case_dir, struct ms_probe *p);
/* Decides before a call: 1 when p shows the call cannot be answered
 * (res filled: unknown, needs …), 0 when it can (or cannot tell).
 * licence: MS_NEED_P1, MS_NEED_P2, MS_NEED_EXO or MS_NEED_NOTHING;
 * scopes_any: space-separated scopes/roles of which one suffices, or NULL
 * ("X.ReadWrite.Y" covers "X.Read.Y"). */
int ms_probe_lacks(const struct ms_probe *p, enum ms_need licence, const char *scopes_any,
		   struct ms_result *res);
/* 1 when the space-separated list has scope (or its ReadWrite form). */
int ms_scope_has(const char *list, const char *scope);
/* Reads the claims of a JWT access token (no signature check: it only
 * tells what was granted): scp or roles, upn/appid, tid, wids. */
struct ms_claims {
	char scopes[MS_PROBE_LIST];
	char who[256];
	char tid[64];
	char wids[MS_PROBE_LIST];
	int app;
};
int ms_token_claims(const char *token, struct ms_claims *c);

/* ==== internals of the Graph and Exchange clients, shared by graph*.c,
 * batch.c, exo.c, probe.c and throttle.c; declared here for the unit tests. */
#include <pthread.h>

struct ms_throttle {
	pthread_mutex_t mu;
	int64_t until_ms;       /* monotonic: no request before this */
	int64_t waited_ms;      /* wall time the service was held, in all */
	int64_t max_wait_ms;    /* cap on waited_ms */
	unsigned long holds;
};
void ms_throttle_init(struct ms_throttle *t, int64_t max_wait_ms);
void ms_throttle_free(struct ms_throttle *t);
/* Holds the service for ms from now (the later of this and any hold
 * already set). *added gets the wall time added. -1 (err set) when the
 * total would pass the cap. */
int ms_throttle_hold(struct ms_throttle *t, int64_t ms, int64_t *added);
/* Sleeps until no hold is left; 1 when it slept, 0 when none was set. */
int ms_throttle_wait(struct ms_throttle *t);
/* Sets the error of a hold of ms refused by the cap (-1). */
int ms_throttle_cap_error(struct ms_throttle *t, int64_t ms);

struct case_dir;
struct ms_svc {
	enum ms_audience aud;
	const char *name;               /* "Graph", "Exchange" for messages */
	char base[256];                 /* https://graph.microsoft.com (no '/') */
	struct url base_u;
	struct ms_opts o;
	char tenant[256], anchor[512];  /* Exchange */
	struct guard_ctx guard;
	struct ms_throttle thr;
	/* connections: a pool any thread borrows from */
	pthread_mutex_t mu;
	pthread_cond_t cv;
	struct http_client *conn[MS_MAX_PARALLEL];
	int busy[MS_MAX_PARALLEL];
	pthread_mutex_t cb_mu;          /* serialises ms_item_fn calls */
	struct ms_svc_stats st;         /* under mu */
	int tty;                        /* stderr is a terminal */
	int64_t last_progress_ms;
};

/* One HTTP exchange with everything around it: the shared throttling
 * wait, a token, client-request-id, the guard, retries of 429/503/5xx
 * and network errors (each logged to requests.jsonl). On return the
 * final response is in c->resp (any status), not yet logged: the caller
 * saves the body, then calls ms_call_log. */
struct ms_call {
	const char *method;
	const char *url;
	const void *body;
	size_t body_len;
	const char *prefer;             /* Prefer header, or NULL */
	int eventual;                   /* ConsistencyLevel: eventual */
	int exo;                        /* Exchange headers */
	const char *anchor;             /* Exchange: X-AnchorMailbox of this
					   call (NULL: the service's) */
	/* Called with a response still on its connection, before another
	 * thread may send on it: $batch sets the holds of its throttled
	 * sub-requests there. NULL: none. */
	void (*seen)(void *ctx, struct ms_svc *s, const struct http_resp *r);
	void *seen_ctx;
	/* out */
	struct http_resp resp;
	char crid[37];                  /* client-request-id of the last attempt */
	int64_t t0_ms, elapsed_ms;
	unsigned attempts;              /* requests sent */
	unsigned failures;              /* those that count against
					   max_retries: all but the 429/503
					   with a Retry-After */
	int gave_up;                    /* the last answer is a 429/5xx kept
					   after max_retries attempts */
	/* a 429/503: the hold send_once set before releasing the connection */
	int64_t wait_ms, added_ms;
	int has_ra, hold_rc;
	int64_t t0_wall_ms;     /* when the request left (after any hold) */
	int64_t t0_mono_ms;     /* the same on the monotonic clock */
};
int ms_call_do(struct ms_svc *s, struct ms_call *c);
void ms_call_log(struct ms_svc *s, struct ms_call *c, const char *rel, const char *sha,
		 const char *error);
void ms_call_free(struct ms_call *c);
/* 1 when url is on the service's own host and port (https), else 0. */
int ms_same_host(const struct ms_svc *s, const char *url);
/* Hands a parsed page to fn (under cb_mu): every element of "value", or
 * the root object; counts items in res. -1 if fn fails or the shape is
 * not a page. */
int ms_deliver(struct ms_svc *s, const struct json *j, const char *ev, ms_item_fn fn,
	       void *ctx, struct ms_result *res);
/* The @odata.nextLink of a page: *next NULL when there is none, else a
 * malloc'ed copy; -1 (err set) when one is there but not a URL string. */
int ms_next_link(const struct json *j, const char *label, char **next);
/* Parses a body as JSON with the limits of a saved page. */
int ms_parse_page(struct json *j, const char *body, size_t len, const char *label);
/* Progress on stderr (not with -q); a line, or a rewritten one on a tty:
 * the catalogue message id, then its arguments. */
void ms_progress(struct ms_svc *s, int final, enum msg_id id, ...);
/* The shared paging loop: first request, then each @odata.nextLink
 * (GET for Graph; for Exchange the same POST body) on the same host,
 * each page saved as <dir>/page-NNNN.json then delivered. */
struct ms_pages_req {
	const char *method, *url;
	const void *body;
	size_t body_len;
	const char *dir;                /* case-relative folder */
	const char *label;
	const char *path;               /* API path, for the 403 table */
	const char *needs;
	int none_on_404, eventual;
	unsigned first_page;            /* page number to start at (1) */
	int continuing;                 /* pages before first_page were just
					   saved by this run: keep them */
	const char *prefer;
	const char *anchor;             /* Exchange: X-AnchorMailbox (NULL: the service's) */
	int quiet;                      /* no progress line per page */
};
int ms_pages(struct ms_svc *s, const struct ms_pages_req *q, ms_item_fn fn, void *ctx,
	     struct ms_result *res);
/* Offline: reads <dir>/page-0001.json… back, checks each against the
 * manifest, hands them to fn. res->st MS_ABSENT when there is none. */
int ms_pages_offline(struct ms_svc *s, const char *dir, ms_item_fn fn, void *ctx,
		     struct ms_result *res);
/* The case folder of an API path: "graph/v1.0/users/<id>/memberOf" for
 * "/v1.0/users/<id>/memberOf?$select=id"; segments outside the safe set
 * are %-encoded, "." and ".." refused. */
int ms_path_dir(const char *prefix, const char *api_path, struct buf *out);
/* Appends "?$select=…&$filter=…" to out from q, percent-encoding values. */
int graph_build_url(const char *base, const struct graph_query *q, struct buf *out);
int ms_svc_open(struct ms_svc **out, const struct ms_opts *o, enum ms_audience aud);
/* Borrows a connection of the pool (blocks while all are busy); NULL
 * with err set when a new client cannot be made. */
struct http_client *ms_conn_get(struct ms_svc *s, int *slot);
void ms_conn_put(struct ms_svc *s, int slot);
/* Copies src into dst[n], cut at n-1 bytes (no warning games with
 * snprintf's truncation analysis). */
void ms_strcpy(char *dst, size_t n, const char *src);

#endif
