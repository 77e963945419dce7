/*
 * check-admins rules on Identity Protection and on security information
 * (fiche 1.a: "risky users", "risky sign-ins"; 2.a: MFA altered).
 *
 * riskState values (Graph v1.0 riskyUser, riskDetection): none,
 * confirmedSafe, remediated, dismissed, atRisk, confirmedCompromised.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "model/model.h"
#include "rules/rules.h"


static const char *s0(const char *s) { return s ? s : ""; }

static int open_risk(const char *state)
{
	return state && (!strcasecmp(state, "atRisk") || !strcasecmp(state, "confirmedCompromised"));
}

/* UPN -> privileged principal. */
static int upn_map(const struct mdl_admins *m, struct mdl_map *u)
{
	memset(u, 0, sizeof *u);
	for (size_t i = 0; i < m->n_pr; i++)
		if (m->pr[i].ng && m->pr[i].upn && mdl_map_put(u, m->pr[i].upn, i) < 0)
			return -1;
	return 0;
}

/* A privileged principal by object id, else by UPN. */
static size_t priv_by(const struct mdl_admins *m, const struct mdl_map *u, const char *id,
		      const char *upn)
{
	size_t k = mdl_map_get(&m->pr_by_id, id);
	if (k != MDL_NONE && m->pr[k].ng)
		return k;
	return mdl_map_get(u, upn);
}

/* "hidden": Microsoft rated it but shows the level only with Entra ID P2;
 * an open risk of unknown level on an admin is worth a medium. */
static enum rule_sev sev_of(enum mdl_risk r)
{
	return r == RISK_HIGH ? SEV_HIGH : r == RISK_MEDIUM || r == RISK_HIDDEN ? SEV_MEDIUM : SEV_LOW;
}

/* ADM-017: a privileged account Identity Protection holds at risk, or that
 * an administrator confirmed compromised. */
int adm_r_risky_user(const struct rule_ctx *c, const struct rule *r, struct findings *out)
{
	const struct mdl_admins *m = ADM_M(c);
	struct mdl_map um;
	int rc = upn_map(m, &um);
	for (size_t i = 0; i < m->n_ru && rc == 0; i++) {
		const struct mdl_risky_user *u = &m->ru[i];
		size_t k = priv_by(m, &um, u->id, u->upn);
		if (k == MDL_NONE || !open_risk(u->state))
			continue;
		int confirmed = !strcasecmp(u->state, "confirmedCompromised");
		struct finding *f = adm_emit_pr(out, r, confirmed ? SEV_CRITICAL : sev_of(u->level),
						confirmed ? ST_CONFIRMED : ST_SUSPECT, m, k,
						confirmed ? M_ADM017_CONFIRMED : M_ADM017_AT_RISK,
						mdl_label(&m->pr[k]), mdl_risk_name(u->level),
						s0(u->detail));
		if (!f || finding_ev_first(f, u->ev) < 0)
			rc = -1;
		else
			f->at = u->updated;
	}
	mdl_map_free(&um);
	return rc;
}

/* ADM-018: risk detections on privileged accounts within the window that
 * are still open. */
