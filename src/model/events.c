/*
 * The imported exports as check-events reads them: every import of the
 * case (imports/<sha256>/import.json and events.jsonl, written by
 * `reflexe import`).
 *
 * Evidence first, at any size: import.json is read whole and checked
 * against the manifest like a page; events.jsonl, which may be hundreds
 * of megabytes, is streamed, hashed on the way and compared with the
 * manifest at its end — a file that does not match refuses the whole
 * load (MDL_REFUSED), so that nothing read from it is ever analysed.
 *
 * Only what a rule reads is kept: sign-ins in a compact form (time, user,
 * address, country, client, risk, error), and the Exchange and directory
 * operations of the kinds below with their parameters; every other event
 * is only counted, and most are skipped without parsing (the line's
 * category and operation come first: exp_event_peek). The same record
 * imported twice through overlapping exports counts once: the same
 * normalised line (its record id included) but for where it came from.
 *
 * Operation names are compared as the directory audit reference writes
 * them, but without case, trailing blanks or the trailing period of the
 * unified audit log ("Add member to role."), and with the en dash the
 * logs write equal to the reference's hyphen ("Update application –
 * Certificates and secrets management ") — check-apps.md §3.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include <mbedtls/sha256.h>

#include "case/case.h"
#include "model/model.h"

#define CHUNK (256u * 1024)
#define LINE_MAX_BYTES (2 * EXP_MAX_RECORD)

/* ---- operation names -------------------------------------------------------------- */

/* op as compared: dashes as '-', no trailing blanks or period, lower case. */
static void norm(const char *op, char *out, size_t n)
{
	size_t k = 0;
	for (const unsigned char *p = (const unsigned char *)op; *p && k + 1 < n; p++) {
		if (p[0] == 0xE2 && p[1] == 0x80 && (p[2] == 0x93 || p[2] == 0x94)) {
			out[k++] = '-';
			p += 2;
		} else {
			out[k++] = (char)(*p >= 'A' && *p <= 'Z' ? *p | 0x20 : *p);
		}
	}
	while (k && (out[k - 1] == ' ' || out[k - 1] == '.'))
		k--;
	out[k] = 0;
	char *s = out;
	while (*s == ' ')
		s++;
	if (s != out)
		memmove(out, s, strlen(s) + 1);
}

static const struct { const char *op; enum mdl_evk k; } ops[] = {
	/* Exchange (cmdlets; UpdateInboxRules is Outlook's) */
	{ "new-inboxrule", EVK_INBOX_RULE }, { "set-inboxrule", EVK_INBOX_RULE },
	{ "enable-inboxrule", EVK_INBOX_RULE }, { "updateinboxrules", EVK_INBOX_RULE },
	{ "set-mailbox", EVK_SET_MAILBOX },
	{ "add-mailboxpermission", EVK_MBX_PERM }, { "add-recipientpermission", EVK_MBX_PERM },
	{ "add-mailboxfolderpermission", EVK_MBX_PERM },
	{ "set-mailboxauditbypassassociation", EVK_AUDIT_BYPASS },
	{ "set-adminauditlogconfig", EVK_AUDIT_CONFIG }, { "set-organizationconfig", EVK_AUDIT_CONFIG },
	{ "set-casmailbox", EVK_CAS_MAILBOX },
	{ "add-rolegroupmember", EVK_ROLE_ADD }, { "new-managementroleassignment", EVK_ROLE_ADD },
	/* Entra directory audits (reference-audit-activities) */
	{ "update user", EVK_MFA }, { "delete application password for user", EVK_MFA },
	{ "consent to application", EVK_CONSENT }, { "add delegated permission grant", EVK_CONSENT },
	{ "add app role assignment to service principal", EVK_CONSENT },
	{ "add oauth2permissiongrant", EVK_CONSENT },
	{ "update application - certificates and secrets management", EVK_APP_CRED },
	{ "create application - certificates and secrets management", EVK_APP_CRED },
	{ "add service principal credentials", EVK_APP_CRED },
	{ "add owner to application", EVK_OWNER }, { "add owner to service principal", EVK_OWNER },
};

