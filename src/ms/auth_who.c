/*
 * Who a token speaks for, read from its payload for `login --status`
 * only. Microsoft: "access tokens are opaque to clients… don't validate
 * or read them" for logic; display is all we do with it, and every
 * field is bounded and treated as text from the network.
 * Claims: "Access token claims reference" (learn.microsoft.com/entra/
 * identity-platform/access-token-claims-reference): tid, upn /
 * preferred_username / unique_name, appid / azp, app_displayname, scp
 * (delegated scopes), roles (application permissions), wids (directory
 * role template ids of the user), idtyp, exp.
 */
#include <stdio.h>
#include <string.h>

#include "ms/ms.h"

/* Built-in Entra roles (template ids are the same in every tenant;
 * "Microsoft Entra built-in roles", learn.microsoft.com/entra/identity/
 * role-based-access-control/permissions-reference). Names as Graph gives
 * them: an API value, the same in every language. */
static const struct {
	const char *id, *name;
} roles[] = {
	{ "62e90394-69f5-4237-9190-012177145e10", "Global Administrator" },
	{ "f2ef992c-3afb-46b9-b7cf-a126ee74c451", "Global Reader" },
	{ "e8611ab8-c189-46e8-94e1-60213ab1f814", "Privileged Role Administrator" },
	{ "7be44c8a-adaf-4e2a-84d6-ab2649e08a13", "Privileged Authentication Administrator" },
	{ "194ae4cb-b126-40b2-bd5b-6091b380977d", "Security Administrator" },
	{ "5d6b6bb7-de71-4623-b4af-96380a352509", "Security Reader" },
	{ "5f2222b1-57c3-48ba-8ad5-d4759f1fde6f", "Security Operator" },
	{ "29232cdf-9323-42fd-ade2-1d097af3e4de", "Exchange Administrator" },
	{ "9b895d92-2cd3-44c7-9d02-a6ac2d5ea5c3", "Application Administrator" },
	{ "158c047a-c907-4556-b7ef-446551a6b5f7", "Cloud Application Administrator" },
	{ "fe930be7-5e62-47db-91af-98c3a49a38b1", "User Administrator" },
	{ "c4e39bd9-1100-46d3-8c65-fb160da0071f", "Authentication Administrator" },
	{ "729827e3-9c14-49f7-bb1b-9608f156bbb8", "Helpdesk Administrator" },
	{ "b1be1c3e-b65d-4f19-8427-f6fa0d97feb9", "Conditional Access Administrator" },
	{ "8ac3fc64-6eca-42ea-9e69-59f4c7b60eb2", "Hybrid Identity Administrator" },
	{ "f28a1f50-f6e7-4571-818b-6a12f2af6b6c", "SharePoint Administrator" },
	{ "88d8e3e3-8f55-4a1e-953a-9b9898b8876b", "Directory Readers" },
	{ "4a5d8f65-41da-4de4-8968-e035b65339cf", "Reports Reader" },
	{ "17315797-102d-40b4-93e0-432062caca18", "Compliance Administrator" },
};
/* In every member's wids: the default user role, not a directory role. */
#define DEFAULT_USER_ROLE "b79fbf4d-3ef9-4689-8143-76b194e85509"

const char *auth_role_name(const char *id)
{
	for (size_t i = 0; i < sizeof roles / sizeof roles[0]; i++)
		if (!strcmp(roles[i].id, id))
			return roles[i].name;
	return NULL;
}

/* Printable ASCII only, "?" otherwise (UTF-8 names are rare in these
 * fields and a terminal escape is not): display text. */
static void tame(char *s)
{
	for (unsigned char *p = (unsigned char *)s; *p; p++)
		if (*p < ' ' || *p == 0x7f)
			*p = '?';
}

/* An array of strings joined with spaces; tolerant (display only). */
static void join(const struct json *j, const char *path, char *out, size_t n, int skip_default)
{
	int t = json_get(j, 0, path);
	size_t len = 0;
	out[0] = 0;
	if (json_type(j, t) != JSON_ARR)
		return;
	for (int c = json_first(j, t); c >= 0; c = json_next(j, c)) {
		char v[128];
		if (json_str(j, c, "", v, sizeof v) != 0) {
			err_clear();
			continue;
		}
		if (skip_default && !strcmp(v, DEFAULT_USER_ROLE))
			continue;
		int k = snprintf(out + len, n - len, "%s%s", len ? " " : "", v);
		if (k < 0 || (size_t)k >= n - len) {
			out[len] = 0;
			break;
		}
		len += (size_t)k;
	}
}

static void field(const struct json *j, const char *path, char *out, size_t n)
{
	if (json_str(j, 0, path, out, n) != 0) {
		out[0] = 0;
		err_clear();
	}
}

int auth_who(const char *access, struct auth_who *w)
{
	struct buf b = { 0 };
	struct json j = { 0 };
	struct json_limits lim = { 1024, 8 };
	long long exp = 0;

	memset(w, 0, sizeof *w);
	if (auth_jwt_claims(access, &b) < 0)
		return -1;
	if (json_parse(&j, b.p, b.len, lim) < 0 || json_type(&j, 0) != JSON_OBJ) {
		json_free(&j);
		buf_wipe(&b);
		return err_set(E_AUTH_JWT_FORMAT);
	}
	field(&j, "tid", w->tid, sizeof w->tid);
	field(&j, "upn", w->upn, sizeof w->upn);
	if (!w->upn[0])
		field(&j, "preferred_username", w->upn, sizeof w->upn);
	if (!w->upn[0])
		field(&j, "unique_name", w->upn, sizeof w->upn);
	field(&j, "appid", w->appid, sizeof w->appid);
	if (!w->appid[0])
		field(&j, "azp", w->appid, sizeof w->appid);
	field(&j, "app_displayname", w->app, sizeof w->app);
	field(&j, "idtyp", w->idtyp, sizeof w->idtyp);
	field(&j, "aud", w->aud, sizeof w->aud);
	field(&j, "scp", w->scp, sizeof w->scp);
	join(&j, "roles", w->roles, sizeof w->roles, 0);
	join(&j, "wids", w->wids, sizeof w->wids, 1);
	if (json_int(&j, 0, "exp", &exp) == 0)
		w->exp = exp;
	err_clear();
	tame(w->tid);
	tame(w->upn);
	tame(w->appid);
	tame(w->app);
	tame(w->idtyp);
	tame(w->aud);
	tame(w->scp);
	tame(w->roles);
	tame(w->wids);
	json_free(&j);
	buf_wipe(&b);
	return 0;
}
