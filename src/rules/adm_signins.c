/*
 * check-admins rules on the sign-ins of privileged users (fiche 1.a,
 * "Vérifier les sessions à privilèges"): where from, bursts of failures,
 * legacy protocols, risk, addresses never seen before; and the per-admin
 * table the fiche asks to export and sort by location then status.
 *
 * Sign-in outcome (Graph v1.0 signIn.status.errorCode): 0 is a success.
 * Some codes are interruptions the user goes through, not failures — the
 * Entra sign-in log shows them as "Interrupted" — such as an MFA prompt
 * (50074, 50076), MFA registration (50079, 50072), "keep me signed in"
 * (50140), device or SSO steps (50097, 81010, 81012, 81014), account
 * selection (16000, 16001, 16003), a consent prompt (65001), a session
 * needing fresh sign-in (50058, 50125, 50129, 50143, 50158). Source:
 * Microsoft Entra authentication and authorization error codes (AADSTS).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "baseline/baseline.h"
#include "model/model.h"
#include "rules/rules.h"


enum outcome { OK = 0, INTERRUPTED, FAILED };

static enum outcome outcome(int code)
{
	static const int interrupts[] = { 16000, 16001, 16003, 50058, 50072, 50074, 50076, 50079,
					  50097, 50125, 50129, 50140, 50143, 50158, 65001, 81010,
					  81012, 81014 };
	if (code == 0)
		return OK;
	for (size_t i = 0; i < sizeof interrupts / sizeof interrupts[0]; i++)
		if (code == interrupts[i])
			return INTERRUPTED;
	return FAILED;
}

/* Password guessing: wrong password (50126), account locked by smart
 * lockout (50053), missing or invalid password (50056), password expired
 * (50055). */
static int password_failure(int code)
{
	return code == 50126 || code == 50053 || code == 50056 || code == 50055;
}

/* Legacy authentication: what Microsoft's own workbook and the "Block
 * legacy authentication" conditional access template treat as legacy —
 * every clientAppUsed other than these two (Conditional Access, client
 * apps condition). */
static int legacy(const char *client)
{
	return client && *client && strcasecmp(client, "Browser") &&
	       strcasecmp(client, "Mobile Apps and Desktop clients");
}

static const char *s0(const char *s) { return s ? s : ""; }

/* Appends "ip (CC)" to a list, at most 10 of them, then "…". */
static int list_add(struct buf *b, int *n, const char *ip, const char *cc)
{
	(*n)++;
	if (*n > 10)
		return *n == 11 ? buf_puts(b, ", …") : 0;
	return buf_printf(b, "%s%s%s%s%s", b->len ? ", " : "", s0(ip), cc ? " (" : "", cc ? cc : "",
			  cc ? ")" : "");
}

static int privileged_user(const struct mdl_admins *m, size_t k)
{
	return m->pr[k].ng && m->pr[k].type == PT_USER;
}

/* Where the sign-ins start: the window's start, or later when the tenant
 * keeps fewer days than the window (Entra ID Free: 7, P1/P2: 30; the
 * collector records it). */
static int64_t signins_from(const struct rule_ctx *c)
{
	int64_t from = ADM_M(c)->src[ADM_SRC_SIGNINS].since;
	return from > c->since ? from : c->since;
}

/* The sign-ins cover only part of the window: the rule answers for that
 * part, and the rest is said to be unanswered — never "clear". */
static int partial(const struct rule_ctx *c, const struct rule *r, struct findings *out)
{
	return adm_log_partial(c, r, out, ADM_SRC_SIGNINS) < 0 ? -1 : 0;
}

/* ADM-012: successful sign-ins from a country and an address that the
 * baseline does not list. One finding per admin, naming the addresses. */
static int outside(const struct bl *b, const struct mdl_signin *s)
{
	return outcome(s->error) == OK && !bl_ip_ok(b, s->ip) &&
	       !(s->country && bl_country_ok(b, s->country));
}