enum mdl_evk mdl_evt_kind(enum exp_cat cat, const char *op)
{
	char n[160];
	if (cat == EXP_CAT_SIGNIN)
		return EVK_OTHER;
	norm(op ? op : "", n, sizeof n);
	for (size_t i = 0; i < sizeof ops / sizeof ops[0]; i++)
		if (!strcmp(n, ops[i].op))
			return ops[i].k;
	/* role grants and security-info changes: check-admins' own list */
	switch (mdl_audit_kind(n)) {
	case AUD_ROLE_ADD:
		return EVK_ROLE_ADD;
	case AUD_SECINFO:
		return EVK_MFA;
	default:
		return EVK_OTHER;
	}
}

/* ---- the model ------------------------------------------------------------------------- */

static const struct { const char *name, *needs; } sources[EVT_NSRC] = {
	[EVT_SRC_UAL] = { "unified audit log",
			  "reflexe import: unified audit log export (Purview CSV, Search-UnifiedAuditLog, "
			  "Log Analytics OfficeActivity)" },
	[EVT_SRC_AUDITS] = { "directory audits",
			     "reflexe import: Entra audit logs (portal CSV/JSON, Graph, Log Analytics AuditLogs) "
			     "or the unified audit log" },
	[EVT_SRC_SIGNINS] = { "sign-ins",
			      "reflexe import: Entra sign-in logs (portal CSV/JSON, Graph, Log Analytics "
			      "SigninLogs) or the unified audit log" },
};

void mdl_events_init(struct mdl_events *m)
{
	memset(m, 0, sizeof *m);
	m->h.src = m->src;
	m->h.nsrc = EVT_NSRC;
	m->first = m->last = EXP_NO_TIME;
	for (int s = 0; s < EVT_NSRC; s++) {
		m->src[s].name = sources[s].name;
		m->src[s].needs = sources[s].needs;
		m->src[s].st = MDL_ST_ABSENT;
	}
}

void mdl_events_free(struct mdl_events *m)
{
	mdl_arena_free(&m->ar);
	free(m->imp);
	free(m->ev);
	free(m->si);
	free(m->dom);
	free(m->seen);
	mdl_map_free(&m->dommap);
	for (struct mdl_kvblock *b = m->kvblocks; b;) {
		struct mdl_kvblock *n = b->next;
		free(b->v);
		free(b);
		b = n;
	}
	memset(m, 0, sizeof *m);
}

/* A 64-bit FNV-1a over a few strings, never 0 (0 marks a free slot). */
static uint64_t fnv(uint64_t h, const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		h = (h ^ (unsigned char)s[i]) * 1099511628211ull;
	return h;
}

/* 1 when key was seen already (the event counts once), 0 when new. */
static int seen(struct mdl_events *m, uint64_t key)
{
	if (!key)
		key = 1;
	if ((m->nseen + 1) * 2 > m->capseen) {
		size_t cap = m->capseen ? m->capseen * 2 : 4096;
		uint64_t *t = calloc(cap, sizeof *t);
		if (!t)
			return err_set(E_NOMEM);
		for (size_t i = 0; i < m->capseen; i++)
			if (m->seen[i])
				for (size_t j = m->seen[i] & (cap - 1);; j = (j + 1) & (cap - 1))
					if (!t[j]) {
						t[j] = m->seen[i];
						break;
					}
		free(m->seen);
		m->seen = t;
		m->capseen = cap;
	}
	for (size_t j = key & (m->capseen - 1);; j = (j + 1) & (m->capseen - 1)) {
		if (m->seen[j] == key)
			return 1;
		if (!m->seen[j]) {
			m->seen[j] = key;
			m->nseen++;
			return 0;
		}
	}
}

static int add_domain(struct mdl_events *m, const char *upn)
{
	const char *at = upn ? strrchr(upn, '@') : NULL;
	if (!at || !at[1] || strstr(upn, "#EXT#") || !strchr(at, '.'))
		return 0;
	const char *d = mdl_intern(&m->ar, at + 1);
	if (!d)
		return -1;
	if (mdl_map_get(&m->dommap, d) != MDL_NONE)
		return 0;
	if (mdl_map_put(&m->dommap, d, m->n_dom) < 0)
		return -1;
	const char **slot = MDL_PUSH(m->dom, m->n_dom, m->cap_dom);
	if (!slot)
		return -1;
	*slot = d;
	return 0;
}

/* Legacy authentication: every client app but a browser and the modern
 * clients, as check-admins reads it (rules/adm_signins.c, after
 * Microsoft's "Block legacy authentication" template); and ROPC, the
 * "BAV2ROPC" user agent of basic authentication through Exchange. */
