/*
 * check-mail collector: the Exchange Online admin API (InvokeCommand,
 * Get-* cmdlets only) and, for shared mailboxes, Graph user records.
 *
 *   1. tenant-wide, one call each, 4 at a time: accepted domains,
 *      mailboxes, SendAs (Get-RecipientPermission for the whole tenant in
 *      one call), organisation and audit settings, remote domains,
 *      transport rules, connectors, OWA policies, transport settings,
 *      anti-spam, connection filter, outbound spam policies and rules,
 *      anti-phishing, the tenant allow/block list (one call per list
 *      type) and its spoofing entries (check-mail.md §3);
 *   2. the recipients mailbox forwarding names (Get-Recipient) and the
 *      shared mailboxes' accounts (Graph $batch);
 *   3. per mailbox, Get-InboxRule -IncludeHidden and
 *      Get-MailboxPermission (2 calls a mailbox), the riskiest mailboxes
 *      first, at most --max-mailboxes of them, or the --mailbox ones.
 *
 * Four requests in flight: Microsoft documents 4 concurrent requests per
 * application and mailbox for Outlook's APIs (Graph "throttling-limits")
 * and publishes no figure for the admin API (check-mail.md §1.6).
 * A per-mailbox answer already complete in the case (listed in the
 * manifest, its last page without a next link) is not asked again, so an
 * interrupted run resumes where it stopped; --refresh asks again.
 */
#include <dirent.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "baseline/baseline.h"
#include "case/case.h"
#include "collect/collect.h"
#include "model/model.h"
#include "ms/ms.h"

#define MAX_RECIPIENTS 200         /* forwarding targets looked up */
#define IDS_PER_QUERY 15           /* Graph users?$filter=id in (…) */

static const struct { int src; const char *params; const char *sub; } tenant[] = {
	{ MAIL_SRC_ACCEPTED, NULL, NULL },
	{ MAIL_SRC_MAILBOXES, "{\"ResultSize\":\"Unlimited\",\"RecipientTypeDetails\":"
	  "[\"UserMailbox\",\"SharedMailbox\",\"RoomMailbox\",\"EquipmentMailbox\"]}", NULL },
	{ MAIL_SRC_SENDAS, "{\"ResultSize\":\"Unlimited\",\"AccessRights\":[\"SendAs\"]}", NULL },
	{ MAIL_SRC_ORG, NULL, NULL },
	{ MAIL_SRC_AUDITLOG, NULL, NULL },
	{ MAIL_SRC_BYPASS, "{\"ResultSize\":\"Unlimited\"}", NULL },
	{ MAIL_SRC_REMOTEDOM, NULL, NULL },
	{ MAIL_SRC_TRANSPORT, "{\"ResultSize\":\"Unlimited\"}", NULL },
	{ MAIL_SRC_INCONN, NULL, NULL },
	{ MAIL_SRC_OUTCONN, NULL, NULL },
	{ MAIL_SRC_OWA, NULL, NULL },
	{ MAIL_SRC_TRANSPORTCFG, NULL, NULL },
	{ MAIL_SRC_CONTENT, NULL, NULL },
	{ MAIL_SRC_CONNFILTER, NULL, NULL },
	{ MAIL_SRC_OUTSPAM, NULL, NULL },
	{ MAIL_SRC_OUTSPAMRULE, NULL, NULL },
	{ MAIL_SRC_ANTIPHISH, NULL, NULL },
	/* ListType is required and not echoed back; IP is the newest type
	 * (a 400 there is tolerated, below) */
	{ MAIL_SRC_TABL, "{\"ListType\":\"Sender\"}", "Sender" },
	{ MAIL_SRC_TABL, "{\"ListType\":\"Url\"}", "Url" },
	{ MAIL_SRC_TABL, "{\"ListType\":\"FileHash\"}", "FileHash" },
	{ MAIL_SRC_TABL, "{\"ListType\":\"IP\"}", "IP" },
	{ MAIL_SRC_SPOOF, "{\"Identity\":\"Default\"}", NULL },
};
#define NTENANT (sizeof tenant / sizeof tenant[0])

struct mc {
	struct collect_session *s;
	const struct check_run *r;
	const struct collect_mail_opts *o;
	struct mdl_mail m;               /* mailboxes, parsed as the model does */
	struct mdl_src src[MAIL_NSRC];
	struct ms_result res[NTENANT];
	pthread_mutex_t mu;
	/* per mailbox */
	size_t *pick, npick;             /* mailboxes asked, riskiest first */
	const char **rcpt;               /* forwarding targets to look up */
	size_t nrcpt;
	struct ms_result *mres;          /* 2 per picked mailbox */
	char *resumed;                   /* 2 per picked mailbox: already in the case */
	int denied[2];                   /* the first mailbox said: role missing */
	size_t done, off;
};

