/*
 * rules/ — pure functions from parsed evidence (+ baseline) to findings.
 * No I/O: a rule reads the model and appends findings; that is all.
 * Prefix: rule_ (engine, findings), adm_ (the check-admins rules), mail_
 * (check-mail), bec_ (inbox rules).
 *
 *   engine.c        findings and unknowns, running a table, the verdict
 *   adm_rules.def   the check-admins table (fiche 1.a, 1.b guests, 2.a)
 *   admins.c        its rows, helpers, the "sound global administrator"
 *                   question and the verdict
 *   adm_*.c         the check-admins rule functions, by theme
 *   mail_rules.def  the check-mail table (fiche 1.b mailboxes, 1.c, 1.e)
 *   mail.c          its rows, helpers, verdict (one part per action) and
 *                   baseline; mail_box.c mailboxes, mail_flow.c the
 *                   tenant's mail flow and filtering
 *   bec.c           the inbox-rule classifier (check-mail, check-events)
 *   app_rules.def   the check-apps table (fiche 1.d)
 *   apps.c          its rows, helpers, verdict, consent table, baseline
 *   app_*.c         the check-apps rule functions, by theme
 *
 * A check is a TABLE of rules: id, fiche action and sub-step, default
 * severity, title, what it checks, which evidence sources it needs, and
 * its function. The table is an X-macro file (<check>_rules.def) that
 * this header reads for the functions' prototypes and the check's .c for
 * the rows, so neither can drift from the other.
 * `--list-rules` prints the same table, so the catalogue cannot drift from
 * the code. Before calling a rule the engine checks that every source it
 * needs was read; if one was not (licence, permission, role, not
 * collected), the rule does not run and an "unknown" entry says what is
 * missing — a rule never reports "clear" on data it did not get.
 *
 * The findings types here are also what render/ writes (render/ includes
 * this header for them; it calls nothing here).
 */
#ifndef REFLEXE_RULES_H
#define REFLEXE_RULES_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include "core/core.h"

enum rule_sev { SEV_INFO = 0, SEV_LOW, SEV_MEDIUM, SEV_HIGH, SEV_CRITICAL };
/* clear: checked, nothing wrong; suspect: needs a person to confirm;
 * confirmed: the evidence itself establishes the fact. */
enum rule_status { ST_CLEAR = 0, ST_SUSPECT, ST_CONFIRMED };

const char *rule_sev_name(enum rule_sev s);        /* "info"… (JSON) */
const char *rule_status_name(enum rule_status s);  /* "clear"… (JSON) */
const char *rule_sev_label(enum rule_sev s);       /* user's language */
const char *rule_status_label(enum rule_status s); /* user's language */

struct rule;

struct finding {
	const struct rule *rule;
	enum rule_sev sev;
	enum rule_status status;
	int64_t at;             /* UTC time of the event, when the evidence
	                           gives one (the report's timeline); else 0 */
	int compromise;         /* points at an account in the attacker's
	                           hands: RULE_COMPROMISE by default, a rule
	                           may set or clear it per finding */
	char *detail[2];        /* [LANG_FR], [LANG_EN], formatted */
	char **obj;             /* ids, UPNs, appIds, IPs, verbatim */
	size_t nobj, objcap;
	char **ev;              /* case-relative evidence paths */
	size_t nev, evcap;
};

struct unknown {
	char *check;            /* rule id or source name */
	char *reason[2];        /* why it could not be answered */
	char *needs;            /* licence, permission or role: language-free */
};

struct findings {
	struct finding *f;
	size_t n, cap;
	struct unknown *u;
	size_t nu, ucap;
};

/* Where evidence comes from. The model of each applet fills a table of
 * these; rules name the ones they need with a bit mask. */
struct rule_source {
	const char *name;       /* "signIns" */
	int ok;                 /* read and usable */
	enum msg_id reason;     /* why not, with %s = detail */
	const char *detail;     /* e.g. "HTTP 403 Authorization_RequestDenied" */
	const char *needs;      /* "Entra ID P1 + AuditLog.Read.All" */
};

struct rule_ctx {
	const void *model;                 /* the applet's model */
	const void *bl;                    /* struct bl *, never NULL */
	const struct rule_source *src;
	size_t nsrc;
	int64_t now;                       /* the case's collection time */
	int64_t since;                     /* start of the log window */
};

enum {
	RULE_COMPROMISE = 1,   /* a finding says an account may be in the
	                          attacker's hands (drives the verdict) */
	RULE_BASELINE = 2,     /* needs a baseline; unknown without one */
};

