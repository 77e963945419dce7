/* check-apps' model pieces: audit activity names (dashes, blanks,
 * periods), what a permission reaches, Microsoft by id, the doubly-encoded
 * audit values (what was added = new minus old), sign-ins folded. */
#include <stdlib.h>

#include "core/core.h"
#include "model/model.h"
#include "t.h"

static void activity_names(void)
{
	/* Real logs: an en dash and a trailing blank; the reference page: a
	 * hyphen; some exports: an em dash; the unified audit log: a period. */
	CHECK_INT(mdl_app_event_kind("Update application \xe2\x80\x93 Certificates and secrets management "), AEV_CRED_ADD);
	CHECK_INT(mdl_app_event_kind("Update application - Certificates and secrets management"), AEV_CRED_ADD);
	CHECK_INT(mdl_app_event_kind("Update application \xe2\x80\x94 Certificates and secrets management"), AEV_CRED_ADD);
	CHECK_INT(mdl_app_event_kind("Consent to application."), AEV_CONSENT);
	CHECK_INT(mdl_app_event_kind("consent to APPLICATION"), AEV_CONSENT);
	CHECK_INT(mdl_app_event_kind("Add service principal credentials"), AEV_CRED_ADD);
	CHECK_INT(mdl_app_event_kind("Add service principal"), AEV_SP_ADD);
	CHECK_INT(mdl_app_event_kind("Add application"), AEV_APP_ADD);
	CHECK_INT(mdl_app_event_kind("Add owner to service principal"), AEV_OWNER_ADD);
	/* not a prefix match: these are other activities */
	CHECK_INT(mdl_app_event_kind("Add app role assignment grant to user"), AEV_OTHER);
	CHECK_INT(mdl_app_event_kind("Update application"), AEV_OTHER);
	CHECK_INT(mdl_app_event_kind("Remove service principal credentials"), AEV_OTHER);
	CHECK_INT(mdl_app_event_kind(NULL), AEV_OTHER);
}

static void permission_reach(void)
{
	const char *graph = "00000003-0000-0000-c000-000000000000", *exo = "00000002-0000-0ff1-ce00-000000000000";
	CHECK_INT(mdl_perm_class(graph, "Mail.Read"), PERM_MAIL | PERM_BROAD);
	CHECK_INT(mdl_perm_class(graph, "Mail.ReadBasic.All"), PERM_MAILDATA | PERM_BROAD);
	CHECK_INT(mdl_perm_class(exo, "full_access_as_app"), PERM_MAIL | PERM_BROAD);
	CHECK_INT(mdl_perm_class(graph, "User.Read"), PERM_SIGNIN);
	CHECK_INT(mdl_perm_class(graph, "offline_access"), PERM_SIGNIN);
	CHECK_INT(mdl_perm_class(graph, "Directory.ReadWrite.All"), PERM_TIER0 | PERM_BROAD);
	CHECK_INT(mdl_perm_class(graph, "Directory.Read.All"), PERM_BROAD);
	CHECK_INT(mdl_perm_class(graph, "DeviceManagementManagedDevices.ReadWrite.All"), PERM_TIER0 | PERM_BROAD);
	CHECK_INT(mdl_perm_class(graph, "DeviceManagementManagedDevices.Read.All"), PERM_BROAD);
	CHECK_INT(mdl_perm_class(graph, "Files.ReadWrite.All"), PERM_DATA | PERM_BROAD);
	CHECK_INT(mdl_perm_class(NULL, "Sites.FullControl.All"), PERM_DATA | PERM_BROAD);
	/* a permission of someone else's API reaches nothing of Microsoft's */
	CHECK_INT(mdl_perm_class("5bee10b5-db93-4475-ae1a-3d87e059d287", "Mail.Read"), 0);
	CHECK_INT(mdl_scope_class(graph, " openid profile  User.Read "), PERM_SIGNIN);
	CHECK_INT(mdl_scope_class(graph, "User.Read Mail.Send") & PERM_STRONG, PERM_MAIL);
}