int adm_r_outside(const struct rule_ctx *c, const struct rule *r, struct findings *out)
{
	const struct mdl_admins *m = ADM_M(c);
	const struct bl *b = ADM_BL(c);
	if (!b->countries.n && !b->nnets)
		return rule_unknown(out, r->id, "--baseline [countries] [networks]", M_ADM012_NOREF);
	int rc = partial(c, r, out);
	for (size_t k = 0; k < m->n_pr && rc == 0; k++) {
		if (!privileged_user(m, k))
			continue;
		size_t f0, n;
		mdl_signins_of(m, k, &f0, &n);
		struct buf list = { 0 };
		struct mdl_map seen = { 0 };
		int nl = 0, count = 0;
		for (size_t i = f0; i < f0 + n && rc == 0; i++) {
			const struct mdl_signin *s = &m->si[i];
			if (s->t < c->since || !outside(b, s))
				continue;
			count++;
			if (!s->ip || mdl_map_get(&seen, s->ip) != MDL_NONE)
				continue;
			if (mdl_map_put(&seen, s->ip, i) < 0 || list_add(&list, &nl, s->ip, s->country) < 0)
				rc = -1;
		}
		mdl_map_free(&seen);
		if (count && rc == 0) {
			struct finding *f = rule_emit(out, r, r->sev, ST_SUSPECT, M_ADM012_D,
						      mdl_label(&m->pr[k]), count, s0(list.p));
			if (!f || finding_obj(f, mdl_label(&m->pr[k])) < 0)
				rc = -1;
			for (size_t i = f0; f && i < f0 + n && rc == 0; i++) {
				const struct mdl_signin *s = &m->si[i];
				if (s->t < c->since || !outside(b, s))
					continue;
				if (finding_obj(f, s->ip) < 0 || finding_ev(f, s->ev) < 0)
					rc = -1;
				finding_at(f, s->t);
			}
		}
		buf_free(&list);
	}
	return rc;
}

/* ADM-013: bursts of failed password sign-ins (spraying, guessing): 10 or
 * more within an hour, or 50 or more over the window. Followed by a
 * success from one of the failing addresses, the guess may have worked. */
#define BURST_N 10
#define BURST_S 3600
#define SLOW_N 50
static int spray_across(const struct rule_ctx *c, const struct rule *r, struct findings *out);

int adm_r_spray(const struct rule_ctx *c, const struct rule *r, struct findings *out)
{
	const struct mdl_admins *m = ADM_M(c);
	int rc = partial(c, r, out);
	char when[32];
	for (size_t k = 0; k < m->n_pr && rc == 0; k++) {
		if (!privileged_user(m, k))
			continue;
		size_t f0, n;
		mdl_signins_of(m, k, &f0, &n);
		size_t best = 0, total = 0, lo = f0, best_from = 0, best_to = 0;
		/* Sign-ins are in time order: a two-pointer sliding hour over
		 * the password failures. */
		size_t cnt = 0;
		for (size_t i = f0; i < f0 + n; i++) {
			const struct mdl_signin *s = &m->si[i];
			if (s->t < c->since || !password_failure(s->error))
				continue;
			total++;
			cnt++;
			while (m->si[lo].t < s->t - BURST_S || m->si[lo].t < c->since ||
			       !password_failure(m->si[lo].error)) {
				if (m->si[lo].t >= c->since && password_failure(m->si[lo].error))
					cnt--;
				lo++;
			}
			if (cnt > best) {
				best = cnt;
				best_from = lo;
				best_to = i;
			}
		}
		if (best < BURST_N && total < SLOW_N)
			continue;
		if (best < BURST_N) {
			best_from = f0;
			best_to = f0 + n - 1;
		}
		/* Did a success follow, from an address that was failing? */
		const struct mdl_signin *hit = NULL;
		for (size_t i = best_from; i < f0 + n && !hit; i++) {
			const struct mdl_signin *s = &m->si[i];
			if (outcome(s->error) != OK || !s->ip || s->t > m->si[best_to].t + 86400)
				continue;
			for (size_t j = best_from; j <= best_to && !hit; j++)
				if (password_failure(m->si[j].error) && m->si[j].ip && !strcmp(m->si[j].ip, s->ip))
					hit = s;
		}
		adm_time(m->si[best_from].t, when);
		struct finding *f;
		if (hit) {
			char hw[32];
			adm_time(hit->t, hw);
			f = rule_emit(out, r, SEV_HIGH, ST_SUSPECT, M_ADM013_HIT, mdl_label(&m->pr[k]),
				      (int)(best >= BURST_N ? best : total), when, s0(hit->ip), hw);
			if (f)
				f->compromise = 1;
		} else if (best >= BURST_N) {
			f = rule_emit(out, r, r->sev, ST_SUSPECT, M_ADM013_BURST, mdl_label(&m->pr[k]),
				      (int)best, when);
		} else {
			f = rule_emit(out, r, r->sev, ST_SUSPECT, M_ADM013_SLOW, mdl_label(&m->pr[k]),
				      (int)total);
		}
		if (!f || finding_obj(f, mdl_label(&m->pr[k])) < 0) {
			rc = -1;
			break;
		}
		/* the sign-in that got in, else where the failures began */
		f->at = hit ? hit->t : m->si[best_from].t;
		for (size_t j = best_from; j <= best_to && rc == 0; j++)
			if (password_failure(m->si[j].error) && m->si[j].t >= c->since &&
			    (finding_obj(f, m->si[j].ip) < 0 || finding_ev(f, m->si[j].ev) < 0))
				rc = -1;
		if (hit && rc == 0 && finding_ev(f, hit->ev) < 0)
			rc = -1;
	}
	return rc == 0 ? spray_across(c, r, out) : rc;
}

