/*
 * model/ — typed structs parsed from the evidence JSON in a case folder.
 * Prefix: mdl_. Everything read here came from the network and was saved
 * to a stick: hostile input. Every parser is bounded (bytes per page,
 * pages per source, items per source, bytes per string) and says "too
 * large" rather than truncating; a source whose evidence cannot be read
 * becomes "unknown" with the reason, and the others still load.
 *
 * Evidence first (DESIGN.md): what the model reads is what was collected,
 * or nothing. Every file is read once, hashed and checked against
 * manifest.sha256 (case/: case_check) before it is parsed; a file altered
 * or not listed, or listed but gone, stops the whole load (MDL_REFUSED)
 * — never analysed, never skipped as if the source were merely absent.
 * What the model reads: graph/... pages and collect/<applet>.json. Not
 * read, so not checked here: findings/ and report.* (outputs of a run,
 * rewritten by each; findings/ is listed, and sha256sum -c checks it),
 * courante.jsonl (its own hash chain: courante verify), requests.jsonl,
 * superseded/. case.ini is read (time and names of the tenant) but is not
 * evidence: case/ rewrites it (sign-in, clock skew) and never lists it.
 *
 *   arena.c      string interning (one copy of each IP, UPN, country) and
 *                the id -> index map
 *   pages.c      walking graph/<path>/page-NNNN.json, the collection
 *                record (collect/<applet>.json), each file checked against
 *                the case's manifest.sha256 before it is parsed
 *   roles.c      privileged built-in roles (compiled-in list)
 *   audit.c      directory audit activity names -> kinds
 *   adm_load.c   check-admins: which sources, in which order; derived views
 *   adm_dir.c    role definitions, assignments, eligibility, principals,
 *                group members, MFA registration
 *   adm_logs.c   sign-ins, directory audits, risky users, risk detections
 *   adm_tenant.c authorization policy, domains and federation, conditional
 *                access, security defaults
 *   events.c     check-events: the imported exports (imports/<sha256>/)
 *   mail.c       check-mail: Exchange answers (mailboxes, permissions,
 *                inbox rules, configuration objects), its sources, its load
 *   app_load.c   check-apps: sources, order, indexes, who publishes an app
 *   app_objs.c   applications, service principals, their credentials,
 *                owners, federated identity credentials
 *   app_perms.c  permissions: delegated grants, application permissions
 *                (app role assignments and the APIs' role names), what a
 *                permission reaches (mail, files, the directory)
 *   app_logs.c   ApplicationManagement audits, service principal sign-ins,
 *                directory role holders, users
 */
#ifndef REFLEXE_MODEL_H
#define REFLEXE_MODEL_H

#include <stddef.h>
#include <stdint.h>

#include "core/core.h"
#include "export/export.h"

struct case_dir;             /* case/case.h */
struct bl;                   /* baseline/baseline.h */

/* ---- bounds ------------------------------------------------------------- */
#define MDL_MAX_PAGE      (64u * 1024 * 1024)  /* one saved response */
#define MDL_MAX_PAGES     20000                /* pages of one source */
#define MDL_MAX_STR       2048                 /* one string field */
#define MDL_MAX_ITEMS     2000000              /* items of one source */
#define MDL_MAX_SUBDIRS   200000               /* per-id folders of a source */
#define MDL_NONE          ((size_t)-1)

/* ---- arena.c ------------------------------------------------------------- */
struct mdl_arena {
	struct mdl_chunk *head;
	char **slot;              /* interning table (open addressing) */
	size_t nslot, nused;
};
/* One shared copy of s (NULL -> NULL). NULL with err set on OOM. */
const char *mdl_intern(struct mdl_arena *a, const char *s);
void mdl_arena_free(struct mdl_arena *a);

/* Case-insensitive map from an object id (or any key) to an index. */
struct mdl_map {
	struct mdl_map_slot { const char *k; size_t v; } *s;
	size_t n, used;
};
size_t mdl_map_get(const struct mdl_map *m, const char *k);   /* MDL_NONE */
int mdl_map_put(struct mdl_map *m, const char *k, size_t v);  /* k must outlive m */
void mdl_map_free(struct mdl_map *m);

/* Appends a zeroed element to a growable array; NULL (err set) on OOM or
 * past MDL_MAX_ITEMS. Use: T *e = MDL_PUSH(m->si, m->n_si, m->cap_si); */
void *mdl_push(void **v, size_t *n, size_t *cap, size_t elsz);
#define MDL_PUSH(v, n, cap) mdl_push((void **)&(v), &(n), &(cap), sizeof *(v))

/* ---- pages.c -------------------------------------------------------------- */
/* Returned (err set, naming the file) when the case refused a file: not
 * the bytes the manifest lists, not listed, or listed and gone. Callers
 * stop, as for out-of-memory: mdl_fatal(r). */
#define MDL_REFUSED (-2)
/* 1 when the error r (with err_id()) must stop the load, rather than
 * make one source unknown: MDL_REFUSED or out-of-memory. */
int mdl_fatal(int r);
/* Reads case-relative rel (at most max bytes) into f and checks it
 * against the manifest. 1 read and genuine; 0 absent and not listed;
 * MDL_REFUSED; -1 (err set) unreadable or too large. */
int mdl_evidence_read(struct case_dir *cs, const char *rel, struct buf *f, size_t max);

/* Called for every item of every page of a source: the elements of the
 * root's "value" array, or the root itself when it is an object without
 * "value" (a single resource such as /policies/authorizationPolicy).
 * ev is the page's case-relative path (interned by the caller if kept). */
typedef int (*mdl_item_fn)(void *ctx, const struct json *j, int item, const char *ev);
/* Reads <case>/<rel>/page-0001.json, page-0002.json… until one is
 * absent (and not listed: a listed one is MDL_REFUSED). *npages gets the
 * count (0: the source is not in the case). -1 with err set on an
 * unreadable or oversized page. */
