/* Sign-in, the parts without a network: form encoding, scopes and the
 * consent URL, token and device-code replies (good and hostile), AADSTS
 * messages, the sign-in request policy, clouds and settings, token
 * payloads for display, and the kernel keyring store. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "ms/ms.h"
#include "t.h"

static void form_encoding(void)
{
	struct buf b = { 0 };
	CHECK(auth_form_add(&b, "scope", "a b&c=d/\xc3\xa9*-._~+") == 0);
	CHECK(auth_form_add(&b, "grant_type", "urn:ietf:params:oauth:grant-type:device_code") == 0);
	CHECK_STR(b.p, "scope=a+b%26c%3Dd%2F%C3%A9*-._%7E%2B"
		       "&grant_type=urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Adevice_code");
	buf_free(&b);
	/* A reserved buffer does not move while it grows within its size. */
	CHECK(auth_buf_reserve(&b, 1000) == 0);
	char *p = b.p;
	for (int i = 0; i < 50; i++)
		CHECK(auth_form_add(&b, "k", "0123456789") == 0);
	CHECK(b.p == p && b.len == 50 * 13 - 1);
	buf_wipe(&b);
}

static void scopes_are_read_only(void)
{
	struct buf b = { 0 };
	CHECK_INT(auth_ngraph_scopes, 12);
	for (size_t i = 0; i < auth_ngraph_scopes; i++) {
		const char *n = auth_graph_scopes[i].name;
		size_t len = strlen(n);
		int read = (strstr(n, ".Read.") || (len > 5 && !strcmp(n + len - 5, ".Read"))) &&
			   !strstr(n, "Write") && !strstr(n, "Send");
		if (!read && strcmp(n, "offline_access"))
			printf("  not a read scope: %s\n", n);
		CHECK(read || !strcmp(n, "offline_access"));
		CHECK(tr_lang(auth_graph_scopes[i].why, LANG_FR)[0] && tr_lang(auth_graph_scopes[i].why, LANG_EN)[0]);
	}
	CHECK(auth_graph_scope_string(&b) == 0);
	CHECK(!strncmp(b.p, "Directory.Read.All AuditLog.Read.All ", 37));
	CHECK(strstr(b.p, " offline_access") && !strstr(b.p, "  "));
	buf_reset(&b);
	CHECK(auth_default_scope(&b, "https://outlook.office365.com", 1) == 0);
	CHECK_STR(b.p, "https://outlook.office365.com/.default offline_access");
	buf_free(&b);
}

static void consent_url(void)
{
	struct auth_cfg a;
	struct buf u = { 0 };
	unsetenv("AZURE_AUTHORITY_HOST");
	unsetenv("AZURE_CLIENT_SECRET");
	unsetenv("AZURE_CLIENT_CERTIFICATE_PATH");
	unsetenv("AZURE_CLIENT_ID");
	CHECK(auth_cfg_init(&a, "china", "contoso.partner.onmschina.cn", NULL, NULL) == 0);
	CHECK(auth_consent_url(&u, &a, a.client_id, 0) == 0);
	CHECK(!strncmp(u.p, "https://login.chinacloudapi.cn/contoso.partner.onmschina.cn/v2.0/adminconsent"
			    "?client_id=14d82eec-204b-4c2f-b7e8-296a70dab67e&scope=https%3A%2F%2F"
			    "microsoftgraph.chinacloudapi.cn%2FDirectory.Read.All+", 186));
	CHECK(strstr(u.p, "+offline_access&redirect_uri=https%3A%2F%2Flogin.chinacloudapi.cn%2Fcommon%2F"
			  "oauth2%2Fnativeclient"));
	buf_reset(&u);
	CHECK(auth_consent_url(&u, &a, a.client_id, 1) == 0);
	CHECK(strstr(u.p, "&scope=https%3A%2F%2Fpartner.outlook.cn%2F.default&"));
	buf_free(&u);
	auth_cfg_free(&a);
}

/* ---- replies ------------------------------------------------------------- */

