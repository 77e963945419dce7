/*
 * check-admins rules on the tenant's settings: guests (fiche 1.b, "Vérification
 * des invités") and security configuration (2.a: federation, conditional
 * access, security defaults).
 */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "baseline/baseline.h"
#include "model/model.h"
#include "rules/rules.h"


static const char *s0(const char *s) { return s ? s : ""; }

/* ADM-020: guests see more than their own objects. The fiche wants "Guest
 * user access is restricted to properties and memberships of their own
 * directory objects (most restrictive)": authorizationPolicy
 * guestUserRoleId 2af84b1e-32c8-42b7-82bc-daa82404023b (Graph v1.0
 * authorizationPolicy; the other values are a0b1b346-… "same as members"
 * and 10dae51f-… "limited access", the default). */
int adm_r_guest_access(const struct rule_ctx *c, const struct rule *r, struct findings *out)
{
	const struct mdl_admins *m = ADM_M(c);
	if (m->guest_role_id && !strcasecmp(m->guest_role_id, MDL_RESTRICTED_GUEST_ROLE))
		return 0;
	const char *what = !m->guest_role_id ? "?" :
		!strcasecmp(m->guest_role_id, "a0b1b346-4d3e-4e8b-98f8-753987be4970") ? tr(M_ADM020_SAME) :
		!strcasecmp(m->guest_role_id, "10dae51f-b6af-4016-8d66-8c2a99b929b3") ? tr(M_ADM020_LIMITED) :
		m->guest_role_id;
	struct finding *f = rule_emit(out, r, r->sev, ST_CONFIRMED, M_ADM020_D, what);
	if (!f || finding_obj(f, m->guest_role_id) < 0 || finding_ev(f, m->ev_authz) < 0)
		return -1;
	return 0;
}

/* ADM-021: who may invite guests. The fiche wants "Only users assigned to
 * specific admin roles can invite guest users": allowInvitesFrom
 * adminsAndGuestInviters, or none (values: none, adminsAndGuestInviters,
 * adminsGuestInvitersAndAllMembers, everyone). */
int adm_r_invites(const struct rule_ctx *c, const struct rule *r, struct findings *out)
{
	const struct mdl_admins *m = ADM_M(c);
	const char *v = m->allow_invites;
	if (v && (!strcasecmp(v, "adminsAndGuestInviters") || !strcasecmp(v, "none")))
		return 0;
	struct finding *f = rule_emit(out, r, v && !strcasecmp(v, "everyone") ? SEV_MEDIUM : r->sev,
				      ST_CONFIRMED, M_ADM021_D, v ? v : "?");
	if (!f || finding_obj(f, v) < 0 || finding_ev(f, m->ev_authz) < 0)
		return -1;
	return 0;
}

/* The domain a guest comes from: its mail's, else the one folded into a
 * B2B UPN ("alice_partner.example#EXT#@contoso.onmicrosoft.com"). */
static void guest_domain(const struct mdl_principal *p, char *out, size_t sz)
{
	out[0] = 0;
	const char *at = p->mail ? strrchr(p->mail, '@') : NULL;
	if (at) {
		snprintf(out, sz, "%s", at + 1);
		return;
	}
	const char *ext = p->upn ? strstr(p->upn, "#EXT#") : NULL;
	if (!ext)
		return;
	const char *us = NULL;
	for (const char *q = p->upn; q < ext; q++)
		if (*q == '_')
			us = q;
	if (us && (size_t)(ext - us - 1) < sz)
		snprintf(out, sz, "%.*s", (int)(ext - us - 1), us + 1);
}

/* ADM-022: guests who signed in within the window, with who invited them
 * when the audit log says: the fiche asks to confirm each with its
 * inviter. From a domain outside the baseline's guest domains, a
 * suspicion; otherwise a line of the list. */
