/*
 * check-admins: the table of rules (fiche 1.a privileged accounts, 1.b
 * guests, 2.a tenant security settings), the "sound global administrator"
 * question and the verdict.
 *
 * Rule ids are stable: a retired rule keeps its number, a new rule takes
 * the next one. The table's order is the order they run in: ADM-002 comes
 * last because it reads the other findings.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "baseline/baseline.h"
#include "model/model.h"
#include "rules/rules.h"

#define M(c) ((const struct mdl_admins *)(c)->model)

int adm_r_ga_count(const struct rule_ctx *, const struct rule *, struct findings *);
int adm_r_unknown_admin(const struct rule_ctx *, const struct rule *, struct findings *);
int adm_r_granted(const struct rule_ctx *, const struct rule *, struct findings *);
int adm_r_created(const struct rule_ctx *, const struct rule *, struct findings *);
int adm_r_no_mfa(const struct rule_ctx *, const struct rule *, struct findings *);
int adm_r_synced(const struct rule_ctx *, const struct rule *, struct findings *);
int adm_r_priv_guest(const struct rule_ctx *, const struct rule *, struct findings *);
int adm_r_priv_sp(const struct rule_ctx *, const struct rule *, struct findings *);
int adm_r_priv_group(const struct rule_ctx *, const struct rule *, struct findings *);
int adm_r_dormant(const struct rule_ctx *, const struct rule *, struct findings *);
int adm_r_outside(const struct rule_ctx *, const struct rule *, struct findings *);
int adm_r_spray(const struct rule_ctx *, const struct rule *, struct findings *);
int adm_r_legacy(const struct rule_ctx *, const struct rule *, struct findings *);
int adm_r_risky_signin(const struct rule_ctx *, const struct rule *, struct findings *);
int adm_r_new_ip(const struct rule_ctx *, const struct rule *, struct findings *);
int adm_r_risky_user(const struct rule_ctx *, const struct rule *, struct findings *);
int adm_r_risk_det(const struct rule_ctx *, const struct rule *, struct findings *);
int adm_r_secinfo(const struct rule_ctx *, const struct rule *, struct findings *);
int adm_r_guest_access(const struct rule_ctx *, const struct rule *, struct findings *);
int adm_r_invites(const struct rule_ctx *, const struct rule *, struct findings *);
int adm_r_guest_signins(const struct rule_ctx *, const struct rule *, struct findings *);
int adm_r_federated(const struct rule_ctx *, const struct rule *, struct findings *);
int adm_r_fed_change(const struct rule_ctx *, const struct rule *, struct findings *);
int adm_r_ca_change(const struct rule_ctx *, const struct rule *, struct findings *);
int adm_r_no_protection(const struct rule_ctx *, const struct rule *, struct findings *);
static int adm_r_sound_ga(const struct rule_ctx *, const struct rule *, struct findings *);

#define B(s) ADM_BIT(ADM_SRC_##s)
#define ROLES (B(ASSIGN))
#define ROW(id, fiche, sev, n, needs, flags, fn) \
	{ id, fiche, sev, M_ADM##n##_T, M_ADM##n##_W, M_ADM##n##_C, needs, flags, fn }

const struct rule adm_rules[] = {
	ROW("ADM-001", "1.a", SEV_HIGH, 001, ROLES | B(USERS), 0, adm_r_ga_count),
	ROW("ADM-003", "1.a", SEV_HIGH, 003, ROLES, RULE_COMPROMISE | RULE_BASELINE, adm_r_unknown_admin),
	ROW("ADM-004", "1.a", SEV_HIGH, 004, ROLES | B(AUDITS), RULE_COMPROMISE, adm_r_granted),
	ROW("ADM-005", "1.a", SEV_HIGH, 005, ROLES | B(USERS), RULE_COMPROMISE, adm_r_created),
	ROW("ADM-006", "1.a", SEV_HIGH, 006, ROLES | B(USERS) | B(MFA), 0, adm_r_no_mfa),
	ROW("ADM-007", "1.a", SEV_MEDIUM, 007, ROLES | B(USERS), 0, adm_r_synced),
	ROW("ADM-008", "1.a", SEV_HIGH, 008, ROLES | B(USERS), RULE_COMPROMISE, adm_r_priv_guest),
	ROW("ADM-009", "1.a", SEV_HIGH, 009, ROLES, RULE_COMPROMISE | RULE_BASELINE, adm_r_priv_sp),
	ROW("ADM-010", "1.a", SEV_MEDIUM, 010, ROLES, RULE_BASELINE, adm_r_priv_group),
	ROW("ADM-011", "1.a", SEV_INFO, 011, ROLES | B(USERS), 0, adm_r_dormant),
	ROW("ADM-012", "1.a", SEV_MEDIUM, 012, ROLES | B(SIGNINS), RULE_COMPROMISE | RULE_BASELINE, adm_r_outside),
	ROW("ADM-013", "1.a", SEV_MEDIUM, 013, ROLES | B(SIGNINS), 0, adm_r_spray),
	ROW("ADM-014", "1.a", SEV_MEDIUM, 014, ROLES | B(SIGNINS), 0, adm_r_legacy),
	ROW("ADM-015", "1.a", SEV_HIGH, 015, ROLES | B(SIGNINS), RULE_COMPROMISE, adm_r_risky_signin),
	ROW("ADM-016", "1.a", SEV_MEDIUM, 016, ROLES | B(SIGNINS), 0, adm_r_new_ip),
	ROW("ADM-017", "1.a", SEV_HIGH, 017, ROLES | B(RISKYUSERS), RULE_COMPROMISE, adm_r_risky_user),
	ROW("ADM-018", "1.a", SEV_HIGH, 018, ROLES | B(RISKDET), RULE_COMPROMISE, adm_r_risk_det),
	ROW("ADM-019", "1.a", SEV_MEDIUM, 019, ROLES | B(AUDITS), RULE_COMPROMISE, adm_r_secinfo),
	ROW("ADM-020", "1.b", SEV_LOW, 020, B(AUTHZ), 0, adm_r_guest_access),
	ROW("ADM-021", "1.b", SEV_LOW, 021, B(AUTHZ), 0, adm_r_invites),
	ROW("ADM-022", "1.b", SEV_INFO, 022, B(GUESTS) | B(ACTIVITY), 0, adm_r_guest_signins),
	ROW("ADM-023", "2.a", SEV_HIGH, 023, B(DOMAINS) | B(FEDERATION), RULE_COMPROMISE, adm_r_federated),
	ROW("ADM-024", "2.a", SEV_HIGH, 024, B(AUDITS), RULE_COMPROMISE, adm_r_fed_change),
	ROW("ADM-025", "2.a", SEV_HIGH, 025, B(AUDITS), RULE_COMPROMISE, adm_r_ca_change),
	ROW("ADM-026", "2.a", SEV_HIGH, 026, B(SECDEF), 0, adm_r_no_protection),
	ROW("ADM-002", "1.a", SEV_CRITICAL, 002, ROLES | B(USERS), 0, adm_r_sound_ga),
};
const size_t adm_nrules = sizeof adm_rules / sizeof adm_rules[0];

/* ---- helpers shared by the adm_*.c rules ------------------------------------------- */