static int legacy_client(const char *client, const char *ua)
{
	if (ua && strstr(ua, "BAV2ROPC"))
		return 1;
	return client && *client && strcasecmp(client, "Browser") &&
	       strcasecmp(client, "Mobile Apps and Desktop clients");
}

static const char *I(struct mdl_events *m, const char *s, int *err)
{
	if (!s)
		return NULL;
	const char *r = mdl_intern(&m->ar, s);
	if (!r)
		*err = 1;
	return r;
}

static int keep_signin(struct mdl_events *m, const struct exp_event *e, uint32_t imp)
{
	struct mdl_esi *s = MDL_PUSH(m->si, m->n_si, m->cap_si);
	int err = 0;
	if (!s)
		return -1;
	s->t = e->t;
	s->user = I(m, e->actor_upn ? e->actor_upn : e->actor_id, &err);
	s->ip = I(m, e->actor_ip, &err);
	s->country = I(m, e->country, &err);
	s->client = I(m, e->client_app ? e->client_app : (e->ua && strstr(e->ua, "BAV2ROPC") ? "BAV2ROPC" : NULL), &err);
	s->risk = I(m, e->risk, &err);
	s->err = e->err > INT32_MAX ? INT32_MAX : (int32_t)e->err;
	s->failed = e->err > 0 || (e->err < 0 && !strcasecmp(e->op, "UserLoginFailed"));
	s->flags = (uint8_t)((e->interactive == 1 ? MDL_SI_INTERACTIVE : 0) |
			     (legacy_client(e->client_app, e->ua) ? MDL_SI_LEGACY : 0) |
			     (e->risk && (strstr(e->risk, "anonymizedIPAddress") || strstr(e->risk, "anonymizedIP") ||
					  strstr(e->risk, "tor")) ? MDL_SI_ANON : 0));
	s->imp = (uint16_t)imp;
	s->line = (uint32_t)e->line;
	return err ? -1 : 0;
}

static int copy_kv(struct mdl_events *m, const struct exp_kv *in, size_t n, const struct mdl_kv **out,
		   size_t *nout)
{
	*out = NULL;
	*nout = 0;
	if (!n)
		return 0;
	struct mdl_kv *v = calloc(n, sizeof *v);
	if (!v)
		return err_set(E_NOMEM);
	int err = 0;
	for (size_t i = 0; i < n; i++)
		v[i] = (struct mdl_kv){ I(m, in[i].name, &err), I(m, in[i].value, &err), I(m, in[i].old, &err) };
	/* kept with the model's strings: one block per event, freed with it */
	struct mdl_kvblock *b = malloc(sizeof *b);
	if (err || !b) {
		free(v);
		free(b);
		return err_set(E_NOMEM);
	}
	b->v = v;
	b->next = m->kvblocks;
	m->kvblocks = b;
	*out = v;
	*nout = n;
	return 0;
}

static int keep_event(struct mdl_events *m, const struct exp_event *e, enum mdl_evk k, uint32_t imp)
{
	struct mdl_evt *v = MDL_PUSH(m->ev, m->n_ev, m->cap_ev);
	int err = 0;
	if (!v)
		return -1;
	v->t = e->t;
	v->kind = k;
	v->cat = e->cat;
	v->op = I(m, e->op, &err);
	v->actor = I(m, e->actor_upn ? e->actor_upn : e->actor_name, &err);
	v->actor_id = I(m, e->actor_id, &err);
	v->ip = I(m, e->actor_ip, &err);
	v->app = I(m, e->actor_app, &err);
	v->result = I(m, e->result, &err);
	v->ua = I(m, e->ua, &err);
	for (int i = 0; i < e->ntgt && i < MDL_EVT_TARGETS; i++) {
		v->tgt[i] = (struct exp_target){ I(m, e->tgt[i].type, &err), I(m, e->tgt[i].id, &err),
						 I(m, e->tgt[i].upn, &err), I(m, e->tgt[i].name, &err) };
		v->ntgt = i + 1;
	}
	v->imp = imp;
	v->line = (uint32_t)e->line;
	if (err || copy_kv(m, e->param, e->nparam, &v->p, &v->np) < 0 ||
	    copy_kv(m, e->detail, e->ndetail, &v->d, &v->nd) < 0)
		return -1;
	/* the tenant's domains: those of the people running Exchange and
	 * directory operations, and of the mailboxes they touch */
	if (add_domain(m, e->actor_upn) < 0)
		return -1;
	for (size_t i = 0; i < e->nparam; i++)
		if (e->param[i].name && (!strcasecmp(e->param[i].name, "Mailbox") || !strcasecmp(e->param[i].name, "Identity")) &&
		    add_domain(m, e->param[i].value) < 0)
			return -1;
	return 0;
}