int adm_r_guest_signins(const struct rule_ctx *c, const struct rule *r, struct findings *out)
{
	const struct mdl_admins *m = ADM_M(c);
	const struct bl *b = ADM_BL(c);
	char when[32], dom[256];
	int rc = 0;
	for (size_t k = 0; k < m->n_pr && rc == 0; k++) {
		const struct mdl_principal *p = &m->pr[k];
		if (!p->listed_guest || !p->last_signin || p->last_signin < c->since)
			continue;
		/* Who invited: "Invite external user" naming this guest. */
		const struct mdl_audit *inv = NULL;
		for (size_t i = 0; i < m->n_au && !inv; i++) {
			const struct mdl_audit *a = &m->au[i];
			if (a->kind != AUD_INVITE && a->kind != AUD_USER_ADD)
				continue;
			for (int t = 0; t < a->ntgt && !inv; t++)
				if ((a->tgt[t].id && !strcasecmp(a->tgt[t].id, p->id)) ||
				    (a->tgt[t].upn && p->upn && !strcasecmp(a->tgt[t].upn, p->upn)))
					inv = a;
		}
		guest_domain(p, dom, sizeof dom);
		int allowed = !b->guest_domains.n || (dom[0] && bl_guest_domain_ok(b, dom));
		adm_time(p->last_signin, when);
		const char *by = inv ? (inv->by_upn ? inv->by_upn : s0(inv->by_app)) : tr(M_ADM022_NOBODY);
		struct finding *f = rule_emit(out, r, allowed ? SEV_INFO : SEV_LOW,
					      allowed ? ST_CLEAR : ST_SUSPECT,
					      allowed ? M_ADM022_D : M_ADM022_DOMAIN, mdl_label(p), when, by,
					      dom);
		if (!f || finding_obj(f, mdl_label(p)) < 0 || finding_obj(f, p->id) < 0 ||
		    (inv && finding_obj(f, inv->by_upn) < 0) || finding_ev(f, p->ev) < 0 ||
		    (inv && finding_ev(f, inv->ev) < 0))
			rc = -1;
	}
	return rc;
}

/* ADM-023: federated domains. Federation hands sign-in to another
 * identity provider: a forged or added federation (Golden SAML, "domain
 * federation backdoor") lets an attacker sign in as anyone. Known to the
 * baseline with the same issuer: a line; otherwise a suspicion. */
int adm_r_federated(const struct rule_ctx *c, const struct rule *r, struct findings *out)
{
	const struct mdl_admins *m = ADM_M(c);
	int rc = 0;
	for (size_t k = 0; k < m->n_dom && rc == 0; k++) {
		const struct mdl_domain *d = &m->dom[k];
		if (!d->federated)
			continue;
		int known = rule_has_baseline(c) ? bl_fed_domain(ADM_BL(c), d->id, d->issuer) : 0;
		struct finding *f;
		if (known == 1)
			f = rule_emit(out, r, SEV_INFO, ST_CLEAR, M_ADM023_KNOWN, d->id, s0(d->issuer));
		else
			f = rule_emit(out, r, r->sev, ST_SUSPECT, known == 2 ? M_ADM023_ISSUER : M_ADM023_D,
				      d->id, s0(d->issuer));
		if (!f || finding_obj(f, d->id) < 0 || finding_obj(f, d->issuer) < 0 ||
		    finding_ev(f, d->ev) < 0 || finding_ev(f, d->ev_fed) < 0)
			rc = -1;
		else
			f->compromise = known != 1;
	}
	return rc;
}

static const char *target_name(const struct mdl_audit *a)
{
	for (int t = 0; t < a->ntgt; t++)
		if (a->tgt[t].name)
			return a->tgt[t].name;
	return "?";
}

/* ADM-024: federation set or changed, or a domain added or verified,
 * within the window (activity names: model/audit.c). */
int adm_r_fed_change(const struct rule_ctx *c, const struct rule *r, struct findings *out)
{
	const struct mdl_admins *m = ADM_M(c);
	char when[32];
	int rc = adm_log_partial(c, r, out, ADM_SRC_AUDITS) < 0 ? -1 : 0;
	for (size_t i = 0; i < m->n_au && rc == 0; i++) {
		const struct mdl_audit *a = &m->au[i];
		if ((a->kind != AUD_FEDERATION && a->kind != AUD_DOMAIN) || a->t < c->since)
			continue;
		adm_time(a->t, when);
		const char *by = a->by_upn ? a->by_upn : a->by_app ? a->by_app : "?";
		int fed = a->kind == AUD_FEDERATION;
		struct finding *f = rule_emit(out, r, fed ? r->sev : SEV_MEDIUM, ST_SUSPECT,
					      M_ADM024_D, a->activity, target_name(a), when, by);
		if (!f || finding_obj(f, target_name(a)) < 0 || finding_obj(f, a->by_upn) < 0 ||
		    finding_obj(f, a->by_ip) < 0 || finding_ev(f, a->ev) < 0)
			rc = -1;
		else {
			f->compromise = fed;
			f->at = a->t;
		}
	}
	return rc;
}