static int tok(int status, const char *body, struct auth_token *t, struct auth_oauth_err *e)
{
	return auth_parse_token_reply(status, body, strlen(body), 1000, t, e);
}

static void token_reply_good(void)
{
	struct auth_token t;
	struct auth_oauth_err e;
	CHECK(tok(200, "{\"token_type\":\"Bearer\",\"scope\":\"User.Read offline_access\",\"expires_in\":3599,"
		       "\"ext_expires_in\":3599,\"access_token\":\"eyJ0.eyJ1.c2ln\",\"refresh_token\":\"0.AXYZ\","
		       "\"id_token\":\"x\"}", &t, &e) == 0);
	CHECK_STR(t.access, "eyJ0.eyJ1.c2ln");
	CHECK_STR(t.refresh, "0.AXYZ");
	CHECK_STR(t.scope, "User.Read offline_access");
	CHECK_INT(t.expires_at, 1000 + 3599);
	CHECK_INT(t.obtained_at, 1000);
	auth_token_wipe(&t);
	CHECK(t.access == NULL && t.refresh == NULL);
	/* v1.0 style: expires_in as a string; no refresh token; "bearer". */
	CHECK(tok(200, "{\"token_type\":\"bearer\",\"expires_in\":\"3600\",\"access_token\":\"abc\"}", &t, &e) == 0);
	CHECK_INT(t.expires_at, 4600);
	CHECK(t.refresh == NULL);
	auth_token_wipe(&t);
	/* a fraction and an exponent, as strtod read them */
	CHECK(tok(200, "{\"expires_in\":\" 3.6e3\",\"access_token\":\"abc\"}", &t, &e) == 0);
	CHECK_INT(t.expires_at, 4600);
	auth_token_wipe(&t);
	CHECK(tok(200, "{\"expires_in\":60480.0e1,\"access_token\":\"abc\"}", &t, &e) == 0);
	CHECK_INT(t.expires_at, 1000 + 604800);
	auth_token_wipe(&t);
	/* No expires_in: a short life assumed, not a long one. */
	CHECK(tok(200, "{\"access_token\":\"abc\"}", &t, &e) == 0);
	CHECK_INT(t.expires_at, 1300);
	auth_token_wipe(&t);
}

static void token_reply_hostile(void)
{
	struct auth_token t;
	struct auth_oauth_err e;
	static const char *const bad[] = {
		"{\"token_type\":\"Bearer\",\"expires_in\":3599}",                    /* no token */
		"{\"access_token\":\"\",\"expires_in\":1}",                            /* empty */
		"{\"access_token\":42,\"expires_in\":1}",                              /* not a string */
		"{\"access_token\":\"a b\",\"expires_in\":1}",                         /* space */
		"{\"access_token\":\"a\\u001b[31m\",\"expires_in\":1}",               /* escape */
		"{\"access_token\":\"abc\",\"token_type\":\"mac\"}",                    /* not Bearer */
		"{\"access_token\":\"abc\",\"expires_in\":-5}",
		"{\"access_token\":\"abc\",\"expires_in\":\"0.99\"}",       /* dead on arrival (fuzz_jwt) */
		"{\"access_token\":\"abc\",\"expires_in\":0}",
		"{\"access_token\":\"abc\",\"expires_in\":1e308}",
		"{\"access_token\":\"abc\",\"expires_in\":\"soon\"}",
		"{\"access_token\":\"abc\",\"expires_in\":604800.001}",          /* over 7 days */
		"{\"access_token\":\"abc\",\"expires_in\":\"3600s\"}",
		"{\"access_token\":\"abc\",\"expires_in\":\"1e\"}",
		"{\"access_token\":\"abc\",\"refresh_token\":[1]}",
		"[\"access_token\"]",
		"<html>hello</html>",
		"{\"access_token\":\"abc\"",
		"{\"a\":[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]], \"access_token\":\"abc\"}", /* too deep */
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		int r = tok(200, bad[i], &t, &e);
		if (r != -1)
			printf("  accepted: %s\n", bad[i]);
		CHECK(r == -1 && t.access == NULL);
	}
	/* A token larger than any Entra issues. */
	size_t n = 40 * 1024;
	char *big = malloc(n + 64);
	strcpy(big, "{\"access_token\":\"");
	memset(big + 17, 'a', n);
	strcpy(big + 17 + n, "\"}");
	CHECK(tok(200, big, &t, &e) == -1);
	free(big);
	/* 500 with a page, 302: not OAuth errors. */
	CHECK(tok(500, "<html>oops</html>", &t, &e) == -1);
	CHECK(tok(302, "{\"error\":\"x\"}", &t, &e) == -1);
}

