/* The read-only guard decides from method, URL and body alone: every
 * case here is a request that must (or must not) leave the machine. */
#include "ms/ms.h"
#include "t.h"

static struct guard_ctx g;

static int ask(const char *method, const char *url, const char *body)
{
	struct url u;
	if (url_parse(&u, url) < 0) {
		printf("  bad test URL %s\n", url);
		return -2;
	}
	err_clear();
	int r = guard_policy(&g, method, &u, body, body ? strlen(body) : 0);
	url_free(&u);
	return r;
}

#define ALLOW(m, u, b) do { int r_ = ask(m, u, b); if (r_ != 0) { \
	printf("  %s:%d: refused %s %s: %s\n", __FILE__, __LINE__, m, u, err_msg()); t_failed_now = 1; } } while (0)
#define DENY(m, u, b) do { int r_ = ask(m, u, b); if (r_ != -1 || !*err_msg()) { \
	printf("  %s:%d: allowed %s %s\n", __FILE__, __LINE__, m, u); t_failed_now = 1; } } while (0)

#define G "https://graph.microsoft.com"
#define L "https://login.microsoftonline.com"
#define X "https://outlook.office365.com"
#define INV X "/adminapi/beta/contoso.onmicrosoft.com/InvokeCommand"

static void setup(void)
{
	struct ms_cloud c = { .name = "global" };
	snprintf(c.authority, sizeof c.authority, "%s", L);
	snprintf(c.graph, sizeof c.graph, "%s", G);
	snprintf(c.exo, sizeof c.exo, "%s", X);
	if (guard_init(&g, &c) < 0)
		printf("guard_init: %s\n", err_msg());
}

static void get_allowed_on_known_hosts(void)
{
	ALLOW("GET", G "/v1.0/users?$top=999", NULL);
	ALLOW("GET", G "/beta/auditLogs/signIns", NULL);
	ALLOW("GET", L "/organizations/v2.0/.well-known/openid-configuration", NULL);
	ALLOW("GET", X "/adminapi/beta/x/InvokeCommand", NULL);
	ALLOW("GET", "https://GRAPH.microsoft.com/v1.0/me", NULL);    /* host case */
}

static void get_elsewhere_refused(void)
{
	DENY("GET", "https://evil.example/v1.0/users", NULL);
	CHECK_INT(err_id(), E_GUARD_HOST);
	CHECK(strstr(err_msg(), "GET") && strstr(err_msg(), "https://evil.example/v1.0/users"));
	DENY("GET", "https://graph.microsoft.com:8443/v1.0/users", NULL);  /* other port */
	DENY("GET", "https://graph.microsoft.com.evil.example/v1.0/users", NULL);
	DENY("GET", "http://graph.microsoft.com/v1.0/users", NULL);       /* not TLS */
	DENY("GET", "https://user:pw@graph.microsoft.com/v1.0/users", NULL);
	DENY("GET", G "/v1.0/users", "x");                                 /* GET with a body */
}

static void write_methods_refused(void)
{
	DENY("PATCH", G "/v1.0/users/abc", "{\"accountEnabled\":false}");
	CHECK_INT(err_id(), E_GUARD_REFUSED);
	CHECK(strstr(err_msg(), "PATCH") && strstr(err_msg(), G "/v1.0/users/abc"));
	DENY("DELETE", G "/v1.0/users/abc", NULL);
	DENY("PUT", G "/v1.0/users/abc/manager/$ref", "{}");
	DENY("HEAD", G "/v1.0/users", NULL);
	DENY("OPTIONS", G "/v1.0/users", NULL);
	DENY("get", G "/v1.0/users", NULL);                                /* methods are case-sensitive */
}

static void posts_elsewhere_refused(void)
{
	DENY("POST", G "/v1.0/users", "{\"displayName\":\"x\"}");
	DENY("POST", G "/v1.0/users/abc/revokeSignInSessions", NULL);
	DENY("POST", G "/v1.0/$batch/extra", "{\"requests\":[]}");
	DENY("POST", L "/common/oauth2/v2.0/logout", "");
	DENY("POST", L "/organizations/oauth2/v2.0/token/extra", "");
	DENY("POST", L "/organizations/oauth2/token", "");                  /* v1 endpoint */
	DENY("POST", X "/adminapi/beta/x/Other", "{}");
	DENY("POST", "https://evil.example/organizations/oauth2/v2.0/token", "");
}