int mdl_pages(struct case_dir *cs, const char *rel, mdl_item_fn fn, void *ctx,
	      size_t *npages);
/* Calls fn(ctx, name) for each sub-folder name of <case>/<rel>, those on
 * disk and those the manifest lists files in (a folder deleted whole is
 * named, and its pages then refused as missing); sorted, so that runs
 * are reproducible. 0 when there are none. */
typedef int (*mdl_dir_fn)(void *ctx, const char *name);
int mdl_subdirs(struct case_dir *cs, const char *rel, mdl_dir_fn fn, void *ctx);

/* State of one source as the collector recorded it. */
enum mdl_state {
	MDL_ST_ABSENT = 0,   /* not in the case folder */
	MDL_ST_OK,           /* collected and read */
	MDL_ST_LICENCE,      /* the tenant lacks the licence */
	MDL_ST_DENIED,       /* permission (scope) or role missing */
	MDL_ST_FAILED,       /* collection failed (network, server) */
	MDL_ST_SKIPPED,      /* not asked for (e.g. not needed) */
	MDL_ST_BAD,          /* evidence present but unreadable */
};
enum mdl_state mdl_state_parse(const char *s);
const char *mdl_state_name(enum mdl_state s);

struct mdl_src {
	const char *name;          /* "signIns" */
	const char *rel;           /* "graph/v1.0/auditLogs/signIns" */
	const char *needs;         /* default licence + permission */
	enum mdl_state st;
	char detail[256];          /* "HTTP 403 Authorization_RequestDenied" */
	char needs_rec[256];       /* what the collector said it needs */
	int64_t since;             /* this source covers only from here (a
	                              licence's retention shorter than the
	                              window); 0 when it covers the window */
	int since_collected;       /* since is where the collection's own
	                              window began (--offline asked wider) */
	size_t npages;
};

/* A model's table of its sources, and the struct mdl_src array made
 * from it (names, folders and default needs; states cleared). */
struct mdl_src_def { const char *name, *rel, *needs; };
void mdl_src_init(struct mdl_src *out, const struct mdl_src_def *def, size_t n);

/* Copies what a collection said of a source (state, detail, needs,
 * since), not its name and folder. */
void mdl_src_state_copy(struct mdl_src *to, const struct mdl_src *from);

/* collect/<applet>.json: what the collector attempted, its window, and per
 * source {state, detail, needs}. Absent file: *found = 0 (a hand-made or
 * partial case); sources then count as collected when their pages exist. */
struct mdl_record {
	int found;
	int64_t since, until;      /* the log window; 0 when not recorded */
	char tenant[128];
};
int mdl_record_read(struct case_dir *cs, const char *applet, struct mdl_record *r,
		    struct mdl_src *src, size_t nsrc);

/* What every check's model begins with (its first member: the check
 * runner reads it through a pointer to the model): the collection record,
 * the case's time and names, the window, and the model's sources. */
struct mdl_head {
	struct mdl_record rec;
	int64_t now, since;        /* collection time, window start */
	char tenant[256];          /* from the record, else case.ini */
	char tenant_id[64];        /* case.ini tenant_id (the directory's id) */
	char tenant_domains[4096]; /* case.ini domains: verified, space-separated */
	struct mdl_src *src;       /* the model's sources (named by its init) */
	size_t nsrc;
};
/* Reads collect/<check>.json (checked against the manifest) into h->rec
 * and h->src, and the case's names (case.ini, as case_open read it).
 * now = the record's "until", else case.ini "started", else the wall
 * clock. Window start: w (--since: an instant, or a duration back from
 * now), else the record's "since", else dflt seconds before now. Log
 * sources logs[0..nlogs) collected from a later start than the window's
 * (--offline asked wider) get that start as their own since. Without a
 * record, every source counts as collected where its pages are. -1 (err
 * set) for out-of-memory or evidence refused. */
int mdl_head_load(struct case_dir *cs, const char *check, const struct tm_window *w, int64_t dflt,
		  const int *logs, size_t nlogs, struct mdl_head *h);
/* Reads one source's pages (rel) into fn and sets h->src[s]: ok, absent,
 * or bad with the error as detail (a source the record marks as not
 * collected is not read). -1 only when the load must stop (mdl_fatal). */
int mdl_src_read(struct case_dir *cs, struct mdl_head *h, size_t s, const char *rel, mdl_item_fn fn,
		 void *ctx);
/* Reads rel's pages into fn, counting them in src: 1 some were read, 0
 * none (absent, or a page unreadable: src marked bad with the error as
 * detail), -1 when the load must stop (mdl_fatal). */
int mdl_src_pages(struct case_dir *cs, struct mdl_src *src, const char *rel, mdl_item_fn fn, void *ctx);
/* 1 when s is safe as one path component (an object id or a domain):
 * collectors build folder names from what Microsoft answered. */
int mdl_safe_name(const char *s);

/* Bounded string read: like json_str into a MDL_MAX_STR buffer, then
 * interned. *out NULL when absent/null. -1 (err set) on wrong type or too
 * long. */
int mdl_str(struct mdl_arena *a, const struct json *j, int tok, const char *path,
	    const char **out);
/* Several string fields at once: each path read with mdl_str into the
 * const char * at offset off of base. -1 at the first error. */
struct mdl_fld { const char *path; unsigned short off; };
#define MDL_FLD(type, member, path) { path, (unsigned short)offsetof(type, member) }
int mdl_strs(struct mdl_arena *a, const struct json *j, int tok, const struct mdl_fld *f, size_t n,
	     void *base);
/* ISO 8601 field -> Unix seconds; 0 when absent/null; -1 when malformed. */
int mdl_time(const struct json *j, int tok, const char *path, int64_t *out);
/* Boolean field: -1 absent/null, 0, 1; -2 (err set) when of another type. */
int mdl_bool(const struct json *j, int tok, const char *path);

