/*
 * check-admins, the logs: sign-ins, directory audits, risky users and risk
 * detections (Graph v1.0 signIn, directoryAudit, riskyUser, riskDetection).
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "model/model.h"

enum mdl_risk mdl_risk_parse(const char *s)
{
	/* riskLevel: low, medium, high, hidden, none, unknownFutureValue
	 * (Graph v1.0 riskLevel enum). */
	if (!s || !strcasecmp(s, "none"))
		return RISK_NONE;
	if (!strcasecmp(s, "low"))
		return RISK_LOW;
	if (!strcasecmp(s, "medium"))
		return RISK_MEDIUM;
	if (!strcasecmp(s, "high"))
		return RISK_HIGH;
	if (!strcasecmp(s, "hidden"))
		return RISK_HIDDEN;
	return RISK_UNKNOWN;
}

const char *mdl_risk_name(enum mdl_risk r)
{
	static const char *const n[] = { "none", "low", "medium", "high", "hidden", "unknown" };
	return (unsigned)r <= RISK_UNKNOWN ? n[r] : "?";
}

#define STR(field, path) do { if (mdl_str(&m->ar, j, it, path, &e.field) < 0) return -1; } while (0)

static int signin_item(void *ctx, const struct json *j, int it, const char *ev)
{
	struct mdl_admins *m = ctx;
	struct mdl_signin e = { 0 };
	const char *rd, *ra;
	STR(user_id, "userId");
	/* Only the principals this check looks at (privileged users, guests):
	 * the rest of the tenant's sign-ins, if the collector saved them, are
	 * not kept in memory. */
	e.who = mdl_map_get(&m->pr_by_id, e.user_id);
	if (e.who == MDL_NONE)
		return 0;
	STR(id, "id");
	STR(upn, "userPrincipalName");
	STR(ip, "ipAddress");
	STR(country, "location.countryOrRegion");
	STR(city, "location.city");
	STR(app, "appDisplayName");
	STR(client, "clientAppUsed");
	STR(risk_state, "riskState");
	if (mdl_str(&m->ar, j, it, "riskLevelDuringSignIn", &rd) < 0 ||
	    mdl_str(&m->ar, j, it, "riskLevelAggregated", &ra) < 0)
		return -1;
	e.risk_during = mdl_risk_parse(rd);
	e.risk_agg = mdl_risk_parse(ra);
	if (mdl_time(j, it, "createdDateTime", &e.t) != 0)
		return err_set(E_MDL_FIELD, "createdDateTime");
	long long code;
	int r = json_int(j, it, "status.errorCode", &code);
	if (r < 0)
		return -1;
	e.error = r == 1 ? 0 : (int)(code > 2000000000 ? 2000000000 : code < 0 ? -1 : code);
	e.interactive = mdl_bool(j, it, "isInteractive");
	if (e.interactive == -2)
		return -1;
	if (e.country && !*e.country)
		e.country = NULL;
	e.ev = mdl_intern(&m->ar, ev);
	struct mdl_signin *p = MDL_PUSH(m->si, m->n_si, m->cap_si);
	if (!p)
		return -1;
	*p = e;
	return 0;
}

/* modifiedProperties values are JSON texts: "\"Global Administrator\"",
 * "[\"x\"]". Keep the text without its outer quotes or brackets. */
static void unwrap(char *s)
{
	size_t n = strlen(s);
	while (n >= 2 && ((s[0] == '"' && s[n - 1] == '"') || (s[0] == '[' && s[n - 1] == ']'))) {
		memmove(s, s + 1, n - 2);
		n -= 2;
		s[n] = 0;
	}
}

/* "state":"disabled" in a policy's JSON, whatever the spacing. */
static int state_is(const char *s, const char *v)
{
	const char *p = s;
	while ((p = strstr(p, "\"state\""))) {
		p += 7;
		while (*p == ' ' || *p == ':')
			p++;
		if (*p == '"' && !strncmp(p + 1, v, strlen(v)) && p[1 + strlen(v)] == '"')
			return 1;
	}
	return 0;
}