int mdl_events_add_line(struct mdl_events *m, struct exp_arena *a, const char *line, size_t n, uint32_t imp)
{
	enum exp_cat cat;
	char op[160];
	m->total++;
	int p = exp_event_peek(line, n, &cat, op, sizeof op);
	if (p < 0)
		return err_set(E_EXP_EVENT_BAD, "t");
	if (p == 1 && cat != EXP_CAT_SIGNIN && mdl_evt_kind(cat, op) == EVK_OTHER) {
		m->other++;
		return 0;
	}
	struct exp_event e;
	exp_arena_reset(a);
	if (exp_event_read(line, n, a, &e) < 0)
		return -1;
	enum mdl_evk k = mdl_evt_kind(e.cat, e.op);
	if (e.cat != EXP_CAT_SIGNIN && k == EVK_OTHER) {
		m->other++;
		return 0;
	}
	/* once per record: the normalised line without where it came from
	 * (the record's id is in it when the export gives one; vendors' test
	 * records share ids, so the id alone is not enough) */
	const char *l = strstr(line, ",\"l\":");
	uint64_t key = fnv(1469598103934665603ull, line, l && (size_t)(l - line) < n ? (size_t)(l - line) : n);
	int s = seen(m, key);
	if (s < 0)
		return -1;
	if (s) {
		m->dups++;
		return 0;
	}
	if (e.t != EXP_NO_TIME) {
		if (m->first == EXP_NO_TIME || e.t < m->first)
			m->first = e.t;
		if (m->last == EXP_NO_TIME || e.t > m->last)
			m->last = e.t;
	}
	return e.cat == EXP_CAT_SIGNIN ? keep_signin(m, &e, imp) : keep_event(m, &e, k, imp);
}

/* ---- reading the case ------------------------------------------------------------------------ */

struct names {
	char **v;
	size_t n, cap;
};

