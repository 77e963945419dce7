/* Which proxy, if any: no_proxy rules and the environment, as
 * src/net/net.h documents them (curl's reading). */
#include <stdlib.h>

#include "net/net.h"
#include "t.h"

#define M(rules, host, port) proxy_no_proxy_match(rules, host, port)

static void names(void)
{
	CHECK(M("example.com", "example.com", 443));
	CHECK(M("example.com", "a.b.example.com", 443));
	CHECK(!M("example.com", "badexample.com", 443));
	CHECK(!M("example.com", "example.com.evil", 443));
	CHECK(M(".example.com", "example.com", 443));
	CHECK(M(".example.com", "x.example.com", 443));
	CHECK(M("EXAMPLE.com", "example.COM", 443));
	CHECK(M("example.com.", "example.com", 443));
	CHECK(!M("a.example.com", "example.com", 443));
	CHECK(!M(".", "example.com", 443));
	CHECK(M("*", "anything.example", 1));
	CHECK(!M("*.example.com", "a.example.com", 443));  /* not a glob */
}

static void lists(void)
{
	CHECK(M("foo, bar.com  baz", "x.bar.com", 443));
	CHECK(M("foo,\tbaz,,bar.com", "bar.com", 443));
	CHECK(!M("foo, bar.com", "baz.com", 443));
	CHECK(!M("", "h", 443));
	CHECK(!M(" , ,", "h", 443));
	CHECK(!M(NULL, "h", 443));
	CHECK(M("localhost,127.0.0.1,::1", "::1", 443));
}

static void addresses(void)
{
	CHECK(M("127.0.0.1", "127.0.0.1", 443));
	CHECK(!M("127.0.0.1", "127.0.0.2", 443));
	CHECK(M("::1", "::1", 443));
	CHECK(M("0:0::1", "::1", 443));                 /* compared as addresses */
	CHECK(M("10.0.0.0/8", "10.200.3.4", 443));
	CHECK(!M("10.0.0.0/8", "11.0.0.1", 443));
	CHECK(M("192.168.1.0/24", "192.168.1.255", 443));
	CHECK(!M("192.168.1.0/24", "192.168.2.1", 443));
	CHECK(M("0.0.0.0/0", "8.8.8.8", 443));
	CHECK(M("fd00::/8", "fd12:3456::1", 443));
	CHECK(!M("fd00::/8", "fe80::1", 443));
	/* CIDR applies to IP literals only, never to names (no DNS here). */
	CHECK(!M("10.0.0.0/8", "ten.example", 443));
	CHECK(!M("10.0.0.0/8", "::ffff:10.0.0.1", 443));
	/* Malformed entries match nothing. */
	CHECK(!M("10.0.0.0/33", "10.0.0.1", 443));
	CHECK(!M("10.0.0.0/", "10.0.0.1", 443));
	CHECK(!M("10.0.0.0/x", "10.0.0.1", 443));
	CHECK(!M("10.0.0.0/-1", "10.0.0.1", 443));
	CHECK(!M("nonsense/8", "10.0.0.1", 443));
}

static void ports(void)
{
	CHECK(M("example.com:443", "example.com", 443));
	CHECK(!M("example.com:443", "example.com", 8443));
	CHECK(M("example.com", "example.com", 8443));   /* no port: every port */
	CHECK(M("[::1]:443", "::1", 443));
	CHECK(!M("[::1]:443", "::1", 80));
	CHECK(M("[::1]", "::1", 80));
	CHECK(M("127.0.0.1:8443", "127.0.0.1", 8443));
	CHECK(!M("127.0.0.1:8443", "127.0.0.1", 443));
	CHECK(!M("example.com:", "example.com", 443));
	CHECK(!M("example.com:x", "example.com", 443));
}

static void environment(void)
{
	unsetenv("https_proxy");
	unsetenv("HTTPS_PROXY");
	unsetenv("no_proxy");
	unsetenv("NO_PROXY");
	CHECK(proxy_for(NULL, "h", 443) == NULL);
	CHECK(proxy_for("", "h", 443) == NULL);

	setenv("HTTPS_PROXY", "http://upper:3128", 1);
	CHECK_STR(proxy_for(NULL, "h", 443), "http://upper:3128");
	setenv("https_proxy", "http://lower:3128", 1);
	CHECK_STR(proxy_for(NULL, "h", 443), "http://lower:3128");   /* lower case first */
	CHECK_STR(proxy_for("http://opt:8080", "h", 443), "http://opt:8080");  /* --proxy wins */
	CHECK_STR(proxy_for("", "h", 443), "http://lower:3128");

	setenv("NO_PROXY", "h", 1);
	CHECK(proxy_for(NULL, "h", 443) == NULL);
	CHECK(proxy_for("http://opt:8080", "h", 443) == NULL);   /* no_proxy holds for --proxy too */
	CHECK_STR(proxy_for(NULL, "other", 443), "http://lower:3128");
	setenv("no_proxy", "other", 1);                           /* lower case first */
	CHECK(proxy_for(NULL, "other", 443) == NULL);
	CHECK_STR(proxy_for(NULL, "h", 443), "http://lower:3128");

	/* An empty https_proxy means none, even with HTTPS_PROXY set. */
	setenv("https_proxy", "", 1);
	CHECK(proxy_for(NULL, "x", 443) == NULL);
	unsetenv("https_proxy");
	unsetenv("HTTPS_PROXY");
	unsetenv("no_proxy");
	unsetenv("NO_PROXY");
}

int main(void)
{
	i18n_init("en");
	RUN(names);
	RUN(lists);
	RUN(addresses);
	RUN(ports);
	RUN(environment);
	T_DONE();
}