void adm_time(int64_t t, char out[32])
{
	char iso[32];
	tm_utc_iso(t, iso, sizeof iso);
	/* "2026-03-01T10:00:00Z" -> "2026-03-01 10:00 UTC" */
	snprintf(out, 32, "%.10s %.5s UTC", iso, iso + 11);
}

struct finding *adm_emit_pr(struct findings *out, const struct rule *r, enum rule_sev sev,
			    enum rule_status st, const struct mdl_admins *m, size_t who,
			    enum msg_id detail, ...)
{
	va_list ap;
	va_start(ap, detail);
	struct finding *f = rule_vemit(out, r, sev, st, detail, ap);
	va_end(ap);
	if (!f)
		return NULL;
	const struct mdl_principal *p = &m->pr[who];
	if (finding_obj(f, mdl_label(p)) < 0 || finding_obj(f, p->id) < 0 || finding_ev(f, p->ev) < 0)
		return NULL;
	for (size_t i = p->g0; i < p->g0 + p->ng; i++)
		if (finding_ev(f, m->grants[i].ev) < 0)
			return NULL;
	return f;
}

int64_t adm_log_partial(const struct rule_ctx *c, const struct rule *r, struct findings *out, int s)
{
	int64_t from = M(c)->src[s].since;
	if (from <= c->since)
		return c->since;
	char a[32], b[32];
	adm_time(c->since, a);
	adm_time(from, b);
	int days = (int)((c->now - from + 43200) / 86400);
	if (M(c)->src[s].since_collected) {
		if (rule_unknown(out, r->id, "check-admins --since (live)", M_ADM_LOG_UNCOLLECTED,
				 c->src[s].name, b, a, b) < 0)
			return -1;
	} else if (rule_unknown(out, r->id, c->src[s].needs, M_ADM_LOG_PARTIAL, c->src[s].name, days, a, b) < 0)
		return -1;
	return from;
}

