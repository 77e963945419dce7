/*
 * check-events, sign-ins of every account in the exports (fiche 1.b
 * « comptes éventuellement déjà suspectés », its note on password
 * spraying, and 1.a's sessions): password spraying, failures followed
 * by a success, countries new for an account and anonymising addresses,
 * legacy protocols. Sign-ins come from the Entra sign-in logs (error
 * code, country, client app, risk) or the unified audit log
 * (UserLoggedIn / UserLoginFailed with ErrorNumber: no country, no
 * client app).
 *
 * Outcome (Graph signIn.status.errorCode, AADSTS codes): 0 success; the
 * password failures are 50126 (wrong user name or password), 50053
 * (locked by smart lockout), 50055 (expired), 50056 (no password); a
 * UserLoginFailed without code counts as one. Interruptions (MFA prompt,
 * consent…) are neither.
 *
 * Thresholds (a shared office address must stay quiet): a spray is one
 * address failing on at least EVT_SPRAY_ACCOUNTS accounts within an hour
 * while it signs in successfully for fewer than half as many accounts
 * over the whole export (an office NAT has many failures, and many more
 * successes); brute force is 10 password failures on one account within
 * an hour.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "model/model.h"
#include "rules/rules.h"

#define HOUR 3600
#define BRUTE_FAILS 10
#define FOLLOW_FAILS 5

static int pw_failure(const struct mdl_esi *s)
{
	return s->failed && (s->err < 0 || s->err == 50126 || s->err == 50053 || s->err == 50055 ||
			     s->err == 50056);
}

static int success(const struct mdl_esi *s)
{
	return s->err == 0 && !s->failed;
}

/* Indexes of m->si grouped by key (the address or the user): idx holds
 * them, group g from start[g] to start[g + 1], each in time order. */
struct groups {
	size_t *idx, *start, n;
};

static void groups_free(struct groups *g)
{
	free(g->idx);
	free(g->start);
	memset(g, 0, sizeof *g);
}

static int group_by(const struct mdl_events *m, int by_ip, int (*keep)(const struct mdl_esi *),
		    struct groups *g)
{
	struct mdl_map map = { 0 };
	size_t *count = NULL, *of = NULL, ng = 0;
	int rc = -1;
	memset(g, 0, sizeof *g);
	if (!(of = malloc((m->n_si + 1) * sizeof *of)) || !(count = calloc(m->n_si + 1, sizeof *count)))
		goto out;
	for (size_t i = 0; i < m->n_si; i++) {
		const struct mdl_esi *s = &m->si[i];
		const char *k = by_ip ? s->ip : s->user;
		of[i] = MDL_NONE;
		if (!k || s->t == EXP_NO_TIME || (keep && !keep(s)))
			continue;
		size_t x = mdl_map_get(&map, k);
		if (x == MDL_NONE) {
			x = ng++;
			if (mdl_map_put(&map, k, x) < 0)
				goto out;
		}
		of[i] = x;
		count[x]++;
	}
	if (!(g->start = calloc(ng + 1, sizeof *g->start)) || !(g->idx = malloc((m->n_si + 1) * sizeof *g->idx)))
		goto out;
	for (size_t x = 0; x < ng; x++)
		g->start[x + 1] = g->start[x] + count[x];
	memset(count, 0, (m->n_si + 1) * sizeof *count);
	for (size_t i = 0; i < m->n_si; i++)   /* m->si is in time order */
		if (of[i] != MDL_NONE)
			g->idx[g->start[of[i]] + count[of[i]]++] = i;
	g->n = ng;
	rc = 0;
out:
	if (rc < 0) {
		groups_free(g);
		err_set(E_NOMEM);
	}
	mdl_map_free(&map);
	free(count);
	free(of);
	return rc;
}

/* The most distinct accounts among an address's password failures within
 * one hour, and when that hour began. */