static void microsoft_by_id(void)
{
	CHECK(mdl_ms_tenant("f8cdef31-a31e-4b4a-93e4-5f571e91255a"));
	CHECK(mdl_ms_tenant("F8CDEF31-A31E-4B4A-93E4-5F571E91255A"));
	CHECK(!mdl_ms_tenant("f8cdef31-a31e-4b4a-93e4-5f571e91255b"));
	CHECK(!mdl_ms_tenant("f8cdef31a31e4b4a93e45f571e91255a"));
	CHECK(!mdl_ms_tenant(NULL));
	CHECK(mdl_ms_api("00000002-0000-0ff1-ce00-000000000000"));
	CHECK(!mdl_ms_api("00000004-0000-0ff1-ce00-000000000000"));
	CHECK(mdl_ms_app("de8bc8b5-d9f9-48b1-a8ad-b748da725064"));      /* Graph Explorer */
	CHECK(!mdl_ms_app("5bee10b5-db93-4475-ae1a-3d87e059d287"));
	CHECK(mdl_abused_app("ff8d92dc-3d82-41d6-bcbd-b9174d163620"));   /* PerfectData */
	CHECK(!mdl_abused_app("ff8d92dc-3d82-41d6-bcbd-b9174d163621"));
}

static int feed(struct mdl_apps *m, mdl_item_fn fn, const char *page)
{
	struct json j;
	int rc = json_parse(&j, page, strlen(page), JSON_LIMITS_DEFAULT);
	if (rc < 0)
		return -1;
	int v = json_get(&j, 0, "value");
	for (int it = json_first(&j, v); it >= 0 && rc == 0; it = json_next(&j, it))
		rc = fn(m, &j, it, "graph/x/page-0001.json");
	json_free(&j);
	return rc;
}

static void audit_values(void)
{
	static struct mdl_apps m;
	mdl_apps_init(&m);
	/* KeyDescription: JSON text inside a JSON string; the old value holds
	 * one key, the new two: one was added. */
	const char *p = "{\"value\":[{\"id\":\"a1\",\"activityDisplayName\":\"Update application \\u2013 Certificates and secrets management \","
		"\"activityDateTime\":\"2026-02-01T10:00:00Z\",\"result\":\"success\",\"initiatedBy\":{\"user\":{\"userPrincipalName\":\"x@c.com\"}},"
		"\"targetResources\":[{\"id\":\"app1\",\"type\":\"Application\",\"displayName\":\"A\",\"modifiedProperties\":["
		"{\"displayName\":\"KeyDescription\",\"oldValue\":\"[\\\"[KeyIdentifier=11111111-1111-1111-1111-111111111111,KeyType=Password]\\\"]\","
		"\"newValue\":\"[\\\"[KeyIdentifier=11111111-1111-1111-1111-111111111111,KeyType=Password]\\\",\\\"[KeyIdentifier=22222222-2222-2222-2222-222222222222,KeyType=Password]\\\"]\"}]}]},"
		/* an amended consent repeats the old scopes; only Mail.Read is new */
		"{\"id\":\"a2\",\"activityDisplayName\":\"Consent to application\",\"activityDateTime\":\"2026-02-02T10:00:00Z\",\"result\":\"success\","
		"\"targetResources\":[{\"id\":\"sp1\",\"type\":\"ServicePrincipal\",\"displayName\":\"S\",\"modifiedProperties\":["
		"{\"displayName\":\"ConsentContext.OnBehalfOfAll\",\"oldValue\":null,\"newValue\":\"\\\"True\\\"\"},"
		"{\"displayName\":\"ConsentAction.Permissions\",\"oldValue\":null,\"newValue\":\"\\\"[[Id: g, ConsentType: AllPrincipals, Scope:  User.Read, CreatedDateTime: ]] => [[Id: g, ConsentType: AllPrincipals, Scope:  User.Read Mail.Read, CreatedDateTime: ]]; \\\"\"}]}]},"
		/* recorded under "Remove", an addition all the same */
		"{\"id\":\"a3\",\"activityDisplayName\":\"Remove delegated permission grant\",\"activityDateTime\":\"2026-02-03T10:00:00Z\",\"result\":\"success\","
		"\"targetResources\":[{\"id\":\"graph\",\"type\":\"ServicePrincipal\",\"modifiedProperties\":["
		"{\"displayName\":\"DelegatedPermissionGrant.Scope\",\"oldValue\":\"\\\" User.Read\\\"\",\"newValue\":\"\\\" User.Read Files.Read.All\\\"\"},"
		"{\"displayName\":\"ServicePrincipal.ObjectID\",\"oldValue\":null,\"newValue\":\"\\\"sp2\\\"\"}]}]},"
		"{\"id\":\"a4\",\"activityDisplayName\":\"Update user\",\"activityDateTime\":\"2026-02-03T10:00:00Z\"}]}";
	CHECK_INT(feed(&m, mdl_app_audit_item, p), 0);
	CHECK_INT(m.n_ev, 3);
	if (m.n_ev == 3) {
		CHECK_INT(m.ev[0].kind, AEV_CRED_ADD);
		CHECK_STR(m.ev[0].keys, "22222222-2222-2222-2222-222222222222");
		CHECK_STR(m.ev[0].obj_id, "app1");
		CHECK_STR(m.ev[0].by, "x@c.com");
		CHECK_STR(m.ev[1].perms, "Mail.Read");
		CHECK_INT(m.ev[1].all, 1);
		CHECK_INT(m.ev[2].kind, AEV_DELEG_GRANT);
		CHECK_STR(m.ev[2].perms, "Files.Read.All");
		CHECK_STR(m.ev[2].obj_id, "sp2");
		CHECK_STR(m.ev[2].resource_id, "graph");
	}
	mdl_apps_free(&m);
}