/* Spraying proper tries a few passwords on many accounts, so that no one
 * account sees a burst (Microsoft's password spray playbook): one address
 * failing the password of SPRAY_ACCOUNTS or more privileged accounts
 * within an hour. Addresses of the baseline's networks are left out (a
 * shared office exit where admins mistype). Then a success from that
 * address on one of them, within a day: the guess may have worked. */
#define SPRAY_ACCOUNTS 3
struct pf { const char *ip; int64_t t; size_t who, si; };

static int pf_cmp(const void *a, const void *b)
{
	const struct pf *x = a, *y = b;
	int d = strcmp(x->ip, y->ip);
	if (d)
		return d;
	return x->t < y->t ? -1 : x->t > y->t;
}

static int spray_across(const struct rule_ctx *c, const struct rule *r, struct findings *out)
{
	const struct mdl_admins *m = ADM_M(c);
	size_t n = 0;
	for (size_t i = 0; i < m->n_si; i++) {
		const struct mdl_signin *s = &m->si[i];
		n += s->ip && s->t >= c->since && password_failure(s->error) && privileged_user(m, s->who) &&
		     !bl_ip_ok(ADM_BL(c), s->ip);
	}
	if (n < SPRAY_ACCOUNTS)
		return 0;
	struct pf *v = malloc(n * sizeof *v);
	if (!v)
		return err_set(E_NOMEM);
	size_t k = 0;
	for (size_t i = 0; i < m->n_si; i++) {
		const struct mdl_signin *s = &m->si[i];
		if (s->ip && s->t >= c->since && password_failure(s->error) && privileged_user(m, s->who) &&
		    !bl_ip_ok(ADM_BL(c), s->ip))
			v[k++] = (struct pf){ s->ip, s->t, s->who, i };
	}
	qsort(v, n, sizeof *v, pf_cmp);
	int rc = 0;
	char when[32];
	for (size_t g = 0; g < n && rc == 0;) {
		size_t e = g;
		while (e < n && !strcmp(v[e].ip, v[g].ip))
			e++;
		/* The hour, starting at a failure, with the most accounts. */
		size_t best = 0, bfrom = g, bto = g;
		for (size_t lo = g; lo < e && rc == 0; lo++) {
			struct mdl_map acc = { 0 };
			size_t nacc = 0, hi = lo;
			for (; hi < e && v[hi].t <= v[lo].t + BURST_S; hi++) {
				if (mdl_map_get(&acc, m->pr[v[hi].who].id) != MDL_NONE)
					continue;
				if (mdl_map_put(&acc, m->pr[v[hi].who].id, hi) < 0) {
					rc = -1;
					break;
				}
				nacc++;
			}
			mdl_map_free(&acc);
			if (nacc > best) {
				best = nacc;
				bfrom = lo;
				bto = hi;
			}
			/* The same accounts again from a later start add nothing. */
			if (hi == e)
				break;
		}
		if (rc == 0 && best >= SPRAY_ACCOUNTS) {
			const struct mdl_signin *hit = NULL;
			for (size_t j = bfrom; j < bto && !hit; j++) {
				size_t f0, cnt;
				mdl_signins_of(m, v[j].who, &f0, &cnt);
				for (size_t i = f0; i < f0 + cnt && !hit; i++) {
					const struct mdl_signin *s = &m->si[i];
					if (outcome(s->error) == OK && s->ip && !strcmp(s->ip, v[g].ip) &&
					    s->t >= v[bfrom].t && s->t <= v[bto - 1].t + 86400)
						hit = s;
				}
			}
			adm_time(v[bfrom].t, when);
			/* The spraying names every account tried; it is no
			 * compromise of theirs (they only failed). */
			struct finding *f = rule_emit(out, r, r->sev, ST_SUSPECT, M_ADM013_SPRAY, v[g].ip, (int)best,
						      when);
			if (!f || finding_obj(f, v[g].ip) < 0) {
				rc = -1;
			} else {
				f->compromise = 0;
				f->at = v[bfrom].t;
			}
			for (size_t j = bfrom; j < bto && rc == 0; j++)
				if (finding_obj(f, mdl_label(&m->pr[v[j].who])) < 0 || finding_ev(f, m->si[v[j].si].ev) < 0)
					rc = -1;
			/* The account it then got into is. */
			if (rc == 0 && hit) {
				const struct mdl_principal *p = &m->pr[hit->who];
				char hw[32];
				adm_time(hit->t, hw);
				f = rule_emit(out, r, SEV_HIGH, ST_SUSPECT, M_ADM013_SPRAY_HIT, v[g].ip, (int)best, when,
					      mdl_label(p), hw);
				if (!f || finding_obj(f, mdl_label(p)) < 0 || finding_obj(f, p->id) < 0 ||
				    finding_obj(f, v[g].ip) < 0 || finding_ev(f, hit->ev) < 0) {
					rc = -1;
				} else {
					f->compromise = 1;
					f->at = hit->t;
				}
				for (size_t j = bfrom; j < bto && rc == 0; j++)
					if (v[j].who == hit->who && finding_ev(f, m->si[v[j].si].ev) < 0)
						rc = -1;
			}
		}
		g = e;
	}
	free(v);
	return rc;
}

