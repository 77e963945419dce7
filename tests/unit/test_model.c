/* model/: Graph pages of a case folder into the check-admins model, and
 * what happens with hostile or missing evidence. */
#include "tcase.h"
#include "model/model.h"
#include "t.h"

#define G "graph/v1.0/"
#define GA "62e90394-69f5-4237-9190-012177145e10"
#define U1 "a1000000-0000-4000-8000-000000000001"
#define U2 "a1000000-0000-4000-8000-000000000002"
#define GRP "9a000000-0000-4000-8000-000000000001"

static void record(const char *sources)
{
	char b[4096];
	snprintf(b, sizeof b, "{\"applet\":\"check-admins\",\"tenant\":\"contoso.onmicrosoft.com\","
		 "\"since\":\"2026-01-30T12:00:00Z\",\"until\":\"2026-03-01T12:00:00Z\",\"sources\":{%s}}",
		 sources);
	tc_put("collect/check-admins.json", b);
}

static void base(void)
{
	tc_put("graph/beta/roleManagement/directory/roleDefinitions/page-0001.json",
	       "{\"value\":[{\"id\":\"" GA "\",\"templateId\":\"" GA "\",\"displayName\":\"Global Administrator\","
	       "\"isBuiltIn\":true},{\"id\":\"c0ffee00-0000-4000-8000-000000000001\",\"displayName\":\"Custom\","
	       "\"isBuiltIn\":false,\"isPrivileged\":true},{\"id\":\"88d8e3e3-8f55-4a1e-953a-9b9898b8876b\","
	       "\"displayName\":\"Directory Readers\",\"isBuiltIn\":true}]}");
	tc_put(G "roleManagement/directory/roleAssignments/page-0001.json",
	       "{\"value\":[{\"id\":\"r1\",\"roleDefinitionId\":\"" GA "\",\"principalId\":\"" U1 "\","
	       "\"directoryScopeId\":\"/\",\"principal\":{\"@odata.type\":\"#microsoft.graph.user\",\"id\":\"" U1 "\","
	       "\"userPrincipalName\":\"admin1@contoso.com\",\"displayName\":\"Alice\"}},"
	       "{\"id\":\"r2\",\"roleDefinitionId\":\"88d8e3e3-8f55-4a1e-953a-9b9898b8876b\",\"principalId\":\"" U2 "\","
	       "\"directoryScopeId\":\"/\",\"principal\":{\"@odata.type\":\"#microsoft.graph.user\",\"id\":\"" U2 "\"}}],"
	       "\"@odata.nextLink\":\"https://graph.microsoft.com/v1.0/x?$skiptoken=1\"}");
	tc_put(G "roleManagement/directory/roleAssignments/page-0002.json",
	       "{\"value\":[{\"id\":\"r3\",\"roleDefinitionId\":\"c0ffee00-0000-4000-8000-000000000001\","
	       "\"principalId\":\"" GRP "\",\"directoryScopeId\":\"/\",\"principal\":{\"@odata.type\":"
	       "\"#microsoft.graph.group\",\"id\":\"" GRP "\",\"displayName\":\"IT Admins\"}}]}");
	tc_put(G "groups/" GRP "/transitiveMembers/page-0001.json",
	       "{\"value\":[{\"@odata.type\":\"#microsoft.graph.user\",\"id\":\"" U2 "\",\"userPrincipalName\":\"hd@contoso.com\"},"
	       "{\"@odata.type\":\"#microsoft.graph.group\",\"id\":\"9a000000-0000-4000-8000-000000000002\"}]}");
	tc_put(G "users/" U1 "/page-0001.json",
	       "{\"id\":\"" U1 "\",\"userPrincipalName\":\"admin1@contoso.com\",\"accountEnabled\":true,"
	       "\"userType\":\"Member\",\"createdDateTime\":\"2024-01-01T00:00:00Z\",\"onPremisesSyncEnabled\":null,"
	       "\"signInActivity\":{\"lastSignInDateTime\":\"2026-02-27T10:00:00.1234567Z\","
	       "\"lastNonInteractiveSignInDateTime\":\"2026-02-28T10:00:00Z\",\"lastSuccessfulSignInDateTime\":null}}");
	tc_put(G "users/" U2 "/page-0001.json",
	       "{\"id\":\"" U2 "\",\"userPrincipalName\":\"hd@contoso.com\",\"accountEnabled\":false,"
	       "\"onPremisesSyncEnabled\":true,\"signInActivity\":null}");
	tc_put(G "reports/authenticationMethods/userRegistrationDetails/page-0001.json",
	       "{\"value\":[{\"id\":\"" U1 "\",\"isMfaRegistered\":true,\"methodsRegistered\":[\"fido2\",\"mobilePhone\"]},"
	       "{\"id\":\"" U2 "\",\"isMfaRegistered\":false,\"methodsRegistered\":[]},"
	       "{\"id\":\"ffffffff-0000-4000-8000-000000000000\",\"isMfaRegistered\":false}]}");
}

