/* Pure parts of the Graph and Exchange clients: URLs, case paths,
 * Retry-After and backoff, throttling holds, error mapping, token claims,
 * the probe's decisions. */
#include <mbedtls/base64.h>

#include <stdlib.h>
#include <unistd.h>

#include "case/case.h"
#include "ms/ms.h"
#include "t.h"

static void url_building(void)
{
	struct buf b = { 0 };
	struct graph_query q = { .path = "/v1.0/users", .select = "id,displayName,userPrincipalName",
				 .filter = "userType eq 'Guest' and createdDateTime ge 2026-11-01T00:00:00+01:00",
				 .top = 999 };
	CHECK_INT(graph_build_url("https://graph.microsoft.com", &q, &b), 0);
	CHECK_STR(b.p, "https://graph.microsoft.com/v1.0/users?$select=id,displayName,userPrincipalName"
		       "&$filter=userType%20eq%20'Guest'%20and%20createdDateTime%20ge%20"
		       "2026-11-01T00:00:00%2B01:00&$top=999");
	struct graph_query q2 = { .path = "/beta/users?$expand=manager", .count = 1, .orderby = "displayName" };
	CHECK_INT(graph_build_url("https://g", &q2, &b), 0);
	CHECK_STR(b.p, "https://g/beta/users?$expand=manager&$orderby=displayName&$count=true");
	struct graph_query q3 = { .path = "/v1.0/x", .filter = "a eq 'b&c=d#e%f'" };
	CHECK_INT(graph_build_url("https://g", &q3, &b), 0);
	CHECK_STR(b.p, "https://g/v1.0/x?$filter=a%20eq%20'b%26c%3Dd%23e%25f'");
	struct graph_query bad = { .path = "v1.0/users" };
	CHECK_INT(graph_build_url("https://g", &bad, &b), -1);
	buf_free(&b);
}

static void case_paths_mirror_the_api(void)
{
	struct buf b = { 0 };
	CHECK_INT(ms_path_dir("graph", "/v1.0/users?$select=id", &b), 0);
	CHECK_STR(b.p, "graph/v1.0/users");
	CHECK_INT(ms_path_dir("graph/v1.0", "/users/4b1c0a8e-1111-2222-3333-444455556666/authentication/methods", &b), 0);
	CHECK_STR(b.p, "graph/v1.0/users/4b1c0a8e-1111-2222-3333-444455556666/authentication/methods");
	CHECK_INT(ms_path_dir("graph", "/v1.0/me/transitiveMemberOf/microsoft.graph.directoryRole", &b), 0);
	CHECK_STR(b.p, "graph/v1.0/me/transitiveMemberOf/microsoft.graph.directoryRole");
	/* a guest's UPN, a function call, a $count segment */
	CHECK_INT(ms_path_dir("graph", "/v1.0/users/john_gmail.com#EXT#@contoso.onmicrosoft.com", &b), 0);
	CHECK_STR(b.p, "graph/v1.0/users/john_gmail.com");   /* '#' starts a fragment */
	CHECK_INT(ms_path_dir("graph", "/v1.0/users/a b:c'd/$count", &b), 0);
	CHECK_STR(b.p, "graph/v1.0/users/a%20b%3Ac%27d/%24count");
	CHECK_INT(ms_path_dir("graph", "//v1.0//users/", &b), 0);
	CHECK_STR(b.p, "graph/v1.0/users");
	CHECK_INT(ms_path_dir("graph", "/v1.0/users/../../etc", &b), -1);
	CHECK_INT(ms_path_dir("graph", "/v1.0/./users", &b), -1);
	buf_free(&b);
}