int adm_suspected(const struct mdl_admins *m, size_t who, const struct findings *fs)
{
	const struct mdl_principal *p = &m->pr[who];
	for (size_t i = 0; i < fs->n; i++) {
		const struct finding *f = &fs->f[i];
		if (!f->compromise || f->status < ST_SUSPECT || f->sev == SEV_INFO)
			continue;
		for (size_t o = 0; o < f->nobj; o++)
			if ((p->id && !strcasecmp(f->obj[o], p->id)) || (p->upn && !strcasecmp(f->obj[o], p->upn)))
				return 1;
	}
	return 0;
}

/* ---- ADM-002: is a sound global administrator left? ----------------------------------
 * Sound: a user (not a guest) holding Global Administrator over the whole
 * tenant (active, or eligible and so able to activate it), enabled, with
 * MFA registered, and named by no compromise finding. The fiche's case:
 * the attacker took the admin rights for himself and the victim no
 * longer administers its own tenant. */
enum sound { SOUND_YES, SOUND_NO, SOUND_UNKNOWN };

static enum sound sound_gas(const struct rule_ctx *c, const struct findings *fs, struct buf *names,
			    size_t *nga, size_t *nsuspected)
{
	const struct mdl_admins *m = M(c);
	size_t sound = 0, unsure = 0;
	*nga = *nsuspected = 0;
	for (size_t k = 0; k < m->n_pr; k++) {
		const struct mdl_principal *p = &m->pr[k];
		if (p->type != PT_USER || !mdl_is_ga(m, k, NULL))
			continue;
		(*nga)++;
		if (p->enabled == 0 || p->mfa == 0 || (p->user_type && !strcasecmp(p->user_type, "Guest")))
			continue;
		if (adm_suspected(m, k, fs)) {
			(*nsuspected)++;
			continue;
		}
		if (p->enabled < 0 || p->mfa < 0) {
			unsure++;
			continue;
		}
		sound++;
		if (names && ((names->len && buf_puts(names, ", ") < 0) || buf_puts(names, mdl_label(p)) < 0))
			return SOUND_UNKNOWN;
	}
	/* Holders hidden in groups whose members could not be read. */
	for (size_t k = 0; k < m->n_pr; k++)
		if (m->pr[k].type == PT_GROUP && !m->pr[k].members_known && mdl_is_ga(m, k, NULL))
			unsure++;
	if (sound)
		return SOUND_YES;
	return unsure ? SOUND_UNKNOWN : SOUND_NO;
}

static int adm_r_sound_ga(const struct rule_ctx *c, const struct rule *r, struct findings *out)
{
	const struct mdl_admins *m = M(c);
	size_t nga, nsus;
	enum sound s = sound_gas(c, out, NULL, &nga, &nsus);
	if (s == SOUND_YES)
		return 0;
	if (s == SOUND_UNKNOWN)
		return rule_unknown(out, r->id, m->src[ADM_SRC_MFA].needs, M_ADM002_UNKNOWN);
	/* Holders all disabled, without MFA or guests: a fact. Holders set
	 * aside because other findings suspect them: a suspicion, and one
	 * that says the attacker may hold the tenant. */
	struct finding *f = rule_emit(out, r, r->sev, nsus ? ST_SUSPECT : ST_CONFIRMED,
				      M_ADM002_D, (int)nga);
	if (!f)
		return -1;
	f->compromise = nsus > 0;
	for (size_t k = 0; k < m->n_pr; k++)
		if (m->pr[k].type == PT_USER && mdl_is_ga(m, k, NULL) &&
		    (finding_obj(f, mdl_label(&m->pr[k])) < 0 || finding_ev(f, m->pr[k].ev) < 0))
			return -1;
	for (size_t i = 0; i < m->n_grants; i++)
		if (m->roles[m->grants[i].role].is_ga && finding_ev(f, m->grants[i].ev) < 0)
			return -1;
	return 0;
}