static void oauth_errors(void)
{
	struct auth_token t;
	struct auth_oauth_err e;
	CHECK(tok(400, "{\"error\":\"invalid_grant\",\"error_description\":\"AADSTS65001: The user or "
		       "administrator has not consented.\\r\\nTrace ID: 1 Correlation ID: 2 Timestamp: 3\","
		       "\"error_codes\":[65001],\"suberror\":\"consent_required\"}", &t, &e) == 1);
	CHECK_STR(e.error, "invalid_grant");
	CHECK_INT(e.code, 65001);
	CHECK_STR(e.desc, "The user or administrator has not consented.");
	CHECK(auth_oauth_fail(&e) == -1);
	CHECK_INT(err_id(), E_AADSTS_CONSENT);
	CHECK(strstr(err_msg(), "AADSTS65001: consent missing") && strstr(err_msg(), "--print-consent"));
	/* The number read from the description when error_codes is absent;
	 * control characters in it made harmless. */
	CHECK(tok(401, "{\"error\":\"invalid_client\",\"error_description\":\"AADSTS7000215: Invalid "
		       "client secret\\u001b[2J provided. Trace ID: x\"}", &t, &e) == 1);
	CHECK_INT(e.code, 7000215);
	CHECK(!strchr(e.desc, 0x1b));
	auth_oauth_fail(&e);
	CHECK_INT(err_id(), E_AADSTS_BAD_SECRET);
	/* Unmapped: the generic message carries error, code and text. */
	CHECK(tok(400, "{\"error\":\"invalid_request\",\"error_description\":\"AADSTS99999: Odd.\","
		       "\"error_codes\":[99999]}", &t, &e) == 1);
	auth_oauth_fail(&e);
	CHECK_INT(err_id(), E_AUTH_OAUTH);
	CHECK(strstr(err_msg(), "invalid_request (AADSTS99999): Odd."));
	static const long codes[] = { 50076, 50079, 700027, 700016, 53003, 50133, 700022 };
	static const enum msg_id want[] = { E_AADSTS_MFA, E_AADSTS_MFA_ENROLL, E_AADSTS_BAD_ASSERTION,
					    E_AADSTS_UNKNOWN_CLIENT, E_AADSTS_CA, E_AADSTS_PWD_CHANGED,
					    E_AADSTS_OTHER_CLIENT };
	for (size_t i = 0; i < sizeof codes / sizeof codes[0]; i++)
		CHECK_INT(auth_aadsts_msg(codes[i]), want[i]);
}