typedef int (*rule_fn)(const struct rule_ctx *c, const struct rule *r,
		       struct findings *out);

struct rule {
	const char *id;          /* "ADM-001": stable, never reused */
	const char *fiche;       /* "1.a" */
	enum msg_id step;        /* the fiche's sub-step (M_STEP_*) */
	enum rule_sev sev;       /* default severity */
	enum msg_id title;
	enum msg_id what;        /* what it checks (--list-rules) */
	enum msg_id clear;       /* detail of the "clear" finding */
	uint32_t needs;          /* bit i = ctx->src[i] must be ok */
	unsigned flags;
	rule_fn fn;
};

/* ---- findings (engine.c) --------------------------------------------------
 * rule_emit formats the detail message in both languages with the same
 * arguments (the catalogue guarantees the same conversions). Returns the
 * new finding, or NULL with err set. */
struct finding *rule_emit(struct findings *out, const struct rule *r,
			  enum rule_sev sev, enum rule_status st, enum msg_id detail, ...);
struct finding *rule_vemit(struct findings *out, const struct rule *r,
			   enum rule_sev sev, enum rule_status st, enum msg_id detail,
			   va_list ap);
int finding_obj(struct finding *f, const char *obj);      /* dedups */
int finding_ev(struct finding *f, const char *path);      /* dedups */
/* Sets f->at to t when it is earlier than what f has (the first trace
 * of several): the report's timeline starts there. 0 is ignored. */
void finding_at(struct finding *f, int64_t t);
int finding_ev_first(struct finding *f, const char *path);  /* the same, listed first */
/* A finding whose detail is already written in both languages (b[LANG_FR],
 * b[LANG_EN]), for details assembled from parts. */
struct finding *rule_emit_text(struct findings *out, const struct rule *r, enum rule_sev sev,
			       enum rule_status st, const struct buf b[2]);
/* Appends message id, formatted with the same arguments, to b[LANG_FR]
 * and b[LANG_EN]. */
int rule_text(struct buf b[2], enum msg_id id, ...);
/* "2026-03-01 10:00 UTC" */
void rule_time(int64_t t, char out[32]);
/* When log source s (sign-ins, audits) of the model (a struct mdl_head
 * first) covers only the end of the window — the tenant keeps fewer days
 * than asked, or --offline asked wider than collected — an unknown entry
 * for rule r names the part not examined (live: what to run again).
 * Returns the start of what the source covers, -1 on out-of-memory. */
int64_t rule_log_partial(const struct rule_ctx *c, const struct rule *r, struct findings *out, int s,
			 const char *live);
int rule_unknown(struct findings *out, const char *check, const char *needs,
		 enum msg_id reason, ...);
void findings_free(struct findings *fs);
/* Formats message id in both languages into out[LANG_FR], out[LANG_EN]
 * (malloc'd; the caller frees them). */
int rule_fmt2(char *out[2], enum msg_id id, ...);

/* Runs every rule of the table in order (a rule may read the findings of
 * the rules before it). A rule whose sources are missing gets an unknown
 * entry per missing source; a rule that ran and emitted nothing gets one
 * "clear" finding (severity info) naming what it checked. -1 only on
 * out-of-memory. */
int rule_run(const struct rule *table, size_t n, const struct rule_ctx *c,
	     struct findings *out);
/* The sources of a model (struct mdl_src, model/) as rule sources:
 * reasons and needs filled. */
struct mdl_src;
void rule_sources_from(const struct mdl_src *src, size_t n, struct rule_source *out);
/* 1 when ctx has a baseline (the engine's view of RULE_BASELINE). */
int rule_has_baseline(const struct rule_ctx *c);

/* Exit status of DESIGN.md: 1 when a finding is at or above "suspect"
 * with a severity above info, else 0. Info findings inform; they do not
 * make a script stop. */
int rule_exit_status(const struct findings *fs);
/* qsort order of findings (pointers to them): confirmed, then suspect,
 * by severity, then id, then the order the rules emitted them. */
int rule_finding_cmp(const void *a, const void *b);

/* ---- verdict -----------------------------------------------------------------
 * The answer to the fiche's question for this check. */
enum verdict { VERDICT_NOT_DETECTED = 0, VERDICT_SUSPECTED, VERDICT_CONFIRMED,
	       VERDICT_UNDETERMINED };
const char *rule_verdict_name(enum verdict v);    /* "not_detected"… */