/* ---- 1. tenant-wide ------------------------------------------------------------------- */

static int on_mailbox(void *ctx, const struct json *j, int it, const char *ev)
{
	struct mc *c = ctx;
	return mdl_mail_item(&c->m, MAIL_SRC_MAILBOXES, NULL, j, it, ev);
}

static int tenant_job(void *ctx, size_t i)
{
	struct mc *c = ctx;
	char dir[160];
	const char *rel = c->src[tenant[i].src].rel;
	snprintf(dir, sizeof dir, "%s%s%s", rel, tenant[i].sub ? "/" : "", tenant[i].sub ? tenant[i].sub : "");
	struct exo_req q = { rel + 4, tenant[i].params, dir, NULL, 1 };
	exo_run(c->s->x, &q, tenant[i].src == MAIL_SRC_MAILBOXES ? on_mailbox : NULL, c, &c->res[i]);
	err_clear();
	return 0;
}

/* ---- the mailboxes, riskiest first ---------------------------------------------------------
 * 0: named by a suspect finding of another check in this case, or
 *    forwarding, hidden or delegating on its own; 1: an administrator
 *    (check-admins' findings, the baseline's admins); 2: an executive
 *    (baseline); 3: shared; 4: changed within the window; 5: the rest.
 * Then the most recently changed first. */
struct named {
	struct mdl_map suspect, admin;
	struct mdl_arena ar;
};

static int name_objects(struct named *n, const struct json *j, int f, int admins)
{
	char st[32];
	json_str(j, f, "status", st, sizeof st);
	int sus = strcmp(st, "clear") != 0;
	int a = json_get(j, f, "objects");
	for (int o = json_first(j, a); o >= 0; o = json_next(j, o)) {
		char v[512];
		const char *k;
		if (json_str(j, o, "", v, sizeof v) != 0 || !strchr(v, '@') || !(k = mdl_intern(&n->ar, v)))
			continue;
		if ((sus && mdl_map_put(&n->suspect, k, 1) < 0) || (admins && mdl_map_put(&n->admin, k, 1) < 0))
			return -1;
	}
	return 0;
}

/* Other checks' findings in the case (findings/<check>.json, checked against
 * the manifest like any evidence): only the order depends on them. */
static void read_named(struct mc *c, struct named *n)
{
	char path[4200];
	snprintf(path, sizeof path, "%s/findings", case_path(c->s->cs));
	DIR *d = opendir(path);
	struct dirent *e;
	while (d && (e = readdir(d))) {
		size_t l = strlen(e->d_name);
		if (l < 6 || strcmp(e->d_name + l - 5, ".json") || !strcmp(e->d_name, "check-mail.json") ||
		    l > 100)
			continue;
		char rel[300];
		struct buf f = { 0 };
		struct json j;
		snprintf(rel, sizeof rel, "findings/%s", e->d_name);
		if (mdl_evidence_read(c->s->cs, rel, &f, 32u << 20) > 0 &&
		    json_parse(&j, f.p, f.len, JSON_LIMITS_DEFAULT) == 0) {
			int a = json_get(&j, 0, "findings");
			for (int x = json_first(&j, a); x >= 0; x = json_next(&j, x))
				if (name_objects(n, &j, x, !strcmp(e->d_name, "check-admins.json")) < 0)
					break;
			json_free(&j);
		}
		buf_free(&f);
		err_clear();
	}
	if (d)
		closedir(d);
}

struct ranked {
	int rank;
	int64_t changed;
	size_t i;
};

static int by_rank(const void *a, const void *b)
{
	const struct ranked *x = a, *y = b;
	if (x->rank != y->rank)
		return x->rank - y->rank;
	if (x->changed != y->changed)
		return x->changed > y->changed ? -1 : 1;
	return x->i < y->i ? -1 : x->i > y->i;
}

static int in_any(const struct mdl_map *map, const struct bl_list *l, const struct mdl_mbx *b)
{
	const char *ids[] = { b->upn, b->smtp };
	for (int i = 0; i < 2; i++)
		if (ids[i] && ((map && mdl_map_get(map, ids[i]) != MDL_NONE) || (l && bl_in(l, ids[i]))))
			return 1;
	return 0;
}