static void devcode_reply(void)
{
	struct auth_devcode d;
	struct auth_oauth_err e;
	const char *ok = "{\"user_code\":\"ABCD-EFGH\",\"device_code\":\"DAQABAAEAAA\",\"verification_uri\":"
			 "\"https://microsoft.com/devicelogin\",\"expires_in\":900,\"interval\":5,\"message\":\"x\"}";
	CHECK(auth_parse_devcode_reply(200, ok, strlen(ok), 1000, &d, &e) == 0);
	CHECK_STR(d.user_code, "ABCD-EFGH");
	CHECK_STR(d.device_code, "DAQABAAEAAA");
	CHECK_STR(d.uri, "https://microsoft.com/devicelogin");
	CHECK_INT(d.interval_ms, 5000);
	CHECK_INT(d.expires_at_ms, 1000LL * 1000 + 900000);
	auth_devcode_wipe(&d);
	/* RFC 8628 §3.2: no interval means 5 s; fractions kept (tests);
	 * the v1.0 name verification_url. */
	const char *v1 = "{\"user_code\":\"A\",\"device_code\":\"B\",\"verification_url\":\"https://x/y\","
			 "\"expires_in\":\"60\"}";
	CHECK(auth_parse_devcode_reply(200, v1, strlen(v1), 0, &d, &e) == 0);
	CHECK_INT(d.interval_ms, 5000);
	auth_devcode_wipe(&d);
	const char *frac = "{\"user_code\":\"A\",\"device_code\":\"B\",\"verification_uri\":\"https://x\","
			   "\"expires_in\":60,\"interval\":0.2}";
	CHECK(auth_parse_devcode_reply(200, frac, strlen(frac), 0, &d, &e) == 0);
	CHECK_INT(d.interval_ms, 200);
	auth_devcode_wipe(&d);
	static const char *const bad[] = {
		"{\"user_code\":\"A\",\"device_code\":\"B\",\"verification_uri\":\"http://x\",\"expires_in\":60}",
		"{\"user_code\":\"A\",\"device_code\":\"B\",\"verification_uri\":\"https://x\\u001b]8;;\",\"expires_in\":60}",
		"{\"user_code\":\"A B\",\"device_code\":\"B\",\"verification_uri\":\"https://x\",\"expires_in\":60}",
		"{\"user_code\":\"A\",\"verification_uri\":\"https://x\",\"expires_in\":60}",
		"{\"user_code\":\"A\",\"device_code\":\"B\",\"verification_uri\":\"https://x\"}",
		"{\"user_code\":\"A\",\"device_code\":\"B\",\"verification_uri\":\"https://x\",\"expires_in\":60,\"interval\":-1}",
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		int r = auth_parse_devcode_reply(200, bad[i], strlen(bad[i]), 0, &d, &e);
		if (r != -1)
			printf("  accepted: %s\n", bad[i]);
		CHECK(r == -1 && d.device_code == NULL);
	}
	const char *err = "{\"error\":\"unauthorized_client\",\"error_codes\":[700016]}";
	CHECK(auth_parse_devcode_reply(400, err, strlen(err), 0, &d, &e) == 1);
	CHECK_INT(e.code, 700016);
}

/* ---- policy, clouds, settings ------------------------------------------------ */

static int pol(const struct auth_cfg *a, const char *method, const char *url)
{
	struct url u;
	if (url_parse(&u, url) < 0)
		return -2;
	int r = auth_policy((void *)a, method, &u, NULL, 0);
	url_free(&u);
	return r;
}

static void policy_two_endpoints_only(void)
{
	struct auth_cfg a;
	setenv("AZURE_AUTHORITY_HOST", "https://127.0.0.1:8443/", 1);
	CHECK(auth_cfg_init(&a, NULL, NULL, NULL, NULL) == 0);
	CHECK_STR(a.cloud.authority, "https://127.0.0.1:8443");
	CHECK(pol(&a, "POST", "https://127.0.0.1:8443/organizations/oauth2/v2.0/devicecode") == 0);
	CHECK(pol(&a, "POST", "https://127.0.0.1:8443/contoso.com/oauth2/v2.0/token") == 0);
	CHECK(pol(&a, "GET", "https://127.0.0.1:8443/contoso.com/oauth2/v2.0/token") == -1);
	CHECK(pol(&a, "POST", "https://127.0.0.1:8444/contoso.com/oauth2/v2.0/token") == -1);
	CHECK(pol(&a, "POST", "https://evil.example:8443/contoso.com/oauth2/v2.0/token") == -1);
	CHECK(pol(&a, "POST", "http://127.0.0.1:8443/contoso.com/oauth2/v2.0/token") == -1);
	CHECK(pol(&a, "POST", "https://127.0.0.1:8443/contoso.com/oauth2/v2.0/authorize") == -1);
	CHECK(pol(&a, "POST", "https://127.0.0.1:8443/contoso.com/oauth2/v2.0/token?x=1") == -1);
	CHECK(pol(&a, "POST", "https://127.0.0.1:8443/a/b/oauth2/v2.0/token") == -1);
	CHECK(pol(&a, "POST", "https://127.0.0.1:8443//oauth2/v2.0/token") == -1);
	CHECK(pol(&a, "POST", "https://u:p@127.0.0.1:8443/c/oauth2/v2.0/token") == -1);
	CHECK_INT(err_id(), E_AUTH_POLICY);
	auth_cfg_free(&a);
	unsetenv("AZURE_AUTHORITY_HOST");
}

