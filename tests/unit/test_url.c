/* URL parsing: what the client accepts, exactly, and what it refuses. */
#include <stdlib.h>

#include "net/net.h"
#include "t.h"

static int ok(const char *s, struct url *u)
{
	err_clear();
	int r = url_parse(u, s);
	if (r < 0)
		printf("  url_parse(\"%s\") failed: %s\n", s, err_msg());
	return r == 0;
}

static int refused(const char *s)
{
	struct url u;
	err_clear();
	int r = url_parse(&u, s);
	if (r == 0) {
		printf("  url_parse(\"%s\") accepted, host \"%s\"\n", s, u.host);
		url_free(&u);
		return 0;
	}
	return err_id() == E_URL_BAD && u.path == NULL;
}

static void basic(void)
{
	struct url u;
	if (ok("https://graph.microsoft.com/v1.0/users?$top=1&$select=id", &u)) {
		CHECK_STR(u.scheme, "https");
		CHECK_STR(u.host, "graph.microsoft.com");
		CHECK_INT(u.port, 443);
		CHECK_STR(u.path, "/v1.0/users?$top=1&$select=id");
		CHECK_STR(u.user, "");
		url_free(&u);
	}
	if (ok("HTTPS://Login.MicrosoftOnline.COM", &u)) {
		CHECK_STR(u.scheme, "https");
		CHECK_STR(u.host, "login.microsoftonline.com");
		CHECK_STR(u.path, "/");
		url_free(&u);
	}
	if (ok("http://proxy.corp", &u)) {
		CHECK_INT(u.port, 80);
		url_free(&u);
	}
	if (ok("https://h?x=1", &u)) {
		CHECK_STR(u.path, "/?x=1");
		url_free(&u);
	}
	if (ok("https://h/p%20q#frag", &u)) {
		CHECK_STR(u.path, "/p%20q");   /* escapes kept, fragment dropped */
		url_free(&u);
	}
	if (ok("https://example.com./", &u)) {
		CHECK_STR(u.host, "example.com");
		url_free(&u);
	}
	if (ok("https://1.2.3.4:8443/", &u)) {
		CHECK_STR(u.host, "1.2.3.4");
		CHECK_INT(u.port, 8443);
		url_free(&u);
	}
}

static void ipv6(void)
{
	struct url u;
	if (ok("https://[::1]:8443/x", &u)) {
		CHECK_STR(u.host, "::1");
		CHECK_INT(u.port, 8443);
		CHECK_STR(u.path, "/x");
		url_free(&u);
	}
	if (ok("https://[2001:DB8::1]", &u)) {
		CHECK_STR(u.host, "2001:DB8::1");
		CHECK_INT(u.port, 443);
		url_free(&u);
	}
	CHECK(refused("https://[::1/x"));
	CHECK(refused("https://[fe80::1%25eth0]/"));   /* zone ids mean nothing remotely */
	CHECK(refused("https://[1.2.3.4]/"));
	CHECK(refused("https://[::1]x/"));
	CHECK(refused("https://[::1]:/"));
	CHECK(refused("https://[]/"));
	CHECK(refused("https://::1/"));
	char hp[64];
	url_hostport("::1", 443, hp, sizeof hp);
	CHECK_STR(hp, "[::1]:443");
	url_hostport("h", 8080, hp, sizeof hp);
	CHECK_STR(hp, "h:8080");
	unsigned char a[16];
	CHECK_INT(url_ip_literal("127.0.0.1", a), 4);
	CHECK_INT(a[0], 127);
	CHECK_INT(url_ip_literal("::1", a), 6);
	CHECK_INT(a[15], 1);
	CHECK_INT(url_ip_literal("localhost", NULL), 0);
}

static void userinfo(void)
{
	struct url u;
	if (ok("http://user:p%40ss%3Aword@proxy.corp:3128", &u)) {
		CHECK_STR(u.user, "user");
		CHECK_STR(u.pass, "p@ss:word");
		CHECK_STR(u.host, "proxy.corp");
		CHECK_INT(u.port, 3128);
		url_free(&u);
		CHECK_STR(u.pass, "");        /* wiped */
	}
	if (ok("http://only@h", &u)) {
		CHECK_STR(u.user, "only");
		CHECK_STR(u.pass, "");
		url_free(&u);
	}
	if (ok("http://u:@h", &u)) {
		CHECK_STR(u.pass, "");
		url_free(&u);
	}
	CHECK(refused("https://a@evil.example@good.example/"));
	CHECK(refused("http://u:%zz@h"));
	CHECK(refused("http://u:%0a@h"));
	CHECK(refused("http://u:%00@h"));
	CHECK(refused("http://u:%4@h"));
	char longu[400];
	memset(longu, 'a', sizeof longu);
	memcpy(longu, "http://", 7);
	memcpy(longu + sizeof longu - 4, "@h", 3);
	CHECK(refused(longu));
}