/* ADM-014: sign-ins through legacy protocols (IMAP, POP, SMTP AUTH,
 * ActiveSync with basic auth…), which MFA does not cover. */
int adm_r_legacy(const struct rule_ctx *c, const struct rule *r, struct findings *out)
{
	const struct mdl_admins *m = ADM_M(c);
	int rc = partial(c, r, out);
	for (size_t k = 0; k < m->n_pr && rc == 0; k++) {
		if (!privileged_user(m, k))
			continue;
		size_t f0, n, ok = 0, ko = 0;
		mdl_signins_of(m, k, &f0, &n);
		struct buf protos = { 0 };
		struct mdl_map have = { 0 };
		for (size_t i = f0; i < f0 + n && rc == 0; i++) {
			const struct mdl_signin *s = &m->si[i];
			if (s->t < c->since || !legacy(s->client))
				continue;
			if (outcome(s->error) == OK)
				ok++;
			else
				ko++;
			if (mdl_map_get(&have, s->client) != MDL_NONE)
				continue;
			if (mdl_map_put(&have, s->client, i) < 0 ||
			    (protos.len && buf_puts(&protos, ", ") < 0) || buf_puts(&protos, s->client) < 0)
				rc = -1;
		}
		mdl_map_free(&have);
		if ((ok || ko) && rc == 0) {
			struct finding *f = rule_emit(out, r, ok ? r->sev : SEV_LOW, ST_SUSPECT,
						      ok ? M_ADM014_OK : M_ADM014_KO, mdl_label(&m->pr[k]),
						      (int)(ok ? ok : ko), s0(protos.p));
			if (!f || finding_obj(f, mdl_label(&m->pr[k])) < 0)
				rc = -1;
			for (size_t i = f0; f && i < f0 + n && rc == 0; i++) {
				const struct mdl_signin *s = &m->si[i];
				if (s->t < c->since || !legacy(s->client) || (ok && outcome(s->error) != OK))
					continue;
				if (finding_obj(f, s->ip) < 0 || finding_ev(f, s->ev) < 0)
					rc = -1;
				finding_at(f, s->t);
			}
		}
		buf_free(&protos);
	}
	return rc;
}

/* A level Identity Protection actually gave: "hidden" (the tenant lacks
 * Entra ID P2) and unknownFutureValue rate nothing. */
static enum mdl_risk rated(enum mdl_risk r)
{
	return r <= RISK_HIGH ? r : RISK_NONE;
}

/* The higher of the risk during the sign-in and the user's aggregated
 * risk at the time (Graph v1.0 signIn). */
static enum mdl_risk signin_risk(const struct mdl_signin *s)
{
	enum mdl_risk a = rated(s->risk_during), b = rated(s->risk_agg);
	return a > b ? a : b;
}

/* ADM-015: sign-ins Identity Protection rated medium or high risk. Sign-ins
 * whose risk Microsoft hides (no Entra ID P2) were not rated: they are
 * said to be unanswered, never counted as without risk. */