struct verdict_line {          /* an extra line under the answer */
	enum msg_id label;
	char *value[2];
	const char *key;           /* JSON key */
	const char *code;          /* JSON value: "yes", "no", "unknown" */
};

struct rule_verdict {
	enum verdict v;
	enum msg_id question;      /* the fiche's question */
	enum msg_id subject;       /* "Compromission de compte à privilèges…" */
	const char *fiche;         /* set: only the findings of this action
	                              ("1.c") count (a part, below) */
	const char *also;          /* with fiche: the findings of these rules
	                              count too ("MAIL-001 MAIL-002": a
	                              forwarding answers 1.b and 1.e) */
	const struct finding **reasons;   /* findings that drive the answer */
	size_t nreasons;
	char *why[2];              /* one sentence when no finding explains it */
	struct verdict_line extra[4];
	size_t nextra;
	/* A check that answers several actions of the fiche (check-mail:
	 * 1.b, 1.c, 1.e) gives one answer per action here, each a verdict
	 * of its own with its fiche set; the verdict itself then sums them
	 * up (the worst answer, every reason) for the exit status and the
	 * logbook. Renderers show the parts; JSON writes them under
	 * "actions". None for a check of one action. */
	struct rule_verdict *part;
	size_t npart;
};
/* Confirmed when a compromise finding is confirmed, suspected when one is
 * suspect (severity above info), undetermined when undetermined is set
 * by the caller (its core sources could not be read), else not detected.
 * Keeps question, subject, fiche and also; with fiche set, only the
 * findings of that action, and of the rules also names, count. */
int rule_verdict(const struct findings *fs, int undetermined, struct rule_verdict *v);
void rule_verdict_free(struct rule_verdict *v);

/* ---- tables of values (render writes them as CSV) ------------------------ */
struct rule_table {
	size_t ncol;
	const enum msg_id *head;   /* column titles */
	char **cell;               /* nrow * ncol, row-major */
	size_t nrow, cap;
};
int rule_table_row(struct rule_table *t, const char *const *cells);
void rule_table_free(struct rule_table *t);

/* ---- check-admins (adm_rules.def, admins.c, adm_*.c) -------------------------
 * ctx->model is a struct mdl_admins, ctx->bl a struct bl, ctx->src the
 * model's sources in enum adm_src order. */
#define RULE(id, fiche, step, sev, n, needs, flags, fn) \
	int fn(const struct rule_ctx *c, const struct rule *r, struct findings *out);
#include "rules/adm_rules.def"
#undef RULE
/* The count is known here, at compile time, for a static declaration. */
enum {
#define RULE(id, fiche, step, sev, n, needs, flags, fn) ADM_RULE_##n,
#include "rules/adm_rules.def"
#undef RULE
	ADM_NRULES
};
extern const struct rule adm_rules[ADM_NRULES];
extern const size_t adm_nrules;
/* The answer to Action 1.a, with the "sound global administrator" line. */
int adm_verdict(const struct rule_ctx *c, const struct findings *fs, struct rule_verdict *v);
/* --make-baseline: adds the tenant as it is now to b (a struct bl). */
struct bl;
int adm_make_baseline(const void *model, struct bl *b);
/* Per privileged user and IP: country, city, successes, failures,
 * interruptions, first and last seen — the fiche's sign-in export, sorted
 * by user, then location, then IP. */
int adm_signin_table(const struct rule_ctx *c, struct rule_table *t);

/* Between the adm_*.c files of rules/ (not for other folders). */
struct mdl_admins;
struct bl;
/* Emits a finding about principal who: its label and id as objects, where
 * it was described and its grants as evidence. */
struct finding *adm_emit_pr(struct findings *out, const struct rule *r, enum rule_sev sev,
			    enum rule_status st, const struct mdl_admins *m, size_t who,
			    enum msg_id detail, ...);
/* When log source s (signIns, directoryAudits) covers only the end of the
 * window — the tenant keeps fewer days than asked — an unknown entry for
 * rule r names the part not examined: the rule still answers for the
 * rest, and never claims "clear" for all of it. Returns the start of
 * what the source covers (the window's start when it covers it all),
 * or -1 on out-of-memory. */
int64_t adm_log_partial(const struct rule_ctx *c, const struct rule *r, struct findings *out, int s);
/* "2026-03-01 10:00 UTC" */
void adm_time(int64_t t, char out[32]);
/* In the adm_*.c files: the model, and the baseline. */
#define ADM_M(c) ((const struct mdl_admins *)(c)->model)
#define ADM_BL(c) ((const struct bl *)(c)->bl)
/* 1 when principal who is an object of a compromise finding (suspect or
 * confirmed, above info) among fs. */