static void loads_directory(void)
{
	struct mdl_admins m;
	tc_new();
	base();
	CHECK_INT(mdl_admins_load_dir(tc_dir, NULL, &m), 0);
	CHECK_INT(m.src[ADM_SRC_ROLEDEFS].st, MDL_ST_OK);
	CHECK_INT(m.src[ADM_SRC_ASSIGN].st, MDL_ST_OK);
	CHECK_INT(m.src[ADM_SRC_ASSIGN].npages, 2);
	CHECK_INT(m.src[ADM_SRC_MEMBERS].st, MDL_ST_OK);
	CHECK_INT(m.src[ADM_SRC_MFA].st, MDL_ST_OK);
	CHECK_INT(m.src[ADM_SRC_SIGNINS].st, MDL_ST_ABSENT);
	/* no record: 30 days before case.ini's start (absent: the clock) */
	CHECK(m.h.now - m.h.since == 30 * 86400);
	size_t a = mdl_map_get(&m.pr_by_id, U1), h = mdl_map_get(&m.pr_by_id, U2);
	size_t g = mdl_map_get(&m.pr_by_id, GRP);
	CHECK(a != MDL_NONE && h != MDL_NONE && g != MDL_NONE);
	CHECK(mdl_is_ga(&m, a, NULL));
	CHECK(mdl_is_privileged(&m, a));
	/* Directory Readers is not privileged: U2 only holds the custom
	 * role (isPrivileged) through the group */
	CHECK(mdl_is_privileged(&m, h));
	CHECK_INT(m.pr[h].ng, 1);
	CHECK_INT(m.grants[m.pr[h].g0].via, g);
	CHECK(m.pr[g].members_known);
	/* the nested group is listed but holds nothing itself */
	size_t nested = mdl_map_get(&m.pr_by_id, "9a000000-0000-4000-8000-000000000002");
	CHECK(nested != MDL_NONE && !mdl_is_privileged(&m, nested));
	CHECK_INT(m.pr[a].enabled, 1);
	CHECK_INT(m.pr[h].enabled, 0);
	CHECK_INT(m.pr[a].synced, 0);              /* null: never synchronised */
	CHECK_INT(m.pr[h].synced, 1);
	CHECK_INT(m.pr[a].activity, 1);
	CHECK(m.pr[a].last_signin > m.pr[a].last_success);  /* non-interactive is later */
	CHECK_INT(m.pr[a].mfa, 1);
	CHECK_STR(m.pr[a].mfa_methods, "fido2,mobilePhone");
	CHECK_INT(m.pr[h].mfa, 0);
	struct buf b = { 0 };
	i18n_init("en");
	CHECK_INT(mdl_roles_text(&m, h, &b), 0);
	CHECK_STR(b.p, "Custom [through IT Admins]");
	buf_free(&b);
	mdl_admins_free(&m);
	tc_done();
}

/* Without the registration report (no P1), each admin's methods: a
 * password and an email address (self-service reset only) are no MFA. */