int adm_r_risk_det(const struct rule_ctx *c, const struct rule *r, struct findings *out)
{
	const struct mdl_admins *m = ADM_M(c);
	struct mdl_map um;
	size_t *who = malloc((m->n_rd ? m->n_rd : 1) * sizeof *who);
	if (!who)
		return err_set(E_NOMEM);
	int rc = upn_map(m, &um);
	if (rc == 0 && adm_log_partial(c, r, out, ADM_SRC_RISKDET) < 0)
		rc = -1;
	for (size_t i = 0; i < m->n_rd; i++) {
		const struct mdl_risk_det *d = &m->rd[i];
		who[i] = d->t < c->since || !open_risk(d->state) || d->level == RISK_UNKNOWN ? MDL_NONE :
			 priv_by(m, &um, d->user_id, d->upn);
	}
	mdl_map_free(&um);
	/* One finding per account, in the order of the principals. */
	for (size_t k = 0; k < m->n_pr && rc == 0; k++) {
		size_t cnt = 0;
		enum mdl_risk top = RISK_NONE;
		int hidden = 0;
		for (size_t i = 0; i < m->n_rd; i++)
			if (who[i] == k) {
				cnt++;
				if (m->rd[i].level == RISK_HIDDEN)
					hidden = 1;
				else if (m->rd[i].level > top)
					top = m->rd[i].level;
			}
		/* A hidden level counts as medium, below a level shown high. */
		if (hidden && top < RISK_MEDIUM)
			top = RISK_HIDDEN;
		if (!cnt)
			continue;
		struct buf types = { 0 };
		struct mdl_map seen = { 0 };
		for (size_t i = 0; i < m->n_rd && rc == 0; i++) {
			const char *t = m->rd[i].type;
			if (who[i] == k && t && mdl_map_get(&seen, t) == MDL_NONE &&
			    (mdl_map_put(&seen, t, i) < 0 || (types.len && buf_puts(&types, ", ") < 0) ||
			     buf_puts(&types, t) < 0))
				rc = -1;
		}
		mdl_map_free(&seen);
		struct finding *f = rc ? NULL :
			adm_emit_pr(out, r, sev_of(top), ST_SUSPECT, m, k, M_ADM018_D, mdl_label(&m->pr[k]),
				    (int)cnt, s0(types.p), mdl_risk_name(top));
		if (!f)
			rc = -1;
		for (size_t i = 0; f && i < m->n_rd && rc == 0; i++) {
			if (who[i] != k)
				continue;
			if (finding_obj(f, m->rd[i].ip) < 0 || finding_ev_first(f, m->rd[i].ev) < 0)
				rc = -1;
			/* the first detection: where the timeline starts */
			if (m->rd[i].t && (!f->at || m->rd[i].t < f->at))
				f->at = m->rd[i].t;
		}
		buf_free(&types);
	}
	free(who);
	return rc;
}

/* ADM-019: security information (MFA methods) or passwords of privileged
 * accounts changed within the window: registering one's own method is how
 * an attacker keeps a stolen admin account. Activity names: model/audit.c. */
int adm_r_secinfo(const struct rule_ctx *c, const struct rule *r, struct findings *out)
{
	const struct mdl_admins *m = ADM_M(c);
	char when[32];
	struct mdl_map um;
	int rc = upn_map(m, &um);
	if (rc == 0 && adm_log_partial(c, r, out, ADM_SRC_AUDITS) < 0)
		rc = -1;
	for (size_t i = 0; i < m->n_au && rc == 0; i++) {
		const struct mdl_audit *a = &m->au[i];
		if ((a->kind != AUD_SECINFO && a->kind != AUD_PASSWORD) || a->t < c->since)
			continue;
		size_t k = MDL_NONE;
		for (int t = 0; t < a->ntgt && k == MDL_NONE; t++)
			if (!a->tgt[t].type || !strcasecmp(a->tgt[t].type, "User"))
				k = priv_by(m, &um, a->tgt[t].id, a->tgt[t].upn);
		/* Self-service registration logs the user as the initiator,
		 * sometimes with no target. */
		if (k == MDL_NONE && !a->ntgt)
			k = priv_by(m, &um, a->by_user_id, a->by_upn);
		if (k == MDL_NONE)
			continue;
		const struct mdl_principal *p = &m->pr[k];
		int by_other = a->by_upn && p->upn && strcasecmp(a->by_upn, p->upn);
		adm_time(a->t, when);
		const char *by = a->by_upn ? a->by_upn : a->by_app ? a->by_app : "?";
		struct finding *f = adm_emit_pr(out, r, by_other ? SEV_HIGH : r->sev, ST_SUSPECT, m, k,
						M_ADM019_D, mdl_label(p), a->activity, when, by);
		if (!f || finding_obj(f, a->by_upn) < 0 || finding_obj(f, a->by_ip) < 0 ||
		    finding_ev_first(f, a->ev) < 0)
			rc = -1;
		else
			f->at = a->t;
	}
	mdl_map_free(&um);
	return rc;
}