static int widest_hour(const struct mdl_events *m, const size_t *ix, size_t n, int64_t *from, int64_t *to,
		       size_t *first)
{
	struct mdl_map users = { 0 };
	size_t *cnt = calloc(n + 1, sizeof *cnt), distinct = 0, best = 0, nu = 0;
	if (!cnt)
		return err_set(E_NOMEM);
	for (size_t i = 0, j = 0; j < n; j++) {
		const struct mdl_esi *s = &m->si[ix[j]];
		size_t u = mdl_map_get(&users, s->user);
		if (u == MDL_NONE) {
			u = nu++;
			if (mdl_map_put(&users, s->user, u) < 0)
				break;
		}
		if (cnt[u]++ == 0)
			distinct++;
		while (s->t - m->si[ix[i]].t > HOUR) {
			size_t v = mdl_map_get(&users, m->si[ix[i]].user);
			if (--cnt[v] == 0)
				distinct--;
			i++;
		}
		if (distinct > best) {
			best = distinct;
			*from = m->si[ix[i]].t;
			*to = s->t;
			*first = ix[i];
		}
	}
	mdl_map_free(&users);
	free(cnt);
	return (int)best;
}

static int no_filter(const struct mdl_esi *s)
{
	(void)s;
	return 1;
}

int evt_sprays(const struct mdl_events *m, struct evt_spray **out, size_t *n)
{
	struct groups fails, all;
	*out = NULL;
	*n = 0;
	if (group_by(m, 1, pw_failure, &fails) < 0)
		return -1;
	if (group_by(m, 1, no_filter, &all) < 0) {
		groups_free(&fails);
		return -1;
	}
	int rc = 0;
	for (size_t g = 0; g < fails.n && rc == 0; g++) {
		const size_t *ix = fails.idx + fails.start[g];
		size_t k = fails.start[g + 1] - fails.start[g];
		int64_t from = 0, to = 0;
		size_t first = ix[0];
		int acc = widest_hour(m, ix, k, &from, &to, &first);
		if (acc < 0) {
			rc = -1;
			break;
		}
		if (acc < EVT_SPRAY_ACCOUNTS)
			continue;
		/* accounts this address signed in successfully, all export long */
		const char *ip = m->si[ix[0]].ip;
		int okacc = 0;
		struct mdl_map seen = { 0 };
		for (size_t a = 0; a < all.n; a++) {
			if (m->si[all.idx[all.start[a]]].ip != ip)
				continue;
			for (size_t j = all.start[a]; j < all.start[a + 1]; j++) {
				const struct mdl_esi *s = &m->si[all.idx[j]];
				if (success(s) && mdl_map_get(&seen, s->user) == MDL_NONE) {
					if (mdl_map_put(&seen, s->user, 1) < 0) {
						rc = -1;
						break;
					}
					okacc++;
				}
			}
			break;
		}
		mdl_map_free(&seen);
		struct evt_spray *v = realloc(*out, (*n + 1) * sizeof *v);
		if (!v) {
			rc = err_set(E_NOMEM);
			break;
		}
		*out = v;
		v[*n] = (struct evt_spray){ ip, from, to, first, acc, (int)k, okacc };
		(*n)++;
	}
	groups_free(&fails);
	groups_free(&all);
	if (rc < 0) {
		free(*out);
		*out = NULL;
		*n = 0;
	}
	return rc;
}

/* ---- EVT-009: password spraying, brute force ----------------------------------------------- */

int evt_r_spray(const struct rule_ctx *c, const struct rule *r, struct findings *out)
{
	const struct mdl_events *m = EVT_M(c);
	struct evt_spray *sp;
	size_t n;
	char a[32], b[32];
	if (evt_sprays(m, &sp, &n) < 0)
		return -1;
	int rc = 0;
	for (size_t i = 0; i < n && rc == 0; i++) {
		/* an address most accounts use successfully: a shared office
		 * address with typing mistakes, to look at, not an alarm */
		int office = sp[i].ok_accounts * 2 >= sp[i].accounts;
		/* the address, then the accounts it tried within its hour */
		struct finding *f = evt_emit_si(out, r, office ? SEV_LOW : SEV_HIGH, m, NULL,
						office ? M_EVT009_OFFICE : M_EVT009_SPRAY, sp[i].ip, sp[i].accounts,
						evt_when(sp[i].from, a), evt_when(sp[i].to, b), sp[i].failures, sp[i].ok_accounts);
		if (!f || finding_obj(f, sp[i].ip) < 0) {
			rc = -1;
			break;
		}
		finding_at(f, sp[i].from);
		for (size_t j = sp[i].first; j < m->n_si && m->si[j].t <= sp[i].to && rc == 0; j++) {
			const struct mdl_esi *s = &m->si[j];
			if (s->ip == sp[i].ip && pw_failure(s) &&
			    (finding_obj(f, s->user) < 0 || evt_evidence(f, m, s->imp) < 0))
				rc = -1;
		}
	}
	free(sp);
	if (rc < 0)
		return -1;
	/* one account, many failures within an hour (from any address) */
	struct groups g;
	if (group_by(m, 0, pw_failure, &g) < 0)
		return -1;
	for (size_t u = 0; u < g.n && rc == 0; u++) {
		const size_t *ix = g.idx + g.start[u];
		size_t k = g.start[u + 1] - g.start[u], best = 0, bi = 0;
		for (size_t i = 0, j = 0; j < k; j++) {
			while (m->si[ix[j]].t - m->si[ix[i]].t > HOUR)
				i++;
			if (j - i + 1 > best) {
				best = j - i + 1;
				bi = i;
			}
		}
		if (best < BRUTE_FAILS)
			continue;
		const struct mdl_esi *s = &m->si[ix[bi]];
		if (!evt_emit_si(out, r, SEV_MEDIUM, m, s, M_EVT009_BRUTE, s->user, (int)best, evt_when(s->t, a)))
			rc = -1;
	}
	groups_free(&g);
	return rc;
}