int adm_r_risky_signin(const struct rule_ctx *c, const struct rule *r, struct findings *out)
{
	const struct mdl_admins *m = ADM_M(c);
	int rc = partial(c, r, out);
	size_t hidden = 0;
	for (size_t k = 0; k < m->n_pr && rc == 0; k++) {
		if (!privileged_user(m, k))
			continue;
		size_t f0, n, cnt = 0;
		enum mdl_risk top = RISK_NONE;
		mdl_signins_of(m, k, &f0, &n);
		for (size_t i = f0; i < f0 + n; i++) {
			const struct mdl_signin *s = &m->si[i];
			if (s->t < c->since)
				continue;
			enum mdl_risk x = signin_risk(s);
			if (x == RISK_NONE && s->risk_during == RISK_HIDDEN && s->risk_agg == RISK_HIDDEN)
				hidden++;
			if (x < RISK_MEDIUM)
				continue;
			cnt++;
			if (x > top)
				top = x;
		}
		if (!cnt)
			continue;
		struct finding *f = rule_emit(out, r, top == RISK_HIGH ? SEV_HIGH : SEV_MEDIUM, ST_SUSPECT,
					      M_ADM015_D, mdl_label(&m->pr[k]), (int)cnt,
					      mdl_risk_name(top));
		if (!f || finding_obj(f, mdl_label(&m->pr[k])) < 0) {
			rc = -1;
			break;
		}
		for (size_t i = f0; i < f0 + n && rc == 0; i++) {
			const struct mdl_signin *s = &m->si[i];
			if (s->t < c->since || signin_risk(s) < RISK_MEDIUM)
				continue;
			if (finding_obj(f, s->ip) < 0 || finding_ev(f, s->ev) < 0)
				rc = -1;
			finding_at(f, s->t);
		}
	}
	if (rc == 0 && hidden)
		rc = rule_unknown(out, r->id, "Entra ID P2", M_ADM015_HIDDEN, hidden);
	return rc;
}

/* ADM-016: addresses first seen in the last part of the window (a quarter
 * of it, between one and seven days) for an admin who signed in before
 * from elsewhere. From a country not seen before for that admin, it is a
 * suspicion; from a known country, a line to read. Addresses inside the
 * baseline's networks are left out. */
int adm_r_new_ip(const struct rule_ctx *c, const struct rule *r, struct findings *out)
{
	const struct mdl_admins *m = ADM_M(c);
	int64_t span = (c->now - signins_from(c)) / 4;
	if (span < 86400)
		span = 86400;
	if (span > 7 * 86400)
		span = 7 * 86400;
	int64_t cut = c->now - span;
	char when[32];
	int rc = partial(c, r, out);
	for (size_t k = 0; k < m->n_pr && rc == 0; k++) {
		if (!privileged_user(m, k))
			continue;
		size_t f0, n;
		mdl_signins_of(m, k, &f0, &n);
		/* Before the cut: the admin's usual addresses and countries. */
		struct mdl_map ips = { 0 }, ccs = { 0 };
		int history = 0;
		for (size_t i = f0; i < f0 + n && rc == 0; i++) {
			const struct mdl_signin *s = &m->si[i];
			if (s->t < c->since || s->t >= cut || outcome(s->error) != OK || !s->ip)
				continue;
			history = 1;
			if (mdl_map_put(&ips, s->ip, i) < 0 || (s->country && mdl_map_put(&ccs, s->country, i) < 0))
				rc = -1;
		}
		for (size_t i = f0; i < f0 + n && rc == 0 && history; i++) {
			const struct mdl_signin *s = &m->si[i];
			if (s->t < cut || outcome(s->error) != OK || !s->ip || bl_ip_ok(ADM_BL(c), s->ip) ||
			    mdl_map_get(&ips, s->ip) != MDL_NONE)
				continue;
			/* Reported at its first use only. */
			if (mdl_map_put(&ips, s->ip, i) < 0) {
				rc = -1;
				break;
			}
			adm_time(s->t, when);
			int newcc = s->country && mdl_map_get(&ccs, s->country) == MDL_NONE;
			struct finding *f = rule_emit(out, r, newcc ? SEV_MEDIUM : SEV_INFO,
						      newcc ? ST_SUSPECT : ST_CLEAR,
						      newcc ? M_ADM016_CC : M_ADM016_IP, mdl_label(&m->pr[k]),
						      s->ip, s0(s->country), when);
			if (!f || finding_obj(f, mdl_label(&m->pr[k])) < 0 || finding_obj(f, s->ip) < 0 ||
			    finding_ev(f, s->ev) < 0) {
				rc = -1;
			} else {
				f->compromise = newcc;
				f->at = s->t;
			}
		}
		mdl_map_free(&ips);
		mdl_map_free(&ccs);
	}
	return rc;
}