static void retry_after_values(void)
{
	int64_t ms;
	CHECK_INT(ms_retry_after_ms("2", NULL, 0, &ms), 0);
	CHECK_INT(ms, 2000);
	CHECK_INT(ms_retry_after_ms("1.5", NULL, 0, &ms), 0);
	CHECK_INT(ms, 1500);
	CHECK_INT(ms_retry_after_ms(" 0.25 ", NULL, 0, &ms), 0);
	CHECK_INT(ms, 250);
	CHECK_INT(ms_retry_after_ms("0.0004", NULL, 0, &ms), 0);
	CHECK_INT(ms, 0);
	CHECK_INT(ms_retry_after_ms("0", NULL, 0, &ms), 0);
	CHECK_INT(ms, 0);
	/* HTTP-date, against the server's Date when given */
	CHECK_INT(ms_retry_after_ms("Sun, 22 Nov 2026 09:40:30 GMT", "Sun, 22 Nov 2026 09:40:00 GMT",
				    0, &ms), 0);
	CHECK_INT(ms, 30000);
	int64_t now;
	tm_parse_http("Sun, 22 Nov 2026 09:40:00 GMT", &now);
	CHECK_INT(ms_retry_after_ms("Sun, 22 Nov 2026 09:40:05 GMT", NULL, now, &ms), 0);
	CHECK_INT(ms, 5000);
	CHECK_INT(ms_retry_after_ms("Sun, 22 Nov 2026 09:39:00 GMT", NULL, now, &ms), 0);
	CHECK_INT(ms, 0);     /* in the past: no wait */
	CHECK_INT(ms_retry_after_ms("-1", NULL, 0, &ms), -1);
	CHECK_INT(ms_retry_after_ms("1.", NULL, 0, &ms), -1);
	CHECK_INT(ms_retry_after_ms("1e3", NULL, 0, &ms), -1);
	CHECK_INT(ms_retry_after_ms("soon", NULL, 0, &ms), -1);
	CHECK_INT(ms_retry_after_ms("", NULL, 0, &ms), -1);
	CHECK_INT(ms_retry_after_ms(NULL, NULL, 0, &ms), -1);
	CHECK_INT(ms_retry_after_ms("99999999999999", NULL, 0, &ms), -1);
}

static void backoff_schedule(void)
{
	/* equal jitter: [c/2, c], c = 0.5 s · 2^n, capped at 32 s */
	CHECK_INT(ms_backoff_ms(0, 0), 250);
	CHECK_INT(ms_backoff_ms(0, 250), 500);
	CHECK_INT(ms_backoff_ms(0, 251), 250);
	CHECK_INT(ms_backoff_ms(1, 0), 500);
	CHECK_INT(ms_backoff_ms(3, 0), 2000);
	CHECK_INT(ms_backoff_ms(10, 0), 16000);
	CHECK_INT(ms_backoff_ms(10, 16000), 32000);
	CHECK_INT(ms_backoff_ms(100, 0xffffffffu) <= 32000, 1);
	for (unsigned a = 0; a < 12; a++) {
		int64_t lo = ms_backoff_ms(a, 0), v = ms_backoff_ms(a, net_random32());
		CHECK(v >= lo && v <= 2 * lo);
	}
	/* the random source varies */
	uint32_t r1 = net_random32(), r2 = net_random32(), r3 = net_random32();
	CHECK(!(r1 == r2 && r2 == r3));
}

static void uuids(void)
{
	char a[37], b[37];
	CHECK_INT(net_uuid4(a), 0);
	CHECK_INT(net_uuid4(b), 0);
	CHECK_INT(strlen(a), 36);
	CHECK(strcmp(a, b) != 0);
	CHECK(a[8] == '-' && a[13] == '-' && a[18] == '-' && a[23] == '-');
	CHECK(a[14] == '4');
	CHECK(strchr("89ab", a[19]) != NULL);
	CHECK_INT(strspn(a, "0123456789abcdef-"), 36);
}

