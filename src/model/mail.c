/*
 * check-mail: the Exchange Online answers in the case folder, read back.
 *
 * Shapes (shared/specs/check-mail.md §1.3, §4.1, from a 2024 capture of
 * the admin API and peers' parsers): a multi-valued property is an array
 * (its "X@odata.type" companion says so), an unset one null; several are
 * UNVERIFIED as string or array (ForwardTo, MoveToFolder,
 * GrantSendOnBehalfTo…): both are read everywhere. Booleans are JSON
 * booleans; "True"/"False" strings are read too. Keys holding '@' are
 * annotations. ForwardingSmtpAddress carries an "smtp:" prefix.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "case/case.h"
#include "model/model.h"

/* What each source needs (check-mail.md §2: the admin API wants the app
 * permission Exchange.ManageAsApp, or a delegated Exchange.Manage, plus
 * an Exchange role; Global Reader reads the configuration but not inbox
 * rules nor SendAs, which need the "Mail Recipients" role). */
#define EXO_READ "Exchange role: Global Reader or View-Only Organization Management"
#define EXO_RCPT(c) "Exchange role holding Mail Recipients (Exchange Recipient Administrator, " \
		    "or a custom role of its Get-* entries); Global Reader cannot run " c
static const struct mdl_src_def sources[MAIL_NSRC] = {
	[MAIL_SRC_ACCEPTED] = { "acceptedDomains", "exo/Get-AcceptedDomain", EXO_READ },
	[MAIL_SRC_MAILBOXES] = { "mailboxes", "exo/Get-Mailbox", EXO_READ },
	[MAIL_SRC_RULES] = { "inboxRules", "exo/Get-InboxRule", EXO_RCPT("Get-InboxRule") },
	[MAIL_SRC_PERMS] = { "fullAccess", "exo/Get-MailboxPermission", EXO_READ },
	[MAIL_SRC_SENDAS] = { "sendAs", "exo/Get-RecipientPermission", EXO_RCPT("Get-RecipientPermission") },
	[MAIL_SRC_RECIPIENTS] = { "forwardingTargets", "exo/Get-Recipient", EXO_READ },
	[MAIL_SRC_ACCOUNTS] = { "sharedAccounts", MAIL_REL_ACCOUNTS, "User.Read.All" },
	[MAIL_SRC_ORG] = { "organizationConfig", "exo/Get-OrganizationConfig", EXO_READ },
	[MAIL_SRC_AUDITLOG] = { "adminAuditLogConfig", "exo/Get-AdminAuditLogConfig", EXO_READ },
	[MAIL_SRC_BYPASS] = { "auditBypass", "exo/Get-MailboxAuditBypassAssociation", EXO_READ },
	[MAIL_SRC_REMOTEDOM] = { "remoteDomains", "exo/Get-RemoteDomain", EXO_READ },
	[MAIL_SRC_TRANSPORT] = { "transportRules", "exo/Get-TransportRule", EXO_READ },
	[MAIL_SRC_INCONN] = { "inboundConnectors", "exo/Get-InboundConnector", EXO_READ },
	[MAIL_SRC_OUTCONN] = { "outboundConnectors", "exo/Get-OutboundConnector", EXO_READ },
	[MAIL_SRC_OWA] = { "owaPolicies", "exo/Get-OwaMailboxPolicy", EXO_READ },
	[MAIL_SRC_TRANSPORTCFG] = { "transportConfig", "exo/Get-TransportConfig", EXO_READ },
	[MAIL_SRC_CONTENT] = { "contentFilter", "exo/Get-HostedContentFilterPolicy", EXO_READ },
	[MAIL_SRC_CONNFILTER] = { "connectionFilter", "exo/Get-HostedConnectionFilterPolicy", EXO_READ },
	[MAIL_SRC_OUTSPAM] = { "outboundSpam", "exo/Get-HostedOutboundSpamFilterPolicy", EXO_READ },
	[MAIL_SRC_OUTSPAMRULE] = { "outboundSpamRules", "exo/Get-HostedOutboundSpamFilterRule", EXO_READ },
	[MAIL_SRC_ANTIPHISH] = { "antiPhish", "exo/Get-AntiPhishPolicy", EXO_READ },
	[MAIL_SRC_TABL] = { "tenantAllowBlockList", "exo/Get-TenantAllowBlockListItems", EXO_READ },
	[MAIL_SRC_SPOOF] = { "spoofAllowed", "exo/Get-TenantAllowBlockListSpoofItems", EXO_READ },
};

