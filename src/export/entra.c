/*
 * Entra sign-ins and directory audits to events, in each of the shapes
 * they are exported in:
 *   Graph / portal JSON   signIn and directoryAudit resources, camelCase,
 *                         nested objects (status.errorCode, location,
 *                         initiatedBy, targetResources[].modifiedProperties)
 *   Log Analytics         SigninLogs / AuditLogs: PascalCase columns,
 *                         nested objects as JSON text (LocationDetails,
 *                         Status, InitiatedBy, TargetResources), ResultType
 *                         for the error code, Location a country code
 *   Azure Monitor         diagnostic records: the Graph fields under
 *                         "properties" (run.c hands that object over)
 *   portal CSV            "Date (UTC)", "Username", "IP address",
 *                         "Location" as "City, State, CC", "Status"
 *                         Success/Failure/Interrupted, "Sign-in error code";
 *                         audits: "Activity", "ActorUserPrincipalName",
 *                         TargetN…, TargetNModifiedPropertyK… columns
 * Field names: Microsoft Graph signIn and directoryAudit resources,
 * Azure Monitor Logs reference (SigninLogs, AuditLogs), and the columns
 * of the portal's CSV download as peers' parsers read them.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "export/export.h"

/* A nested value that may also be plain text in another layout ("Status"
 * is JSON in Log Analytics, "Success" in the portal CSV; "Location" is an
 * object in Graph, "FR" in Log Analytics): parsed only when it is JSON. */
static int sub_if_json(const struct exp_rec *r, const char *keys, struct exp_sub *s)
{
	memset(s, 0, sizeof *s);
	s->tok = -1;
	const char *t = NULL;
	if (r->j) {
		for (const char *p = keys;;) {
			size_t k = strcspn(p, "|");
			char path[64];
			snprintf(path, sizeof path, "%.*s", (int)(k < 63 ? k : 63), p);
			int tok = json_get(r->j, r->tok, path);
			if (tok >= 0) {
				enum json_type ty = json_type(r->j, tok);
				if (ty == JSON_OBJ || ty == JSON_ARR)
					return exp_rec_sub(r, path, s);
				if (ty == JSON_STR) {
					t = exp_json_text(r->a, r->j, tok);
					if (t && (*t == '{' || *t == '['))
						return exp_rec_sub(r, path, s);
					return 0;
				}
			}
			if (!p[k])
				return 0;
			p += k + 1;
		}
	}
	/* CSV: each column in turn ("Location" is "IL", LocationDetails JSON) */
	for (const char *p = keys;;) {
		size_t k = strcspn(p, "|");
		char col[64];
		snprintf(col, sizeof col, "%.*s", (int)(k < 63 ? k : 63), p);
		t = exp_rec_str(r, col);
		while (t && (*t == ' ' || *t == '\r' || *t == '\n'))
			t++;
		if (t && (*t == '{' || *t == '['))
			return exp_rec_sub(r, col, s);
		if (!p[k])
			return 0;
		p += k + 1;
	}
}

static long number(const char *s)
{
	if (!s || !*s)
		return -1;
	char *e;
	long v = strtol(s, &e, 10);
	return *e || v < 0 ? -1 : v;
}

/* ["unfamiliarFeatures","anonymizedIPAddress"] -> "unfamiliarFeatures,anonymizedIPAddress" */
static const char *joined(struct exp_arena *a, const struct json *j, int arr)
{
	struct buf b = { 0 };
	const char *out = NULL;
	for (int e = json_first(j, arr); e >= 0; e = json_next(j, e)) {
		const char *v = exp_json_text(a, j, e);
		if (v && *v && strcasecmp(v, "none"))
			buf_printf(&b, "%s%s", b.len ? "," : "", v);
	}
	if (b.len)
		out = exp_strndup(a, b.p, b.len);
	buf_free(&b);
	return out;
}