static void throttle_holds_add_up_to_a_cap(void)
{
	struct ms_throttle t;
	int64_t added;
	ms_throttle_init(&t, 1000);
	CHECK_INT(ms_throttle_hold(&t, 300, &added), 0);
	CHECK(added >= 295 && added <= 300);
	/* a shorter hold inside the current one adds nothing */
	CHECK_INT(ms_throttle_hold(&t, 100, &added), 0);
	CHECK_INT(added, 0);
	int64_t t0 = tm_mono_ms();
	CHECK_INT(ms_throttle_wait(&t), 1);
	CHECK(tm_mono_ms() - t0 >= 250);
	CHECK_INT(ms_throttle_wait(&t), 0);     /* nothing left: no sleep */
	/* past the cap: refused with a clear message */
	CHECK_INT(ms_throttle_hold(&t, 900, &added), -1);
	CHECK_INT(err_id(), E_MS_THROTTLE_CAP);
	CHECK_INT(added, 0);
	err_clear();
	CHECK_INT(ms_throttle_cap_error(&t, 900), -1);
	CHECK_INT(err_id(), E_MS_THROTTLE_CAP);
	CHECK(strstr(err_msg(), "the 1 s cap is reached") != NULL);
	err_clear();
	ms_throttle_free(&t);
}

/* Which throttled answers use up a failure attempt: only those whose
 * wait is ours (a backoff), not those the service sized. */
static void throttle_delay_said_or_backoff(void)
{
	int64_t w;
	CHECK_INT(ms_throttle_delay("2", NULL, 0, &w), 1);
	CHECK_INT(w, 2000);
	CHECK_INT(ms_throttle_delay("0.25", NULL, 5, &w), 1);
	CHECK_INT(w, 250);
	/* a tiny one is raised: the cap must be able to bound the loop */
	CHECK_INT(ms_throttle_delay("0.001", NULL, 0, &w), 1);
	CHECK_INT(w, MS_RA_MIN_MS);
	CHECK_INT(ms_throttle_delay("Wed, 21 Oct 2015 07:28:10 GMT", "Wed, 21 Oct 2015 07:28:00 GMT", 0, &w), 1);
	CHECK_INT(w, 10000);
	/* none, unparsable or zero: a backoff, counted */
	CHECK_INT(ms_throttle_delay(NULL, NULL, 0, &w), 0);
	CHECK(w >= 250 && w <= 500);
	CHECK_INT(ms_throttle_delay("soon", NULL, 2, &w), 0);
	CHECK(w >= 1000 && w <= 2000);
	CHECK_INT(ms_throttle_delay("0", NULL, 0, &w), 0);
	CHECK(w >= 250 && w <= 500);
	CHECK(!*err_msg());
}

static void result(int status, const char *body, const char *path, int none, struct ms_result *r,
		   enum ms_audience aud)
{
	memset(r, 0, sizeof *r);
	ms_result_from_error(r, aud, status, body, body ? strlen(body) : 0, path, NULL, none);
}