/* ---- sources ------------------------------------------------------------------------------ */

void adm_sources(const void *model, struct rule_source out[], size_t n)
{
	const struct mdl_admins *m = model;
	static const enum msg_id reason[] = {
		[MDL_ST_ABSENT] = M_SRC_ABSENT, [MDL_ST_OK] = M_SRC_ABSENT,
		[MDL_ST_LICENCE] = M_SRC_LICENCE, [MDL_ST_DENIED] = M_SRC_DENIED,
		[MDL_ST_FAILED] = M_SRC_FAILED, [MDL_ST_SKIPPED] = M_SRC_SKIPPED,
		[MDL_ST_BAD] = M_SRC_BAD,
	};
	for (size_t i = 0; i < n && i < ADM_NSRC; i++) {
		const struct mdl_src *s = &m->src[i];
		out[i].name = s->name;
		out[i].ok = s->st == MDL_ST_OK;
		out[i].reason = (unsigned)s->st < sizeof reason / sizeof reason[0] ? reason[s->st] : M_SRC_FAILED;
		out[i].detail = s->detail;
		out[i].needs = s->needs_rec[0] ? s->needs_rec : s->needs;
	}
}

/* ---- verdict ----------------------------------------------------------------------------------- */

int adm_verdict(const struct rule_ctx *c, const struct findings *fs, struct rule_verdict *v)
{
	const struct mdl_admins *m = M(c);
	/* Without the role holders there is nothing to judge; without both
	 * the sign-ins and the audit log, nothing about what they did. */
	int undetermined = !c->src[ADM_SRC_ASSIGN].ok ||
			   (!c->src[ADM_SRC_SIGNINS].ok && !c->src[ADM_SRC_AUDITS].ok);
	v->question = M_ADM_QUESTION;
	v->subject = M_ADM_SUBJECT;
	if (rule_verdict(fs, undetermined, v) < 0)
		return -1;
	if (v->v == VERDICT_UNDETERMINED &&
	    rule_fmt2(v->why, !c->src[ADM_SRC_ASSIGN].ok ? M_ADM_WHY_NOROLES : M_ADM_WHY_NOLOGS) < 0)
		return -1;
	if (v->v == VERDICT_NOT_DETECTED &&
	    (fs->nu ? rule_fmt2(v->why, M_ADM_WHY_PARTIAL, (int)fs->nu) : rule_fmt2(v->why, M_ADM_WHY_CLEAN)) < 0)
		return -1;
	/* The line the fiche asks for: does the victim still hold its own
	 * tenant? */
	struct buf names = { 0 };
	size_t nga = 0, nsus = 0;
	enum sound s = c->src[ADM_SRC_ASSIGN].ok && c->src[ADM_SRC_USERS].ok ?
		sound_gas(c, fs, &names, &nga, &nsus) : SOUND_UNKNOWN;
	struct verdict_line *l = &v->extra[v->nextra++];
	l->label = M_ADM_SOUND_GA;
	l->key = "sound_global_admin";
	l->code = s == SOUND_YES ? "yes" : s == SOUND_NO ? "no" : "unknown";
	int rc = s == SOUND_YES ? rule_fmt2(l->value, M_ADM_SOUND_YES, names.p ? names.p : "") :
		 s == SOUND_NO ? rule_fmt2(l->value, M_ADM_SOUND_NO, (int)nga) :
		 rule_fmt2(l->value, M_ADM_SOUND_UNKNOWN);
	buf_free(&names);
	(void)m;
	return rc;
}