static void methods_fallback(void)
{
	struct mdl_admins m;
	tc_new();
	tc_put(G "roleManagement/directory/roleAssignments/page-0001.json",
	       "{\"value\":[{\"id\":\"r1\",\"roleDefinitionId\":\"" GA "\",\"principalId\":\"" U1 "\","
	       "\"directoryScopeId\":\"/\",\"principal\":{\"@odata.type\":\"#microsoft.graph.user\",\"id\":\"" U1 "\"}},"
	       "{\"id\":\"r2\",\"roleDefinitionId\":\"" GA "\",\"principalId\":\"" U2 "\","
	       "\"directoryScopeId\":\"/\",\"principal\":{\"@odata.type\":\"#microsoft.graph.user\",\"id\":\"" U2 "\"}}]}");
	tc_put(G "users/" U1 "/authentication/methods/page-0001.json",
	       "{\"value\":[{\"@odata.type\":\"#microsoft.graph.passwordAuthenticationMethod\",\"id\":\"p\"},"
	       "{\"@odata.type\":\"#microsoft.graph.emailAuthenticationMethod\",\"id\":\"e\","
	       "\"emailAddress\":\"a@example.org\"}]}");
	tc_put(G "users/" U2 "/authentication/methods/page-0001.json",
	       "{\"value\":[{\"@odata.type\":\"#microsoft.graph.passwordAuthenticationMethod\",\"id\":\"p\"},"
	       "{\"@odata.type\":\"#microsoft.graph.phoneAuthenticationMethod\",\"id\":\"ph\"}]}");
	CHECK_INT(mdl_admins_load_dir(tc_dir, NULL, &m), 0);
	CHECK_INT(m.src[ADM_SRC_MFA].st, MDL_ST_OK);
	size_t a = mdl_map_get(&m.pr_by_id, U1), b = mdl_map_get(&m.pr_by_id, U2);
	CHECK(a != MDL_NONE && b != MDL_NONE);
	CHECK_INT(m.pr[a].mfa, 0);
	CHECK_STR(m.pr[a].mfa_methods, "passwordAuthenticationMethod,emailAuthenticationMethod");
	CHECK_INT(m.pr[b].mfa, 1);
	mdl_admins_free(&m);
	tc_done();
}

/* Each kind of bad evidence turns its own source unreadable, with the
 * page named; the other sources still load. */
static void hostile_pages(void)
{
	static const struct { const char *text, *why; } bad[] = {
		{ "{\"value\":[{\"id\":\"x\",", "syntax" },
		{ "{\"value\":{\"id\":\"x\"}}", "not an expected Graph response" },
		{ "[1,2]", "not an expected Graph response" },
		{ "{\"error\":{\"code\":\"Authorization_RequestDenied\"}}", "not an expected Graph response" },
		{ "{\"value\":[{\"id\":\"d\",\"authenticationType\":\"Federated\",\"isVerified\":\"yes\"}]}", "isVerified" },
		{ "{\"value\":[{\"authenticationType\":\"Managed\"}]}", "'id'" },
		{ "{\"value\":[{\"id\":7}]}", "'id'" },
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		struct mdl_admins m;
		tc_new();
		base();
		tc_put(G "domains/page-0001.json", bad[i].text);
		CHECK_INT(mdl_admins_load_dir(tc_dir, NULL, &m), 0);
		CHECK_INT(m.src[ADM_SRC_DOMAINS].st, MDL_ST_BAD);
		CHECK(strstr(m.src[ADM_SRC_DOMAINS].detail, "graph/v1.0/domains/page-0001.json") != NULL);
		if (!strstr(m.src[ADM_SRC_DOMAINS].detail, bad[i].why) && strcmp(bad[i].why, "syntax"))
			printf("  case %zu: detail '%s'\n", i, m.src[ADM_SRC_DOMAINS].detail), t_failed_now = 1;
		CHECK_INT(m.src[ADM_SRC_ASSIGN].st, MDL_ST_OK);
		mdl_admins_free(&m);
		tc_done();
	}
	/* a string longer than any Graph field */
	struct mdl_admins m;
	char *big = malloc(MDL_MAX_STR + 64);
	tc_new();
	base();
	strcpy(big, "{\"value\":[{\"id\":\"");
	memset(big + strlen(big), 'a', MDL_MAX_STR + 1);
	strcpy(big + 17 + MDL_MAX_STR + 1, "\"}]}");
	tc_put(G "domains/page-0001.json", big);
	free(big);
	CHECK_INT(mdl_admins_load_dir(tc_dir, NULL, &m), 0);
	CHECK_INT(m.src[ADM_SRC_DOMAINS].st, MDL_ST_BAD);
	CHECK(strstr(m.src[ADM_SRC_DOMAINS].detail, "too long") != NULL);
	mdl_admins_free(&m);
	tc_done();
	/* an object id that is not a safe folder name is never a path */
	tc_new();
	tc_put(G "roleManagement/directory/roleAssignments/page-0001.json",
	       "{\"value\":[{\"id\":\"r\",\"roleDefinitionId\":\"" GA "\",\"principalId\":\"../../etc\","
	       "\"principal\":{\"@odata.type\":\"#microsoft.graph.group\",\"id\":\"../../etc\"}}]}");
	CHECK_INT(mdl_admins_load_dir(tc_dir, NULL, &m), 0);
	size_t k = mdl_map_get(&m.pr_by_id, "../../etc");
	CHECK(k != MDL_NONE && !m.pr[k].members_known);
	CHECK(m.src[ADM_SRC_MEMBERS].st != MDL_ST_OK);
	mdl_admins_free(&m);
	tc_done();
}

