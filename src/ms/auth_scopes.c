/*
 * What reflexe asks for, and why: one row per delegated Microsoft Graph
 * permission, every one a read permission (the Microsoft Graph
 * permissions reference, learn.microsoft.com/graph/permissions-reference;
 * each name was checked there and on the API pages that use it). The
 * same table feeds the device-code request, `login --print-consent` and
 * the unit test that refuses any non-read scope, so they cannot drift.
 */
#include <string.h>

#include "ms/ms.h"

const struct auth_scope auth_graph_scopes[] = {
	{ "Directory.Read.All", M_AUTH_WHY_DIRECTORY },
	{ "AuditLog.Read.All", M_AUTH_WHY_AUDITLOG },
	{ "Policy.Read.All", M_AUTH_WHY_POLICY },
	{ "RoleManagement.Read.Directory", M_AUTH_WHY_ROLES },
	{ "RoleEligibilitySchedule.Read.Directory", M_AUTH_WHY_ELIGIBLE },
	{ "IdentityRiskyUser.Read.All", M_AUTH_WHY_RISKYUSER },
	{ "IdentityRiskEvent.Read.All", M_AUTH_WHY_RISKEVENT },
	{ "UserAuthenticationMethod.Read.All", M_AUTH_WHY_AUTHMETHOD },
	{ "Application.Read.All", M_AUTH_WHY_APPS },
	{ "Reports.Read.All", M_AUTH_WHY_REPORTS },
	{ "MailboxSettings.Read", M_AUTH_WHY_MAILBOX },
	/* RFC 6749 §6 / Microsoft identity platform: without it no refresh
	 * token, and every applet would need a new device-code sign-in. */
	{ "offline_access", M_AUTH_WHY_OFFLINE },
};
const size_t auth_ngraph_scopes = sizeof auth_graph_scopes / sizeof auth_graph_scopes[0];

int auth_graph_scope_string(struct buf *out)
{
	for (size_t i = 0; i < auth_ngraph_scopes; i++)
		if ((i && buf_puts(out, " ") < 0) || buf_puts(out, auth_graph_scopes[i].name) < 0)
			return -1;
	return 0;
}

/* "<aud>/.default [offline_access]": every permission already consented
 * for that resource (v2.0 ".default" scope). */
int auth_default_scope(struct buf *out, const char *aud, int offline)
{
	return buf_printf(out, "%s/.default%s", aud, offline ? " offline_access" : "");
}

/* {authority}/{tenant}/v2.0/adminconsent?client_id=…&scope=…&redirect_uri=…
 * ("Admin consent on the Microsoft identity platform",
 * learn.microsoft.com/entra/identity-platform/v2-admin-consent). Scopes
 * are given fully qualified with the Graph audience, as that page shows;
 * for Exchange, the .default of its resource. The redirect is the
 * native-client page every public client registers: after consenting,
 * the admin lands on a blank page, which is all we need. */
int auth_consent_url(struct buf *out, const struct auth_cfg *a, const char *client_id, int exo)
{
	struct buf sc = { 0 }, redir = { 0 };
	int r = -1;

	if (exo) {
		if (auth_default_scope(&sc, a->cloud.exo_aud, 0) < 0)
			goto done;
	} else {
		for (size_t i = 0; i < auth_ngraph_scopes; i++) {
			const char *n = auth_graph_scopes[i].name;
			int qualify = strcmp(n, "offline_access") != 0;
			if ((i && buf_puts(&sc, " ") < 0) ||
			    buf_printf(&sc, "%s%s%s", qualify ? a->cloud.graph_aud : "", qualify ? "/" : "", n) < 0)
				goto done;
		}
	}
	if (buf_printf(&redir, "%s/common/oauth2/nativeclient", a->cloud.authority) < 0)
		goto done;
	if (buf_printf(out, "%s/%s/v2.0/adminconsent?client_id=", a->cloud.authority, a->tenant) < 0 ||
	    auth_form_enc(out, client_id) < 0 || buf_puts(out, "&scope=") < 0 ||
	    auth_form_enc(out, sc.p) < 0 || buf_puts(out, "&redirect_uri=") < 0 ||
	    auth_form_enc(out, redir.p) < 0)
		goto done;
	r = 0;
done:
	buf_free(&sc);
	buf_free(&redir);
	return r;
}