void mdl_mail_sources(struct mdl_src out[MAIL_NSRC])
{
	mdl_src_init(out, sources, MAIL_NSRC);
}

void mdl_mail_init(struct mdl_mail *m)
{
	memset(m, 0, sizeof *m);
	mdl_mail_sources(m->src);
	m->h.src = m->src;
	m->h.nsrc = MAIL_NSRC;
}

void mdl_mail_free(struct mdl_mail *m)
{
	free(m->mb);
	free(m->pm);
	free(m->ir);
	free(m->rc);
	free(m->ob);
	free(m->kv);
	free(m->str);
	free(m->dom);
	mdl_map_free(&m->mb_by);
	mdl_map_free(&m->acct);
	mdl_arena_free(&m->ar);
	memset(m, 0, sizeof *m);
}

/* ---- field readers ----------------------------------------------------------- */

/* One item being read: a value too long for MDL_MAX_STR marks it bad (the
 * error is set), anything else of an unexpected type counts as absent. */
struct rd {
	struct mdl_mail *m;
	const struct json *j;
	int it, bad;
};

static const char *val(struct rd *x, int tok)
{
	char b[MDL_MAX_STR];
	enum json_type t = json_type(x->j, tok);
	if (t == JSON_STR) {
		if (json_str(x->j, tok, "", b, sizeof b) < 0) {
			x->bad = 1;
			return NULL;
		}
	} else if (t == JSON_NUM || t == JSON_TRUE || t == JSON_FALSE) {
		size_t n;
		const char *r = json_raw(x->j, tok, &n);
		if (!r || n >= sizeof b)
			return NULL;
		memcpy(b, r, n);
		b[n] = 0;
	} else {
		return NULL;
	}
	const char *s = mdl_intern(&x->m->ar, b);
	if (!s)
		x->bad = 1;
	return s;
}

/* A string, or the first string of an array. */
static const char *s1(struct rd *x, const char *k)
{
	int t = json_get(x->j, x->it, k);
	if (json_type(x->j, t) == JSON_ARR)
		t = json_first(x->j, t);
	return t < 0 ? NULL : val(x, t);
}

static int b1(struct rd *x, const char *k)
{
	int t = json_get(x->j, x->it, k);
	enum json_type ty = json_type(x->j, t);
	if (ty == JSON_TRUE || ty == JSON_FALSE)
		return ty == JSON_TRUE;
	const char *s = ty == JSON_STR ? val(x, t) : NULL;
	return !s ? -1 : !strcasecmp(s, "true") ? 1 : !strcasecmp(s, "false") ? 0 : -1;
}

static int push_str(struct mdl_mail *m, const char *s)
{
	const char **p = MDL_PUSH(m->str, m->n_str, m->cap_str);
	if (!p)
		return -1;
	*p = s;
	return 0;
}

/* Every value of field k (a string, or an array's strings) appended to
 * m->str. */
static void strs(struct rd *x, const char *k)
{
	int t = json_get(x->j, x->it, k);
	if (json_type(x->j, t) == JSON_ARR) {
		for (int c = json_first(x->j, t); c >= 0 && !x->bad; c = json_next(x->j, c)) {
			const char *s = val(x, c);
			if (s && *s && push_str(x->m, s) < 0)
				x->bad = 1;
		}
	} else if (t >= 0) {
		const char *s = val(x, t);
		if (s && *s && push_str(x->m, s) < 0)
			x->bad = 1;
	}
}

static void strs_of(struct rd *x, const char *const *keys, size_t n, size_t *first, size_t *cnt)
{
	*first = x->m->n_str;
	for (size_t i = 0; i < n && !x->bad; i++)
		strs(x, keys[i]);
	*cnt = x->m->n_str - *first;
}

static int64_t when(struct rd *x, const char *k)
{
	int64_t t;
	if (mdl_time(x->j, x->it, k, &t) < 0) {
		err_clear();
		return 0;
	}
	return t;
}

/* "smtp:a@b.c", "SMTP:a@b.c" -> "a@b.c" */
static const char *no_smtp(const char *s)
{
	return s && !strncasecmp(s, "smtp:", 5) ? s + 5 : s;
}