static void errors_mapped(void)
{
	struct ms_result r;
	char txt[512];
	result(403, "{\"error\":{\"code\":\"Authentication_RequestFromNonPremiumTenantOrB2CTenant\","
		    "\"message\":\"Neither tenant is B2C or tenant doesn't have premium license\"}}",
	       "/v1.0/auditLogs/signIns", 0, &r, MS_AUD_GRAPH);
	CHECK_INT(r.st, MS_UNKNOWN);
	CHECK_INT(r.need, MS_NEED_P1);
	ms_result_text(&r, txt, sizeof txt);
	CHECK(strstr(txt, "unknown") && strstr(txt, "Entra ID P1") && strstr(txt, "403"));

	result(400, "{\"error\":{\"code\":\"AadPremiumLicenseRequired\",\"message\":\"x\"}}",
	       "/v1.0/roleManagement/directory/roleEligibilityScheduleInstances", 0, &r, MS_AUD_GRAPH);
	CHECK_INT(r.st, MS_UNKNOWN);
	CHECK_INT(r.need, MS_NEED_P2);
	result(403, "{\"error\":{\"code\":\"Forbidden\",\"message\":\"The tenant needs an AAD Premium 2 license.\"}}",
	       "/beta/privilegedAccess", 0, &r, MS_AUD_GRAPH);
	CHECK_INT(r.need, MS_NEED_P2);

	result(403, "{\"error\":{\"code\":\"Authorization_RequestDenied\",\"message\":\"Insufficient privileges\"}}",
	       "/v1.0/auditLogs/directoryAudits", 0, &r, MS_AUD_GRAPH);
	CHECK_INT(r.st, MS_UNKNOWN);
	CHECK_INT(r.need, MS_NEED_PERM);
	CHECK(strstr(r.needs, "AuditLog.Read.All") && strstr(r.needs, "Global Reader"));
	CHECK_STR(r.code, "Authorization_RequestDenied");
	result(403, "{\"error\":{\"code\":\"Authorization_RequestDenied\"}}",
	       "/v1.0/users/abc/authentication/methods", 0, &r, MS_AUD_GRAPH);
	CHECK(strstr(r.needs, "UserAuthenticationMethod.Read.All") != NULL);
	memset(&r, 0, sizeof r);
	ms_result_from_error(&r, MS_AUD_GRAPH, 403, "", 0, "/v1.0/x", "Policy.Read.All (my hint)", 0);
	CHECK_STR(r.needs, "Policy.Read.All (my hint)");

	result(404, "{\"error\":{\"code\":\"Request_ResourceNotFound\"}}",
	       "/v1.0/domains/contoso.com/federationConfiguration", 1, &r, MS_AUD_GRAPH);
	CHECK_INT(r.st, MS_NONE);
	result(404, "{\"error\":{\"code\":\"Request_ResourceNotFound\"}}", "/v1.0/users/x", 0, &r, MS_AUD_GRAPH);
	CHECK_INT(r.st, MS_FAILED);
	result(500, "<html>oops</html>", "/v1.0/users", 0, &r, MS_AUD_GRAPH);
	CHECK_INT(r.st, MS_FAILED);
	CHECK_STR(r.code, "HTTP_500");
	result(401, "{\"error\":{\"code\":\"InvalidAuthenticationToken\",\"message\":\"expired\"}}",
	       "/v1.0/users", 0, &r, MS_AUD_GRAPH);
	CHECK_INT(r.st, MS_FAILED);
	ms_result_text(&r, txt, sizeof txt);
	CHECK(strstr(txt, "expired") != NULL);
}