static void sign_in_posts_allowed(void)
{
	ALLOW("POST", L "/organizations/oauth2/v2.0/devicecode", "client_id=x&scope=y");
	ALLOW("POST", L "/contoso.onmicrosoft.com/oauth2/v2.0/token", "grant_type=x");
	ALLOW("POST", L "/6b1f9a3e-2c4d-4e5f-8a9b-0c1d2e3f4a5b/oauth2/v2.0/token", "");
}

static void batch_of_gets_allowed(void)
{
	ALLOW("POST", G "/v1.0/$batch",
	      "{\"requests\":[{\"id\":\"1\",\"method\":\"GET\",\"url\":\"/users/a/memberOf\"},"
	      "{\"id\":\"2\",\"method\":\"GET\",\"url\":\"/users?$top=1\","
	      "\"headers\":{\"ConsistencyLevel\":\"eventual\"},\"dependsOn\":[\"1\"]}]}");
	ALLOW("POST", G "/beta/$batch", " {\"requests\" : [ {\"id\":\"x\",\"method\":\"GET\",\"url\":\"me\"} ] } ");
}

static void batch_tricks_refused(void)
{
	const char *bad[] = {
		/* a write among GETs */
		"{\"requests\":[{\"id\":\"1\",\"method\":\"GET\",\"url\":\"/users\"},"
		"{\"id\":\"2\",\"method\":\"PATCH\",\"url\":\"/users/a\",\"body\":{\"accountEnabled\":false}}]}",
		"{\"requests\":[{\"id\":\"1\",\"method\":\"DELETE\",\"url\":\"/users/a\"}]}",
		"{\"requests\":[{\"id\":\"1\",\"method\":\"get\",\"url\":\"/users\"}]}",
		/* duplicate member: servers may take the last one */
		"{\"requests\":[{\"id\":\"1\",\"method\":\"GET\",\"method\":\"DELETE\",\"url\":\"/users/a\"}]}",
		"{\"requests\":[{\"id\":\"1\",\"method\":\"GET\",\"url\":\"/users\"}],\"requests\":[]}",
		/* escaped member names are still members */
		"{\"requests\":[{\"id\":\"1\",\"method\":\"GET\",\"m\\u0065thod\":\"POST\",\"url\":\"/u\"}]}",
		/* a body rides along */
		"{\"requests\":[{\"id\":\"1\",\"method\":\"GET\",\"url\":\"/users\",\"body\":{}}]}",
		/* absolute URLs name hosts the guard never sees */
		"{\"requests\":[{\"id\":\"1\",\"method\":\"GET\",\"url\":\"https://evil.example/x\"}]}",
		"{\"requests\":[{\"id\":\"1\",\"method\":\"GET\",\"url\":\"//evil.example/x\"}]}",
		/* malformed or empty */
		"{\"requests\":[{\"id\":\"1\",\"method\":\"GET\",\"url\":\"/users\"}",
		"{\"requests\":[]}",
		"{\"requests\":{}}",
		"[]",
		"",
		"{\"requests\":[{\"id\":\"1\",\"method\":\"GET\"}]}",
		"{\"requests\":[{\"id\":\"1\",\"method\":1,\"url\":\"/users\"}]}",
		"{\"requests\":[{\"id\":\"1\",\"method\":\"GET\",\"url\":\"/u\",\"headers\":{\"a\":1}}]}",
		"{\"requests\":[{\"id\":\"1\",\"method\":\"GET\",\"url\":\"/users\"}],\"x\":1}",
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		DENY("POST", G "/v1.0/$batch", bad[i]);
		if (err_id() != E_GUARD_BATCH) {
			printf("  case %zu: %s\n", i, err_msg());
			t_failed_now = 1;
		}
	}
	DENY("POST", G "/v1.0/$batch", NULL);
	/* 21 sub-requests: over Graph's limit of 20 */
	struct buf b = { 0 };
	buf_puts(&b, "{\"requests\":[");
	for (int i = 0; i < 21; i++)
		buf_printf(&b, "%s{\"id\":\"%d\",\"method\":\"GET\",\"url\":\"/users\"}", i ? "," : "", i);
	buf_puts(&b, "]}");
	DENY("POST", G "/v1.0/$batch", b.p);
	buf_free(&b);
}

static void get_cmdlets_allowed(void)
{
	ALLOW("POST", INV, "{\"CmdletInput\":{\"CmdletName\":\"Get-Mailbox\",\"Parameters\":{\"ResultSize\":\"Unlimited\"}}}");
	ALLOW("POST", INV, "{\"CmdletInput\":{\"CmdletName\":\"Get-InboxRule\"}}");
	ALLOW("POST", INV "?%24skiptoken=abc", "{\"CmdletInput\":{\"CmdletName\":\"Get-Mailbox\",\"Parameters\":{}}}");
}