static void ports(void)
{
	struct url u;
	if (ok("https://h:65535/", &u)) {
		CHECK_INT(u.port, 65535);
		url_free(&u);
	}
	if (ok("https://h:00443/", &u)) {
		CHECK_INT(u.port, 443);
		url_free(&u);
	}
	CHECK(refused("https://h:0/"));
	CHECK(refused("https://h:65536/"));
	CHECK(refused("https://h:/"));
	CHECK(refused("https://h:12a/"));
	CHECK(refused("https://h:123456/"));
	CHECK(refused("https://h:-1/"));
	CHECK(refused("https://h:1:2/"));
}

static void bad_input(void)
{
	CHECK(refused(""));
	CHECK(refused("ftp://h/"));
	CHECK(refused("https//h/"));
	CHECK(refused("//h/"));
	CHECK(refused("https://"));
	CHECK(refused("https:///path"));
	CHECK(refused("https://exa mple.com/"));
	CHECK(refused("https://h/a b"));
	CHECK(refused("https://h/\x01"));
	CHECK(refused("https://h/\r\nX: injected"));
	CHECK(refused("https://\xc3\xa9t\xc3\xa9.fr/"));   /* raw UTF-8 */
	CHECK(refused("https://.example.com/"));
	CHECK(refused("https://ex!ample.com/"));
	CHECK(refused("https://%65x.com/"));
	/* Shorthand IPv4 the resolver would expand: not what it looks like. */
	CHECK(refused("https://127.1/"));
	CHECK(refused("https://0x7f.0.0.1/"));
	CHECK(refused("https://2130706433/"));
	CHECK(refused("https://1.2.3.256/"));
	CHECK(refused("verylongscheme://h/"));
	char *big = malloc(9000);
	memcpy(big, "https://h/", 10);
	memset(big + 10, 'a', 8989);
	big[8999] = 0;
	CHECK(refused(big));
	free(big);
}

static void resolve(void)
{
	struct url base;
	if (!ok("https://a.example/dir/page?q=1", &base))
		return;
	struct { const char *loc, *want; } cases[] = {
		{ "/x?y", "https://a.example/x?y" },
		{ "//b.example/y", "https://b.example/y" },
		{ "z", "https://a.example/dir/z" },
		{ "?r=1", "https://a.example/dir/page?r=1" },
		{ "https://c.example:8443/", "https://c.example:8443/" },
		{ "http://c.example/", "http://c.example/" },
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		char *r = url_resolve(&base, cases[i].loc);
		CHECK_STR(r, cases[i].want);
		free(r);
	}
	url_free(&base);
	if (ok("https://[::1]:8443/a", &base)) {
		char *r = url_resolve(&base, "/b");
		CHECK_STR(r, "https://[::1]:8443/b");
		free(r);
		url_free(&base);
	}
	if (ok("https://h", &base)) {
		CHECK(url_resolve(&base, "") == NULL);
		url_free(&base);
	}
}

static void query_values(void)
{
	struct { const char *v, *want; } cases[] = {
		{ "id,displayName", "id,displayName" },
		{ "userPrincipalName eq 'a@contoso.com'", "userPrincipalName%20eq%20'a@contoso.com'" },
		{ "a&b=c+d#e%f;g", "a%26b%3Dc%2Bd%23e%25f%3Bg" },
		{ "startswith(x,'J') and y ge 2026-11-01T00:00:00Z", "startswith(x,'J')%20and%20y%20ge%202026-11-01T00:00:00Z" },
		{ "\x01\x7f\xc3\xa9\"<>[]{}|\\^`!*?", "%01%7F%C3%A9%22%3C%3E%5B%5D%7B%7D%7C%5C%5E%60%21%2A%3F" },
		{ "", "" },
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct buf b = { 0 };
		CHECK_INT(url_query_enc(&b, cases[i].v), 0);
		CHECK_STR(b.p ? b.p : "", cases[i].want);
		buf_free(&b);
	}
}

int main(void)
{
	i18n_init("en");
	RUN(basic);
	RUN(ipv6);
	RUN(userinfo);
	RUN(ports);
	RUN(bad_input);
	RUN(resolve);
	RUN(query_values);
	T_DONE();
}