static void clouds(void)
{
	struct ms_cloud c;
	static const char *const names[] = { "global", "usgov", "usgov-high", "dod", "china" };
	static const char *const exo[] = { "https://outlook.office365.com", "https://outlook.office365.com",
					   "https://outlook.office365.us", "https://outlook-dod.office365.us",
					   "https://partner.outlook.cn" };
	static const char *const graph[] = { "https://graph.microsoft.com", "https://graph.microsoft.com",
					     "https://graph.microsoft.us", "https://dod-graph.microsoft.us",
					     "https://microsoftgraph.chinacloudapi.cn" };
	for (int i = 0; i < 5; i++) {
		CHECK(ms_cloud_init(&c, names[i]) == 0);
		CHECK_STR(c.exo, exo[i]);
		CHECK_STR(c.exo_aud, exo[i]);
		CHECK_STR(c.graph, graph[i]);
	}
	CHECK(ms_cloud_init(&c, NULL) == 0 && !strcmp(c.authority, "https://login.microsoftonline.com"));
	CHECK(ms_cloud_init(&c, "mars") == -1 && err_id() == E_AUTH_CLOUD);
	/* Overrides move the endpoints, not the audiences. */
	setenv("REFLEXE_GRAPH_URL", "https://127.0.0.1:9000", 1);
	CHECK(ms_cloud_init(&c, "dod") == 0);
	CHECK_STR(c.graph, "https://127.0.0.1:9000");
	CHECK_STR(c.graph_aud, "https://dod-graph.microsoft.us");
	static const char *const bad[] = { "http://127.0.0.1:9000", "https://h/path", "https://u:p@h", "not a url", "/" };
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		setenv("REFLEXE_GRAPH_URL", bad[i], 1);
		CHECK(ms_cloud_init(&c, NULL) == -1);
	}
	unsetenv("REFLEXE_GRAPH_URL");
}