static int put_once(struct mdl_map *map, const char *k, size_t v)
{
	return k && *k && mdl_map_get(map, k) == MDL_NONE ? mdl_map_put(map, k, v) : 0;
}

/* ---- the items --------------------------------------------------------------- */

const char *mdl_mail_key(const struct mdl_mbx *b)
{
	const char *u = b->upn;
	int ok = u && *u && strlen(u) < 256 && strchr(u, '@') && u[0] != '.';
	for (const char *p = u; ok && *p; p++)
		ok = (*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
		     strchr(".-_@", *p);
	if (ok)
		return u;
	return b->guid && mdl_safe_name(b->guid) ? b->guid : b->ext_id && mdl_safe_name(b->ext_id) ? b->ext_id : NULL;
}

static int mailbox(struct rd *x, const char *ev)
{
	struct mdl_mail *m = x->m;
	struct mdl_mbx *b = MDL_PUSH(m->mb, m->n_mb, m->cap_mb);
	static const char *const sob[] = { "GrantSendOnBehalfTo" };
	if (!b)
		return -1;
	b->upn = s1(x, "UserPrincipalName");
	b->smtp = no_smtp(s1(x, "PrimarySmtpAddress"));
	b->alias = s1(x, "Alias");
	b->name = s1(x, "Name");
	b->display = s1(x, "DisplayName");
	b->identity = s1(x, "Identity");
	b->guid = s1(x, "Guid");
	if (!b->guid)
		b->guid = s1(x, "ExchangeObjectId");
	b->ext_id = s1(x, "ExternalDirectoryObjectId");
	b->type = s1(x, "RecipientTypeDetails");
	b->fwd_smtp = no_smtp(s1(x, "ForwardingSmtpAddress"));
	b->fwd_addr = s1(x, "ForwardingAddress");
	b->keep_copy = b1(x, "DeliverToMailboxAndForward");
	b->hidden = b1(x, "HiddenFromAddressListsEnabled") == 1;
	b->disabled = b1(x, "AccountDisabled");
	if (!(b->created = when(x, "WhenCreatedUTC")))
		b->created = when(x, "WhenCreated");
	if (!(b->changed = when(x, "WhenChangedUTC")))
		b->changed = when(x, "WhenChanged");
	strs_of(x, sob, 1, &b->sob0, &b->nsob);
	b->ev = mdl_intern(&m->ar, ev);
	b->key = mdl_mail_key(b);
	if (x->bad || !b->ev)
		return -1;
	size_t k = m->n_mb - 1;
	const char *ids[] = { b->key, b->upn, b->smtp, b->alias, b->name, b->identity, b->guid,
			      b->ext_id, b->display };
	for (size_t i = 0; i < sizeof ids / sizeof ids[0]; i++)
		if (put_once(&m->mb_by, ids[i], k) < 0)
			return -1;
	return 0;
}

size_t mdl_mail_find(const struct mdl_mail *m, const char *ident)
{
	return ident ? mdl_map_get(&m->mb_by, no_smtp(ident)) : MDL_NONE;
}

/* AccessRights as an array or a "FullAccess, ReadPermission" string. */
static int has_right(struct rd *x, const char *right)
{
	size_t f, n;
	static const char *const k[] = { "AccessRights" };
	strs_of(x, k, 1, &f, &n);
	int hit = 0;
	for (size_t i = f; i < f + n; i++)
		hit |= strstr(x->m->str[i], right) != NULL;
	x->m->n_str = f;      /* not kept */
	return hit;
}

static int perm(struct rd *x, size_t mbx, int sendas, const char *ev)
{
	struct mdl_mail *m = x->m;
	const char *who = s1(x, sendas ? "Trustee" : "User");
	const char *allow = sendas ? s1(x, "AccessControlType") : NULL;
	if (x->bad)
		return -1;
	/* Explicit grants only: inherited ones come from the organisation's
	 * own admin groups, and SELF is the mailbox's owner. */
	if (!who || !strcasecmp(who, "NT AUTHORITY\\SELF") || b1(x, "IsInherited") == 1 || b1(x, "Deny") == 1 ||
	    (allow && strcasecmp(allow, "Allow")) || !has_right(x, sendas ? "SendAs" : "FullAccess"))
		return 0;
	struct mdl_perm *p = MDL_PUSH(m->pm, m->n_pm, m->cap_pm);
	if (!p)
		return -1;
	p->identity = s1(x, "Identity");
	p->mbx = mbx != MDL_NONE ? mbx : mdl_mail_find(m, p->identity);
	p->trustee = who;
	p->sendas = sendas;
	p->ev = mdl_intern(&m->ar, ev);
	return x->bad || !p->ev ? -1 : 0;
}

static int inbox_rule(struct rd *x, size_t mbx, const char *owner, const char *ev)
{
	static const char *const words[] = { "SubjectContainsWords", "BodyContainsWords",
		"SubjectOrBodyContainsWords", "HeaderContainsWords", "RecipientAddressContainsWords" };
	static const char *const from[] = { "From", "FromAddressContainsWords" };
	static const char *const fwd[] = { "ForwardTo", "ForwardAsAttachmentTo", "RedirectTo" };
	/* Conditions other than words and senders: with one of them, a rule
	 * does not apply to every message. */
	static const char *const other[] = { "SentTo", "HasAttachment", "MessageTypeMatches",
		"WithImportance", "SentOnlyToMe", "MyNameInToBox", "FromSubscription",
		"ReceivedAfterDate", "ReceivedBeforeDate", "WithinSizeRangeMinimum" };
	struct mdl_mail *m = x->m;
	struct mdl_irule *r = MDL_PUSH(m->ir, m->n_ir, m->cap_ir);
	if (!r)
		return -1;
	r->mbx = mbx;
	r->owner = owner;
	r->name = s1(x, "Name");
	r->identity = s1(x, "Identity");
	r->enabled = b1(x, "Enabled");
	r->in_error = b1(x, "InError");
	strs_of(x, words, sizeof words / sizeof words[0], &r->w0, &r->nw);
	strs_of(x, from, sizeof from / sizeof from[0], &r->f0, &r->nf);
	strs_of(x, fwd, sizeof fwd / sizeof fwd[0], &r->d0, &r->nd);
	r->del = b1(x, "DeleteMessage") == 1 || b1(x, "SoftDeleteMessage") == 1;
	r->mark_read = b1(x, "MarkAsRead") == 1;
	r->move_to = s1(x, "MoveToFolder");
	for (size_t i = 0; i < sizeof other / sizeof other[0] && !r->other_cond; i++) {
		int t = json_get(x->j, x->it, other[i]);
		enum json_type ty = json_type(x->j, t);
		r->other_cond = ty == JSON_STR || ty == JSON_NUM || ty == JSON_TRUE ||
				(ty == JSON_ARR && json_count(x->j, t) > 0);
	}
	r->ev = mdl_intern(&m->ar, ev);
	return x->bad || !r->ev ? -1 : 0;
}

static int recipient(struct rd *x, const char *ev)
{
	struct mdl_rcpt *r = MDL_PUSH(x->m->rc, x->m->n_rc, x->m->cap_rc);
	if (!r)
		return -1;
	r->identity = s1(x, "Identity");
	r->name = s1(x, "Name");
	r->alias = s1(x, "Alias");
	r->display = s1(x, "DisplayName");
	r->smtp = no_smtp(s1(x, "PrimarySmtpAddress"));
	r->ext = no_smtp(s1(x, "ExternalEmailAddress"));
	r->type = s1(x, "RecipientTypeDetails");
	r->ev = mdl_intern(&x->m->ar, ev);
	return x->bad || !r->ev ? -1 : 0;
}

static int account(struct rd *x)
{
	const char *id = s1(x, "id");
	int en = b1(x, "accountEnabled");
	if (x->bad)
		return -1;
	return id && en >= 0 ? mdl_map_put(&x->m->acct, id, (size_t)en) : 0;
}

static int add_kv(struct mdl_mail *m, const char *k, const char *v)
{
	struct mdl_field *e = MDL_PUSH(m->kv, m->n_kv, m->cap_kv);
	if (!e)
		return -1;
	e->k = k;
	e->v = v;
	return 0;
}

/* A configuration object: its fields as key/value pairs, one pair per
 * element of an array; nested objects and annotations are left out. */
static int object(struct rd *x, int s, const char *sub, const char *ev)
{
	struct mdl_mail *m = x->m;
	struct mdl_obj *o = MDL_PUSH(m->ob, m->n_ob, m->cap_ob);
	if (!o)
		return -1;
	o->src = s;
	o->sub = sub;
	o->kv0 = m->n_kv;
	o->ev = mdl_intern(&m->ar, ev);
	if (!o->ev)
		return -1;
	for (int c = json_first(x->j, x->it); c >= 0 && !x->bad; c = json_next(x->j, c)) {
		char key[128];
		if (json_key(x->j, c, key, sizeof key) < 0) {
			err_clear();
			continue;
		}
		if (strchr(key, '@'))
			continue;
		const char *k = NULL;
		int arr = json_type(x->j, c) == JSON_ARR;
		for (int e = arr ? json_first(x->j, c) : c; e >= 0 && !x->bad; e = arr ? json_next(x->j, e) : -1) {
			const char *v = val(x, e);
			if (!v)
				continue;
			if (m->n_kv - o->kv0 >= MAIL_MAX_KV)
				return err_set(E_MAIL_TOO_MANY, ev, MAIL_MAX_KV);
			if ((!k && !(k = mdl_intern(&m->ar, key))) || add_kv(m, k, v) < 0)
				return -1;
		}
	}
	o->nkv = m->n_kv - o->kv0;
	return x->bad ? -1 : 0;
}

int mdl_mail_item(struct mdl_mail *m, int s, const char *sub, const struct json *j, int it,
		  const char *ev)
{
	struct rd x = { m, j, it, 0 };
	switch (s) {
	case MAIL_SRC_MAILBOXES: return mailbox(&x, ev);
	case MAIL_SRC_SENDAS: return perm(&x, MDL_NONE, 1, ev);
	case MAIL_SRC_RECIPIENTS: return recipient(&x, ev);
	case MAIL_SRC_ACCOUNTS: return account(&x);
	default: return object(&x, s, sub, ev);
	}
}

/* ---- reading the case ---------------------------------------------------------- */

const char *mdl_obj_next(const struct mdl_mail *m, const struct mdl_obj *o, const char *k, size_t *i)
{
	for (; *i < o->nkv; (*i)++)
		if (!strcasecmp(m->kv[o->kv0 + *i].k, k))
			return m->kv[o->kv0 + (*i)++].v;
	return NULL;
}

const char *mdl_obj_get(const struct mdl_mail *m, const struct mdl_obj *o, const char *k)
{
	size_t i = 0;
	return mdl_obj_next(m, o, k, &i);
}

int mdl_obj_bool(const struct mdl_mail *m, const struct mdl_obj *o, const char *k)
{
	const char *v = mdl_obj_get(m, o, k);
	return !v ? -1 : !strcasecmp(v, "true") ? 1 : !strcasecmp(v, "false") ? 0 : -1;
}

struct walk {
	struct case_dir *cs;
	struct mdl_mail *m;
	int s;
	const char *sub;           /* the folder below the source */
	size_t mbx, n;             /* per-mailbox: the mailbox, items read */
	int found;                 /* folders with pages */
};

static int on_item(void *ctx, const struct json *j, int it, const char *ev)
{
	struct walk *w = ctx;
	struct rd x = { w->m, j, it, 0 };
	if (w->s != MAIL_SRC_RULES && w->s != MAIL_SRC_PERMS)
		return mdl_mail_item(w->m, w->s, w->sub, j, it, ev);
	if (++w->n > (w->s == MAIL_SRC_RULES ? MAIL_MAX_RULES : MAIL_MAX_PERMS))
		return err_set(E_MAIL_TOO_MANY, w->sub, w->s == MAIL_SRC_RULES ? MAIL_MAX_RULES : MAIL_MAX_PERMS);
	return w->s == MAIL_SRC_RULES ? inbox_rule(&x, w->mbx, w->sub, ev) : perm(&x, w->mbx, 0, ev);
}

/* One folder of pages; -1 only when the load must stop. A per-mailbox
 * folder that cannot be read marks its mailbox, not the source. */
static int pages(struct walk *w, const char *rel)
{
	struct mdl_src *src = &w->m->src[w->s];
	size_t np = 0;
	w->n = 0;
	int r = mdl_pages(w->cs, rel, on_item, w, &np);
	struct mdl_mbx *b = w->mbx != MDL_NONE ? &w->m->mb[w->mbx] : NULL;
	int per = w->s == MAIL_SRC_RULES || w->s == MAIL_SRC_PERMS;
	if (r < 0 && mdl_fatal(r))
		return -1;
	if (r < 0 && !per) {
		src->st = MDL_ST_BAD;
		snprintf(src->detail, sizeof src->detail, "%s", err_msg());
	}
	if (b) {
		int *st = w->s == MAIL_SRC_RULES ? &b->rules_st : &b->perms_st;
		const char **why = w->s == MAIL_SRC_RULES ? &b->rules_err : &b->perms_err;
		*st = r < 0 ? -1 : np ? 1 : 0;
		if (r < 0 && !(*why = mdl_intern(&w->m->ar, err_msg())))
			return -1;
		if (w->s == MAIL_SRC_RULES)
			b->nrules = w->n;
	}
	err_clear();
	w->found += np > 0;
	return 0;
}

static int on_dir(void *ctx, const char *name)
{
	struct walk *w = ctx;
	char rel[1200];
	if (!(w->sub = mdl_intern(&w->m->ar, name)))
		return -1;
	snprintf(rel, sizeof rel, "%s/%s", w->m->src[w->s].rel, name);
	w->mbx = w->s == MAIL_SRC_RULES || w->s == MAIL_SRC_PERMS ? mdl_mail_find(w->m, name) : MDL_NONE;
	return pages(w, rel);
}

static int read_src(struct case_dir *cs, struct mdl_mail *m, int s)
{
	struct mdl_src *src = &m->src[s];
	struct walk w = { cs, m, s, NULL, MDL_NONE, 0, 0 };
	/* Recorded as not collected: pages that might be there anyway are
	 * not trusted. */
	if (m->h.rec.found && src->st != MDL_ST_OK)
		return 0;
	int sub = s == MAIL_SRC_RULES || s == MAIL_SRC_PERMS || s == MAIL_SRC_TABL ||
		  s == MAIL_SRC_RECIPIENTS || s == MAIL_SRC_ACCOUNTS;
	if ((sub ? mdl_subdirs(cs, src->rel, on_dir, &w) : pages(&w, src->rel)) < 0)
		return -1;
	if (src->st == MDL_ST_BAD)
		return 0;
	/* Per-id folders: none is an answer when the record says the
	 * source was collected (no mailbox to ask, no forwarding target). */
	if (!w.found && !(sub && m->h.rec.found)) {
		src->st = m->h.rec.found ? MDL_ST_BAD : MDL_ST_ABSENT;
		if (m->h.rec.found)
			snprintf(src->detail, sizeof src->detail, "%s", tr(M_MDL_NO_PAGES));
	}
	return 0;
}

int mdl_mail_load(struct case_dir *cs, const struct tm_window *w, struct mdl_mail *m)
{
	mdl_mail_init(m);
	if (mdl_head_load(cs, "check-mail", w, 30 * 86400, NULL, 0, &m->h) < 0)
		return -1;
	/* Mailboxes first: the per-mailbox folders and permissions name them. */
	if (read_src(cs, m, MAIL_SRC_MAILBOXES) < 0)
		return -1;
	for (int s = 0; s < MAIL_NSRC; s++)
		if (s != MAIL_SRC_MAILBOXES && read_src(cs, m, s) < 0)
			return -1;
	/* The tenant's own domains: the accepted domains, else the verified
	 * ones the sign-in's probe recorded in case.ini. */
	for (size_t i = 0; i < m->n_ob; i++) {
		const char *d = m->ob[i].src == MAIL_SRC_ACCEPTED ? mdl_obj_get(m, &m->ob[i], "DomainName") : NULL;
		const char **p = d ? MDL_PUSH(m->dom, m->n_dom, m->cap_dom) : NULL;
		if (d && !p)
			return -1;
		if (p)
			*p = d;
	}
	for (const char *t = m->n_dom ? "" : m->h.tenant_domains; *t;) {
		size_t n = strcspn(t, " ");
		char d[256];
		if (n && n < sizeof d) {
			memcpy(d, t, n);
			d[n] = 0;
			const char **p = MDL_PUSH(m->dom, m->n_dom, m->cap_dom);
			if (!p || !(*p = mdl_intern(&m->ar, d)))
				return -1;
		}
		t += n + (t[n] == ' ');
	}
	return 0;
}