static int name_fn(void *ctx, const char *rel)
{
	struct names *x = ctx;
	size_t n = strlen(rel);
	/* imports/<64 hex>/import.json */
	if (n != 8 + 64 + 12 || strcmp(rel + 8 + 64, "/import.json"))
		return 0;
	char **slot = MDL_PUSH(x->v, x->n, x->cap);
	if (!slot || !(*slot = strdup(rel)))
		return err_set(E_NOMEM);
	return 0;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int read_record(struct case_dir *cs, struct mdl_events *m, const char *rel, struct mdl_import *im)
{
	struct buf f = { 0 };
	struct json j;
	int r = mdl_evidence_read(cs, rel, &f, 1 << 20);
	if (r <= 0) {
		buf_free(&f);
		if (r == 0)
			return err_set(E_CASE_MISSING, rel);
		return r;
	}
	if (json_parse(&j, f.p, f.len, JSON_LIMITS_DEFAULT) < 0) {
		buf_free(&f);
		return err_context(E_MDL_PAGE, rel);
	}
	long long v;
	int rc = 0;
	rc |= mdl_str(&m->ar, &j, 0, "file", &im->file);
	rc |= mdl_str(&m->ar, &j, 0, "layout", &im->layout);
	rc |= mdl_str(&m->ar, &j, 0, "header", &im->header);
	rc |= mdl_str(&m->ar, &j, 0, "tz.given", &im->tz_given);
	rc |= mdl_str(&m->ar, &j, 0, "original", &im->orig);
	/* the original sits in the record's own folder, nowhere else */
	if (im->orig && (strncmp(im->orig, im->folder, strlen(im->folder)) ||
			 strncmp(im->orig + strlen(im->folder), "/original/", 10)))
		im->orig = NULL;
	im->rows = json_int(&j, 0, "rows", &v) == 0 ? (uint64_t)v : 0;
	im->events = json_int(&j, 0, "events", &v) == 0 ? (uint64_t)v : 0;
	im->no_time = json_int(&j, 0, "no_time", &v) == 0 ? (uint64_t)v : 0;
	int64_t t;
	im->first = mdl_time(&j, 0, "first", &t) == 0 && t ? t : EXP_NO_TIME;
	im->last = mdl_time(&j, 0, "last", &t) == 0 && t ? t : EXP_NO_TIME;
	static const char *const kinds[] = { "ual", "signins", "audits" };
	static const char *const bases[] = { "offset", "header", "schema", "given" };
	int a = json_get(&j, 0, "kinds"), b = json_get(&j, 0, "tz.basis");
	for (int e = json_first(&j, a); e >= 0; e = json_next(&j, e))
		for (int k = 0; k < 3; k++)
			if (json_type(&j, e) == JSON_STR && json_raw(&j, e, NULL) &&
			    !strncmp(json_raw(&j, e, NULL), kinds[k], strlen(kinds[k])))
				im->kinds |= 1u << k;
	for (int e = json_first(&j, b); e >= 0; e = json_next(&j, e))
		for (int k = 0; k < 4; k++)
			if (json_type(&j, e) == JSON_STR && !strncmp(json_raw(&j, e, NULL), bases[k], strlen(bases[k])))
				im->tz_basis |= 1u << k;
	json_free(&j);
	buf_free(&f);
	if (rc || !im->file) {
		err_clear();
		return err_set(E_MDL_SHAPE, rel);
	}
	return 0;
}

/* Streams events.jsonl, hashed on the way; refused at the end when it is
 * not the file the manifest lists. */
static int read_events(struct case_dir *cs, struct mdl_events *m, const char *rel, uint32_t imp)
{
	char path[PATH_MAX], want[65], got[65];
	unsigned char d[32];
	int r = case_listed_sha(cs, rel, want);
	if (r < 0)
		return -1;
	if (r == 0) {
		err_set(E_CASE_UNLISTED, rel);
		return err_context(E_MDL_REFUSED), MDL_REFUSED;
	}
	snprintf(path, sizeof path, "%s/%s", case_path(cs), rel);
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		if (errno == ENOENT) {
			err_set(E_CASE_MISSING, rel);
			err_context(E_MDL_REFUSED);
			return MDL_REFUSED;
		}
		return err_set(E_FILE_OPEN, rel, file_strerror(errno));
	}
	mbedtls_sha256_context h;
	struct buf line = { .max = LINE_MAX_BYTES };
	struct exp_arena a = { 0 };
	char *chunk = malloc(CHUNK);
	int rc = -1;
	mbedtls_sha256_init(&h);
	if (!chunk || mbedtls_sha256_starts(&h, 0) != 0) {
		err_set(E_NOMEM);
		goto out;
	}
	for (;;) {
		ssize_t k = read(fd, chunk, CHUNK);
		if (k < 0 && errno == EINTR)
			continue;
		if (k < 0) {
			err_set(E_FILE_READ, rel, file_strerror(errno));
			goto out;
		}
		if (k == 0)
			break;
		mbedtls_sha256_update(&h, (unsigned char *)chunk, (size_t)k);
		for (char *p = chunk, *end = chunk + k; p < end;) {
			char *nl = memchr(p, '\n', (size_t)(end - p));
			size_t take = (size_t)((nl ? nl : end) - p);
			if (buf_append(&line, p, take) < 0) {
				err_set(E_TOO_LARGE, rel, (size_t)LINE_MAX_BYTES);
				goto out;
			}
			if (!nl)
				break;
			if (line.len && mdl_events_add_line(m, &a, line.p, line.len, imp) < 0) {
				err_context(E_MDL_PAGE, rel);
				goto out;
			}
			buf_reset(&line);
			p = nl + 1;
		}
	}
	if (line.len && mdl_events_add_line(m, &a, line.p, line.len, imp) < 0) {
		err_context(E_MDL_PAGE, rel);
		goto out;
	}
	mbedtls_sha256_finish(&h, d);
	hash_hex(d, sizeof d, got);
	if (strcmp(got, want)) {
		err_set(E_CASE_ALTERED, rel);
		err_context(E_MDL_REFUSED);
		rc = MDL_REFUSED;
		goto out;
	}
	rc = 0;
out:
	mbedtls_sha256_free(&h);
	free(chunk);
	buf_free(&line);
	exp_arena_free(&a);
	close(fd);
	return rc;
}

static int64_t tkey(int64_t t)
{
	return t == EXP_NO_TIME ? INT64_MAX : t;
}

/* Time order (events without a time last), then the import, then the
 * line: a stable order whatever order the files came in. */