/* ---- roles.c ---------------------------------------------------------------- */
#define MDL_GA_TEMPLATE "62e90394-69f5-4237-9190-012177145e10"
#define MDL_RESTRICTED_GUEST_ROLE "2af84b1e-32c8-42b7-82bc-daa82404023b"
/* Name of a privileged built-in role template, or NULL if not one. */
const char *mdl_priv_builtin(const char *template_id);
/* The same by display name (older names too: "Company Administrator"). */
const char *mdl_priv_by_name(const char *name);

/* ---- audit.c ---------------------------------------------------------------- */
enum mdl_audit_kind {
	AUD_OTHER = 0,
	AUD_ROLE_ADD,        /* a principal was given a role (active/eligible) */
	AUD_SECINFO,         /* authentication methods changed */
	AUD_PASSWORD,        /* password reset / changed by someone */
	AUD_FEDERATION,      /* domain authentication / federation settings */
	AUD_DOMAIN,          /* domain added or verified */
	AUD_CA_ADD, AUD_CA_UPDATE, AUD_CA_DELETE,
	AUD_SECDEFAULTS,     /* security defaults changed */
	AUD_INVITE,          /* guest invited */
	AUD_USER_ADD,        /* user created */
	AUD__N
};
enum mdl_audit_kind mdl_audit_kind(const char *activity);

/* ---- check-admins model (adm_*.c) ----------------------------------------------- */
enum adm_src {
	ADM_SRC_ROLEDEFS = 0, ADM_SRC_ASSIGN, ADM_SRC_ELIGIBLE, ADM_SRC_MEMBERS,
	ADM_SRC_USERS, ADM_SRC_ACTIVITY, ADM_SRC_MFA, ADM_SRC_SIGNINS,
	ADM_SRC_AUDITS, ADM_SRC_RISKYUSERS, ADM_SRC_RISKDET, ADM_SRC_AUTHZ,
	ADM_SRC_DOMAINS, ADM_SRC_FEDERATION, ADM_SRC_CA, ADM_SRC_SECDEF,
	ADM_SRC_GUESTS,
	ADM_NSRC
};
#define ADM_BIT(s) (1u << (s))

/* Case-relative folders of the check-admins sources (the collector
 * writes there; the model reads there). Per-id sources hold one folder per
 * object id: groups/<id>/transitiveMembers, domains/<id>/federationConfiguration,
 * users/<id>/authentication/methods. */
/* Role definitions come from beta, the version that carries isPrivileged. */
#define ADM_REL_ROLEDEFS   "graph/beta/roleManagement/directory/roleDefinitions"
#define ADM_REL_ASSIGN     "graph/v1.0/roleManagement/directory/roleAssignments"
#define ADM_REL_ELIGIBLE   "graph/v1.0/roleManagement/directory/roleEligibilityScheduleInstances"
#define ADM_REL_GROUPS     "graph/v1.0/groups"
#define ADM_REL_MEMBERS    "transitiveMembers"
#define ADM_REL_USERS      "graph/v1.0/users"
/* Privileged users' records asked a few at a time (users?$filter=id in
 * (…), at most 15 ids a query): one folder per query below this one
 * (0001, 0002…). Older cases hold one folder per user under
 * ADM_REL_USERS instead; both are read. */
#define ADM_REL_USERS_IN   "graph/v1.0/users@ids"
#define ADM_REL_METHODS    "authentication/methods"
#define ADM_REL_REGDETAILS "graph/v1.0/reports/authenticationMethods/userRegistrationDetails"
#define ADM_REL_SIGNINS    "graph/v1.0/auditLogs/signIns"
/* Sign-ins filtered server-side by privileged user: one folder per
 * listing below this one, named after the user id when it lists one
 * user, group-NN when it lists several (userId eq … or userId eq …). */
#define ADM_REL_SIGNINS_BY "graph/v1.0/auditLogs/signIns@user"
#define ADM_REL_AUDITS     "graph/v1.0/auditLogs/directoryAudits"
#define ADM_REL_RISKYUSERS "graph/v1.0/identityProtection/riskyUsers"
#define ADM_REL_RISKDET    "graph/v1.0/identityProtection/riskDetections"
#define ADM_REL_AUTHZ      "graph/v1.0/policies/authorizationPolicy"
#define ADM_REL_DOMAINS    "graph/v1.0/domains"
#define ADM_REL_FEDCONF    "federationConfiguration"
#define ADM_REL_CA         "graph/v1.0/identity/conditionalAccess/policies"
#define ADM_REL_SECDEF     "graph/v1.0/policies/identitySecurityDefaultsEnforcementPolicy"
/* Guests are a filtered list of /users: a folder of their own. */
#define ADM_REL_GUESTS     "graph/v1.0/users@guests"

enum mdl_ptype { PT_UNKNOWN = 0, PT_USER, PT_GROUP, PT_SP };
enum mdl_risk { RISK_NONE = 0, RISK_LOW, RISK_MEDIUM, RISK_HIGH, RISK_HIDDEN, RISK_UNKNOWN };
enum mdl_risk mdl_risk_parse(const char *s);
const char *mdl_risk_name(enum mdl_risk r);

struct mdl_principal {
	enum mdl_ptype type;
	const char *id;
	const char *name;          /* displayName */
	const char *upn;           /* users */
	const char *mail;
	const char *app_id;        /* service principals */
	const char *user_type;     /* "Member", "Guest" */
	int enabled;               /* -1 unknown */
	int synced;                /* onPremisesSyncEnabled: -1 unknown */
	int64_t created;           /* 0 unknown */
	int activity;              /* signInActivity read: -1 unknown, 1 read */
	int64_t last_signin;       /* latest of interactive, non-interactive */
	int64_t last_success;      /* lastSuccessfulSignInDateTime */
	int mfa;                   /* -1 unknown, 0 none registered, 1 yes */
	const char *mfa_methods;   /* "microsoftAuthenticatorPush,fido2" */
	int members_known;         /* groups: transitive members read */
	int detailed;              /* users: the /users/{id} record was read */
	int listed_guest;          /* came from the guests list */
	const char *ev;            /* where it was described */
	size_t g0, ng;             /* its grants: grants[g0 .. g0+ng) */
};