/* The collection record decides: a source recorded as refused is not
 * read even if pages are there; one recorded as collected but without a
 * page is unreadable evidence. */
static void record_states(void)
{
	struct mdl_admins m;
	tc_new();
	base();
	tc_put(G "auditLogs/signIns/page-0001.json", "{\"value\":[]}");
	record("\"roleDefinitions\":{\"state\":\"ok\"},\"roleAssignments\":{\"state\":\"ok\"},"
	       "\"groupMembers\":{\"state\":\"ok\"},\"users\":{\"state\":\"ok\"},\"signInActivity\":{\"state\":\"ok\"},"
	       "\"mfaRegistration\":{\"state\":\"ok\"},"
	       "\"signIns\":{\"state\":\"licence\",\"detail\":\"HTTP 403 X\",\"needs\":\"Entra ID P1\"},"
	       "\"directoryAudits\":{\"state\":\"ok\"},\"domains\":{\"state\":\"denied\",\"needs\":\"Domain.Read.All\"}");
	CHECK_INT(mdl_admins_load_dir(tc_dir, NULL, &m), 0);
	CHECK(m.h.rec.found);
	CHECK_STR(m.h.tenant, "contoso.onmicrosoft.com");
	int64_t until;
	int off, has;
	tm_parse_iso("2026-03-01T12:00:00Z", &until, &off, &has);
	CHECK(m.h.now == until && m.h.since == until - 30 * 86400);
	CHECK_INT(m.src[ADM_SRC_SIGNINS].st, MDL_ST_LICENCE);
	CHECK_STR(m.src[ADM_SRC_SIGNINS].detail, "HTTP 403 X");
	CHECK_STR(m.src[ADM_SRC_SIGNINS].needs_rec, "Entra ID P1");
	CHECK_INT(m.src[ADM_SRC_AUDITS].st, MDL_ST_BAD);       /* recorded ok, no page */
	CHECK_INT(m.src[ADM_SRC_DOMAINS].st, MDL_ST_DENIED);
	CHECK_INT(m.src[ADM_SRC_RISKYUSERS].st, MDL_ST_ABSENT); /* not in the record */
	CHECK_INT(m.src[ADM_SRC_ROLEDEFS].st, MDL_ST_OK);
	mdl_admins_free(&m);
	/* --since: a duration from the case's time, or a date */
	CHECK_INT(mdl_admins_load_dir(tc_dir, &(struct tm_window){ 0, 2 * 86400 }, &m), 0);
	CHECK(m.h.since == until - 2 * 86400);
	mdl_admins_free(&m);
	CHECK_INT(mdl_admins_load_dir(tc_dir, &(struct tm_window){ until - 5, 0 }, &m), 0);
	CHECK(m.h.since == until - 5);
	mdl_admins_free(&m);
	/* a folder that is not there (inside ours: no shared absolute path) */
	char gone[sizeof tc_dir + 16];
	snprintf(gone, sizeof gone, "%s/gone", tc_dir);
	CHECK_INT(mdl_admins_load_dir(gone, NULL, &m), -1);
	CHECK_INT(err_id(), E_MDL_NO_CASE);
	mdl_admins_free(&m);
	tc_done();
}