static int location(struct exp_map *m, const struct exp_rec *r, struct exp_event *e)
{
	struct exp_sub s;
	int f = sub_if_json(r, "location|LocationDetails|LocationDetails_dynamic", &s);
	if (f < 0)
		return -1;
	if (f && json_type(s.j, s.tok) == JSON_OBJ) {
		e->country = exp_sub_str(m->a, s.j, s.tok, "countryOrRegion");
		e->city = exp_sub_str(m->a, s.j, s.tok, "city");
	}
	exp_sub_free(&s);
	if (e->country)
		return 0;
	const char *l = exp_rec_str(r, "Location");
	if (!l)
		return 0;
	const char *c = strrchr(l, ',');
	if (!c) {
		e->country = l;
		return 0;
	}
	/* portal CSV: "City, State, CC" */
	while (*++c == ' ')
		;
	e->country = *c ? c : NULL;
	size_t k = strcspn(l, ",");
	e->city = k ? exp_strndup(m->a, l, k) : NULL;
	return 0;
}

static int risk(struct exp_map *m, const struct exp_rec *r, struct exp_event *e)
{
	struct exp_sub s;
	int f = sub_if_json(r, "riskEventTypes_v2|riskEventTypes|RiskEventTypes_V2|RiskEventTypes", &s);
	if (f < 0)
		return -1;
	if (f && json_type(s.j, s.tok) == JSON_ARR)
		e->risk = joined(m->a, s.j, s.tok);
	exp_sub_free(&s);
	if (!e->risk) {
		const char *t = exp_rec_str(r, "riskEventTypes_v2|riskEventTypes|RiskEventTypes_V2|RiskEventTypes");
		if (t && *t != '[' && strcasecmp(t, "none"))
			e->risk = t;
	}
	return 0;
}

static int add_detail(struct exp_map *m, struct exp_event *e, const char *name, const char *v)
{
	return v ? exp_kv_push(m->a, &e->detail, &e->ndetail, &m->dcap, name, v, NULL) : 0;
}

int exp_map_signin(struct exp_map *m, const struct exp_rec *r, const char *time_keys,
		   unsigned naive_basis, struct exp_event *e)
{
	exp_event_init(e);
	e->line = r->line;
	e->cat = EXP_CAT_SIGNIN;
	if (exp_map_time(m, r, time_keys, naive_basis, e) < 0)
		return -1;
	e->op = exp_rec_str(r, "operationName|OperationName");
	if (!e->op)
		e->op = "Sign-in activity";
	e->id = exp_rec_str(r, "id|Id|Request ID");
	e->actor_upn = exp_rec_str(r, "userPrincipalName|UserPrincipalName|Username");
	e->actor_id = exp_rec_str(r, "userId|UserId|User ID");
	e->actor_name = exp_rec_str(r, "userDisplayName|UserDisplayName|User");
	e->actor_ip = exp_ip(m->a, exp_rec_str(r, "ipAddress|IPAddress|IP address"));
	e->app = exp_rec_str(r, "appDisplayName|AppDisplayName|Application");
	e->app_id = exp_rec_str(r, "appId|AppId|Application ID");
	e->client_app = exp_rec_str(r, "clientAppUsed|ClientAppUsed|Client app");
	e->resource = exp_rec_str(r, "resourceDisplayName|ResourceDisplayName|Resource");
	e->ua = exp_rec_str(r, "userAgent|UserAgent|User agent");
	/* service principal sign-ins name the app, not a user */
	if (!e->actor_upn)
		e->actor_upn = exp_rec_str(r, "servicePrincipalName|ServicePrincipalName|Service principal name");
	if (!e->actor_id)
		e->actor_id = exp_rec_str(r, "servicePrincipalId|ServicePrincipalId|Service principal ID");

	e->err = number(exp_rec_str(r, "status.errorCode|Sign-in error code|ResultType|resultType"));
	if (e->err < 0) {
		struct exp_sub s;
		int f = sub_if_json(r, "Status|Status_dynamic", &s);
		if (f < 0)
			return -1;
		if (f)
			e->err = number(exp_sub_str(m->a, s.j, s.tok, "errorCode"));
		exp_sub_free(&s);
	}
	if (e->err < 0) {
		/* portal CSV without a code: its Status word */
		const char *st = exp_rec_str(r, "Status");
		if (st && !strcasecmp(st, "Success"))
			e->err = 0;
	}
	if (location(m, r, e) < 0 || risk(m, r, e) < 0)
		return -1;
	const char *inter = exp_rec_str(r, "isInteractive|IsInteractive");
	if (inter)
		e->interactive = !strcasecmp(inter, "true") ? 1 : !strcasecmp(inter, "false") ? 0 : -1;
	if (add_detail(m, e, "riskLevelDuringSignIn",
		       exp_rec_str(r, "riskLevelDuringSignIn|RiskLevelDuringSignIn")) < 0 ||
	    add_detail(m, e, "riskState", exp_rec_str(r, "riskState|RiskState")) < 0 ||
	    add_detail(m, e, "authenticationProtocol",
		       exp_rec_str(r, "authenticationProtocol|AuthenticationProtocol|Authentication Protocol")) < 0 ||
	    add_detail(m, e, "failureReason", exp_rec_str(r, "Failure reason|ResultDescription")) < 0 ||
	    add_detail(m, e, "conditionalAccessStatus",
		       exp_rec_str(r, "conditionalAccessStatus|ConditionalAccessStatus|Conditional Access")) < 0)
		return -1;
	const char *st = exp_rec_str(r, "Status");
	if (st && *st != '{' && add_detail(m, e, "status", st) < 0)
		return -1;
	return 0;
}