static void exchange_errors(void)
{
	struct ms_result r;
	result(400, "{\"error\":{\"code\":\"BadRequest\",\"message\":\"|Microsoft.Exchange.Configuration.Tasks."
		    "ManagementObjectNotFoundException|The operation couldn't be performed because object 'x' "
		    "couldn't be found.\"}}", "exo/Get-Mailbox", 0, &r, MS_AUD_EXO);
	CHECK_INT(r.st, MS_FAILED);
	CHECK_STR(r.code, "ManagementObjectNotFoundException");
	CHECK(!strncmp(r.detail, "The operation couldn't", 22));
	result(403, "{\"error\":{\"code\":\"Forbidden\",\"message\":\"|X.Y|The tenant has no Exchange Online "
		    "subscription.\"}}", "exo/Get-Mailbox", 0, &r, MS_AUD_EXO);
	CHECK_INT(r.st, MS_UNKNOWN);
	CHECK_INT(r.need, MS_NEED_EXO);
	result(403, "{\"error\":{\"code\":\"Forbidden\",\"message\":\"|X.Y|Access denied.\","
		    "\"innererror\":{\"type\":\"A.B.AccessDeniedException\"}}}", "exo/Get-Mailbox", 0, &r, MS_AUD_EXO);
	CHECK_INT(r.need, MS_NEED_EXO_ROLE);
	CHECK_STR(r.code, "AccessDeniedException");
	/* check-mail.md §1.5: a role that does not grant the cmdlet (401),
	 * a mailbox out of the caller's read scope (a cmdlet error: "Invalid
	 * Operation" outside, the text inside), a role-less app (403 of NUL
	 * bytes): a missing role each time, not a failure. */
	result(401, "{\"error\":{\"code\":\"Unauthorized\",\"message\":\"User is not allowed to call "
		    "Get-RecipientPermission\"}}", "exo/Get-RecipientPermission", 0, &r, MS_AUD_EXO);
	CHECK_INT(r.st, MS_UNKNOWN);
	CHECK_INT(r.need, MS_NEED_EXO_ROLE);
	result(400, "{\"error\":{\"code\":\"BadRequest\",\"message\":\"Invalid Operation\",\"details\":[{\"code\":"
		    "\"Client\",\"message\":\"|A.B.ThrowTerminatingErrorException|The operation on mailbox \\\"x\\\" failed "
		    "because it's out of the current user's read scope.\"}],\"innererror\":{\"message\":\"Invalid "
		    "Operation\",\"type\":\"A.ODataServiceException\",\"internalexception\":{\"message\":\"The "
		    "operation on mailbox x failed because it's out of the current user's read scope.\",\"type\":"
		    "\"A.B.ThrowTerminatingErrorException\"}}}}", "exo/Get-InboxRule", 0, &r, MS_AUD_EXO);
	CHECK_INT(r.st, MS_UNKNOWN);
	CHECK_INT(r.need, MS_NEED_EXO_ROLE);
	CHECK(strstr(r.detail, "read scope") != NULL);
	CHECK_STR(r.code, "ThrowTerminatingErrorException");
	static const char nul[32] = { 0 };
	ms_result_from_error(&r, MS_AUD_EXO, 403, nul, sizeof nul, "exo/Get-Mailbox", NULL, 0);
	CHECK_INT(r.st, MS_UNKNOWN);
	CHECK_INT(r.need, MS_NEED_EXO_ROLE);
	/* a cmdlet error with "Invalid Operation" outside reads the text inside */
	result(400, "{\"error\":{\"code\":\"BadRequest\",\"message\":\"Invalid Operation\",\"innererror\":"
		    "{\"internalexception\":{\"message\":\"Parameter set cannot be resolved\",\"type\":"
		    "\"X.AmbiguousParameterSetException\"}}}}", "exo/Get-Mailbox", 0, &r, MS_AUD_EXO);
	CHECK_INT(r.st, MS_FAILED);
	CHECK_STR(r.detail, "Parameter set cannot be resolved");
	CHECK_STR(r.code, "AmbiguousParameterSetException");
}

static void result_texts_in_both_languages(void)
{
	struct ms_result r = { .st = MS_UNKNOWN, .http = 403, .need = MS_NEED_P1 };
	char txt[512];
	snprintf(r.code, sizeof r.code, "Authentication_RequestFromNonPremiumTenantOrB2CTenant");
	i18n_init("fr");
	ms_result_text(&r, txt, sizeof txt);
	CHECK(strstr(txt, "inconnu — nécessite une licence Entra ID P1") != NULL);
	i18n_init("en");
	ms_result_text(&r, txt, sizeof txt);
	CHECK(strstr(txt, "unknown — needs an Entra ID P1") != NULL);
	CHECK_STR(ms_status_name(MS_NONE), "none");
	CHECK_STR(ms_status_name(MS_ABSENT), "absent");
}

/* A JWT-shaped token with the given payload (signature is not checked). */
static void make_jwt(const char *payload, char *out, size_t n)
{
	unsigned char b64[2048];
	size_t olen;
	mbedtls_base64_encode(b64, sizeof b64, &olen, (const unsigned char *)payload, strlen(payload));
	for (size_t i = 0; i < olen; i++)
		b64[i] = b64[i] == '+' ? '-' : b64[i] == '/' ? '_' : b64[i];
	while (olen && b64[olen - 1] == '=')
		olen--;
	snprintf(out, n, "eyJhbGciOiJSUzI1NiJ9.%.*s.c2ln", (int)olen, b64);
}

