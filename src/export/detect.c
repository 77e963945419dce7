/*
 * Which layout a file is, from its CSV header or from a JSON record's
 * keys. Each test names the columns or keys that only that layout has
 * together; the order matters where one layout's columns are a subset of
 * another's (Log Analytics' OfficeActivity has no AuditData column, the
 * Purview CSV has one).
 *
 * Sources for the headers: Purview audit search export (current:
 * RecordId, CreationDate, RecordType, Operation, UserId, AuditData,
 * AssociatedAdminUnits, AssociatedAdminUnitsNames; older compliance
 * center and Export-Csv of Search-UnifiedAuditLog: CreationDate, UserIds,
 * Operations, AuditData); Azure Monitor Logs table references
 * (OfficeActivity, SigninLogs, AADNonInteractiveUserSignInLogs,
 * AADServicePrincipalSignInLogs, AADManagedIdentitySignInLogs, AuditLogs);
 * Azure Monitor resource log common schema (time, category, properties);
 * the Entra admin center's sign-in and audit log downloads ("Date (UTC)",
 * "Request ID"…; "Activity", "ActorUserPrincipalName", "Target1Type"…);
 * Defender advanced hunting CloudAppEvents (Timestamp, ActionType,
 * RawEventData).
 */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "export/export.h"

static const char *const names[EXP_L__N] = {
	"unknown", "ual-csv", "ual-csv-old", "ual-json", "ual-powershell-json", "log-analytics-csv",
	"log-analytics-json", "graph-signins-json", "graph-audits-json", "azure-monitor-json",
	"portal-signins-csv", "portal-audits-csv", "defender-json",
};

const char *exp_layout_name(enum exp_layout l)
{
	return (unsigned)l < EXP_L__N ? names[l] : "?";
}

unsigned exp_layout_kinds(enum exp_layout l)
{
	switch (l) {
	case EXP_L_UAL_CSV: case EXP_L_UAL_CSV_OLD: case EXP_L_UAL_JSON: case EXP_L_UAL_PS_JSON:
	case EXP_L_DEFENDER:
		return EXP_K_UAL;
	case EXP_L_GRAPH_SIGNIN: case EXP_L_PORTAL_SIGNIN_CSV:
		return EXP_K_SIGNINS;
	case EXP_L_GRAPH_AUDIT: case EXP_L_PORTAL_AUDIT_CSV:
		return EXP_K_AUDITS;
	case EXP_L_LA_CSV: case EXP_L_LA_JSON: case EXP_L_AZMON:
		return 0;        /* per row: the table or category says */
	default:
		return 0;
	}
}

static int has(const struct exp_cols *c, const char *n)
{
	return exp_cols_find(c, n, strlen(n)) >= 0;
}

enum exp_table exp_table_of_cols(const struct exp_cols *c)
{
	if (has(c, "Operation") && (has(c, "OfficeWorkload") || has(c, "OfficeObjectId")))
		return EXP_T_OFFICE;
	if (has(c, "ResultType") && (has(c, "UserPrincipalName") || has(c, "ServicePrincipalId")))
		return EXP_T_SIGNIN;
	if ((has(c, "ActivityDisplayName") || has(c, "OperationName")) &&
	    (has(c, "InitiatedBy") || has(c, "TargetResources")))
		return EXP_T_AUDIT;
	return EXP_T_NONE;
}

enum exp_layout exp_detect_csv(const struct exp_cols *c)
{
	if (has(c, "AuditData"))
		return has(c, "RecordId") || (has(c, "Operation") && has(c, "UserId")) ? EXP_L_UAL_CSV
										  : EXP_L_UAL_CSV_OLD;
	if (has(c, "Date") && (has(c, "Request ID") || has(c, "Sign-in error code")))
		return EXP_L_PORTAL_SIGNIN_CSV;
	if (has(c, "Date") && has(c, "Activity") &&
	    (has(c, "ActorUserPrincipalName") || has(c, "Target1Type") || has(c, "ActorType")))
		return EXP_L_PORTAL_AUDIT_CSV;
	if (has(c, "Type") || exp_table_of_cols(c) != EXP_T_NONE)
		return EXP_L_LA_CSV;
	return EXP_L_UNKNOWN;
}