#define ORDER(x, y)                                                    \
	(tkey((x)->t) != tkey((y)->t) ? (tkey((x)->t) < tkey((y)->t) ? -1 : 1) : \
	 (x)->imp != (y)->imp ? ((x)->imp < (y)->imp ? -1 : 1) :           \
	 (x)->line < (y)->line ? -1 : (x)->line > (y)->line)

static int cmp_ev(const void *a, const void *b)
{
	return ORDER((const struct mdl_evt *)a, (const struct mdl_evt *)b);
}

static int cmp_si(const void *a, const void *b)
{
	return ORDER((const struct mdl_esi *)a, (const struct mdl_esi *)b);
}

int mdl_events_finish(struct mdl_events *m, const char *case_domains)
{
	/* the tenant's verified domains, when a live probe recorded them */
	for (const char *p = case_domains; p && *p;) {
		size_t k = strcspn(p, " ");
		char d[256];
		if (k && k < sizeof d - 2) {
			d[0] = 'x';
			d[1] = '@';
			memcpy(d + 2, p, k);
			d[k + 2] = 0;
			if (add_domain(m, d) < 0)
				return -1;
		}
		p += k;
		while (*p == ' ')
			p++;
	}
	if (m->n_ev)
		qsort(m->ev, m->n_ev, sizeof *m->ev, cmp_ev);
	if (m->n_si)
		qsort(m->si, m->n_si, sizeof *m->si, cmp_si);
	/* the sources: what the imports hold */
	unsigned kinds = 0;
	for (size_t i = 0; i < m->n_imp; i++)
		kinds |= m->imp[i].kinds;
	m->src[EVT_SRC_UAL].st = kinds & EXP_K_UAL ? MDL_ST_OK : MDL_ST_ABSENT;
	m->src[EVT_SRC_AUDITS].st = kinds & (EXP_K_UAL | EXP_K_AUDITS) ? MDL_ST_OK : MDL_ST_ABSENT;
	m->src[EVT_SRC_SIGNINS].st = kinds & (EXP_K_UAL | EXP_K_SIGNINS) ? MDL_ST_OK : MDL_ST_ABSENT;
	for (int s = 0; s < EVT_NSRC; s++)
		m->src[s].detail[0] = 0;
	/* the findings' window: what the exports cover */
	if (m->first != EXP_NO_TIME) {
		m->h.since = m->first;
		m->h.now = m->last;
	}
	return 0;
}

int mdl_events_load(struct case_dir *cs, const struct tm_window *w, struct mdl_events *m)
{
	struct names x = { 0 };
	int rc = -1;
	char man[PATH_MAX];
	mdl_events_init(m);
	/* a case that lists nothing yet (no import went through) has no
	 * manifest: no import to read, which the sources will say */
	snprintf(man, sizeof man, "%s/manifest.sha256", case_path(cs));
	if (!file_exists(man)) {
		snprintf(m->h.tenant, sizeof m->h.tenant, "%s", case_info(cs)->tenant);
		m->h.now = m->h.since = tm_now();
		return mdl_events_finish(m, case_info(cs)->domains);
	}
	/* the case's names and times; no record: nothing is collected */
	if (mdl_head_load(cs, "check-events", w, 30 * 86400, NULL, 0, &m->h) < 0 ||
	    case_listed_under(cs, "imports", name_fn, &x) < 0)
		goto out;
	if (x.n)
		qsort(x.v, x.n, sizeof *x.v, cmp_str);
	for (size_t i = 0; i < x.n; i++) {
		struct mdl_import *im = MDL_PUSH(m->imp, m->n_imp, m->cap_imp);
		if (!im)
			goto out;
		memset(im, 0, sizeof *im);
		im->first = im->last = EXP_NO_TIME;
		char folder[80];
		snprintf(folder, sizeof folder, "%.72s", x.v[i]);
		im->folder = mdl_intern(&m->ar, folder);
		int r = read_record(cs, m, x.v[i], im);
		/* the events beside the record, whatever the record says */
		char rel[96];
		snprintf(rel, sizeof rel, "%s/events.jsonl", folder);
		if (r == 0 && !(im->ev = mdl_intern(&m->ar, rel)))
			r = -1;
		if (r == 0)
			r = read_events(cs, m, im->ev, (uint32_t)i);
		if (r < 0) {
			rc = r;
			goto out;
		}
	}
	rc = mdl_events_finish(m, m->h.tenant_domains);
out:
	for (size_t i = 0; i < x.n; i++)
		free(x.v[i]);
	free(x.v);
	return rc;
}