static void token_claims(void)
{
	char tok[4096];
	struct ms_claims c;
	make_jwt("{\"aud\":\"https://graph.microsoft.com\",\"tid\":\"6b1f9a3e-2c4d-4e5f-8a9b-0c1d2e3f4a5b\","
		 "\"upn\":\"admin@contoso.com\",\"scp\":\"AuditLog.Read.All Directory.Read.All User.Read\","
		 "\"wids\":[\"62e90394-69f5-4237-9190-012177145e10\",\"b79fbf4d-3ef9-4689-8143-76b194e85509\"]}",
		 tok, sizeof tok);
	CHECK_INT(ms_token_claims(tok, &c), 0);
	CHECK_STR(c.who, "admin@contoso.com");
	CHECK_STR(c.tid, "6b1f9a3e-2c4d-4e5f-8a9b-0c1d2e3f4a5b");
	CHECK_STR(c.scopes, "AuditLog.Read.All Directory.Read.All User.Read");
	CHECK_STR(c.wids, "62e90394-69f5-4237-9190-012177145e10 b79fbf4d-3ef9-4689-8143-76b194e85509");
	CHECK_INT(c.app, 0);
	make_jwt("{\"idtyp\":\"app\",\"appid\":\"11111111-2222-3333-4444-555555555555\","
		 "\"roles\":[\"Directory.Read.All\",\"AuditLog.Read.All\"]}", tok, sizeof tok);
	CHECK_INT(ms_token_claims(tok, &c), 0);
	CHECK_INT(c.app, 1);
	CHECK_STR(c.who, "11111111-2222-3333-4444-555555555555");
	CHECK_STR(c.scopes, "Directory.Read.All AuditLog.Read.All");
	CHECK_INT(ms_token_claims("not-a-jwt", &c), -1);
	CHECK_INT(ms_token_claims("a.!!!.c", &c), -1);
	make_jwt("[1,2]", tok, sizeof tok);
	CHECK_INT(ms_token_claims(tok, &c), -1);
	/* a list entry holding the separator or a control character would
	 * read back as other entries than the one given (fuzz_graph: a domain
	 * " contoso.com" in probe.json): left out */
	make_jwt("{\"idtyp\":\"app\",\"appid\":\"x\",\"roles\":[\"Directory.Read.All\",\"Evil Scope.All\","
		 "\"X\\u0001\",\"AuditLog.Read.All\"]}", tok, sizeof tok);
	CHECK_INT(ms_token_claims(tok, &c), 0);
	CHECK_STR(c.scopes, "Directory.Read.All AuditLog.Read.All");
}

/* fuzz_graph: a page with two "@odata.nextLink", an array then a URL:
 * live took it for the end of the collection, offline for "more". One
 * that is there but not a URL string is now an error, live too. */
