/* The HTTP client refuses before it connects: no policy, a policy that
 * says no, a method or header it will not send, a URL that is not https.
 * Every case here must leave the counters at zero: nothing was opened. */
#include <stdlib.h>

#include "net/net.h"
#include "t.h"

static int calls;

static int refuse_all(void *ctx, const char *method, const struct url *u,
		      const void *body, size_t body_len)
{
	(void)ctx;
	(void)method;
	(void)body;
	(void)body_len;
	calls++;
	return err_set(E_HTTP_POLICY_HOST, u->host);
}

static struct http_client *client(http_policy_fn policy)
{
	struct http_opts o = { .policy = policy };
	struct http_client *c = NULL;
	err_clear();
	CHECK(http_client_new(&c, &o) == 0);
	return c;
}

static int nothing_opened(struct http_client *c)
{
	struct http_stats s;
	http_client_stats(c, &s);
	return s.handshakes == 0 && s.requests == 0;
}

/* Port 1 on loopback: had anything been attempted, the error would be
 * "connection refused", not the one expected. */
#define NOWHERE "https://127.0.0.1:1/x"

static void no_policy_no_client(void)
{
	struct http_opts o = { 0 };
	struct http_client *c = (struct http_client *)&o;
	err_clear();
	CHECK(http_client_new(&c, &o) == -1);
	CHECK(c == NULL);
	CHECK_STR(i18n_msgname(err_id()), "E_HTTP_NO_POLICY");
	CHECK(http_client_new(&c, NULL) == -1);
}

static void policy_refusal_sends_nothing(void)
{
	struct http_client *c = client(refuse_all);
	struct http_req r = { .method = "GET", .url = NOWHERE };
	struct http_resp resp;
	calls = 0;
	CHECK(http_do(c, &r, &resp) == -1);
	CHECK_INT(calls, 1);
	CHECK_STR(i18n_msgname(err_id()), "E_HTTP_POLICY_HOST");
	CHECK(nothing_opened(c));
	http_client_free(c);
}

static void get_only_refuses_post(void)
{
	struct http_client *c = client(http_policy_get_only);
	struct http_req r = { .method = "POST", .url = NOWHERE, .body = "a=1", .body_len = 3 };
	struct http_resp resp;
	CHECK(http_do(c, &r, &resp) == -1);
	CHECK_STR(i18n_msgname(err_id()), "E_HTTP_READ_ONLY");
	CHECK(strstr(err_msg(), "POST") != NULL);
	CHECK(nothing_opened(c));
	http_client_free(c);
}

static void refused_before_policy(void)
{
	struct http_client *c = client(refuse_all);
	struct http_resp resp;
	struct http_hdr inj[] = { { "X-A", "v\r\nX-Injected: 1" } };
	struct http_hdr host[] = { { "host", "evil.example" } };
	struct http_hdr name[] = { { "Bad Name", "v" } };
	struct {
		struct http_req r;
		const char *want;
	} cases[] = {
		{ { .method = "PUT", .url = NOWHERE }, "E_HTTP_METHOD" },
		{ { .method = "DELETE", .url = NOWHERE }, "E_HTTP_METHOD" },
		{ { .method = NULL, .url = NOWHERE }, "E_HTTP_METHOD" },
		{ { .method = "GET", .url = "http://127.0.0.1:1/x" }, "E_URL_NOT_HTTPS" },
		{ { .method = "GET", .url = "https://exa mple/" }, "E_URL_BAD" },
		{ { .method = "GET", .url = NOWHERE, .hdrs = inj, .nhdrs = 1 }, "E_HTTP_REQ_HEADER" },
		{ { .method = "GET", .url = NOWHERE, .hdrs = host, .nhdrs = 1 }, "E_HTTP_REQ_HEADER" },
		{ { .method = "GET", .url = NOWHERE, .hdrs = name, .nhdrs = 1 }, "E_HTTP_REQ_HEADER" },
	};
	calls = 0;
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		err_clear();
		CHECK(http_do(c, &cases[i].r, &resp) == -1);
		CHECK_STR(i18n_msgname(err_id()), cases[i].want);
	}
	CHECK_INT(calls, 0);
	CHECK(nothing_opened(c));
	http_client_free(c);
}

int main(void)
{
	i18n_init("en");
	RUN(no_policy_no_client);
	RUN(policy_refusal_sends_nothing);
	RUN(get_only_refuses_post);
	RUN(refused_before_policy);
	T_DONE();
}