static void logs(void)
{
	struct mdl_admins m;
	tc_new();
	base();
	tc_put(G "auditLogs/signIns/page-0001.json",
	       "{\"value\":[{\"id\":\"s2\",\"createdDateTime\":\"2026-02-20T10:00:00Z\",\"userId\":\"" U1 "\","
	       "\"ipAddress\":\"203.0.113.10\",\"location\":{\"countryOrRegion\":\"FR\",\"city\":\"Paris\"},"
	       "\"status\":{\"errorCode\":50126},\"riskLevelDuringSignIn\":\"high\",\"clientAppUsed\":\"IMAP4\"},"
	       "{\"id\":\"s1\",\"createdDateTime\":\"2026-02-10T10:00:00Z\",\"userId\":\"" U1 "\","
	       "\"ipAddress\":\"203.0.113.10\",\"location\":{\"countryOrRegion\":\"\"},\"status\":{\"errorCode\":0}},"
	       "{\"id\":\"s3\",\"createdDateTime\":\"2026-02-11T10:00:00Z\",\"userId\":\"not-a-principal\","
	       "\"status\":{\"errorCode\":0}}]}");
	tc_put(G "auditLogs/directoryAudits/page-0001.json",
	       "{\"value\":[{\"id\":\"a1\",\"activityDisplayName\":\"Update user\",\"activityDateTime\":\"2026-02-10T00:00:00Z\"},"
	       "{\"id\":\"a2\",\"activityDisplayName\":\"Update conditional access policy\","
	       "\"activityDateTime\":\"2026-02-11T00:00:00Z\",\"result\":\"success\","
	       "\"initiatedBy\":{\"user\":{\"userPrincipalName\":\"x@contoso.com\",\"ipAddress\":\"198.51.100.1\"}},"
	       "\"targetResources\":[{\"id\":\"p1\",\"displayName\":\"MFA\",\"type\":\"Policy\",\"modifiedProperties\":"
	       "[{\"displayName\":\"ConditionalAccessPolicy\",\"oldValue\":\"{\\\"state\\\":\\\"enabled\\\"}\","
	       "\"newValue\":\"{\\\"state\\\": \\\"disabled\\\"}\"}]}]},"
	       "{\"id\":\"a3\",\"activityDisplayName\":\"Add member to role\",\"activityDateTime\":\"2026-02-09T00:00:00Z\","
	       "\"targetResources\":[{\"id\":\"" U1 "\",\"type\":\"User\",\"modifiedProperties\":"
	       "[{\"displayName\":\"Role.DisplayName\",\"newValue\":\"\\\"Global Administrator\\\"\"}]}]}]}");
	/* and one listing per user, as the collector asks for them */
	tc_put(G "auditLogs/signIns@user/" U1 "/page-0001.json",
	       "{\"value\":[{\"id\":\"s4\",\"createdDateTime\":\"2026-02-25T10:00:00Z\",\"userId\":\"" U1 "\","
	       "\"status\":{\"errorCode\":0}}]}");
	/* a hidden folder the collector never made (nor listed): not walked */
	tc_put_raw(G "auditLogs/signIns@user/..bad/page-0001.json", "{\"value\":[{\"id\":1}]}");
	CHECK_INT(mdl_admins_load_dir(tc_dir, NULL, &m), 0);
	CHECK_INT(m.src[ADM_SRC_SIGNINS].st, MDL_ST_OK);
	CHECK_INT(m.src[ADM_SRC_SIGNINS].npages, 2);
	CHECK_INT(m.n_si, 3);                       /* s3 is nobody we look at */
	size_t f0, n, a = mdl_map_get(&m.pr_by_id, U1);
	mdl_signins_of(&m, a, &f0, &n);
	CHECK_INT(n, 3);
	CHECK_STR(m.si[f0].id, "s1");               /* sorted by time */
	CHECK(m.si[f0].country == NULL);            /* "" is no country */
	CHECK_INT(m.si[f0 + 1].error, 50126);
	CHECK_INT(m.si[f0 + 1].risk_during, RISK_HIGH);
	CHECK(m.si[f0].ip == m.si[f0 + 1].ip);      /* interned: one copy */
	CHECK_INT(m.n_au, 2);                       /* "Update user" not kept */
	CHECK_INT(m.au[0].kind, AUD_ROLE_ADD);
	CHECK_STR(m.au[0].prop[0].newv, "Global Administrator");
	CHECK_INT(m.au[1].kind, AUD_CA_UPDATE);
	CHECK(m.au[1].ca_disabled);
	CHECK_STR(m.au[1].by_ip, "198.51.100.1");
	mdl_admins_free(&m);
	tc_done();
}

