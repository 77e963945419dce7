/*
 * Sign-in settings from the options and the environment, following the
 * Azure SDK's EnvironmentCredential names: AZURE_TENANT_ID,
 * AZURE_CLIENT_ID, AZURE_CLIENT_SECRET, AZURE_CLIENT_CERTIFICATE_PATH
 * (secret first when both are set, as that class does). reflexe's own:
 * REFLEXE_KEYRING=off (tokens in memory only), REFLEXE_JWT_ALG=RS256
 * (assertions are PS256 otherwise), REFLEXE_CLOUD (the cloud when no
 * --cloud is given).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>

#include "ms/ms.h"

/* A tenant id (GUID), a domain, or organizations/common. */
int auth_tenant_ok(const char *s)
{
	size_t n = s ? strlen(s) : 0;
	if (n == 0 || n > 253)
		return 0;
	for (size_t i = 0; i < n; i++) {
		char c = s[i];
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		      c == '-' || c == '.'))
			return 0;
	}
	return s[0] != '.' && s[0] != '-';
}

static const char *env(const char *name)
{
	const char *v = getenv(name);
	return v && *v ? v : NULL;
}

void auth_harden(void)
{
	/* No core dump, no ptrace by another process of this user: either
	 * would hand over the tokens in this process's memory. */
	prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
}

/* The cloud `reflexe login --cloud X` chose for this tenant, from the
 * session's info record ("cloud=X"), into out; 0 found, 1 none. Without
 * it an applet run after a sign-in to a sovereign cloud would look for
 * tokens of the global authority, find none, and ask global endpoints. */
static int session_cloud(const char *tenant, char *out, size_t n)
{
	struct auth_keyring k;
	struct buf info = { 0 };
	char tid[256];
	int r = 1;

	if (auth_kr_open(&k) < 0 || auth_store_resolve(&k, tenant, tid, sizeof tid) != 0 ||
	    auth_store_get_info(&k, tid, &info) != 0 || !info.p) {
		err_clear();
		buf_free(&info);
		return 1;
	}
	for (const char *l = info.p; l && *l; l = strchr(l, '\n') ? strchr(l, '\n') + 1 : NULL)
		if (!strncmp(l, "cloud=", 6)) {
			size_t len = strcspn(l + 6, "\n");
			if (len > 0 && len < n) {
				memcpy(out, l + 6, len);
				out[len] = 0;
				r = 0;
			}
			break;
		}
	buf_wipe(&info);
	return r;
}

int auth_cfg_init(struct auth_cfg *a, const char *cloud, const char *tenant,
		  const char *client_id, const char *proxy)
{
	const char *secret = env("AZURE_CLIENT_SECRET"), *cert = env("AZURE_CLIENT_CERTIFICATE_PATH");
	const char *env_client = env("AZURE_CLIENT_ID"), *alg = env("REFLEXE_JWT_ALG");
	const char *kr = env("REFLEXE_KEYRING");
	char kept[16];

	memset(a, 0, sizeof *a);
	a->proxy = proxy;
	if (!tenant)
		tenant = env("AZURE_TENANT_ID");
	if (!tenant)
		tenant = "organizations";
	if (!auth_tenant_ok(tenant))
		return err_set(E_AUTH_TENANT_NAME, tenant);
	snprintf(a->tenant, sizeof a->tenant, "%s", tenant);
	a->no_keyring = kr && (!strcmp(kr, "off") || !strcmp(kr, "0") || !strcmp(kr, "no"));
	/* The cloud: --cloud, else REFLEXE_CLOUD, else (a delegated
	 * sign-in) the one `reflexe login` used for this tenant, else
	 * global. Applets have no --cloud: they follow the sign-in. */
	if (!cloud)
		cloud = env("REFLEXE_CLOUD");
	if (!cloud && !secret && !cert && !a->no_keyring && session_cloud(tenant, kept, sizeof kept) == 0)
		cloud = kept;
	if (ms_cloud_init(&a->cloud, cloud) < 0)
		return -1;
	if (!client_id)
		client_id = env_client;
	if (client_id && !guid_ok(client_id))
		return err_set(E_AUTH_CLIENT_ID, client_id);
	snprintf(a->client_id, sizeof a->client_id, "%s", client_id ? client_id : MS_CLIENT_GRAPH_CLI);
	a->pss = 1;
	if (alg && !strcmp(alg, "RS256"))
		a->pss = 0;
	else if (alg && strcmp(alg, "PS256"))
		return err_set(E_AUTH_JWT_ALG, alg);
	if (!secret && !cert)
		return 0;
	/* Client credentials: an application of the tenant signs in as
	 * itself. It needs its id and the tenant's: "organizations" has no
	 * application in it (AADSTS700016 otherwise). */
	if (!client_id)
		return err_set(E_AUTH_CC_CLIENT);
	if (!strcmp(a->tenant, "organizations") || !strcmp(a->tenant, "common"))
		return err_set(E_AUTH_CC_TENANT);
	if (secret) {
		a->mode = AUTH_SECRET;
		if (!(a->secret = xstrdup(secret)))
			return -1;
	} else {
		a->mode = AUTH_CERT;
		if (strlen(cert) >= sizeof a->cert_path)
			return err_set(E_AUTH_ENV_LONG, "AZURE_CLIENT_CERTIFICATE_PATH");
		snprintf(a->cert_path, sizeof a->cert_path, "%s", cert);
	}
	return 0;
}

void auth_cfg_free(struct auth_cfg *a)
{
	if (a->secret) {
		mem_wipe(a->secret, strlen(a->secret));
		free(a->secret);
	}
	mem_wipe(a, sizeof *a);
}