/* targetResources[] -> targets, and their modifiedProperties -> params */
static int targets(struct exp_map *m, const struct exp_rec *r, struct exp_event *e)
{
	struct exp_sub s;
	int f = exp_rec_sub(r, "targetResources|TargetResources", &s);
	if (f <= 0)
		return f;
	const struct json *j = s.j;
	int arr = s.tok, rc = 0;
	if (json_type(j, arr) == JSON_OBJ) {
		/* a single target written as an object (some hunting exports) */
		arr = -1;
	}
	for (int t = arr >= 0 ? json_first(j, arr) : s.tok; t >= 0 && rc == 0;
	     t = arr >= 0 ? json_next(j, t) : -1) {
		if (json_type(j, t) != JSON_OBJ)
			continue;
		if (e->ntgt < EXP_MAX_TARGETS)
			e->tgt[e->ntgt++] = (struct exp_target){
				exp_sub_str(m->a, j, t, "type"), exp_sub_str(m->a, j, t, "id"),
				exp_sub_str(m->a, j, t, "userPrincipalName"), exp_sub_str(m->a, j, t, "displayName") };
		int mp = json_get(j, t, "modifiedProperties");
		if (mp < 0 || json_type(j, mp) != JSON_ARR)
			continue;
		for (int p = json_first(j, mp); p >= 0 && rc == 0; p = json_next(j, p))
			rc = exp_kv_push(m->a, &e->param, &e->nparam, &m->pcap,
					 exp_sub_str(m->a, j, p, "displayName"),
					 exp_unquote(m->a, exp_sub_str(m->a, j, p, "newValue")),
					 exp_unquote(m->a, exp_sub_str(m->a, j, p, "oldValue")));
	}
	exp_sub_free(&s);
	return rc;
}

int exp_map_audit(struct exp_map *m, const struct exp_rec *r, const char *time_keys,
		  unsigned naive_basis, struct exp_event *e)
{
	exp_event_init(e);
	e->line = r->line;
	e->cat = EXP_CAT_AUDIT;
	if (exp_map_time(m, r, time_keys, naive_basis, e) < 0)
		return -1;
	e->op = exp_rec_str(r, "activityDisplayName|ActivityDisplayName|OperationName|operationName");
	if (!e->op)
		return err_set(E_EXP_NO_OP, (unsigned long long)r->line);
	e->id = exp_rec_str(r, "id|Id");
	e->workload = exp_rec_str(r, "loggedByService|LoggedByService");
	e->result = exp_rec_str(r, "result|Result");
	struct exp_sub s;
	int f = exp_rec_sub(r, "initiatedBy|InitiatedBy", &s);
	if (f < 0)
		return -1;
	if (f) {
		const struct json *j = s.j;
		e->actor_upn = exp_sub_str(m->a, j, s.tok, "user.userPrincipalName");
		e->actor_id = exp_sub_str(m->a, j, s.tok, "user.id");
		e->actor_ip = exp_ip(m->a, exp_sub_str(m->a, j, s.tok, "user.ipAddress"));
		e->actor_name = exp_sub_str(m->a, j, s.tok, "user.displayName");
		e->actor_app = exp_sub_str(m->a, j, s.tok, "app.appId");
		if (!e->actor_upn && !e->actor_id) {
			e->actor_id = exp_sub_str(m->a, j, s.tok, "app.servicePrincipalId");
			e->actor_name = exp_sub_str(m->a, j, s.tok, "app.displayName");
		}
	}
	exp_sub_free(&s);
	if (!e->actor_upn)
		e->actor_upn = exp_rec_str(r, "InitiatingUserOrApp|InitiatingUser");
	if (targets(m, r, e) < 0)
		return -1;
	if ((f = exp_rec_sub(r, "additionalDetails|AdditionalDetails", &s)) < 0)
		return -1;
	if (f && exp_kv_from(m->a, s.j, s.tok, "key", "value", NULL, &e->detail, &e->ndetail, &m->dcap) < 0) {
		exp_sub_free(&s);
		return -1;
	}
	exp_sub_free(&s);
	if (add_detail(m, e, "category", exp_rec_str(r, "category|Category")) < 0 ||
	    add_detail(m, e, "resultReason", exp_rec_str(r, "resultReason|ResultReason")) < 0)
		return -1;
	e->ua = exp_detail(e, "User-Agent");
	if (!e->ua)
		e->ua = exp_rec_str(r, "UserAgent");
	return 0;
}