static void audit_names(void)
{
	static const struct { const char *a; enum mdl_audit_kind k; } t[] = {
		{ "Add member to role", AUD_ROLE_ADD },
		{ "Add member to role.", AUD_ROLE_ADD },
		{ "add eligible member to role in PIM completed (timebound)", AUD_ROLE_ADD },
		{ "Add member to role outside of PIM (permanent)", AUD_ROLE_ADD },
		{ "Add scoped member to role", AUD_ROLE_ADD },
		{ "Add member to role in PIM requested (permanent)", AUD_OTHER },
		{ "Add member to role canceled (PIM activation)", AUD_OTHER },
		{ "Add member to role completed (PIM activation)", AUD_OTHER },
		{ "Add member to role request denied (PIM activation)", AUD_OTHER },
		{ "Remove member from role", AUD_OTHER },
		{ "Add Conditional Access policy", AUD_CA_ADD },
		{ "Delete conditional access policy", AUD_CA_DELETE },
		{ "Update security defaults", AUD_SECDEFAULTS },
		{ "Set domain authentication", AUD_FEDERATION },
		{ "Set federation settings on domain ", AUD_FEDERATION },
		{ "Verify domain", AUD_DOMAIN },
		{ "User registered security info", AUD_SECINFO },
		{ "Admin deleted security info", AUD_SECINFO },
		{ "Add users strong authentication phone app detail", AUD_SECINFO },
		{ "Reset password (self-service)", AUD_PASSWORD },
		{ "Invite external user", AUD_INVITE },
		{ "Add user", AUD_USER_ADD },
		{ "Add user ", AUD_USER_ADD },
		{ "Add user to feature rollout", AUD_OTHER },
		{ "Update application \xE2\x80\x93 Certificates and secrets management ", AUD_OTHER },
		{ "", AUD_OTHER },
	};
	for (size_t i = 0; i < sizeof t / sizeof t[0]; i++)
		if (mdl_audit_kind(t[i].a) != t[i].k) {
			printf("  '%s': kind %d, want %d\n", t[i].a, mdl_audit_kind(t[i].a), t[i].k);
			t_failed_now = 1;
		}
	CHECK_INT(mdl_audit_kind(NULL), AUD_OTHER);
}

static void arena_and_map(void)
{
	struct mdl_arena a = { 0 };
	struct mdl_map mp = { 0 };
	const char *x = mdl_intern(&a, "203.0.113.10");
	CHECK(x == mdl_intern(&a, "203.0.113.10"));
	CHECK(x != mdl_intern(&a, "203.0.113.11"));
	CHECK(mdl_intern(&a, NULL) == NULL);
	char k[32];
	for (int i = 0; i < 5000; i++) {
		snprintf(k, sizeof k, "Key-%d", i);
		CHECK_INT(mdl_map_put(&mp, mdl_intern(&a, k), (size_t)i), 0);
	}
	CHECK_INT(mdl_map_get(&mp, "key-4321"), 4321);      /* case-insensitive */
	CHECK(mdl_map_get(&mp, "key-5000") == MDL_NONE);
	CHECK(mdl_map_get(&mp, NULL) == MDL_NONE);
	CHECK_INT(mdl_risk_parse("High"), RISK_HIGH);
	CHECK_INT(mdl_risk_parse("unknownFutureValue"), RISK_UNKNOWN);
	CHECK_INT(mdl_risk_parse(NULL), RISK_NONE);
	CHECK(mdl_priv_builtin("29232cdf-9323-42fd-ade2-1d097af3e4de") != NULL);  /* Exchange admin */
	CHECK(mdl_priv_builtin("88d8e3e3-8f55-4a1e-953a-9b9898b8876b") == NULL);  /* Directory Readers */
	mdl_map_free(&mp);
	mdl_arena_free(&a);
}

/* Evidence first: each file checked against manifest.sha256 before it
 * is parsed; what is not the collected evidence stops the load. */
static int refused(const char *what, enum msg_id id, const char *rel)
{
	struct mdl_admins m;
	int r = mdl_admins_load_dir(tc_dir, NULL, &m);
	mdl_admins_free(&m);
	if (r == -1 && err_id() == id && strstr(err_msg(), rel))
		return 1;
	printf("  %s: load %d, \"%s\"\n", what, r, err_msg());
	return 0;
}

static void sh_in_case(const char *cmd)
{
	char b[2048];
	snprintf(b, sizeof b, "cd '%s' && %s", tc_dir, cmd);
	if (system(b) != 0) {
		printf("  %s: failed\n", b);
		t_failed_now = 1;
	}
}

#define ASSIGN2 G "roleManagement/directory/roleAssignments/page-0002.json"
#define BYUSER G "auditLogs/signIns@user/" U1 "/page-0001.json"