struct mdl_role {
	const char *id, *template_id, *name;
	int builtin;
	int privileged;            /* isPrivileged or compiled-in list */
	int is_ga;
};

struct mdl_grant {
	size_t role;               /* index in roles */
	size_t who;                /* principal holding it */
	size_t via;                /* group it comes through, MDL_NONE direct */
	int eligible;              /* PIM eligibility, not active */
	const char *scope;         /* directoryScopeId, "/" tenant-wide */
	int64_t start;             /* eligibility start, 0 unknown */
	const char *ev;
};

struct mdl_signin {
	int64_t t;
	size_t who;                /* principal, MDL_NONE if not privileged */
	const char *id, *user_id, *upn, *ip, *country, *city, *app, *client;
	int error;                 /* status.errorCode, 0 success */
	int interactive;           /* -1 unknown */
	enum mdl_risk risk_during, risk_agg;
	const char *risk_state;
	const char *ev;
};

#define MDL_AUDIT_TARGETS 6
#define MDL_AUDIT_PROPS 8
struct mdl_audit {
	int64_t t;
	enum mdl_audit_kind kind;
	const char *id, *activity, *category, *result;
	const char *by_upn, *by_user_id, *by_app, *by_ip;
	struct { const char *type, *id, *upn, *name; } tgt[MDL_AUDIT_TARGETS];
	int ntgt;
	struct { const char *name, *newv; } prop[MDL_AUDIT_PROPS];
	int nprop;
	int ca_disabled;           /* CA update turned a policy off or to report-only */
	const char *ev;
};

struct mdl_risky_user {
	const char *id, *upn, *state, *detail;
	enum mdl_risk level;
	int64_t updated;
	const char *ev;
};

struct mdl_risk_det {
	const char *id, *user_id, *upn, *type, *ip, *country, *state;
	enum mdl_risk level;
	int64_t t;
	const char *ev;
};

struct mdl_domain {
	const char *id;
	int federated;             /* authenticationType Federated */
	int verified;
	int fed_read;              /* federationConfiguration read for it */
	const char *issuer;        /* federationConfiguration issuerUri */
	const char *ev, *ev_fed;
};

struct mdl_ca {
	const char *id, *name, *state;
	int64_t created, modified;
	const char *ev;
};

#define MDL_VEC(T, name) T *name; size_t n_##name, cap_##name

struct mdl_admins {
	struct mdl_head h;         /* first: the runner reads it */
	struct mdl_arena ar;
	struct mdl_src src[ADM_NSRC];
	int indexed;               /* grants sorted, g0/ng and si order set */

	MDL_VEC(struct mdl_principal, pr);
	struct mdl_map pr_by_id;
	MDL_VEC(struct mdl_role, roles);
	struct mdl_map role_by_id;
	MDL_VEC(struct mdl_grant, grants);       /* sorted by who after load */
	MDL_VEC(struct mdl_signin, si);          /* sorted by (who, t) */
	MDL_VEC(struct mdl_audit, au);           /* sorted by t */
	MDL_VEC(struct mdl_risky_user, ru);
	MDL_VEC(struct mdl_risk_det, rd);
	MDL_VEC(struct mdl_domain, dom);
	MDL_VEC(struct mdl_ca, ca);

	/* authorization policy */
	int authz_read;
	const char *guest_role_id, *allow_invites, *ev_authz;
	/* security defaults */
	int secdef;                /* -1 unknown, 0 off, 1 on */
	const char *ev_secdef;
	/* evidence paths of the list sources, for findings */
	const char *ev_signins, *ev_audits;
};

/* Loads everything check-admins reads from the case folder cs (opened
 * read-only: case_open offline), each file checked against its manifest
 * (above); the head as mdl_head_load says, 30 days by default. Sources
 * that cannot be read are marked in m->src; -1 only for out-of-memory or
 * evidence that is not what was collected. */
int mdl_admins_load(struct case_dir *cs, const struct tm_window *w, struct mdl_admins *m);
/* The same from a folder (opens it read-only; for tests and tools). */
int mdl_admins_load_dir(const char *case_dir, const struct tm_window *w, struct mdl_admins *m);
void mdl_admins_free(struct mdl_admins *m);
/* An empty model with its sources named (for --list-rules). */
void mdl_admins_init(struct mdl_admins *m);
/* The check-admins sources, named, with their folders and default needs
 * (the collector records them under the same names). */
void mdl_adm_sources(struct mdl_src out[ADM_NSRC]);

/* Derived views. */
int mdl_is_privileged(const struct mdl_admins *m, size_t who);  /* holds a privileged role */
int mdl_is_ga(const struct mdl_admins *m, size_t who, int *eligible_only);
/* "Global Administrator, Exchange Administrator (éligible)" in the user's
 * language, into out. */
int mdl_roles_text(const struct mdl_admins *m, size_t who, struct buf *out);
/* A principal's display: UPN, else appId, else name, else id. */
const char *mdl_label(const struct mdl_principal *p);
/* Index range of sign-ins of principal who in m->si. */
void mdl_signins_of(const struct mdl_admins *m, size_t who, size_t *first, size_t *n);

/* ---- between the adm_*.c files of model/ (not for other folders) ------ */
int mdl_adm_load_dir(struct case_dir *cs, struct mdl_admins *m);
int mdl_adm_load_logs(struct case_dir *cs, struct mdl_admins *m);
int mdl_adm_load_tenant(struct case_dir *cs, struct mdl_admins *m);
/* Reads one source's pages into fn; sets m->src[s] (OK, ABSENT, BAD with
 * the error as detail) and returns -1 only when the load must stop
 * (mdl_fatal). A source the record marks as not collected is not read. */
int mdl_adm_read(struct case_dir *cs, struct mdl_admins *m, enum adm_src s,
	     const char *rel, mdl_item_fn fn, void *ctx);
