/*
 * Errors turned into something a responder can act on: the result type
 * every collector gets (ok / none / unknown — needs X / failed).
 *
 * Sources for the mapping:
 *  - Graph error bodies are {"error":{"code","message","innerError"}}
 *    ("Microsoft Graph error responses and resource types",
 *    learn.microsoft.com/graph/errors).
 *  - Authentication_RequestFromNonPremiumTenantOrB2CTenant (403) is what
 *    sign-in logs and authentication-method reports answer a tenant
 *    without Entra ID P1 (microsoftgraph/microsoft-graph-docs issue
 *    #11986; MicrosoftDocs/azure-docs PR #77948).
 *  - Privileged Identity Management and risk APIs answer a tenant without
 *    P2 with AadPremiumLicenseRequired or "The tenant needs an AAD Premium
 *    2 license." (microsoft/EntraExporter issue #61).
 *  - Exchange's admin API puts "|<exception type>|<text>" in
 *    error.message and the type again in innererror.
 * The scopes and roles of the 403 table are the least-privileged ones of
 * each API's "Permissions" and "Microsoft Entra roles" sections on
 * learn.microsoft.com/graph/api/…; a collector may pass its own text.
 */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "ms/ms.h"

const char *ms_status_name(enum ms_status st)
{
	switch (st) {
	case MS_OK: return "ok";
	case MS_NONE: return "none";
	case MS_UNKNOWN: return "unknown";
	case MS_FAILED: return "failed";
	case MS_ABSENT: return "absent";
	}
	return "?";
}

static const char *need_text(const struct ms_result *r)
{
	switch (r->need) {
	case MS_NEED_P1: return tr(M_NEED_P1);
	case MS_NEED_P2: return tr(M_NEED_P2);
	case MS_NEED_EXO: return tr(M_NEED_EXO);
	case MS_NEED_EXO_ROLE: return tr(M_NEED_EXO_ROLE);
	case MS_NEED_PERM:
	case MS_NEED_NOTHING: break;
	}
	return r->needs[0] ? r->needs : "?";
}

void ms_result_text(const struct ms_result *r, char *out, size_t n)
{
	switch (r->st) {
	case MS_OK:
		tr_snprintf(out, n, M_ST_OK, r->items, r->pages);
		break;
	case MS_NONE:
		tr_snprintf(out, n, M_ST_NONE, r->http);
		break;
	case MS_UNKNOWN:
		if (r->http)
			tr_snprintf(out, n, M_ST_UNKNOWN, need_text(r), r->http, r->code);
		else
			tr_snprintf(out, n, M_ST_UNKNOWN_PROBE, need_text(r));
		break;
	case MS_FAILED:
		tr_snprintf(out, n, M_ST_FAILED, r->detail[0] ? r->detail : r->code);
		break;
	case MS_ABSENT:
		snprintf(out, n, "%s", tr(M_ST_ABSENT));
		break;
	}
}

/* ---- 403: what is missing, by API path ------------------------------------- */

struct perm_row {
	const char *path;       /* prefix of the path after the version, or
				   "*x" for "contains x" */
	const char *scopes;
	const char *roles;
};

static const struct perm_row perms[] = {
	{ "auditLogs/signIns", "AuditLog.Read.All + Directory.Read.All",
	  "Reports Reader, Security Reader, Global Reader" },
	{ "auditLogs/", "AuditLog.Read.All", "Reports Reader, Security Reader, Global Reader" },
	{ "reports/authenticationMethods", "AuditLog.Read.All",
	  "Reports Reader, Security Reader, Global Reader" },
	{ "reports/", "Reports.Read.All", "Reports Reader, Global Reader" },
	{ "identityProtection/riskyUsers", "IdentityRiskyUser.Read.All",
	  "Security Reader, Global Reader" },
	{ "identityProtection/", "IdentityRiskEvent.Read.All", "Security Reader, Global Reader" },
	{ "identity/conditionalAccess", "Policy.Read.All", "Security Reader, Global Reader" },
	{ "policies/", "Policy.Read.All", "Security Reader, Global Reader" },
	{ "roleManagement/directory/roleEligibility", "RoleEligibilitySchedule.Read.Directory",
	  "Privileged Role Administrator, Global Reader" },
	{ "roleManagement/", "RoleManagement.Read.Directory", "Global Reader" },
	{ "*/authentication/", "UserAuthenticationMethod.Read.All",
	  "Authentication Administrator, Global Reader" },
	{ "*/mailFolders/", "MailboxSettings.Read", "" },
	{ "servicePrincipals", "Application.Read.All", "Global Reader" },
	{ "applications", "Application.Read.All", "Global Reader" },
	{ "oauth2PermissionGrants", "DelegatedPermissionGrant.Read.All", "Global Reader" },
	{ "domains", "Domain.Read.All", "Global Reader" },
	{ "organization", "Organization.Read.All", "" },
	{ "subscribedSkus", "Organization.Read.All", "" },
	{ "me/", "User.Read", "" },
	{ "", "Directory.Read.All", "Global Reader" },
};