static void next_links(void)
{
	static const char *const bad[] = {
		"{\"value\":[],\"@odata.nextLink\":[{\"id\":\"x\"}],\"@odata.nextLink\":\"https://g/x\"}",
		"{\"value\":[],\"@odata.nextLink\":null}", "{\"value\":[],\"@odata.nextLink\":\"\"}",
		"{\"value\":[],\"@odata.nextLink\":7}", NULL,
	};
	struct json j;
	char *next = (char *)"unset";
	for (int i = 0; bad[i]; i++) {
		CHECK_INT(json_parse(&j, bad[i], strlen(bad[i]), JSON_LIMITS_DEFAULT), 0);
		CHECK_INT(ms_next_link(&j, "/v1.0/users", &next), -1);
		CHECK(next == NULL && strstr(err_msg(), "/v1.0/users: unreadable next-page link"));
		json_free(&j);
	}
	static const char none[] = "{\"value\":[]}", one[] = "{\"value\":[],\"@odata.nextLink\":\"https://g/v1.0/users?$skiptoken=a\"}";
	CHECK_INT(json_parse(&j, none, sizeof none - 1, JSON_LIMITS_DEFAULT), 0);
	CHECK_INT(ms_next_link(&j, "x", &next), 0);
	CHECK(next == NULL);
	json_free(&j);
	CHECK_INT(json_parse(&j, one, sizeof one - 1, JSON_LIMITS_DEFAULT), 0);
	CHECK_INT(ms_next_link(&j, "x", &next), 0);
	CHECK_STR(next, "https://g/v1.0/users?$skiptoken=a");
	free(next);
	json_free(&j);
}

static void scopes_and_probe_decisions(void)
{
	CHECK(ms_scope_has("User.Read Directory.Read.All", "Directory.Read.All"));
	CHECK(ms_scope_has("User.Read Directory.ReadWrite.All", "Directory.Read.All"));
	CHECK(ms_scope_has("auditlog.read.all", "AuditLog.Read.All"));
	CHECK(!ms_scope_has("User.Read Directory.Read.All", "AuditLog.Read.All"));
	CHECK(!ms_scope_has("Directory.Read.AllX", "Directory.Read.All"));
	CHECK(!ms_scope_has("", "User.Read"));

	struct ms_probe p = { .p1 = 1, .p2 = 0, .exo = -1 };
	struct ms_result r;
	snprintf(p.scopes, sizeof p.scopes, "Directory.Read.All AuditLog.Read.All");
	CHECK_INT(ms_probe_lacks(&p, MS_NEED_P1, "AuditLog.Read.All", &r), 0);
	CHECK_INT(ms_probe_lacks(&p, MS_NEED_P2, NULL, &r), 1);
	CHECK_INT(r.st, MS_UNKNOWN);
	CHECK_INT(r.need, MS_NEED_P2);
	/* licence unknown: cannot tell, so the call is tried */
	CHECK_INT(ms_probe_lacks(&p, MS_NEED_EXO, NULL, &r), 0);
	CHECK_INT(ms_probe_lacks(&p, MS_NEED_NOTHING, "Policy.Read.All Directory.ReadWrite.All", &r), 1);
	CHECK_INT(r.need, MS_NEED_PERM);
	CHECK(strstr(r.needs, "Policy.Read.All") != NULL);
	CHECK_INT(ms_probe_lacks(&p, MS_NEED_NOTHING, "Policy.Read.All Directory.Read.All", &r), 0);
	char txt[300];
	ms_probe_lacks(&p, MS_NEED_P2, NULL, &r);
	ms_result_text(&r, txt, sizeof txt);
	CHECK(strstr(txt, "sign-in probe") != NULL);
}

static int no_token(void *ctx, enum ms_audience aud, struct buf *out)
{
	(void)ctx;
	(void)aud;
	(void)out;
	return err_set(E_MS_OPTS, "test", "token");
}

static int count_item(void *ctx, const struct json *j, int it, const char *ev)
{
	(void)j;
	(void)it;
	(void)ev;
	(*(int *)ctx)++;
	return 0;
}

/* A service over a throw-away case: nextLinks only on Graph's own host,
 * and the page shapes ms_deliver accepts. */