/* Log Analytics table names (the Type column). */
enum exp_table exp_table_of(const char *type)
{
	static const struct { const char *n; enum exp_table t; } tabs[] = {
		{ "OfficeActivity", EXP_T_OFFICE },
		{ "SigninLogs", EXP_T_SIGNIN },
		{ "AADNonInteractiveUserSignInLogs", EXP_T_SIGNIN },
		{ "AADServicePrincipalSignInLogs", EXP_T_SIGNIN },
		{ "AADManagedIdentitySignInLogs", EXP_T_SIGNIN },
		{ "AuditLogs", EXP_T_AUDIT },
		/* Azure Monitor diagnostic categories */
		{ "SignInLogs", EXP_T_SIGNIN },
		{ "NonInteractiveUserSignInLogs", EXP_T_SIGNIN },
		{ "ServicePrincipalSignInLogs", EXP_T_SIGNIN },
		{ "ManagedIdentitySignInLogs", EXP_T_SIGNIN },
	};
	if (!type)
		return EXP_T_NONE;
	for (size_t i = 0; i < sizeof tabs / sizeof tabs[0]; i++)
		if (!strcasecmp(type, tabs[i].n))
			return tabs[i].t;
	return EXP_T_NONE;
}

static int key(const struct json *j, int tok, const char *k)
{
	int t = json_get(j, tok, k);
	return t >= 0 && json_type(j, t) != JSON_NULL;
}

/* A Log Analytics record whose Type is not a table name (a hunting query
 * may project its own "Type" column: "Application", "ServicePrincipal"):
 * the table from its keys, as for a CSV header. */
enum exp_table exp_table_of_json(const struct json *j, int tok)
{
	if (key(j, tok, "Operation") && (key(j, tok, "OfficeWorkload") || key(j, tok, "OfficeObjectId")))
		return EXP_T_OFFICE;
	if (key(j, tok, "ResultType") && (key(j, tok, "UserPrincipalName") || key(j, tok, "ServicePrincipalId")))
		return EXP_T_SIGNIN;
	if ((key(j, tok, "ActivityDisplayName") || key(j, tok, "OperationName")) &&
	    (key(j, tok, "InitiatedBy") || key(j, tok, "TargetResources")))
		return EXP_T_AUDIT;
	return EXP_T_NONE;
}

enum exp_layout exp_detect_json(const struct json *j, int tok)
{
	if (json_type(j, tok) != JSON_OBJ)
		return EXP_L_UNKNOWN;
	if (key(j, tok, "AuditData") && (key(j, tok, "CreationDate") || key(j, tok, "Operations")))
		return EXP_L_UAL_PS_JSON;
	if (key(j, tok, "RawEventData") || (key(j, tok, "ActionType") && key(j, tok, "Timestamp")))
		return EXP_L_DEFENDER;
	int p = json_get(j, tok, "properties");
	if (p >= 0 && json_type(j, p) == JSON_OBJ && key(j, tok, "category") &&
	    (key(j, tok, "time") || key(j, tok, "operationName")))
		return EXP_L_AZMON;
	if (key(j, tok, "TimeGenerated") || (key(j, tok, "Type") && key(j, tok, "TenantId")))
		return EXP_L_LA_JSON;
	if (key(j, tok, "CreationTime") && key(j, tok, "Operation"))
		return EXP_L_UAL_JSON;
	if (key(j, tok, "activityDisplayName") && key(j, tok, "activityDateTime"))
		return EXP_L_GRAPH_AUDIT;
	if (key(j, tok, "createdDateTime") &&
	    (key(j, tok, "userPrincipalName") || key(j, tok, "ipAddress") || key(j, tok, "appId")))
		return EXP_L_GRAPH_SIGNIN;
	return EXP_L_UNKNOWN;
}

/* "Type, TimeGenerated, …": the first keys of an object, for messages. */
void exp_keys_text(const struct json *j, int tok, char *out, size_t n)
{
	size_t k = 0;
	int i = 0;
	out[0] = 0;
	for (int v = json_first(j, tok); v >= 0 && i < 12; v = json_next(j, v), i++) {
		char name[48];
		if (json_key(j, v, name, sizeof name) < 0) {
			err_clear();
			snprintf(name, sizeof name, "…");
		}
		int w = snprintf(out + k, n - k, "%s%s", i ? ", " : "", name);
		if (w < 0 || (size_t)w >= n - k)
			break;
		k += (size_t)w;
	}
}