int adm_suspected(const struct mdl_admins *m, size_t who, const struct findings *fs);


/* ---- check-apps (app_rules.def, apps.c, app_*.c) -------------------------------
 * ctx->model is a struct mdl_apps, ctx->src its sources (enum app_src). */
#define RULE(id, fiche, step, sev, n, needs, flags, fn) \
	int fn(const struct rule_ctx *c, const struct rule *r, struct findings *out);
#include "rules/app_rules.def"
#undef RULE
enum {
#define RULE(id, fiche, step, sev, n, needs, flags, fn) APP_RULE_##n,
#include "rules/app_rules.def"
#undef RULE
	APP_NRULES
};
extern const struct rule app_rules[APP_NRULES];
extern const size_t app_nrules;
/* The answer to Action 1.d, with the illicit-consent line. */
int app_verdict(const struct rule_ctx *c, const struct findings *fs, struct rule_verdict *v);
/* --make-baseline: known applications, their permissions, credentials
 * (key ids) and owners. */
int app_make_baseline(const void *model, struct bl *b);
/* --format csv: the consent file the fiche reads column by column
 * (PermissionType, ClientObjectId, ClientDisplayName, …, ConsentType…). */
int app_consent_table(const struct rule_ctx *c, struct rule_table *t);

/* Between the app_*.c files of rules/ (not for other folders). */
struct mdl_app;
struct mdl_apps;
struct bl_list;
#define APP_M(c) ((const struct mdl_apps *)(c)->model)
#define APP_BL(c) ((const struct bl *)(c)->bl)
/* What an object reaches (PERM_STRONG bits; a directory role counts as
 * PERM_TIER0), through application permissions and tenant-wide grants. */
unsigned app_reach(const struct mdl_app *o);
/* 1 when the baseline knows the application (its appId in [apps]). */
int app_known(const struct rule_ctx *c, const struct mdl_app *o);
/* 1 when the baseline lists "<appId>:<what>" in l (permissions, owners). */
int app_known_pair(const struct bl_list *l, const struct mdl_app *o, const char *what);
/* A finding about object k (its name, id and appId as objects, where it
 * was read as evidence), with a detail written in both languages;
 * suspect, or clear at severity info (a listing to look at). */
struct finding *app_emit(struct findings *out, const struct rule *r, enum rule_sev sev,
			 const struct mdl_apps *m, size_t k, const struct buf b[2]);
/* Appends "'name' (appId, who publishes it[, unverified])" to both. */
int app_head(struct buf b[2], const struct mdl_app *o);
const char *app_name(const struct mdl_app *o);
/* The credentials added within the window: from the audit log (key ids
 * of the additions) and from start dates (settable: weaker). */
struct app_newcred {
	size_t obj;                /* MDL_NONE: the object is gone */
	const char *key_id, *by, *name;
	int64_t t;
	int audited;
};
int app_new_creds(const struct rule_ctx *c, struct app_newcred **out, size_t *n);
/* "; holds Mail.Read, Directory Writers": o's strong permissions and role. */
int app_holds(struct buf b[2], const struct mdl_apps *m, size_t k);
/* A log source not read is said once per rule (unknown), and 0 returned. */
int app_have(const struct rule_ctx *c, const struct rule *r, struct findings *out, int s);
/* 1 when the host h[0..n) is one of list or below one (a.b.example
 * for example: "example" matches, "xample" does not). */
int app_host_in(const char *h, size_t n, const char *const *list, size_t nlist);
/* Frees two buffers (the pair rule_text fills). */
void app_bufs_free(struct buf b[2]);

/* ---- inbox rules and business email compromise (bec.c) ----------------------
 * One classifier for every reader of inbox rules — check-mail's
 * Get-InboxRule objects and check-events' New-InboxRule / Set-InboxRule /
 * UpdateInboxRules parameters — so that both judge a rule alike. Fill a
 * struct bec_rule from what you read (NULL / 0 for what is not known),
 * call bec_classify, read the traits and the level; bec.c lists the
 * criteria and their sources. Pure, self-contained (no model). */