static void signins_folded(void)
{
	static struct mdl_apps m;
	mdl_apps_init(&m);
	const char *p = "{\"value\":["
		"{\"createdDateTime\":\"2026-02-01T10:00:00Z\",\"servicePrincipalId\":\"sp\",\"appId\":\"a\",\"ipAddress\":\"192.0.2.1\","
		"\"servicePrincipalCredentialKeyId\":\"k\",\"status\":{\"errorCode\":0},\"signInEventTypes\":[\"servicePrincipal\"]},"
		"{\"createdDateTime\":\"2026-01-30T10:00:00Z\",\"servicePrincipalId\":\"sp\",\"appId\":\"a\",\"ipAddress\":\"192.0.2.1\","
		"\"servicePrincipalCredentialKeyId\":\"k\",\"status\":{\"errorCode\":0}},"
		"{\"createdDateTime\":\"2026-01-29T10:00:00Z\",\"servicePrincipalId\":\"sp\",\"appId\":\"a\",\"ipAddress\":\"192.0.2.1\","
		"\"servicePrincipalCredentialKeyId\":\"k\",\"status\":{\"errorCode\":7000215}},"
		/* a user's sign-in in the same export: not a service principal's */
		"{\"createdDateTime\":\"2026-01-29T10:00:00Z\",\"userId\":\"u\",\"ipAddress\":\"192.0.2.9\",\"signInEventTypes\":[\"interactiveUser\"],"
		"\"status\":{\"errorCode\":0}}]}";
	CHECK_INT(feed(&m, mdl_app_signin_item, p), 0);
	CHECK_INT(m.n_si, 1);
	if (m.n_si == 1) {
		CHECK_INT(m.si[0].ok, 2);
		CHECK_INT(m.si[0].fail, 1);
		CHECK_INT(m.si[0].first, 1769767200);      /* 2026-01-30T10:00:00Z */
		CHECK_INT(m.si[0].first_any, 1769680800);  /* 2026-01-29T10:00:00Z */
	}
	mdl_apps_free(&m);
}

int main(void)
{
	i18n_init("en");
	RUN(activity_names);
	RUN(permission_reach);
	RUN(microsoft_by_id);
	RUN(audit_values);
	RUN(signins_folded);
	T_DONE();
}