int exp_map_portal_audit(struct exp_map *m, const struct exp_rec *r, struct exp_event *e)
{
	exp_event_init(e);
	e->line = r->line;
	e->cat = EXP_CAT_AUDIT;
	if (exp_map_time(m, r, "Date", 0, e) < 0)
		return -1;
	e->op = exp_rec_str(r, "Activity");
	if (!e->op)
		return err_set(E_EXP_NO_OP, (unsigned long long)r->line);
	e->workload = exp_rec_str(r, "Service");
	e->result = exp_rec_str(r, "Result");
	e->ua = exp_rec_str(r, "User Agent|UserAgent");
	e->actor_upn = exp_rec_str(r, "ActorUserPrincipalName");
	e->actor_id = exp_rec_str(r, "ActorObjectId");
	e->actor_name = exp_rec_str(r, "ActorDisplayName");
	e->actor_ip = exp_ip(m->a, exp_rec_str(r, "IPAddress"));
	if (!e->actor_upn && !e->actor_id) {
		e->actor_id = exp_rec_str(r, "ActorServicePrincipalId");
		e->actor_name = exp_rec_str(r, "ActorServicePrincipalName");
	}
	char k1[64], k2[64], k3[64];
	for (int t = 1; t <= 9; t++) {
		snprintf(k1, sizeof k1, "Target%dType", t);
		const char *ty = exp_rec_str(r, k1);
		snprintf(k1, sizeof k1, "Target%dObjectId", t);
		const char *id = exp_rec_str(r, k1);
		snprintf(k1, sizeof k1, "Target%dUserPrincipalName", t);
		const char *upn = exp_rec_str(r, k1);
		snprintf(k1, sizeof k1, "Target%dDisplayName", t);
		const char *nm = exp_rec_str(r, k1);
		if ((ty || id || upn || nm) && e->ntgt < EXP_MAX_TARGETS)
			e->tgt[e->ntgt++] = (struct exp_target){ ty, id, upn, nm };
		for (int p = 1; p <= 20; p++) {
			snprintf(k1, sizeof k1, "Target%dModifiedProperty%dName", t, p);
			snprintf(k2, sizeof k2, "Target%dModifiedProperty%dNewValue", t, p);
			snprintf(k3, sizeof k3, "Target%dModifiedProperty%dOldValue", t, p);
			const char *n = exp_rec_str(r, k1);
			if (n && exp_kv_push(m->a, &e->param, &e->nparam, &m->pcap, n,
					     exp_unquote(m->a, exp_rec_str(r, k2)),
					     exp_unquote(m->a, exp_rec_str(r, k3))) < 0)
				return -1;
		}
	}
	for (int d = 1; d <= 20; d++) {
		snprintf(k1, sizeof k1, "AdditionalDetail%dKey", d);
		snprintf(k2, sizeof k2, "AdditionalDetail%dValue", d);
		const char *k = exp_rec_str(r, k1);
		if (k && exp_kv_push(m->a, &e->detail, &e->ndetail, &m->dcap, k, exp_rec_str(r, k2), NULL) < 0)
			return -1;
	}
	return add_detail(m, e, "category", exp_rec_str(r, "Category"));
}