struct bec_rule {
	const char *name;
	int enabled;                   /* 1, 0, or -1 unknown (counts as enabled) */
	const char *const *words;      /* the words of every "…ContainsWords"
	                                  condition (subject, body, subject or
	                                  body, header, recipient address), one
	                                  word or phrase per entry */
	size_t nwords;
	const char *const *from;       /* From, FromAddressContainsWords */
	size_t nfrom;
	int other_cond;                /* another condition (SentTo, HasAttachment…) */
	const char *const *fwd;        /* ForwardTo, ForwardAsAttachmentTo,
	                                  RedirectTo entries, as Exchange writes
	                                  them ("Name" [SMTP:a@b.c], [EX:…], a@b.c) */
	size_t nfwd;
	int del;                       /* DeleteMessage or SoftDeleteMessage */
	const char *move_to;           /* MoveToFolder (a name or a path) */
	int mark_read;                 /* MarkAsRead */
};
struct bec_ctx {
	const char *const *domains;    /* the tenant's domains (accepted domains,
	                                  verified domains); none: outside unknown */
	size_t ndomains;
};
enum {
	BEC_FWD_EXT = 1 << 0, BEC_FWD_UNKNOWN = 1 << 1, BEC_FWD_INT = 1 << 2,
	BEC_DELETE = 1 << 3, BEC_FOLDER = 1 << 4, BEC_HIDE_READ = 1 << 5, BEC_NAME = 1 << 6,
	BEC_KEYWORDS = 1 << 7, BEC_SECALERT = 1 << 8, BEC_CATCHALL = 1 << 9, BEC_VENDOR = 1 << 10,
};
#define BEC_NTRAITS 11
struct bec_result {
	unsigned traits;               /* BEC_* */
	int level;                     /* 0 none, 1 low, 2 medium, 3 high */
	int name_level;
	const char *fwd_ext;           /* first forward outside (or unknown) */
	const char *folder;            /* the obscure folder */
	const char *keyword;           /* the first finance keyword matched */
	const char *alert_word;        /* the first security word matched */
};
int bec_classify(const struct bec_rule *r, const struct bec_ctx *c, struct bec_result *out);
/* The first of keys found in text as a whole word (case folded), or NULL. */
const char *bec_has_word(const char *text, const char *const *keys, size_t nkeys);
/* The SMTP address of an Exchange recipient string into out, or NULL
 * (an EX: entry, no address). */
const char *bec_address(const char *recipient, char *out, size_t n);
/* 1 when addr's domain is one of c's (or below one), 0 when not, -1
 * when c knows no domain. */
int bec_internal(const struct bec_ctx *c, const char *addr);
/* "forward outside (a@b.c), mark as read, …" in language l. */
int bec_describe(const struct bec_result *r, enum lang l, struct buf *out);


/* ---- check-events (evt_rules.def, evt.c, evt_*.c) ------------------------------
 * Rules over the events of imported exports (reflexe import). ctx->model
 * is a struct mdl_events (model/), ctx->src its sources in enum evt_src
 * order. */
#define RULE(id, fiche, step, sev, n, needs, flags, fn) \
	int fn(const struct rule_ctx *c, const struct rule *r, struct findings *out);
#include "rules/evt_rules.def"
#undef RULE
enum {
#define RULE(id, fiche, step, sev, n, needs, flags, fn) EVT_RULE_##n,
#include "rules/evt_rules.def"
#undef RULE
	EVT_NRULES
};
extern const struct rule evt_rules[EVT_NRULES];
extern const size_t evt_nrules;
/* The answer to Mesure 1 from the exports. */
int evt_verdict(const struct rule_ctx *c, const struct findings *fs, struct rule_verdict *v);
/* Between the evt_*.c files of rules/. */
struct mdl_events;
struct mdl_evt;
struct mdl_esi;
#define EVT_M(c) ((const struct mdl_events *)(c)->model)
/* A finding about event e (NULL: none): its actor and address as objects,
 * its import's files as evidence, its time; the detail in both languages
 * from id and the arguments, with two texts (fr, en) appended when given
 * (the traits of an inbox rule). */
struct finding *evt_emit(struct findings *out, const struct rule *r, enum rule_sev sev,
			 const struct mdl_events *m, const struct mdl_evt *e, const char *extra[2],
			 enum msg_id detail, ...);
/* The files of import imp as evidence of f. */
int evt_evidence(struct finding *f, const struct mdl_events *m, uint32_t imp);
/* The same for a sign-in. */
struct finding *evt_emit_si(struct findings *out, const struct rule *r, enum rule_sev sev,
			    const struct mdl_events *m, const struct mdl_esi *s, enum msg_id detail, ...);