static int audit_item(void *ctx, const struct json *j, int it, const char *ev)
{
	struct mdl_admins *m = ctx;
	struct mdl_audit e = { 0 };
	STR(activity, "activityDisplayName");
	e.kind = mdl_audit_kind(e.activity);
	if (e.kind == AUD_OTHER)
		return 0;
	STR(id, "id");
	STR(category, "category");
	STR(result, "result");
	STR(by_upn, "initiatedBy.user.userPrincipalName");
	STR(by_user_id, "initiatedBy.user.id");
	STR(by_ip, "initiatedBy.user.ipAddress");
	STR(by_app, "initiatedBy.app.displayName");
	if (mdl_time(j, it, "activityDateTime", &e.t) != 0)
		return err_set(E_MDL_FIELD, "activityDateTime");
	int tr_ = json_get(j, it, "targetResources");
	for (int t = json_first(j, tr_); t >= 0; t = json_next(j, t)) {
		if (e.ntgt < MDL_AUDIT_TARGETS) {
			int k = e.ntgt;
			if (mdl_str(&m->ar, j, t, "type", &e.tgt[k].type) < 0 ||
			    mdl_str(&m->ar, j, t, "id", &e.tgt[k].id) < 0 ||
			    mdl_str(&m->ar, j, t, "userPrincipalName", &e.tgt[k].upn) < 0 ||
			    mdl_str(&m->ar, j, t, "displayName", &e.tgt[k].name) < 0)
				return -1;
			e.ntgt++;
		}
		int mp = json_get(j, t, "modifiedProperties");
		for (int p = json_first(j, mp); p >= 0; p = json_next(j, p)) {
			char name[128];
			if (json_str(j, p, "displayName", name, sizeof name) != 0) {
				err_clear();
				continue;
			}
			/* A conditional access policy's whole JSON: keep only
			 * whether this update switched it off. */
			if (e.kind == AUD_CA_UPDATE) {
				char *nv = json_strdup(j, p, "newValue"), *ov = json_strdup(j, p, "oldValue");
				if (nv && (state_is(nv, "disabled") || state_is(nv, "enabledForReportingButNotEnforced")) &&
				    (!ov || state_is(ov, "enabled")))
					e.ca_disabled = 1;
				free(nv);
				free(ov);
				err_clear();
				continue;
			}
			if (e.nprop >= MDL_AUDIT_PROPS)
				continue;
			char v[512];
			int r = json_str(j, p, "newValue", v, sizeof v);
			if (r < 0) {           /* too long: not one we read */
				err_clear();
				continue;
			}
			unwrap(v);
			e.prop[e.nprop].name = mdl_intern(&m->ar, name);
			e.prop[e.nprop].newv = mdl_intern(&m->ar, v);
			if (!e.prop[e.nprop].name || !e.prop[e.nprop].newv)
				return -1;
			e.nprop++;
		}
	}
	e.ev = mdl_intern(&m->ar, ev);
	struct mdl_audit *p = MDL_PUSH(m->au, m->n_au, m->cap_au);
	if (!p)
		return -1;
	*p = e;
	return 0;
}

static int risky_user_item(void *ctx, const struct json *j, int it, const char *ev)
{
	struct mdl_admins *m = ctx;
	struct mdl_risky_user e = { 0 };
	const char *lvl;
	STR(id, "id");
	STR(upn, "userPrincipalName");
	STR(state, "riskState");
	STR(detail, "riskDetail");
	if (mdl_str(&m->ar, j, it, "riskLevel", &lvl) < 0)
		return -1;
	e.level = mdl_risk_parse(lvl);
	if (mdl_time(j, it, "riskLastUpdatedDateTime", &e.updated) < 0)
		return err_set(E_MDL_FIELD, "riskLastUpdatedDateTime");
	e.ev = mdl_intern(&m->ar, ev);
	struct mdl_risky_user *p = MDL_PUSH(m->ru, m->n_ru, m->cap_ru);
	if (!p)
		return -1;
	*p = e;
	return 0;
}