static int pick(struct mc *c)
{
	const struct mdl_mail *m = &c->m;
	struct named n = { 0 };
	static const struct bl none;
	const struct bl *bl = c->r->bl ? c->r->bl : &none;
	int rc = -1;
	struct ranked *rank = calloc(m->n_mb ? m->n_mb : 1, sizeof *rank);
	c->pick = calloc(m->n_mb ? m->n_mb : 1, sizeof *c->pick);
	if (!rank || !c->pick) {
		err_set(E_NOMEM);
		goto out;
	}
	if (c->o->nmailbox) {
		/* --mailbox: those, in the order given */
		for (size_t i = 0; i < c->o->nmailbox; i++) {
			size_t k = mdl_mail_find(m, c->o->mailbox[i]);
			int dup = 0;
			for (size_t j = 0; j < c->npick && k != MDL_NONE; j++)
				dup |= c->pick[j] == k;
			if (k == MDL_NONE && !c->s->quiet)
				fprintf(stderr, "reflexe: %s: %s\n", tr(M_MAIL_NO_SUCH), c->o->mailbox[i]);
			else if (!dup)
				c->pick[c->npick++] = k;
		}
		rc = 0;
		goto out;
	}
	read_named(c, &n);
	for (size_t i = 0; i < m->n_mb; i++) {
		const struct mdl_mbx *b = &m->mb[i];
		rank[i].rank = in_any(&n.suspect, NULL, b) || b->fwd_smtp || b->fwd_addr || b->nsob || b->hidden ? 0 :
			       in_any(&n.admin, &bl->admins, b) || in_any(NULL, &bl->breakglass, b) ? 1 :
			       in_any(NULL, &bl->executives, b) ? 2 :
			       b->type && strcasecmp(b->type, "UserMailbox") ? 3 : b->changed >= c->r->since ? 4 : 5;
		rank[i].changed = b->changed;
		rank[i].i = i;
	}
	if (m->n_mb)
		qsort(rank, m->n_mb, sizeof *rank, by_rank);
	for (size_t i = 0; i < m->n_mb; i++)
		c->pick[c->npick++] = rank[i].i;
	if (c->o->max > 0 && (size_t)c->o->max < c->npick)
		c->npick = (size_t)c->o->max;
	rc = 0;
out:
	free(rank);
	mdl_map_free(&n.suspect);
	mdl_map_free(&n.admin);
	mdl_arena_free(&n.ar);
	return rc;
}

/* ---- 3. per mailbox --------------------------------------------------------------------- */

/* The answer for dir is whole in the case: its pages listed in the
 * manifest, the last one announcing no next page. */
static int complete(struct case_dir *cs, const char *dir)
{
	char rel[1200], last[1200] = "";
	for (unsigned k = 1; k < 100000; k++) {
		snprintf(rel, sizeof rel, "%s/page-%04u.json", dir, k);
		if (case_listed(cs, rel) <= 0)
			break;
		memcpy(last, rel, sizeof rel);
	}
	struct buf f = { 0 };
	struct json j;
	int ok = last[0] && mdl_evidence_read(cs, last, &f, 32u << 20) > 0 &&
		 ms_parse_page(&j, f.p, f.len, last) == 0;
	if (ok) {
		ok = json_get(&j, 0, "@odata.nextLink") < 0;
		json_free(&j);
	}
	buf_free(&f);
	err_clear();
	return ok;
}

struct count {
	size_t n, max;
	const char *dir;
};

static int count_item(void *ctx, const struct json *j, int it, const char *ev)
{
	struct count *k = ctx;
	(void)j;
	(void)it;
	(void)ev;
	return ++k->n > k->max ? err_set(E_MAIL_TOO_MANY, k->dir, (int)k->max) : 0;
}

static int mbx_job(void *ctx, size_t i)
{
	struct mc *c = ctx;
	i += c->off;
	const struct mdl_mbx *b = &c->m.mb[c->pick[i / 2]];
	int rules = i % 2 == 0, src = rules ? MAIL_SRC_RULES : MAIL_SRC_PERMS;
	char dir[600], params[700];
	struct buf p = { 0 };
	if (!b->key)
		return 0;
	snprintf(dir, sizeof dir, "%s/%s", c->src[src].rel, b->key);
	/* Identity: the mailbox's UPN, else its Guid (what the folder holds). */
	if (buf_puts(&p, rules ? "{\"Mailbox\":" : "{\"Identity\":") < 0 || json_put_str(&p, b->key) < 0 ||
	    buf_puts(&p, rules ? ",\"IncludeHidden\":true}" : "}") < 0 || p.len >= sizeof params) {
		buf_free(&p);
		return err_set(E_NOMEM);
	}
	memcpy(params, p.p, p.len + 1);
	buf_free(&p);
	pthread_mutex_lock(&c->mu);
	int skip = c->denied[!rules];
	pthread_mutex_unlock(&c->mu);
	if (skip) {
		c->mres[i] = c->mres[!rules];
	} else if (!c->o->refresh && complete(c->s->cs, dir)) {
		c->resumed[i] = 1;
		c->mres[i].st = MS_OK;
	} else {
		struct count k = { 0, rules ? MAIL_MAX_RULES : MAIL_MAX_PERMS, dir };
		struct exo_req q = { rules ? "Get-InboxRule" : "Get-MailboxPermission", params, dir, b->upn, 1 };
		exo_run(c->s->x, &q, count_item, &k, &c->mres[i]);
		err_clear();
	}
	pthread_mutex_lock(&c->mu);
	if (i < 2 && c->mres[i].st == MS_UNKNOWN)
		c->denied[!rules] = 1;
	size_t done = ++c->done;
	pthread_mutex_unlock(&c->mu);
	ms_progress(c->s->x, done == 2 * c->npick, M_MAIL_PROGRESS, done / 2, c->npick);
	return 0;
}