static void perm_needs(const char *path, char *out, size_t n)
{
	const char *p = path ? path : "";
	while (*p == '/')
		p++;
	/* skip the version segment */
	if (!strncmp(p, "v1.0/", 5))
		p += 5;
	else if (!strncmp(p, "beta/", 5))
		p += 5;
	for (size_t i = 0; i < sizeof perms / sizeof perms[0]; i++) {
		const struct perm_row *r = &perms[i];
		int hit = r->path[0] == '*' ? strstr(p, r->path + 1) != NULL
					    : !strncmp(p, r->path, strlen(r->path));
		if (!hit)
			continue;
		char scope[200];
		tr_snprintf(scope, sizeof scope, M_NEED_PERM, r->scopes);
		if (r->roles[0])
			tr_snprintf(out, n, M_NEED_ROLE, scope, r->roles);
		else
			snprintf(out, n, "%s", scope);
		return;
	}
}

/* ---- reading the error body ----------------------------------------------- */

static void error_fields(struct ms_result *r, enum ms_audience aud, const char *body, size_t len)
{
	struct json j;
	if (!body || !len || json_parse(&j, body, len, (struct json_limits){ 4000, 16 }) < 0) {
		err_clear();
		return;
	}
	json_str(&j, 0, "error.code", r->code, sizeof r->code);
	json_str(&j, 0, "error.message", r->detail, sizeof r->detail);
	if (aud == MS_AUD_EXO) {
		/* A cmdlet error says "Invalid Operation" in error.message and
		 * the text in innererror.internalexception or details[0]
		 * (check-mail.md §1.5, CIPP's reading order). */
		char m[sizeof r->detail];
		if ((!r->detail[0] || !strcmp(r->detail, "Invalid Operation")) &&
		    ((json_str(&j, 0, "error.innererror.internalexception.message", m, sizeof m) == 0 && *m) ||
		     (json_str(&j, 0, "error.details.0.message", m, sizeof m) == 0 && *m)))
			memcpy(r->detail, m, sizeof m);
		/* "|Microsoft.Exchange…Exception|text": keep the text, and the
		 * exception's short name as the code. */
		char type[256] = "";
		if (json_str(&j, 0, "error.innererror.internalexception.type", type, sizeof type) != 0 || !*type)
			json_str(&j, 0, "error.innererror.type", type, sizeof type);
		if (r->detail[0] == '|') {
			char *bar = strchr(r->detail + 1, '|');
			if (bar) {
				if (!*type) {
					size_t k = (size_t)(bar - r->detail - 1);
					if (k >= sizeof type)
						k = sizeof type - 1;
					memcpy(type, r->detail + 1, k);
					type[k] = 0;
				}
				memmove(r->detail, bar + 1, strlen(bar + 1) + 1);
			}
		}
		if (*type) {
			const char *dot = strrchr(type, '.');
			const char *sh = dot ? dot + 1 : type;
			size_t k = strnlen(sh, sizeof r->code - 1);
			memcpy(r->code, sh, k);
			r->code[k] = 0;
		}
	}
	err_clear();
	json_free(&j);
}

void ms_result_from_error(struct ms_result *r, enum ms_audience aud, int status,
			  const char *body, size_t len, const char *path,
			  const char *needs, int none_on_404)
{
	r->http = status;
	r->code[0] = r->detail[0] = r->needs[0] = 0;
	r->need = MS_NEED_NOTHING;
	error_fields(r, aud, body, len);
	if (!r->code[0])
		snprintf(r->code, sizeof r->code, "HTTP_%d", status);

	if (status == 404 && none_on_404) {
		r->st = MS_NONE;
		return;
	}
	if (!strcmp(r->code, "Authentication_RequestFromNonPremiumTenantOrB2CTenant")) {
		r->st = MS_UNKNOWN;
		r->need = MS_NEED_P1;
		return;
	}
	if (!strcmp(r->code, "AadPremiumLicenseRequired") || strstr(r->detail, "Premium 2") ||
	    strstr(r->detail, "Entra ID P2")) {
		r->st = MS_UNKNOWN;
		r->need = MS_NEED_P2;
		return;
	}
	/* Exchange refuses a cmdlet the caller's roles do not grant with
	 * 401 "User is not allowed to call Get-X" (check-mail.md §1.5), and a
	 * mailbox outside its read scope ("out of the current user's read
	 * scope": Global Reader running Get-InboxRule, O365ITPro #780) with
	 * a cmdlet error: both are a missing role, not a failure. */
	if (aud == MS_AUD_EXO && status / 100 == 4 &&
	    (strstr(r->detail, "not allowed to call") || strstr(r->detail, "read scope"))) {
		r->st = MS_UNKNOWN;
		r->need = MS_NEED_EXO_ROLE;
		return;
	}
	if (aud == MS_AUD_EXO && status == 403) {
		r->st = MS_UNKNOWN;
		r->need = strstr(r->detail, "subscription") ? MS_NEED_EXO : MS_NEED_EXO_ROLE;
		return;
	}
	if (status == 403) {
		r->st = MS_UNKNOWN;
		r->need = MS_NEED_PERM;
		if (needs && *needs)
			snprintf(r->needs, sizeof r->needs, "%s", needs);
		else
			perm_needs(path, r->needs, sizeof r->needs);
		return;
	}
	r->st = MS_FAILED;
}