/* The value (new) of parameter name, or NULL; its old value. */
const char *evt_param(const struct mdl_evt *e, const char *name);
const char *evt_param_old(const struct mdl_evt *e, const char *name);
const char *evt_detail(const struct mdl_evt *e, const char *name);
/* "True", "$true", "1" -> 1; "False", "$false", "0" -> 0; else -1. */
int evt_bool(const char *v);
/* 1 when s (NULL: none) holds sub, ignoring ASCII case. */
int evt_has(const char *s, const char *sub);
/* "2023-09-20 04:05 UTC", or "?" for an event without time. */
const char *evt_when(int64_t t, char out[32]);
/* The user an operation was about (a target's UPN, else its name, else
 * the mailbox or identity parameter), else "?". */
const char *evt_subject(const struct mdl_evt *e);
/* The bec_ctx of the tenant's domains. */
struct bec_ctx evt_bec_ctx(const struct mdl_events *m);
/* Indexes of the addresses that password-sprayed (one address failing on
 * at least EVT_SPRAY_ACCOUNTS accounts within an hour) and their first
 * failure time: shared by EVT-009 and EVT-010. */
#define EVT_SPRAY_ACCOUNTS 5
struct evt_spray {
	const char *ip;
	int64_t from, to;          /* the widest hour */
	size_t first;              /* its first failure, in m->si */
	int accounts, failures, ok_accounts;
};
int evt_sprays(const struct mdl_events *m, struct evt_spray **out, size_t *n);
/* ---- check-mail (mail_rules.def, mail.c, mail_box.c, mail_flow.c) ------------
 * ctx->model is a struct mdl_mail, ctx->src its sources in enum mail_src
 * order. One check, three actions of the fiche: mail_verdict answers 1.b
 * (mailboxes), 1.c and 1.e each in a part of the verdict. */
#define RULE(id, fiche, step, sev, n, needs, flags, fn) \
	int fn(const struct rule_ctx *c, const struct rule *r, struct findings *out);
#include "rules/mail_rules.def"
#undef RULE
enum {
#define RULE(id, fiche, step, sev, n, needs, flags, fn) MAIL_RULE_##n,
#include "rules/mail_rules.def"
#undef RULE
	MAIL_NRULES
};
extern const struct rule mail_rules[MAIL_NRULES];
extern const size_t mail_nrules;
int mail_verdict(const struct rule_ctx *c, const struct findings *fs, struct rule_verdict *v);
int mail_make_baseline(const void *model, struct bl *b);

/* Between the mail*.c files of rules/ (not for other folders). */
struct mdl_mail;
struct mdl_mbx;
struct bl_list;
#define MAIL_M(c) ((const struct mdl_mail *)(c)->model)
#define MAIL_BL(c) ((const struct bl *)(c)->bl)
/* A finding of rule r at sev — lowered to low when known (a baseline
 * knows the item; said in the detail) — suspect (info: clear, listed),
 * with ev as evidence and o1, o2 as objects (NULL: none). A trace of the
 * attacker (compromise) when the rule says so and the severity reaches
 * medium for a mailbox (1.b), high for the tenant's settings. */
struct finding *mail_emit(struct findings *out, const struct rule *r, enum rule_sev sev, int known,
			  const char *ev, const char *o1, const char *o2, enum msg_id detail, ...);
/* Appends a qualifier (a message, or two texts) to both languages of f's detail. */
int mail_note(struct finding *f, enum msg_id q);
int mail_add(struct finding *f, const char *fr, const char *en);
/* 1 when addr is outside the tenant's domains (or a guest's #EXT#
 * address), 0 inside, -1 when it cannot tell. */
int mail_outside(const struct rule_ctx *c, const char *addr);
void mail_bec_ctx(const struct rule_ctx *c, struct bec_ctx *out);
/* Baseline: 1 when the key made from fmt is listed in the baseline's
 * section at offset off of struct bl (no baseline: 0); recording (the
 * model's record, --make-baseline), adds it there and answers 0. */
int mail_known(const struct rule_ctx *c, size_t off, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
#define MAIL_KNOWN(c, list, ...) mail_known(c, offsetof(struct bl, list), __VA_ARGS__)
const char *mail_label(const struct mdl_mbx *b);
int mail_is_exec(const struct rule_ctx *c, const struct mdl_mbx *b);
/* An unknown entry naming the mailboxes whose per-mailbox answer (src:
 * MAIL_SRC_RULES or _PERMS) is not in the case. */
int mail_unread(const struct rule_ctx *c, const struct rule *r, struct findings *out, int src);

#endif