/* The state of a per-mailbox source: read when any mailbox was; the
 * detail says how many, from where, and what stopped the others. */
static void per_mailbox(struct mc *c, int src, int k)
{
	struct mdl_src *x = &c->src[src];
	size_t ok = 0, resumed = 0, failed = 0;
	const struct ms_result *bad = NULL;
	for (size_t i = k; i < 2 * c->npick; i += 2) {
		if (c->mres[i].st == MS_OK || c->mres[i].st == MS_NONE) {
			ok++;
			resumed += c->resumed[i];
		} else {
			failed++;
			if (!bad || c->mres[i].st == MS_UNKNOWN)
				bad = &c->mres[i];
		}
	}
	if (!ok && bad) {
		collect_note(x, bad);
		return;
	}
	x->st = MDL_ST_OK;
	snprintf(x->detail, sizeof x->detail, "%zu/%zu mailboxes read (%zu from an earlier run), %zu failed%s%.150s",
		 ok, c->m.n_mb, resumed, failed, bad ? ": " : "", bad ? (bad->detail[0] ? bad->detail : bad->code) : "");
	if (ok + failed < c->m.n_mb)
		snprintf(x->needs_rec, sizeof x->needs_rec, "%s",
			 c->o->nmailbox ? "check-mail without --mailbox" : "check-mail --max-mailboxes (more)");
}

/* ---- 2. forwarding targets and shared mailboxes' accounts -------------------------------- */

static int rcpt_job(void *ctx, size_t i)
{
	struct mc *c = ctx;
	char dir[64];
	struct buf p = { 0 };
	snprintf(dir, sizeof dir, "%s/%04zu", c->src[MAIL_SRC_RECIPIENTS].rel, i + 1);
	struct ms_result res;
	if (buf_puts(&p, "{\"Identity\":") == 0 && json_put_str(&p, c->rcpt[i]) == 0 && buf_puts(&p, "}") == 0) {
		struct exo_req q = { "Get-Recipient", p.p, dir, NULL, 1 };
		exo_run(c->s->x, &q, NULL, NULL, &res);
		/* A target that no longer exists answers "couldn't be found":
		 * it stays unresolved, the source is still read. */
		if (res.st != MS_FAILED || res.http != 400) {
			pthread_mutex_lock(&c->mu);
			collect_note(&c->src[MAIL_SRC_RECIPIENTS], &res);
			pthread_mutex_unlock(&c->mu);
		}
	}
	buf_free(&p);
	err_clear();
	return 0;
}

