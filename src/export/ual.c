/*
 * Unified audit log records to events. One AuditData object (Office 365
 * Management Activity API schema: "Common schema", "Exchange admin
 * schema", "Azure Active Directory base schema", "Secure Token Service
 * logon schema") — found as the AuditData column of a Purview CSV, as
 * JSON lines, inside Search-UnifiedAuditLog's objects, or as
 * RawEventData in Defender's CloudAppEvents — or the same fields
 * flattened into Log Analytics' OfficeActivity table (Operation, UserId,
 * ClientIP, OfficeObjectId, Parameters as JSON text…). The aliases below
 * read both.
 *
 * Fields taken (schema names): CreationTime (UTC), Id, Operation,
 * Workload, RecordType, ResultStatus, UserId, UserKey, ClientIP (with
 * its port, IPv6 in brackets: "[2a09:…:89]:25138"), ActorIpAddress,
 * AppId, ObjectId, Parameters [{Name,Value}] (Exchange cmdlets),
 * ModifiedProperties [{Name,NewValue,OldValue}] and Actor/Target
 * [{ID,Type}] (Entra), ExtendedProperties [{Name,Value}], OperationProperties
 * (mailbox audit, UpdateInboxRules), MailboxOwnerUPN, and for sign-ins
 * (UserLoggedIn, UserLoginFailed) ErrorNumber, LogonError, ApplicationId.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "export/export.h"

/* An Exchange cmdlet name: Verb-Noun ("Set-Mailbox", "New-InboxRule"). */
static int cmdlet(const char *op)
{
	const char *d = op ? strchr(op, '-') : NULL;
	if (!d || d == op || !d[1] || strchr(op, ' '))
		return 0;
	return op[0] >= 'A' && op[0] <= 'Z';
}

static enum exp_cat category(const char *op, const char *wl, const char *rt)
{
	if (op && (!strcasecmp(op, "UserLoggedIn") || !strcasecmp(op, "UserLoginFailed")))
		return EXP_CAT_SIGNIN;
	if (wl && !strcasecmp(wl, "Exchange") && cmdlet(op))
		return EXP_CAT_EXO;
	/* RecordType 8 (number in AuditData, name in CSV and OfficeActivity) */
	if (rt && (!strcmp(rt, "8") || !strcasecmp(rt, "AzureActiveDirectory")))
		return EXP_CAT_AUDIT;
	if (rt && (!strcmp(rt, "1") || !strcasecmp(rt, "ExchangeAdmin")))
		return EXP_CAT_EXO;
	return EXP_CAT_UAL;
}

/* Actor or Target [{ID, Type}]: a UPN (Type 5), an object id (a bare
 * GUID; "User_<guid>" and PUIDs are other spellings of the same). */
static int idents(struct exp_map *m, const struct exp_rec *r, const char *key,
		  const char **upn, const char **id)
{
	struct exp_sub s;
	int f = exp_rec_sub(r, key, &s);
	if (f <= 0)
		return f;
	if (json_type(s.j, s.tok) == JSON_ARR)
		for (int e = json_first(s.j, s.tok); e >= 0; e = json_next(s.j, e)) {
			const char *v = exp_sub_str(m->a, s.j, e, "ID");
			if (!v)
				continue;
			if (!*upn && strchr(v, '@'))
				*upn = v;
			else if (!*id && guid_ok(v))
				*id = v;
		}
	exp_sub_free(&s);
	return 0;
}

static int kvs(struct exp_map *m, const struct exp_rec *r, const char *key, const char *kn,
	       const char *kv, const char *ko, struct exp_kv **v, size_t *n, size_t *cap)
{
	struct exp_sub s;
	int f = exp_rec_sub(r, key, &s);
	if (f <= 0)
		return f;
	int rc = exp_kv_from(m->a, s.j, s.tok, kn, kv, ko, v, n, cap);
	exp_sub_free(&s);
	return rc;
}

int exp_map_ual(struct exp_map *m, const struct exp_rec *r, unsigned naive_basis,
		struct exp_event *e)
{
	exp_event_init(e);
	e->line = r->line;
	if (exp_map_time(m, r, "CreationTime|TimeGenerated|Start_Time", naive_basis, e) < 0)
		return -1;
	e->op = exp_rec_str(r, "Operation");
	if (!e->op)
		return err_set(E_EXP_NO_OP, (unsigned long long)r->line);
	e->id = exp_rec_str(r, "Id|OfficeId|SourceRecordId");
	e->workload = exp_rec_str(r, "Workload|OfficeWorkload");
	e->result = exp_rec_str(r, "ResultStatus");
	e->actor_upn = exp_rec_str(r, "UserId");
	e->actor_ip = exp_ip(m->a, exp_rec_str(r, "ClientIP|ActorIpAddress|ClientIPAddress|Client_IPAddress"));
	e->actor_app = exp_rec_str(r, "AppId");
	e->ua = exp_rec_str(r, "UserAgent|ClientInfoString");
	e->cat = category(e->op, e->workload, exp_rec_str(r, "RecordType"));

	const char *aupn = NULL, *aid = NULL, *tupn = NULL, *tid = NULL;
	if (idents(m, r, "Actor", &aupn, &aid) < 0 || idents(m, r, "Target", &tupn, &tid) < 0)
		return -1;
	if (!e->actor_upn)
		e->actor_upn = aupn;
	e->actor_id = aid;
	if (!e->actor_id) {
		const char *k = exp_rec_str(r, "UserKey");
		e->actor_id = guid_ok(k) ? k : NULL;
	}
	const char *obj = exp_rec_str(r, "ObjectId|OfficeObjectId");
	const char *owner = exp_rec_str(r, "MailboxOwnerUPN");
	if (obj || tupn || tid || owner) {
		e->tgt[0] = (struct exp_target){ NULL, tid, tupn ? tupn : owner, obj };
		e->ntgt = 1;
	}
	if (kvs(m, r, "Parameters", "Name", "Value", NULL, &e->param, &e->nparam, &m->pcap) < 0 ||
	    kvs(m, r, "ModifiedProperties", "Name", "NewValue", "OldValue", &e->param, &e->nparam,
		&m->pcap) < 0 ||
	    kvs(m, r, "OperationProperties", "Name", "Value", NULL, &e->param, &e->nparam, &m->pcap) < 0 ||
	    kvs(m, r, "ExtendedProperties", "Name", "Value", NULL, &e->detail, &e->ndetail, &m->dcap) < 0)
		return -1;
	if (!e->ua)
		e->ua = exp_detail(e, "UserAgent");

	if (e->cat == EXP_CAT_SIGNIN) {
		e->app_id = exp_rec_str(r, "ApplicationId");
		const char *n = exp_rec_str(r, "ErrorNumber");
		char *end;
		long v = n ? strtol(n, &end, 10) : 0;
		if (n && *end == 0 && v >= 0)
			e->err = v;
		else if (!strcasecmp(e->op, "UserLoggedIn"))
			e->err = 0;
		/* UserLoginFailed without a number: failed, code unknown */
	}
	return 0;
}

int exp_map_office(struct exp_map *m, const struct exp_rec *r, struct exp_event *e)
{
	/* Log Analytics' TimeGenerated is UTC (KQL datetime) */
	return exp_map_ual(m, r, EXP_TZ_SCHEMA, e);
}