/* ---- EVT-010: failures, then a success ---------------------------------------------------- */

int evt_r_fail_success(const struct rule_ctx *c, const struct rule *r, struct findings *out)
{
	const struct mdl_events *m = EVT_M(c);
	struct evt_spray *sp;
	size_t n;
	char a[32], b[32];
	int rc = 0;
	if (evt_sprays(m, &sp, &n) < 0)
		return -1;
	/* a success from a spraying address, up to a day after it began */
	for (size_t i = 0; i < m->n_si && rc == 0; i++) {
		const struct mdl_esi *s = &m->si[i];
		if (!success(s) || s->t == EXP_NO_TIME)
			continue;
		for (size_t k = 0; k < n; k++)
			if (sp[k].ip == s->ip && sp[k].ok_accounts * 2 < sp[k].accounts && s->t >= sp[k].from &&
			    s->t <= sp[k].to + 86400) {
				if (!evt_emit_si(out, r, SEV_HIGH, m, s, M_EVT010_SPRAY, s->user, s->ip, evt_when(s->t, a),
						 sp[k].accounts, evt_when(sp[k].from, b)))
					rc = -1;
				break;
			}
	}
	free(sp);
	if (rc < 0)
		return -1;
	/* one account: FOLLOW_FAILS password failures within an hour, then
	 * a success within the next hour */
	struct groups g;
	if (group_by(m, 0, NULL, &g) < 0)
		return -1;
	for (size_t u = 0; u < g.n && rc == 0; u++) {
		const size_t *ix = g.idx + g.start[u];
		size_t k = g.start[u + 1] - g.start[u];
		int run = 0;
		int64_t first = 0, last = 0;
		for (size_t j = 0; j < k; j++) {
			const struct mdl_esi *s = &m->si[ix[j]];
			if (pw_failure(s)) {
				if (!run || s->t - first > HOUR)
					run = 0, first = s->t;
				run++;
				last = s->t;
			} else if (success(s) && run >= FOLLOW_FAILS && s->t - last <= HOUR) {
				if (!evt_emit_si(out, r, SEV_MEDIUM, m, s, M_EVT010_ACCOUNT, s->user, run,
						 evt_when(first, a), s->ip ? s->ip : "?", evt_when(s->t, b)))
					rc = -1;
				break;      /* once per account */
			}
		}
	}
	groups_free(&g);
	return rc;
}

/* ---- EVT-011: new countries, anonymising addresses ---------------------------------------------- */