static void service_checks(void)
{
	char dir[256];
	struct case_dir *cs;
	struct ms_svc *g;
	struct ms_cloud c = { .name = "global" };
	snprintf(c.authority, sizeof c.authority, "https://login.microsoftonline.com");
	snprintf(c.graph, sizeof c.graph, "https://graph.microsoft.com");
	snprintf(c.exo, sizeof c.exo, "https://outlook.office365.com");
	snprintf(dir, sizeof dir, "/tmp/test_graph.%ld", (long)getpid());
	CHECK_INT(case_open(&cs, dir, "contoso.com", NULL, 0), 0);
	struct ms_opts o = { .cloud = &c, .cs = cs, .tok = { no_token, NULL }, .quiet = 1 };
	CHECK_INT(graph_open(&g, &o), 0);
	CHECK(ms_same_host(g, "https://graph.microsoft.com/v1.0/users?$skiptoken=x"));
	CHECK(ms_same_host(g, "https://GRAPH.microsoft.com:443/v1.0/users"));
	CHECK(!ms_same_host(g, "https://evil.example/v1.0/users"));
	CHECK(!ms_same_host(g, "https://graph.microsoft.com.evil.example/v1.0/users"));
	CHECK(!ms_same_host(g, "https://graph.microsoft.com:8443/v1.0/users"));
	CHECK(!ms_same_host(g, "http://graph.microsoft.com/v1.0/users"));
	CHECK(!ms_same_host(g, "https://x@graph.microsoft.com/v1.0/users"));
	CHECK(!ms_same_host(g, "/v1.0/users"));
	CHECK(!ms_same_host(g, NULL));

	struct ms_result r = { 0 };
	struct json j;
	int n = 0;
	const char *page = "{\"value\":[{\"id\":\"1\"},2,{\"id\":\"3\"}]}";
	CHECK_INT(ms_parse_page(&j, page, strlen(page), "t"), 0);
	CHECK_INT(ms_deliver(g, &j, "ev", count_item, &n, &r), 0);
	CHECK_INT(n, 2);               /* objects only */
	CHECK_INT(r.items, 2);
	json_free(&j);
	const char *one = "{\"id\":\"authorizationPolicy\"}";
	CHECK_INT(ms_parse_page(&j, one, strlen(one), "t"), 0);
	CHECK_INT(ms_deliver(g, &j, "ev", count_item, &n, &r), 0);
	CHECK_INT(n, 3);
	json_free(&j);
	const char *bad[] = { "{\"value\":{}}", "{\"error\":{\"code\":\"x\"}}" };
	for (int i = 0; i < 2; i++) {
		CHECK_INT(ms_parse_page(&j, bad[i], strlen(bad[i]), "t"), 0);
		CHECK_INT(ms_deliver(g, &j, "ev", count_item, &n, &r), -1);
		json_free(&j);
	}
	CHECK_INT(ms_parse_page(&j, "[1]", 3, "t"), -1);
	CHECK_INT(ms_parse_page(&j, "{", 1, "t"), -1);

	/* no token: a failed result with the reason, nothing saved */
	struct graph_query q = { .path = "/v1.0/users" };
	CHECK_INT(graph_list(g, &q, NULL, NULL, &r), -1);
	CHECK_INT(r.st, MS_FAILED);
	CHECK(strstr(r.detail, "token") != NULL);
	/* a cmdlet other than Get-* never leaves */
	CHECK_INT(exo_invoke(g, "Set-Mailbox", NULL, NULL, NULL, NULL, &r), -1);
	CHECK_INT(r.st, MS_FAILED);
	ms_svc_close(g);
	case_close(cs);
	char cmd[300];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	if (system(cmd) != 0)
		printf("  cannot clean %s\n", dir);
}

int main(void)
{
	i18n_init("en");
	RUN(url_building);
	RUN(case_paths_mirror_the_api);
	RUN(retry_after_values);
	RUN(backoff_schedule);
	RUN(uuids);
	RUN(throttle_holds_add_up_to_a_cap);
	RUN(throttle_delay_said_or_backoff);
	RUN(errors_mapped);
	RUN(exchange_errors);
	RUN(result_texts_in_both_languages);
	RUN(token_claims);
	RUN(next_links);
	RUN(scopes_and_probe_decisions);
	RUN(service_checks);
	T_DONE();
}