/* Inserts or completes the principal described by a directoryObject;
 * returns its index, MDL_NONE (err set) on failure. */
size_t mdl_adm_principal(struct mdl_admins *m, const struct json *j, int tok, const char *ev);


/* ---- check-events: imported exports (events.c) --------------------------------
 * Every import of the case (reflexe import): import.json read and checked
 * like a page; events.jsonl streamed, hashed on the way, compared with
 * the manifest at its end (a mismatch refuses the load: MDL_REFUSED).
 * Kept: sign-ins (compact) and the Exchange and directory operations of
 * the kinds below; other events are counted. One record imported twice
 * (overlapping exports) counts once. */
enum evt_src { EVT_SRC_UAL = 0, EVT_SRC_AUDITS, EVT_SRC_SIGNINS, EVT_NSRC };
#define EVT_BIT(s) (1u << (s))
enum mdl_evk {
	EVK_OTHER = 0,
	EVK_INBOX_RULE,      /* New-InboxRule, Set-InboxRule, Enable-InboxRule, UpdateInboxRules */
	EVK_SET_MAILBOX,     /* Set-Mailbox (forwarding, audit, send on behalf) */
	EVK_MBX_PERM,        /* Add-MailboxPermission, Add-RecipientPermission, folder permission */
	EVK_AUDIT_BYPASS,    /* Set-MailboxAuditBypassAssociation */
	EVK_AUDIT_CONFIG,    /* Set-AdminAuditLogConfig, Set-OrganizationConfig */
	EVK_CAS_MAILBOX,     /* Set-CASMailbox (POP, IMAP) */
	EVK_ROLE_ADD,        /* Add member to role (and PIM), Add-RoleGroupMember */
	EVK_MFA,             /* Update user, security info, Disable Strong Authentication */
	EVK_CONSENT,         /* Consent to application, delegated grant, app role assignment */
	EVK_APP_CRED,        /* application / service principal credentials */
	EVK_OWNER,           /* Add owner to application / service principal */
	EVK__N
};
/* The kind of an operation (sign-ins: EVK_OTHER; they are kept apart). */
enum mdl_evk mdl_evt_kind(enum exp_cat cat, const char *op);

struct mdl_kv { const char *name, *value, *old; };
struct mdl_kvblock { struct mdl_kv *v; struct mdl_kvblock *next; };
#define MDL_EVT_TARGETS 2
struct mdl_evt {
	int64_t t;                 /* EXP_NO_TIME when the export has none */
	enum mdl_evk kind;
	enum exp_cat cat;
	const char *op, *actor, *actor_id, *ip, *app, *result, *ua;
	struct exp_target tgt[MDL_EVT_TARGETS];
	int ntgt;
	const struct mdl_kv *p;    /* parameters / modified properties */
	size_t np;
	const struct mdl_kv *d;    /* details */
	size_t nd;
	uint32_t imp;              /* index in imp[] */
	uint32_t line;             /* line of the original file */
};
enum { MDL_SI_INTERACTIVE = 1, MDL_SI_LEGACY = 2, MDL_SI_ANON = 4 };
struct mdl_esi {               /* a sign-in, compact: ~64 bytes */
	int64_t t;
	const char *user, *ip, *country, *client, *risk;
	int32_t err;               /* 0 success, > 0 code, -1 unknown */
	uint8_t failed;            /* a failure (code, or UserLoginFailed) */
	uint8_t flags;             /* MDL_SI_* */
	uint16_t imp;
	uint32_t line;
};
struct mdl_import {            /* one import record */
	const char *file, *folder, *layout, *header, *tz_given;
	const char *ev, *orig;     /* events.jsonl and the original, case-relative */
	unsigned kinds, tz_basis;  /* enum exp_kind, EXP_TZ_* bits */
	uint64_t rows, events, no_time;
	int64_t first, last;
};
struct mdl_events {
	struct mdl_head h;                     /* first: the runner reads it */
	struct mdl_arena ar;
	struct mdl_src src[EVT_NSRC];
	MDL_VEC(struct mdl_import, imp);
	MDL_VEC(struct mdl_evt, ev);           /* by time (timeless last) */
	MDL_VEC(struct mdl_esi, si);           /* by time (timeless last) */
	MDL_VEC(const char *, dom);            /* the tenant's domains */
	struct mdl_map dommap;
	uint64_t total, other, dups;           /* event lines read, not kept, twice */
	int64_t first, last;                   /* span of the kept events */
	uint64_t *seen;                        /* record keys (once each) */
	size_t nseen, capseen;
	struct mdl_kvblock *kvblocks;
};
void mdl_events_init(struct mdl_events *m);
/* Reads every import of the case (opened read-only). The head's window
 * is the span of the events (--since does not cut imported exports).
 * -1 on out-of-memory or an unreadable record, MDL_REFUSED when evidence
 * is not what the manifest lists. */
int mdl_events_load(struct case_dir *cs, const struct tm_window *w, struct mdl_events *m);
void mdl_events_free(struct mdl_events *m);
/* For tests and the bench: one events.jsonl line of import imp, as the
 * loader takes it; then finish (sorts, domains: case.ini's "domains",
 * space-separated, may be NULL; sources from the imports' kinds). */
int mdl_events_add_line(struct mdl_events *m, struct exp_arena *a, const char *line, size_t n, uint32_t imp);
int mdl_events_finish(struct mdl_events *m, const char *case_domains);
/* ---- check-mail model (mail.c, mail_load.c) ---------------------------------------
 * Exchange Online admin API answers (InvokeCommand, check-mail.md §1.3:
 * multi-valued properties as arrays with "X@odata.type" companions,
 * unset ones null, typed scalars annotated with "X@data.type"; keys
 * holding '@' are annotations and skipped; a string or an array is
 * accepted wherever the shape is UNVERIFIED) and Graph user records of
 * shared mailboxes. Mailboxes, permissions and inbox rules are typed;
 * the tenant's configuration objects (transport rules, connectors,
 * policies…) are kept as key/value lists the rules query by name, so
 * that a new field is read without a new parser. */