static void settings_from_environment(void)
{
	struct auth_cfg a;
	unsetenv("AZURE_TENANT_ID");
	CHECK(auth_cfg_init(&a, NULL, NULL, NULL, NULL) == 0);
	CHECK_STR(a.tenant, "organizations");
	CHECK_STR(a.client_id, MS_CLIENT_GRAPH_CLI);
	CHECK(a.mode == AUTH_DEVICE && a.pss == 1 && !a.no_keyring);
	auth_cfg_free(&a);
	setenv("AZURE_TENANT_ID", "contoso.com", 1);
	setenv("AZURE_CLIENT_ID", "3c9e2f1a-7b4d-4c8e-9f0a-1b2c3d4e5f6a", 1);
	CHECK(auth_cfg_init(&a, NULL, NULL, NULL, NULL) == 0);
	CHECK(a.mode == AUTH_DEVICE);             /* an id alone: the device-code client */
	CHECK_STR(a.client_id, "3c9e2f1a-7b4d-4c8e-9f0a-1b2c3d4e5f6a");
	auth_cfg_free(&a);
	setenv("AZURE_CLIENT_SECRET", "shh", 1);
	setenv("AZURE_CLIENT_CERTIFICATE_PATH", "/x.pem", 1);
	CHECK(auth_cfg_init(&a, NULL, NULL, NULL, NULL) == 0);
	CHECK(a.mode == AUTH_SECRET && a.secret && !strcmp(a.secret, "shh"));  /* secret first */
	auth_cfg_free(&a);
	unsetenv("AZURE_CLIENT_SECRET");
	setenv("REFLEXE_JWT_ALG", "RS256", 1);
	CHECK(auth_cfg_init(&a, NULL, "--tenant-wins.example", NULL, NULL) == -1); /* bad name */
	auth_cfg_free(&a);
	CHECK(auth_cfg_init(&a, NULL, "fabrikam.com", NULL, NULL) == 0);
	CHECK(a.mode == AUTH_CERT && a.pss == 0 && !strcmp(a.cert_path, "/x.pem") && !strcmp(a.tenant, "fabrikam.com"));
	auth_cfg_free(&a);
	setenv("REFLEXE_JWT_ALG", "HS256", 1);
	CHECK(auth_cfg_init(&a, NULL, NULL, NULL, NULL) == -1 && err_id() == E_AUTH_JWT_ALG);
	auth_cfg_free(&a);
	unsetenv("REFLEXE_JWT_ALG");
	CHECK(auth_cfg_init(&a, NULL, "organizations", NULL, NULL) == -1 && err_id() == E_AUTH_CC_TENANT);
	auth_cfg_free(&a);
	unsetenv("AZURE_CLIENT_ID");
	CHECK(auth_cfg_init(&a, NULL, NULL, NULL, NULL) == -1 && err_id() == E_AUTH_CC_CLIENT);
	auth_cfg_free(&a);
	unsetenv("AZURE_CLIENT_CERTIFICATE_PATH");
	CHECK(auth_cfg_init(&a, NULL, NULL, "not-a-guid", NULL) == -1 && err_id() == E_AUTH_CLIENT_ID);
	auth_cfg_free(&a);
	setenv("REFLEXE_KEYRING", "off", 1);
	CHECK(auth_cfg_init(&a, NULL, NULL, NULL, NULL) == 0 && a.no_keyring);
	auth_cfg_free(&a);
	unsetenv("REFLEXE_KEYRING");
	unsetenv("AZURE_TENANT_ID");
	CHECK(guid_ok("14d82eec-204b-4c2f-b7e8-296a70dab67e"));
	CHECK(!guid_ok("14d82eec-204b-4c2f-b7e8-296a70dab67"));
	CHECK(!guid_ok("14d82eec0204b-4c2f-b7e8-296a70dab67e"));
	CHECK(!guid_ok("g4d82eec-204b-4c2f-b7e8-296a70dab67e"));
	CHECK(auth_tenant_ok("contoso.onmicrosoft.com") && !auth_tenant_ok("a/b") && !auth_tenant_ok(""));
}

/* ---- token payloads ------------------------------------------------------------ */

static char *jwt_of(const char *claims)
{
	struct buf b = { 0 };
	buf_puts(&b, "eyJhbGciOiJSUzI1NiJ9.");
	auth_b64url_enc(&b, claims, strlen(claims));
	buf_puts(&b, ".c2ln");
	return b.p;
}