static void evidence_checked(void)
{
	struct mdl_admins m;
	/* the genuine case loads */
	tc_new();
	base();
	tc_put(BYUSER, "{\"value\":[{\"id\":\"s4\",\"createdDateTime\":\"2026-02-25T10:00:00Z\","
	       "\"userId\":\"" U1 "\",\"status\":{\"errorCode\":0}}]}");
	CHECK_INT(mdl_admins_load_dir(tc_dir, NULL, &m), 0);
	CHECK_INT(m.n_si, 1);
	mdl_admins_free(&m);

	/* one byte changed in a page */
	sh_in_case("sed -i 's/IT Admins/IT Admina/' " ASSIGN2);
	CHECK(refused("altered", E_CASE_ALTERED, ASSIGN2));
	CHECK(strstr(err_msg(), "no longer matches its manifest") != NULL);
	tc_done();

	/* a page planted after the last one: read, so refused */
	tc_new();
	base();
	tc_put_raw(G "roleManagement/directory/roleAssignments/page-0003.json", "{\"value\":[]}");
	CHECK(refused("planted", E_CASE_UNLISTED, "roleAssignments/page-0003.json"));
	/* planted after a gap: the walk stops at the gap, it is never read */
	sh_in_case("mv " G "roleManagement/directory/roleAssignments/page-0003.json "
		   G "roleManagement/directory/roleAssignments/page-0009.json");
	CHECK_INT(mdl_admins_load_dir(tc_dir, NULL, &m), 0);
	CHECK_INT(m.src[ADM_SRC_ASSIGN].npages, 2);
	mdl_admins_free(&m);
	/* a listed page deleted: the collection is not shortened silently */
	sh_in_case("rm " ASSIGN2);
	CHECK(refused("deleted", E_CASE_MISSING, ASSIGN2));
	tc_done();

	/* the only page of a source deleted, the source recorded as collected */
	tc_new();
	base();
	record("\"roleDefinitions\":{\"state\":\"ok\"},\"roleAssignments\":{\"state\":\"ok\"}");
	sh_in_case("rm -r graph/beta/roleManagement/directory/roleDefinitions");
	CHECK(refused("source gone", E_CASE_MISSING, "roleDefinitions/page-0001.json"));
	/* the record itself deleted */
	sh_in_case("rm collect/check-admins.json");
	CHECK(refused("record gone", E_CASE_MISSING, "collect/check-admins.json"));
	tc_done();

	/* a walked folder (one per user) deleted whole, or planted */
	tc_new();
	base();
	tc_put(BYUSER, "{\"value\":[]}");
	sh_in_case("rm -r " G "auditLogs/signIns@user/" U1);
	CHECK(refused("folder gone", E_CASE_MISSING, BYUSER));
	tc_done();
	tc_new();
	base();
	tc_put_raw(BYUSER, "{\"value\":[]}");
	CHECK(refused("folder planted", E_CASE_UNLISTED, BYUSER));
	tc_done();

	/* the record altered; the manifest gone */
	tc_new();
	base();
	record("\"roleDefinitions\":{\"state\":\"ok\"}");
	sh_in_case("sed -i 's/2026-01-30/2026-02-27/' collect/check-admins.json");
	CHECK(refused("record altered", E_CASE_ALTERED, "collect/check-admins.json"));
	sh_in_case("rm manifest.sha256");
	CHECK(refused("no manifest", E_FILE_OPEN, "manifest.sha256"));
	tc_done();

	/* a source the record says was not collected is not read at all:
	 * whatever lies in its folder is neither analysed nor refused */
	tc_new();
	base();
	record("\"roleDefinitions\":{\"state\":\"ok\"},\"roleAssignments\":{\"state\":\"ok\"},"
	       "\"signIns\":{\"state\":\"licence\"}");
	tc_put_raw(BYUSER, "{\"value\":[]}");
	CHECK_INT(mdl_admins_load_dir(tc_dir, NULL, &m), 0);
	CHECK_INT(m.src[ADM_SRC_SIGNINS].st, MDL_ST_LICENCE);
	mdl_admins_free(&m);
	tc_done();
}

int main(void)
{
	i18n_init("en");
	RUN(loads_directory);
	RUN(methods_fallback);
	RUN(hostile_pages);
	RUN(record_states);
	RUN(logs);
	RUN(evidence_checked);
	RUN(audit_names);
	RUN(arena_and_map);
	T_DONE();
}