static int lookups(struct mc *c)
{
	const struct mdl_mail *m = &c->m;
	struct collect_subs subs = { 0 };
	struct buf b = { 0 };
	size_t nq = 0, in_q = 0;
	int rc = -1;
	c->rcpt = calloc(m->n_mb ? m->n_mb : 1, sizeof *c->rcpt);
	if (!c->rcpt)
		return err_set(E_NOMEM);
	for (size_t i = 0; i < m->n_mb && c->nrcpt < MAX_RECIPIENTS; i++)
		if (m->mb[i].fwd_addr && !m->mb[i].fwd_smtp && mdl_mail_find(m, m->mb[i].fwd_addr) == MDL_NONE)
			c->rcpt[c->nrcpt++] = m->mb[i].fwd_addr;
	c->src[MAIL_SRC_RECIPIENTS].st = c->src[MAIL_SRC_MAILBOXES].st == MDL_ST_OK ? MDL_ST_OK : MDL_ST_ABSENT;
	if (c->nrcpt && ms_parallel(c->s->x, c->nrcpt, rcpt_job, c) < 0)
		return -1;
	/* Shared mailboxes' accounts, a few ids a query. */
	if (c->src[MAIL_SRC_MAILBOXES].st != MDL_ST_OK ||
	    collect_lacks(c->s, &c->src[MAIL_SRC_ACCOUNTS], MS_NEED_NOTHING, "User.Read.All Directory.Read.All"))
		return 0;
	for (size_t i = 0; i <= m->n_mb; i++) {
		const struct mdl_mbx *x = i < m->n_mb ? &m->mb[i] : NULL;
		int shared = x && x->type && !strcasecmp(x->type, "SharedMailbox") && mdl_safe_name(x->ext_id);
		if (shared && buf_printf(&b, "%s'%s'", in_q ? "," : "/users?$filter=id%20in%20(", x->ext_id) < 0)
			goto out;
		in_q += shared;
		if (in_q && (in_q == IDS_PER_QUERY || !x)) {
			const char *u;
			if (buf_puts(&b, ")&$select=id,userPrincipalName,accountEnabled") < 0 ||
			    !(u = collect_subs_own(&subs, &b)) ||
			    buf_printf(&b, "%s/%04zu", MAIL_REL_ACCOUNTS, ++nq) < 0 ||
			    collect_subs_add(&subs, MAIL_SRC_ACCOUNTS, u, collect_subs_own(&subs, &b), 0) < 0)
				goto out;
			in_q = 0;
		}
	}
	if (!subs.n)
		c->src[MAIL_SRC_ACCOUNTS].st = MDL_ST_OK;
	rc = subs.n ? collect_subs_run(c->s, &subs, NULL, NULL, c->src) : 0;
out:
	buf_free(&b);
	collect_subs_free(&subs);
	return rc;
}

/* ---- the run ----------------------------------------------------------------------------- */

int collect_mail(struct collect_session *s, const struct check_run *r)
{
	struct collect_mail_opts none = { .max = 0 };
	struct mc c = { .s = s, .r = r, .o = r->own ? r->own : &none };
	int rc = -1;
	mdl_mail_init(&c.m);
	mdl_mail_sources(c.src);
	pthread_mutex_init(&c.mu, NULL);
	/* No Exchange Online: nothing of it is asked, all is unknown. */
	int noexo = s->have_probe && s->probe.exo == 0;
	for (int k = 0; k < MAIL_NSRC && noexo; k++)
		if (k != MAIL_SRC_ACCOUNTS)
			collect_lacks(s, &c.src[k], MS_NEED_EXO, NULL);
	if (noexo)
		goto record;
	if (collect_exo(s) < 0 || ms_parallel(s->x, NTENANT, tenant_job, &c) < 0)
		goto out;
	for (size_t i = 0; i < NTENANT; i++)
		if (!(tenant[i].sub && !strcmp(tenant[i].sub, "IP") && c.res[i].http == 400))
			collect_note(&c.src[tenant[i].src], &c.res[i]);
	if (c.src[MAIL_SRC_MAILBOXES].st != MDL_ST_OK) {
		/* No mailbox list, nothing to ask mailbox by mailbox: say why. */
		for (int k = MAIL_SRC_RULES; k <= MAIL_SRC_ACCOUNTS; k++)
			if (k != MAIL_SRC_SENDAS)
				mdl_src_state_copy(&c.src[k], &c.src[MAIL_SRC_MAILBOXES]);
		goto record;
	}
	if (lookups(&c) < 0 || pick(&c) < 0)
		goto out;
	c.mres = calloc(2 * c.npick + 1, sizeof *c.mres);
	c.resumed = calloc(2 * c.npick + 1, 1);
	if (!c.mres || !c.resumed) {
		err_set(E_NOMEM);
		goto out;
	}
	/* The first mailbox alone: a missing role (Global Reader and
	 * Get-InboxRule) is then known before a thousand refusals. */
	size_t first = c.npick ? 2 : 0;
	for (size_t i = 0; i < first; i++)
		mbx_job(&c, i);
	c.off = first;
	if (c.npick > 1 && ms_parallel(s->x, 2 * c.npick - first, mbx_job, &c) < 0)
		goto out;
	per_mailbox(&c, MAIL_SRC_RULES, 0);
	per_mailbox(&c, MAIL_SRC_PERMS, 1);
record:
	rc = collect_record(s, "check-mail", c.src, MAIL_NSRC, r->since, r->now);
out:
	pthread_mutex_destroy(&c.mu);
	free(c.pick);
	free(c.rcpt);
	free(c.mres);
	free(c.resumed);
	mdl_mail_free(&c.m);
	return rc;
}