static int risk_det_item(void *ctx, const struct json *j, int it, const char *ev)
{
	struct mdl_admins *m = ctx;
	struct mdl_risk_det e = { 0 };
	const char *lvl;
	STR(id, "id");
	STR(user_id, "userId");
	STR(upn, "userPrincipalName");
	STR(type, "riskEventType");
	STR(ip, "ipAddress");
	STR(country, "location.countryOrRegion");
	STR(state, "riskState");
	if (mdl_str(&m->ar, j, it, "riskLevel", &lvl) < 0)
		return -1;
	e.level = mdl_risk_parse(lvl);
	int r = mdl_time(j, it, "detectedDateTime", &e.t);
	if (r == 1)
		r = mdl_time(j, it, "activityDateTime", &e.t);
	if (r < 0)
		return err_set(E_MDL_FIELD, "detectedDateTime");
	e.ev = mdl_intern(&m->ar, ev);
	struct mdl_risk_det *p = MDL_PUSH(m->rd, m->n_rd, m->cap_rd);
	if (!p)
		return -1;
	*p = e;
	return 0;
}

struct by_user {
	struct case_dir *cs;
	struct mdl_admins *m;
	size_t pages;
	int bad;
};

static int signins_of_user(void *ctx, const char *name)
{
	struct by_user *b = ctx;
	char rel[512];
	size_t np;
	if (b->bad || !mdl_safe_name(name))
		return 0;
	snprintf(rel, sizeof rel, "%s/%s", ADM_REL_SIGNINS_BY, name);
	int r = mdl_pages(b->cs, rel, signin_item, b->m, &np);
	if (r < 0) {
		if (mdl_fatal(r))
			return -1;
		struct mdl_src *s = &b->m->src[ADM_SRC_SIGNINS];
		snprintf(s->detail, sizeof s->detail, "%s", err_msg());
		err_clear();
		b->bad = 1;
		return 0;
	}
	b->pages += np;
	return 0;
}

/* Sign-ins: one collection, or one filtered listing per privileged user
 * (how the collector asks for them), or both. */
static int load_signins(struct case_dir *cs, struct mdl_admins *m)
{
	struct mdl_src *s = &m->src[ADM_SRC_SIGNINS];
	if (m->h.rec.found && s->st != MDL_ST_OK)
		return 0;
	size_t np = 0;
	struct by_user b = { cs, m, 0, 0 };
	int r = mdl_pages(cs, ADM_REL_SIGNINS, signin_item, m, &np);
	if (r < 0) {
		if (mdl_fatal(r))
			return -1;
		snprintf(s->detail, sizeof s->detail, "%s", err_msg());
		err_clear();
		b.bad = 1;
	}
	if (!b.bad && mdl_subdirs(cs, ADM_REL_SIGNINS_BY, signins_of_user, &b) < 0)
		return -1;
	s->npages = np + b.pages;
	if (b.bad)
		s->st = MDL_ST_BAD;
	else if (s->npages)
		s->st = MDL_ST_OK;
	else if (m->h.rec.found) {
		s->st = MDL_ST_BAD;
		snprintf(s->detail, sizeof s->detail, "%s", tr(M_MDL_NO_PAGES));
	} else
		s->st = MDL_ST_ABSENT;
	return 0;
}

int mdl_adm_load_logs(struct case_dir *cs, struct mdl_admins *m)
{
	if (load_signins(cs, m) < 0 ||
	    mdl_adm_read(cs, m, ADM_SRC_AUDITS, ADM_REL_AUDITS, audit_item, m) < 0 ||
	    mdl_adm_read(cs, m, ADM_SRC_RISKYUSERS, ADM_REL_RISKYUSERS, risky_user_item, m) < 0 ||
	    mdl_adm_read(cs, m, ADM_SRC_RISKDET, ADM_REL_RISKDET, risk_det_item, m) < 0)
		return -1;
	m->ev_signins = ADM_REL_SIGNINS;
	m->ev_audits = ADM_REL_AUDITS;
	return 0;
}