static void other_cmdlets_refused(void)
{
	const char *bad[] = {
		"{\"CmdletInput\":{\"CmdletName\":\"Set-Mailbox\",\"Parameters\":{\"Identity\":\"a\"}}}",
		"{\"CmdletInput\":{\"CmdletName\":\"get-mailbox; Set-Mailbox\"}}",
		"{\"CmdletInput\":{\"CmdletName\":\"Get-Mailbox; Set-Mailbox -Identity x\"}}",
		"{\"CmdletInput\":{\"CmdletName\":\"Get-Mailbox|Remove-Mailbox\"}}",
		"{\"CmdletInput\":{\"CmdletName\":\"Get-Mailbox\\nSet-Mailbox\"}}",
		"{\"CmdletInput\":{\"CmdletName\":\"get-mailbox\"}}",
		"{\"CmdletInput\":{\"CmdletName\":\"Get-\"}}",
		"{\"CmdletInput\":{\"CmdletName\":\"Remove-InboxRule\"}}",
		"{\"CmdletInput\":{\"CmdletName\":\"New-InboxRule\"}}",
		"{\"CmdletInput\":{\"CmdletName\":\"Get-Mailbox\",\"CmdletName\":\"Set-Mailbox\"}}",
		"{\"CmdletInput\":{\"CmdletName\":\"Get-Mailbox\"},\"CmdletInput\":{\"CmdletName\":\"Set-Mailbox\"}}",
		"{\"CmdletInput\":{\"CmdletName\":\"Get-Mailbox\",\"Script\":\"Set-Mailbox\"}}",
		"{\"CmdletInput\":{\"CmdletName\":\"Get-Mailbox\",\"Parameters\":\"-Identity x; Set-Mailbox\"}}",
		"{\"CmdletInput\":{\"Cmdlet\\u004eame\":\"Set-Mailbox\"}}",
		"{\"CmdletInput\":{}}",
		"{\"CmdletInput\":{\"CmdletName\":\"Get-Mailbox\"}",
		"",
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		DENY("POST", INV, bad[i]);
		if (err_id() != E_GUARD_CMDLET && err_id() != E_GUARD_INVOKE) {
			printf("  case %zu: %s\n", i, err_msg());
			t_failed_now = 1;
		}
	}
	DENY("POST", INV, "{\"CmdletInput\":{\"CmdletName\":\"Set-Mailbox\"}}");
	CHECK(strstr(err_msg(), "Set-Mailbox") != NULL);
	CHECK(exo_cmdlet_ok("Get-Mailbox"));
	CHECK(!exo_cmdlet_ok("Get-Mailbox2"));
	CHECK(!exo_cmdlet_ok("Set-Mailbox"));
	CHECK(!exo_cmdlet_ok(NULL));
}

static void messages_in_french(void)
{
	i18n_init("fr");
	DENY("DELETE", G "/v1.0/users/abc", NULL);
	CHECK(strstr(err_msg(), "refusée") && strstr(err_msg(), "DELETE"));
	i18n_init("en");
}

static void endpoints_with_ports(void)
{
	/* Tests point every endpoint at one loopback port. */
	struct ms_cloud c = { .name = "test" };
	struct guard_ctx t;
	snprintf(c.authority, sizeof c.authority, "https://127.0.0.1:4443");
	snprintf(c.graph, sizeof c.graph, "https://127.0.0.1:4443");
	snprintf(c.exo, sizeof c.exo, "https://127.0.0.1:4443");
	CHECK_INT(guard_init(&t, &c), 0);
	struct url u;
	url_parse(&u, "https://127.0.0.1:4443/v1.0/$batch");
	const char *ok = "{\"requests\":[{\"id\":\"1\",\"method\":\"GET\",\"url\":\"/users\"}]}";
	CHECK_INT(guard_policy(&t, "POST", &u, ok, strlen(ok)), 0);
	url_free(&u);
	url_parse(&u, "https://127.0.0.1:4444/v1.0/users");
	CHECK_INT(guard_policy(&t, "GET", &u, NULL, 0), -1);
	url_free(&u);
}

int main(void)
{
	i18n_init("en");
	setup();
	RUN(get_allowed_on_known_hosts);
	RUN(get_elsewhere_refused);
	RUN(write_methods_refused);
	RUN(posts_elsewhere_refused);
	RUN(sign_in_posts_allowed);
	RUN(batch_of_gets_allowed);
	RUN(batch_tricks_refused);
	RUN(get_cmdlets_allowed);
	RUN(other_cmdlets_refused);
	RUN(messages_in_french);
	RUN(endpoints_with_ports);
	T_DONE();
}