/* ADM-025: conditional access policies deleted, switched off (disabled or
 * report-only) or changed within the window, and security defaults
 * changed — from the audit log, and from the policies' own
 * modifiedDateTime when the log is silent. */
int adm_r_ca_change(const struct rule_ctx *c, const struct rule *r, struct findings *out)
{
	const struct mdl_admins *m = ADM_M(c);
	char when[32];
	int rc = adm_log_partial(c, r, out, ADM_SRC_AUDITS) < 0 ? -1 : 0;
	for (size_t i = 0; i < m->n_au && rc == 0; i++) {
		const struct mdl_audit *a = &m->au[i];
		if (a->t < c->since)
			continue;
		enum rule_sev sev;
		enum msg_id d;
		switch (a->kind) {
		case AUD_CA_DELETE: sev = SEV_HIGH; d = M_ADM025_DELETED; break;
		case AUD_CA_UPDATE:
			sev = a->ca_disabled ? SEV_HIGH : SEV_MEDIUM;
			d = a->ca_disabled ? M_ADM025_DISABLED : M_ADM025_CHANGED;
			break;
		/* Adding a policy tightens security: a line, not an accusation. */
		case AUD_CA_ADD: sev = SEV_INFO; d = M_ADM025_ADDED; break;
		case AUD_SECDEFAULTS: sev = SEV_MEDIUM; d = M_ADM025_SECDEF; break;
		default: continue;
		}
		adm_time(a->t, when);
		const char *by = a->by_upn ? a->by_upn : a->by_app ? a->by_app : "?";
		struct finding *f = rule_emit(out, r, sev, sev == SEV_INFO ? ST_CLEAR : ST_SUSPECT, d,
					      target_name(a), when, by);
		if (!f || finding_obj(f, target_name(a)) < 0 || finding_obj(f, a->by_upn) < 0 ||
		    finding_obj(f, a->by_ip) < 0 || finding_ev(f, a->ev) < 0)
			rc = -1;
		else {
			f->compromise = a->kind != AUD_CA_ADD;
			f->at = a->t;
		}
	}
	/* Policies switched off within the window that the log does not
	 * explain (audit log unreadable or shorter than the window). */
	for (size_t k = 0; k < m->n_ca && rc == 0; k++) {
		const struct mdl_ca *p = &m->ca[k];
		if (!p->modified || p->modified < c->since || !p->state || !strcasecmp(p->state, "enabled"))
			continue;
		int logged = 0;
		for (size_t i = 0; i < m->n_au && !logged; i++)
			for (int t = 0; t < m->au[i].ntgt && !logged; t++)
				logged = m->au[i].tgt[t].id && p->id && !strcasecmp(m->au[i].tgt[t].id, p->id) &&
					 (m->au[i].kind == AUD_CA_UPDATE || m->au[i].kind == AUD_CA_ADD);
		if (logged)
			continue;
		adm_time(p->modified, when);
		struct finding *f = rule_emit(out, r, SEV_MEDIUM, ST_SUSPECT, M_ADM025_STATE, s0(p->name),
					      p->state, when);
		if (!f || finding_obj(f, p->id) < 0 || finding_ev(f, p->ev) < 0)
			rc = -1;
		else
			f->at = p->modified;
	}
	return rc;
}

/* ADM-026: security defaults off and no conditional access policy
 * enforced: nothing asks admins for MFA. A tenant without the P1 licence
 * cannot have conditional access, so a licence refusal counts as none. */
int adm_r_no_protection(const struct rule_ctx *c, const struct rule *r, struct findings *out)
{
	const struct mdl_admins *m = ADM_M(c);
	if (m->secdef == 1)
		return 0;
	const struct rule_source *ca = &c->src[ADM_SRC_CA];
	size_t enforced = 0;
	if (ca->ok) {
		for (size_t k = 0; k < m->n_ca; k++)
			enforced += m->ca[k].state && !strcasecmp(m->ca[k].state, "enabled");
	} else if (m->src[ADM_SRC_CA].st != MDL_ST_LICENCE) {
		return rule_unknown(out, r->id, ca->needs, ca->reason, ca->name, ca->detail);
	}
	if (enforced)
		return 0;
	struct finding *f = rule_emit(out, r, r->sev, ST_CONFIRMED, M_ADM026_D);
	if (!f || finding_ev(f, m->ev_secdef) < 0)
		return -1;
	for (size_t k = 0; ca->ok && k < m->n_ca; k++)
		if (finding_ev(f, m->ca[k].ev) < 0)
			return -1;
	return 0;
}