enum mail_src {
	MAIL_SRC_ACCEPTED = 0, MAIL_SRC_MAILBOXES, MAIL_SRC_RULES, MAIL_SRC_PERMS, MAIL_SRC_SENDAS,
	MAIL_SRC_RECIPIENTS, MAIL_SRC_ACCOUNTS, MAIL_SRC_ORG, MAIL_SRC_AUDITLOG, MAIL_SRC_BYPASS,
	MAIL_SRC_REMOTEDOM, MAIL_SRC_TRANSPORT, MAIL_SRC_INCONN, MAIL_SRC_OUTCONN, MAIL_SRC_OWA,
	MAIL_SRC_TRANSPORTCFG, MAIL_SRC_CONTENT, MAIL_SRC_CONNFILTER, MAIL_SRC_OUTSPAM,
	MAIL_SRC_OUTSPAMRULE, MAIL_SRC_ANTIPHISH, MAIL_SRC_TABL, MAIL_SRC_SPOOF,
	MAIL_NSRC
};
#define MAIL_BIT(s) (1u << (s))
/* Folders: exo/<cmdlet> (mdl_mail_sources names them); per-mailbox
 * cmdlets one folder per mailbox below (its UPN, or its Guid when the
 * UPN is not a safe folder name: mdl_mail_key), Get-TenantAllowBlockListItems
 * one per list type, Get-Recipient and the Graph records one per query. */
#define MAIL_REL_ACCOUNTS "graph/v1.0/users@shared"
/* Bounds of one mailbox: Exchange keeps a mailbox's rules within a 256 KB
 * quota (RulesQuota), a few hundred rules; an answer past these is not a
 * mailbox as Exchange makes them and is refused, naming the limit. */
#define MAIL_MAX_RULES 4096
#define MAIL_MAX_PERMS 4096
#define MAIL_MAX_KV 4096        /* fields (array elements counted) of one object */

struct mdl_mbx {
	const char *key;           /* its per-mailbox folder name */
	const char *upn, *smtp, *alias, *name, *display, *identity, *guid, *ext_id;
	const char *type;          /* RecipientTypeDetails: UserMailbox, SharedMailbox… */
	const char *fwd_smtp;      /* ForwardingSmtpAddress, "smtp:" dropped */
	const char *fwd_addr;      /* ForwardingAddress: a recipient's identity */
	int keep_copy;             /* DeliverToMailboxAndForward: -1 unknown */
	int hidden;                /* HiddenFromAddressListsEnabled */
	int disabled;              /* AccountDisabled: -1 unknown */
	int64_t created, changed;
	size_t sob0, nsob;         /* GrantSendOnBehalfTo: m->str[sob0..] */
	int rules_st, perms_st;    /* per-mailbox answers: 1 read, 0 not in the
	                              case, -1 unreadable (why in *_err) */
	const char *rules_err, *perms_err;
	size_t nrules;
	const char *ev;
};

struct mdl_perm {
	size_t mbx;                /* MDL_NONE: not a mailbox of the list */
	const char *identity, *trustee;
	int sendas;                /* Get-RecipientPermission row, else FullAccess */
	const char *ev;
};

struct mdl_irule {
	size_t mbx;                /* MDL_NONE: a folder of no listed mailbox */
	const char *owner;         /* the folder's name */
	const char *name, *identity;
	int enabled, in_error;     /* -1 unknown */
	size_t w0, nw, f0, nf, d0, nd;   /* words, senders, forwards in m->str */
	int del, mark_read, other_cond;
	const char *move_to;
	const char *ev;
};

struct mdl_rcpt {              /* Get-Recipient: a forwarding target */
	const char *identity, *name, *alias, *display, *smtp, *ext, *type;
	const char *ev;
};

struct mdl_field { const char *k, *v; };  /* a configuration object's field */
struct mdl_obj {
	int src;                   /* enum mail_src */
	const char *sub;           /* its folder below the source (list type) */
	size_t kv0, nkv;
	const char *ev;
};

struct mdl_mail {
	struct mdl_head h;         /* first: the runner reads it */
	struct mdl_arena ar;
	struct mdl_src src[MAIL_NSRC];
	MDL_VEC(struct mdl_mbx, mb);
	struct mdl_map mb_by;      /* upn, smtp, alias, name, identity, guid, key -> mb */
	MDL_VEC(struct mdl_perm, pm);
	MDL_VEC(struct mdl_irule, ir);
	MDL_VEC(struct mdl_rcpt, rc);
	MDL_VEC(struct mdl_obj, ob);
	MDL_VEC(struct mdl_field, kv);
	MDL_VEC(const char *, str);
	MDL_VEC(const char *, dom);   /* accepted domains, else the case's */
	struct mdl_map acct;       /* Graph user id -> accountEnabled (0/1) */
	/* --make-baseline runs the rules on a copy of the model with this
	 * set: they add each key they look up to this baseline instead
	 * (rules/mail.c), so it holds exactly what they will look for. */
	struct bl *record;
};

void mdl_mail_init(struct mdl_mail *m);
void mdl_mail_sources(struct mdl_src out[MAIL_NSRC]);
int mdl_mail_load(struct case_dir *cs, const struct tm_window *w, struct mdl_mail *m);
void mdl_mail_free(struct mdl_mail *m);
/* Parses one item of source s's page ev into m (the collector builds its
 * mailbox list with it, live, as the model does from the case). */
int mdl_mail_item(struct mdl_mail *m, int s, const char *sub, const struct json *j, int it,
		  const char *ev);
/* The folder of a mailbox's per-mailbox answers (interned). */
const char *mdl_mail_key(const struct mdl_mbx *b);
/* The mailbox a recipient identity names (UPN, address, alias, name,
 * display name, Guid), or MDL_NONE. */
size_t mdl_mail_find(const struct mdl_mail *m, const char *ident);
/* First value of field k of object o (NULL when absent), the next one
 * after *i (start with *i = 0), and a boolean (-1 absent or not one). */