/* ---- the fiche's sign-in export --------------------------------------------------- */

struct agg {
	const char *ip, *country, *city;
	size_t ok, ko, interrupted, legacy;
	int64_t first, last;
};

static int agg_cmp(const void *a, const void *b)
{
	const struct agg *x = a, *y = b;
	int d = strcmp(s0(x->country), s0(y->country));
	if (!d)
		d = strcmp(s0(x->city), s0(y->city));
	if (!d)
		d = strcmp(s0(x->ip), s0(y->ip));
	return d;
}

static const enum msg_id table_head[] = {
	M_TBL_USER, M_TBL_NAME, M_TBL_IP, M_TBL_COUNTRY, M_TBL_CITY, M_TBL_OK, M_TBL_KO,
	M_TBL_INTERRUPTED, M_TBL_LEGACY, M_TBL_FIRST, M_TBL_LAST,
};

int adm_signin_table(const struct rule_ctx *c, struct rule_table *t)
{
	const struct mdl_admins *m = ADM_M(c);
	memset(t, 0, sizeof *t);
	t->ncol = sizeof table_head / sizeof table_head[0];
	t->head = table_head;
	/* Users in label order, so that the file reads like a register. */
	size_t *order = malloc((m->n_pr ? m->n_pr : 1) * sizeof *order), no = 0;
	if (!order)
		return err_set(E_NOMEM);
	for (size_t k = 0; k < m->n_pr; k++)
		if (privileged_user(m, k))
			order[no++] = k;
	for (size_t a = 1; a < no; a++)
		for (size_t b = a; b > 0 && strcasecmp(mdl_label(&m->pr[order[b - 1]]),
						       mdl_label(&m->pr[order[b]])) > 0; b--) {
			size_t x = order[b];
			order[b] = order[b - 1];
			order[b - 1] = x;
		}
	int rc = 0;
	for (size_t o = 0; o < no && rc == 0; o++) {
		size_t k = order[o], f0, n, na = 0;
		mdl_signins_of(m, k, &f0, &n);
		struct agg *ag = calloc(n ? n : 1, sizeof *ag);
		struct mdl_map byip = { 0 };
		if (!ag) {
			rc = err_set(E_NOMEM);
			break;
		}
		for (size_t i = f0; i < f0 + n && rc == 0; i++) {
			const struct mdl_signin *s = &m->si[i];
			if (s->t < c->since)
				continue;
			/* One row per address; its place is where it was first
			 * seen (geolocation of one address rarely moves within
			 * a window). */
			const char *key = s->ip ? s->ip : "";
			size_t j = mdl_map_get(&byip, key);
			struct agg *g = j == MDL_NONE ? NULL : &ag[j];
			if (!g) {
				if (mdl_map_put(&byip, key, na) < 0) {
					rc = -1;
					break;
				}
				g = &ag[na++];
				g->ip = s->ip;
				g->country = s->country;
				g->city = s->city;
				g->first = s->t;
			}
			enum outcome oc = outcome(s->error);
			g->ok += oc == OK;
			g->ko += oc == FAILED;
			g->interrupted += oc == INTERRUPTED;
			g->legacy += legacy(s->client);
			g->last = s->t;
		}
		mdl_map_free(&byip);
		qsort(ag, na, sizeof *ag, agg_cmp);
		for (size_t j = 0; j < na && rc == 0; j++) {
			char nums[4][24], first[32], last[32];
			snprintf(nums[0], sizeof nums[0], "%zu", ag[j].ok);
			snprintf(nums[1], sizeof nums[1], "%zu", ag[j].ko);
			snprintf(nums[2], sizeof nums[2], "%zu", ag[j].interrupted);
			snprintf(nums[3], sizeof nums[3], "%zu", ag[j].legacy);
			tm_utc_iso(ag[j].first, first, sizeof first);
			tm_utc_iso(ag[j].last, last, sizeof last);
			const char *row[] = { mdl_label(&m->pr[k]), m->pr[k].name, ag[j].ip, ag[j].country,
					      ag[j].city, nums[0], nums[1], nums[2], nums[3], first, last };
			rc = rule_table_row(t, row);
		}
		free(ag);
	}
	free(order);
	return rc;
}