int evt_r_places(const struct rule_ctx *c, const struct rule *r, struct findings *out)
{
	const struct mdl_events *m = EVT_M(c);
	char a[32];
	int rc = 0;
	/* anonymising addresses (Tor, anonymous VPN: Identity Protection's
	 * anonymizedIPAddress), successful sign-ins */
	for (size_t i = 0; i < m->n_si && rc == 0; i++) {
		const struct mdl_esi *s = &m->si[i];
		if (!(s->flags & MDL_SI_ANON))
			continue;
		int ok = success(s);
		if (!evt_emit_si(out, r, ok ? SEV_HIGH : SEV_LOW, m, s, ok ? M_EVT011_ANON : M_EVT011_ANON_FAIL,
				 s->user, s->ip ? s->ip : "?", s->risk ? s->risk : "", evt_when(s->t, a)))
			rc = -1;
	}
	if (rc < 0)
		return -1;
	/* per account, the countries of its successful sign-ins: the first
	 * seen, then any other */
	struct groups g;
	if (group_by(m, 0, success, &g) < 0)
		return -1;
	for (size_t u = 0; u < g.n && rc == 0; u++) {
		const size_t *ix = g.idx + g.start[u];
		size_t k = g.start[u + 1] - g.start[u];
		const char *home = NULL;
		struct buf list = { 0 };
		struct mdl_map seen = { 0 };
		const struct mdl_esi *first_new = NULL;
		int nnew = 0;
		for (size_t j = 0; j < k; j++) {
			const struct mdl_esi *s = &m->si[ix[j]];
			if (!s->country)
				continue;
			if (!home) {
				home = s->country;
				continue;
			}
			if (s->country == home || mdl_map_get(&seen, s->country) != MDL_NONE)
				continue;
			if (mdl_map_put(&seen, s->country, 1) < 0) {
				rc = -1;
				break;
			}
			if (!first_new)
				first_new = s;
			nnew++;
			buf_printf(&list, "%s%s (%s, %s)", list.len ? ", " : "", s->country, s->ip ? s->ip : "?",
				   evt_when(s->t, a));
		}
		if (rc == 0 && nnew) {
			struct finding *f = evt_emit_si(out, r, SEV_MEDIUM, m, first_new, M_EVT011_COUNTRIES,
							first_new->user, home, list.p);
			if (!f)
				rc = -1;
			for (size_t j = 0; f && j < k && rc == 0; j++) {
				const struct mdl_esi *s = &m->si[ix[j]];
				if (s->country && s->country != home && finding_obj(f, s->ip) < 0)
					rc = -1;
			}
		}
		buf_free(&list);
		mdl_map_free(&seen);
	}
	groups_free(&g);
	return rc;
}

/* ---- EVT-012: legacy protocols --------------------------------------------------------------- */

int evt_r_legacy(const struct rule_ctx *c, const struct rule *r, struct findings *out)
{
	const struct mdl_events *m = EVT_M(c);
	char a[32];
	int rc = 0;
	/* one finding per account and client: successes medium, failures low */
	struct groups g;
	if (group_by(m, 0, NULL, &g) < 0)
		return -1;
	for (size_t u = 0; u < g.n && rc == 0; u++) {
		const size_t *ix = g.idx + g.start[u];
		size_t k = g.start[u + 1] - g.start[u];
		struct mdl_map done[2] = { { 0 }, { 0 } };
		for (size_t j = 0; j < k && rc == 0; j++) {
			const struct mdl_esi *s = &m->si[ix[j]];
			if (!(s->flags & MDL_SI_LEGACY) || (!success(s) && !s->failed))
				continue;
			/* the first of each client, successes apart from failures */
			const char *cl = s->client ? s->client : "?";
			int ok = success(s);
			if (mdl_map_get(&done[ok], cl) != MDL_NONE)
				continue;
			if (mdl_map_put(&done[ok], cl, 1) < 0) {
				rc = -1;
				break;
			}
			int n = 0;
			for (size_t x = j; x < k; x++)
				n += m->si[ix[x]].client == s->client && success(&m->si[ix[x]]) == ok &&
				     (m->si[ix[x]].flags & MDL_SI_LEGACY);
			if (!evt_emit_si(out, r, ok ? SEV_MEDIUM : SEV_LOW, m, s, ok ? M_EVT012_OK : M_EVT012_FAIL,
					 s->user, cl, n, evt_when(s->t, a), s->ip ? s->ip : "?"))
				rc = -1;
		}
		mdl_map_free(&done[0]);
		mdl_map_free(&done[1]);
	}
	groups_free(&g);
	/* POP and IMAP switched on for a mailbox (Set-CASMailbox) */
	for (size_t i = 0; i < m->n_ev && rc == 0; i++) {
		const struct mdl_evt *e = &m->ev[i];
		if (e->kind != EVK_CAS_MAILBOX)
			continue;
		const char *on = evt_bool(evt_param(e, "ImapEnabled")) == 1 ? "IMAP" :
				 evt_bool(evt_param(e, "PopEnabled")) == 1 ? "POP" : NULL;
		if (on && !evt_emit(out, r, SEV_LOW, m, e, NULL, M_EVT012_CAS, on, evt_subject(e),
				    evt_when(e->t, a), e->actor ? e->actor : "?"))
			rc = -1;
	}
	return rc;
}