const char *mdl_obj_get(const struct mdl_mail *m, const struct mdl_obj *o, const char *k);
const char *mdl_obj_next(const struct mdl_mail *m, const struct mdl_obj *o, const char *k, size_t *i);
int mdl_obj_bool(const struct mdl_mail *m, const struct mdl_obj *o, const char *k);
/* ---- check-apps model (app_*.c) ------------------------------------------------- */
enum app_src {
	APP_SRC_APPS = 0,    /* applications: this tenant's registrations */
	APP_SRC_SPS,         /* service principals (enterprise applications) */
	APP_SRC_GRANTS,      /* oauth2PermissionGrants: delegated permissions */
	APP_SRC_RESOURCES,   /* Microsoft's APIs: the names of their app roles */
	APP_SRC_ASSIGNED,    /* their appRoleAssignedTo: application permissions */
	APP_SRC_OWNERS,      /* owners of applications and service principals */
	APP_SRC_FIC,         /* federated identity credentials of applications */
	APP_SRC_AUDITS,      /* directory audits, ApplicationManagement */
	APP_SRC_SIGNINS,     /* service principal sign-ins (beta) */
	APP_SRC_ROLES,       /* directory role assignments */
	APP_SRC_USERS,       /* users: names, UPNs, guests */
	APP_NSRC
};
#define APP_BIT(s) (1u << (s))

/* Folders of the check-apps sources (collector and model). Per-object
 * reads sit below the object: applications/<id>/owners,
 * applications/<id>/federatedIdentityCredentials, servicePrincipals/<id>/
 * owners, servicePrincipals/<id>/appRoleAssignedTo (the APIs only). */
#define APP_REL_APPS      "graph/v1.0/applications"
#define APP_REL_SPS       "graph/v1.0/servicePrincipals"
#define APP_REL_GRANTS    "graph/v1.0/oauth2PermissionGrants"
#define APP_REL_RESOURCES "graph/v1.0/servicePrincipals@resources"
#define APP_REL_OWNERS    "owners"
#define APP_REL_FIC       "federatedIdentityCredentials"
#define APP_REL_ASSIGNED  "appRoleAssignedTo"
#define APP_REL_AUDITS    "graph/v1.0/auditLogs/directoryAudits@apps"
#define APP_REL_SIGNINS   "graph/beta/auditLogs/signIns@sp"
#define APP_REL_ROLES     "graph/v1.0/roleManagement/directory/roleAssignments@apps"
#define APP_REL_USERS     "graph/v1.0/users@apps"

/* Who publishes an application, from its service principal's owner
 * tenant (appOwnerOrganizationId), never from its name. */
enum app_origin { ORG_UNKNOWN = 0, ORG_MICROSOFT, ORG_TENANT, ORG_THIRD, ORG_MANAGED };
/* What a permission reaches (app_perms.c, mdl_perm_class). */
enum {
	PERM_MAIL = 1,       /* mailbox content, sending, settings, EWS/IMAP/POP/SMTP */
	PERM_MAILDATA = 2,   /* mailbox metadata: ReadBasic, contacts, calendars, people */
	PERM_DATA = 4,       /* files, sites, chats, notes, eDiscovery */
	PERM_TIER0 = 8,      /* writes the directory: roles, apps, users, policies */
	PERM_BROAD = 16,     /* the fiche's "Read and Write, or All" */
	PERM_SIGNIN = 32,    /* sign-in only: openid profile email offline_access User.Read */
};
#define PERM_STRONG (PERM_MAIL | PERM_DATA | PERM_TIER0)
/* Classes of a permission name of API resource_app_id (NULL: unknown API;
 * an API that is not Microsoft's reaches nothing of theirs: BROAD at most). */
unsigned mdl_perm_class(const char *resource_app_id, const char *name);
/* Classes of a space-separated scope list. */
unsigned mdl_scope_class(const char *resource_app_id, const char *scopes);
/* 1 when app_id is one of Microsoft's APIs whose permissions the rules read. */
int mdl_ms_api(const char *app_id);
/* 1 for a Microsoft tenant id (owner of first-party applications). */
int mdl_ms_tenant(const char *tenant_id);
/* 1 for a Microsoft first-party application id (compiled-in list). */
int mdl_ms_app(const char *app_id);
/* Appends to out (space-separated) the words of have — separated by
 * blanks, commas or semicolons — that are neither in had (may be NULL)
 * nor already in out: what a new value adds to an old one. */
int mdl_words_add(struct buf *out, const char *have, const char *had);
/* 1 for an application id of the known-abused list (app_perms.c). */
int mdl_abused_app(const char *app_id);

struct mdl_app_cred {
	size_t obj;
	int password;              /* passwordCredential, else keyCredential */
	const char *key_id, *name, *hint, *type, *usage, *thumb;
	int64_t start, end;        /* 0: absent or unreadable */
	int saml;                  /* part of a SAML signing set (not a finding) */
};

struct mdl_app {
	int sp;                    /* service principal, else application */
	const char *id, *app_id, *name;
	const char *owner_tenant;  /* SP: appOwnerOrganizationId */
	const char *sp_type, *sso, *audience, *publisher, *pub_domain;
	const char *verified;      /* verifiedPublisher.verifiedPublisherId: NULL unverified */
	int enabled;               /* -1 unknown */
	int64_t created;           /* 0 unknown */
	enum app_origin origin;
	size_t peer;               /* the application of an SP, the SP of an application */
	size_t c0, nc;             /* creds[c0 .. c0+nc) after load */
	int owners_read;           /* its owners were read */
	unsigned app_perms;        /* PERM_* of its application permissions */
	unsigned all_perms;        /* PERM_* of its tenant-wide delegated grants */
	unsigned user_perms;       /* PERM_* of its per-user delegated grants */
	const char *role;          /* a privileged directory role it holds, or NULL */
	const char *ev;
};

struct mdl_app_url {
	size_t obj;
	const char *url;
	int web;                   /* web platform (or SP replyUrls), not spa/public */
};