static void who_from_token(void)
{
	struct auth_who w;
	char *t = jwt_of("{\"aud\":\"https://graph.microsoft.com\",\"tid\":\"6b1f9a3e-2c4d-4e5f-8a9b-0c1d2e3f4a5b\","
			 "\"upn\":\"admin1@contoso.com\",\"scp\":\"Directory.Read.All AuditLog.Read.All\","
			 "\"wids\":[\"62e90394-69f5-4237-9190-012177145e10\",\"b79fbf4d-3ef9-4689-8143-76b194e85509\"],"
			 "\"exp\":1800000000,\"idtyp\":\"user\",\"name\":\"x\\u001b[2Jy\"}");
	CHECK(auth_who(t, &w) == 0);
	CHECK_STR(w.tid, "6b1f9a3e-2c4d-4e5f-8a9b-0c1d2e3f4a5b");
	CHECK_STR(w.upn, "admin1@contoso.com");
	CHECK_STR(w.scp, "Directory.Read.All AuditLog.Read.All");
	CHECK_STR(w.wids, "62e90394-69f5-4237-9190-012177145e10");   /* default user role left out */
	CHECK_STR(auth_role_name(w.wids), "Global Administrator");
	CHECK_INT(w.exp, 1800000000);
	free(t);
	t = jwt_of("{\"appid\":\"3c9e2f1a-7b4d-4c8e-9f0a-1b2c3d4e5f6a\",\"roles\":[\"A.Read.All\",\"B.Read.All\"],"
		   "\"idtyp\":\"app\",\"app_displayname\":\"evil\\u001b]0;x\\u0007\"}");
	CHECK(auth_who(t, &w) == 0);
	CHECK_STR(w.appid, "3c9e2f1a-7b4d-4c8e-9f0a-1b2c3d4e5f6a");
	CHECK_STR(w.roles, "A.Read.All B.Read.All");
	CHECK(!strchr(w.app, 0x1b) && !strchr(w.app, 7));
	free(t);
	CHECK(auth_who("nodots", &w) == -1);
	t = jwt_of("[1,2]");
	CHECK(auth_who(t, &w) == -1);
	free(t);
}

/* ---- keyring ------------------------------------------------------------------------- */

static int own_session(void)
{
	/* KEYCTL_JOIN_SESSION_KEYRING (1) with no name: a new anonymous
	 * session keyring for this test, gone when it exits. */
	return syscall(SYS_keyctl, 1, 0L, 0L, 0L, 0L) < 0 ? -1 : 0;
}

