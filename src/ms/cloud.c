/*
 * The endpoints of each Microsoft cloud, and the environment overrides
 * tests and private set-ups use.
 *
 * Sources: "Microsoft Graph national cloud deployments"
 * (learn.microsoft.com/graph/deployments) for the login and Graph roots;
 * the ExchangeOnlineManagement environments (O365Default,
 * O365USGovGCCHigh, O365USGovDoD, O365China) for Exchange Online, whose
 * token scope is the same host (CISA ScubaGear's Get-ExchangeOnlineScope:
 * outlook.office365.com, outlook.office365.us, outlook-dod.office365.us;
 * partner.outlook.cn for 21Vianet). GCC ("usgov") tenants live in the
 * commercial cloud: same endpoints as global, kept as a name so the case
 * folder says which cloud the responder chose.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ms/ms.h"

struct cloud_row {
	const char *name, *authority, *graph, *exo;
};

static const struct cloud_row clouds[] = {
	{ "global", "https://login.microsoftonline.com", "https://graph.microsoft.com",
	  "https://outlook.office365.com" },
	{ "usgov", "https://login.microsoftonline.com", "https://graph.microsoft.com",
	  "https://outlook.office365.com" },
	{ "usgov-high", "https://login.microsoftonline.us", "https://graph.microsoft.us",
	  "https://outlook.office365.us" },
	{ "dod", "https://login.microsoftonline.us", "https://dod-graph.microsoft.us",
	  "https://outlook-dod.office365.us" },
	{ "china", "https://login.chinacloudapi.cn", "https://microsoftgraph.chinacloudapi.cn",
	  "https://partner.outlook.cn" },
};

/* Copies an override into dst after checking it is an https:// URL;
 * trailing slashes are dropped (AZURE_AUTHORITY_HOST is documented with
 * one: "https://login.microsoftonline.com/"). */
static int override(char *dst, size_t n, const char *var)
{
	const char *v = getenv(var);
	struct url u;
	size_t len;

	if (!v || !*v)
		return 0;
	len = strlen(v);
	while (len > 0 && v[len - 1] == '/')
		len--;
	if (len == 0 || len >= n)
		return err_set(E_AUTH_ENV_URL, var);
	memcpy(dst, v, len);
	dst[len] = 0;
	if (url_parse(&u, dst) < 0)
		return err_context(E_AUTH_ENV_URL, var);
	int ok = !strcmp(u.scheme, "https") && !strcmp(u.path, "/") && !u.user[0];
	url_free(&u);
	if (!ok)
		return err_set(E_AUTH_ENV_URL, var);
	return 0;
}

int ms_cloud_init(struct ms_cloud *c, const char *name)
{
	const struct cloud_row *r = NULL;

	memset(c, 0, sizeof *c);
	if (!name || !*name)
		name = "global";
	for (size_t i = 0; i < sizeof clouds / sizeof clouds[0]; i++)
		if (!strcmp(clouds[i].name, name))
			r = &clouds[i];
	if (!r)
		return err_set(E_AUTH_CLOUD, name);
	snprintf(c->name, sizeof c->name, "%s", r->name);
	snprintf(c->authority, sizeof c->authority, "%s", r->authority);
	snprintf(c->graph, sizeof c->graph, "%s", r->graph);
	snprintf(c->exo, sizeof c->exo, "%s", r->exo);
	/* The audiences stay those of the cloud even when a test points
	 * the endpoints elsewhere: they name the resource, not the host. */
	snprintf(c->graph_aud, sizeof c->graph_aud, "%s", r->graph);
	snprintf(c->exo_aud, sizeof c->exo_aud, "%s", r->exo);
	if (override(c->authority, sizeof c->authority, "AZURE_AUTHORITY_HOST") < 0 ||
	    override(c->graph, sizeof c->graph, "REFLEXE_GRAPH_URL") < 0 ||
	    override(c->exo, sizeof c->exo, "REFLEXE_EXO_URL") < 0)
		return -1;
	return 0;
}