struct mdl_app_owner {
	size_t obj;
	const char *id, *upn, *name, *type;   /* type: "user", "servicePrincipal"… */
	const char *ev;
};

struct mdl_app_fic {
	size_t obj;
	const char *id, *name, *issuer, *subject;
	const char *ev;
};

struct mdl_app_grant {     /* oAuth2PermissionGrant */
	const char *id;
	size_t client, resource;   /* objects (MDL_NONE: not in the SP list) */
	const char *client_id, *resource_id;
	const char *principal;     /* user id, NULL for AllPrincipals */
	int all;                   /* consentType AllPrincipals */
	const char *scope;
	unsigned cls;
	const char *ev;
};

struct mdl_app_assign {    /* appRoleAssignment to a service principal */
	const char *id;
	size_t client, resource;
	const char *role_id, *value;   /* value NULL when the API's roles are unknown */
	unsigned cls;
	int64_t created;
	const char *ev;
};

enum app_event {
	AEV_OTHER = 0, AEV_APP_ADD, AEV_SP_ADD, AEV_CRED_ADD, AEV_ROLE_GRANT, AEV_DELEG_GRANT,
	AEV_CONSENT, AEV_OWNER_ADD,
};
/* An ApplicationManagement audit, reduced to what the rules read. */
struct mdl_app_event {
	int64_t t;
	enum app_event kind;
	const char *id, *activity, *corr;
	int ok;                    /* result success */
	const char *reason;        /* resultReason of a failure */
	const char *by, *by_ip;    /* initiator: UPN (else app name), address */
	const char *obj_id, *obj_name;   /* the app or SP it is about (the client of a grant) */
	const char *app_id;
	const char *resource_id;   /* grants: the API's service principal */
	const char *keys;          /* the key id of a credential added (one event each) */
	const char *perms;         /* permissions added, space-separated */
	const char *owner_id, *owner_name, *owner_type;
	int all, admin;            /* tenant-wide; admin consent */
	const char *ev;
};
/* Activity name -> event kind: case, trailing blanks and dots, and the
 * dash (hyphen, en dash, em dash) do not matter. */
enum app_event mdl_app_event_kind(const char *activity);

/* Service principal sign-ins, folded by (service principal, address,
 * credential): a month of a busy app is millions of lines. */
struct mdl_app_signin {
	const char *sp_id, *app_id, *name, *ip, *key_id, *country, *cred_type;
	size_t obj;
	int64_t first, last;       /* successes */
	unsigned long ok, fail;
	int64_t first_any;         /* first sign-in, success or not */
	const char *ev;
};

struct mdl_app_user {
	const char *id, *upn, *name;
	int guest;
	const char *role;          /* privileged directory role, or NULL */
};

struct mdl_apps {
	struct mdl_head h;         /* first: the runner reads it */
	struct mdl_arena ar;
	struct mdl_src src[APP_NSRC];
	MDL_VEC(struct mdl_app, obj);
	struct mdl_map by_id;      /* object id -> obj */
	struct mdl_map by_appid;   /* "a:"/"s:" + appId -> obj */
	MDL_VEC(struct mdl_app_cred, creds);     /* sorted by obj after load */
	MDL_VEC(struct mdl_app_url, urls);
	MDL_VEC(struct mdl_app_owner, owners);
	MDL_VEC(struct mdl_app_fic, fics);
	MDL_VEC(struct mdl_app_grant, grants);
	MDL_VEC(struct mdl_app_assign, assigns);
	struct mdl_map role_names; /* appRoleId -> index in role_val */
	MDL_VEC(const char *, role_val);
	MDL_VEC(struct mdl_app_event, ev);       /* sorted by t */
	MDL_VEC(struct mdl_app_signin, si);
	struct mdl_map si_key;
	MDL_VEC(struct mdl_app_user, users);
	struct mdl_map user_by_id;  /* id -> users */
	struct mdl_map priv;        /* principal id -> index in role_val of its role name */
};

void mdl_apps_init(struct mdl_apps *m);
void mdl_app_sources(struct mdl_src out[APP_NSRC]);
/* Loads what check-apps reads (30 days by default), as mdl_admins_load. */
int mdl_apps_load(struct case_dir *cs, const struct tm_window *w, struct mdl_apps *m);
int mdl_apps_load_dir(const char *case_dir, const struct tm_window *w, struct mdl_apps *m);
void mdl_apps_free(struct mdl_apps *m);
/* The object for an object id, or for an appId (SP first), or MDL_NONE. */
size_t mdl_app_find(const struct mdl_apps *m, const char *id);
size_t mdl_app_by_appid(const struct mdl_apps *m, const char *app_id);
/* A user by id, or NULL. */
const struct mdl_app_user *mdl_app_user(const struct mdl_apps *m, const char *id);
/* The SP of an object (itself, or its application's), or MDL_NONE. */
size_t mdl_app_sp(const struct mdl_apps *m, size_t k);
/* After the items are read: credentials per object, who publishes each
 * application, what it reaches (mdl_apps_load calls it). */
void mdl_apps_index(struct mdl_apps *m);
/* Item parsers, for model/ and the fuzz harness: ctx is the model. */
int mdl_app_item(void *ctx, const struct json *j, int it, const char *ev);
int mdl_sp_item(void *ctx, const struct json *j, int it, const char *ev);
int mdl_grant_item(void *ctx, const struct json *j, int it, const char *ev);
int mdl_app_audit_item(void *ctx, const struct json *j, int it, const char *ev);
int mdl_app_signin_item(void *ctx, const struct json *j, int it, const char *ev);

/* ---- between the app_*.c files of model/ (not for other folders) ------ */
int mdl_app_load_perms(struct case_dir *cs, struct mdl_apps *m);
int mdl_app_load_logs(struct case_dir *cs, struct mdl_apps *m);
int mdl_app_load_owned(struct case_dir *cs, struct mdl_apps *m);

#endif