static void keyring_store(void)
{
	struct auth_keyring k;
	struct auth_token t = { 0 }, r;
	struct buf b = { 0 };
	const char *auth = "https://login.example";
	char tid[256];
	int n = 0;

	if (own_session() < 0 || auth_kr_open(&k) < 0) {
		printf("SKIP keyring_store: kernel keyring unavailable here (%s)\n", strerror(errno));
		return;
	}
	CHECK_INT(k.kind, AUTH_KR_SESSION);
	CHECK(auth_kr_put(&k, "reflexe:test:a", "hello", 5, 60) == 0);
	CHECK(auth_kr_get(&k, "reflexe:test:a", &b) == 0 && b.len == 5 && !memcmp(b.p, "hello", 5));
	CHECK(auth_kr_put(&k, "reflexe:test:a", "bye", 3, 60) == 0);       /* replaced in place */
	CHECK(auth_kr_get(&k, "reflexe:test:a", &b) == 0 && b.len == 3);
	CHECK(auth_kr_get(&k, "reflexe:test:none", &b) == 1);
	/* Possessor-only: nothing for user, group, other. */
	long id = syscall(SYS_keyctl, 10 /* SEARCH */, k.ring, "user", "reflexe:test:a", 0L);
	char d[256] = "";
	CHECK(id > 0 && syscall(SYS_keyctl, 6 /* DESCRIBE */, id, d, sizeof d - 1, 0L) > 0);
	CHECK(!strncmp(d, "user;", 5) && strstr(d, ";3f000000;reflexe:test:a"));

	t.access = strdup("eyJ.access");
	t.refresh = strdup("0.Arefresh");
	t.expires_at = tm_now() + 3600;
	snprintf(t.client_id, sizeof t.client_id, "%s", MS_CLIENT_GRAPH_CLI);
	CHECK(auth_store_save(&k, "6B1F-TID", MS_AUD_GRAPH, &t, auth) == 0);
	CHECK(auth_store_alias(&k, "contoso.com", "6b1f-tid") == 0);
	CHECK(auth_store_load(&k, "6b1f-tid", MS_AUD_GRAPH, 0, auth, &r) == 0);
	CHECK_STR(r.access, "eyJ.access");
	CHECK_STR(r.client_id, MS_CLIENT_GRAPH_CLI);
	CHECK_INT(r.expires_at, t.expires_at);
	auth_token_wipe(&r);
	CHECK(auth_store_load(&k, "6b1f-tid", MS_AUD_GRAPH, 1, auth, &r) == 0);
	CHECK_STR(r.refresh, "0.Arefresh");
	auth_token_wipe(&r);
	CHECK(auth_store_load(&k, "6b1f-tid", MS_AUD_EXO, 0, auth, &r) == 1);
	/* Tokens of another cloud's authority are not handed out. */
	CHECK(auth_store_load(&k, "6b1f-tid", MS_AUD_GRAPH, 0, "https://login.other", &r) == 1);
	/* Tenant names compare without case, as DNS names do. */
	CHECK(auth_store_resolve(&k, "CONTOSO.COM", tid, sizeof tid) == 0 && !strcmp(tid, "6b1f-tid"));
	CHECK(auth_store_resolve(&k, "contoso.com", tid, sizeof tid) == 0 && !strcmp(tid, "6b1f-tid"));
	CHECK(auth_store_resolve(&k, "6b1f-tid", tid, sizeof tid) == 0 && !strcmp(tid, "6b1f-tid"));
	CHECK(auth_store_resolve(&k, "fabrikam.com", tid, sizeof tid) == 1);

	/* The source takes a fresh stored token without any network. */
	struct auth_cfg a;
	struct ms_token_source ts;
	struct buf out = { 0 };
	unsetenv("AZURE_AUTHORITY_HOST");
	CHECK(auth_cfg_init(&a, NULL, "contoso.com", NULL, NULL) == 0);
	snprintf(a.cloud.authority, sizeof a.cloud.authority, "%s", auth);
	CHECK(auth_token_source(&ts, &a) == 0);
	CHECK(ts.get(ts.ctx, MS_AUD_GRAPH, &out) == 0 && !strcmp(out.p, "eyJ.access"));
	CHECK(ts.get(ts.ctx, MS_AUD_EXO, &out) == -1 && err_id() == E_AUTH_NO_EXO);
	auth_token_source_free(&ts);
	buf_wipe(&out);
	auth_cfg_free(&a);
	CHECK(auth_cfg_init(&a, NULL, "fabrikam.com", NULL, NULL) == 0);
	CHECK(auth_token_source(&ts, &a) == 0);
	CHECK(ts.get(ts.ctx, MS_AUD_GRAPH, &out) == -1 && err_id() == E_AUTH_NOT_SIGNED_IN);
	auth_token_source_free(&ts);
	auth_cfg_free(&a);

	/* Logout: every reflexe key, and only those. */
	CHECK(auth_kr_put(&k, "other:keep", "x", 1, 60) == 0);
	CHECK(auth_kr_wipe_prefix(&k, "reflexe:", &n) == 0);
	CHECK_INT(n, 4);     /* test:a, graph, graph:refresh, alias */
	CHECK(auth_kr_get(&k, "reflexe:6b1f-tid:graph", &b) == 1);
	CHECK(auth_kr_get(&k, "other:keep", &b) == 0);
	auth_kr_del(&k, "other:keep");
	/* Keys time out with their token. */
	CHECK(auth_kr_put(&k, "reflexe:test:short", "x", 1, 1) == 0);
	struct timespec ts2 = { 1, 600000000 };
	nanosleep(&ts2, NULL);
	CHECK(auth_kr_get(&k, "reflexe:test:short", &b) == 1);
	buf_wipe(&b);
	auth_token_wipe(&t);
}

int main(void)
{
	i18n_init("en");
	RUN(form_encoding);
	RUN(scopes_are_read_only);
	RUN(consent_url);
	RUN(token_reply_good);
	RUN(token_reply_hostile);
	RUN(oauth_errors);
	RUN(devcode_reply);
	RUN(policy_two_endpoints_only);
	RUN(clouds);
	RUN(settings_from_environment);
	RUN(who_from_token);
	RUN(keyring_store);
	T_DONE();
}
