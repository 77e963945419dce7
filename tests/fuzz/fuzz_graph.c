/* libFuzzer harness for the Graph client above HTTP (ms/graph.c,
 * graph_page.c, graph_err.c, probe.c): what it does with the answers a
 * server sends — statuses, error bodies, pages, @odata.nextLink — and
 * that the pages it saved read back the same offline.
 *
 * The transport is this file's: it defines ms_call_do, ms_call_log and
 * ms_call_free, so the linker never takes src/ms/graph_http.c (the real
 * one: token, retries, throttling, the network) from libreflexe.a, and
 * each request gets the next answer of the input:
 *   byte 0        what is asked: 0 a collection (/v1.0/users, paged),
 *                 1 one resource (404 meaning none), 2 the probe after
 *                 sign-in (organization, subscribedSkus, directory roles)
 *   then answers  status (2 bytes, little-endian, taken modulo 600; under
 *                 100 means 200), length (2 bytes), body
 * Once the answers run out, a request fails as a cut connection would.
 * Invariants: every request goes to the service's own host (a nextLink
 * elsewhere is refused, never followed); a failure says why; a
 * collection read whole live reads back offline with the same items and
 * pages (one code path, DESIGN.md); the result prints.
 *
 * Seeds: tests/fuzz/seeds/fuzz_graph (pages shaped as the fake Graph
 * server, tests/fake/, answers them). Folders under /dev/shm. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fuzz.h"
#include "case/case.h"
#include "ms/ms.h"


static struct ms_cloud cloud;
static const uint8_t *in;
static size_t in_len, in_pos;
static unsigned requests;

/* ---- the transport ------------------------------------------------------------ */

int ms_call_do(struct ms_svc *s, struct ms_call *c)
{
	MUST(ms_same_host(s, c->url));
	MUST(c->method && !strcmp(c->method, "GET"));
	requests++;
	memset(&c->resp, 0, sizeof c->resp);
	c->attempts = 1;
	if (in_pos + 4 > in_len)
		return err_set(E_NET_RESET, "fuzz:443");
	unsigned st = (in[in_pos] | (unsigned)in[in_pos + 1] << 8) % 600;
	size_t n = in[in_pos + 2] | (size_t)in[in_pos + 3] << 8;
	in_pos += 4;
	if (n > in_len - in_pos)
		n = in_len - in_pos;
	c->resp.status = st < 100 ? 200 : (int)st;
	if (buf_append(&c->resp.body, in + in_pos, n) < 0)
		return -1;
	c->resp.body_bytes = n;
	in_pos += n;
	return 0;
}

void ms_call_log(struct ms_svc *s, struct ms_call *c, const char *rel, const char *sha,
		 const char *error)
{
	/* What the real one logs: the URL redacted (a nextLink is the
	 * server's text). */
	struct buf u = { 0 };
	(void)s;
	(void)rel;
	(void)sha;
	(void)error;
	if (case_redact_url(c->url, &u) < 0)
		err_clear();
	buf_free(&u);
}

void ms_call_free(struct ms_call *c)
{
	buf_free(&c->resp.body);
	buf_free(&c->resp.head);
	free(c->resp.final_url);
	memset(&c->resp, 0, sizeof c->resp);
}

/* ---- a token source for the probe --------------------------------------------- */

static const char token[] =
	"eyJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiJ9.eyJhdWQiOiJodHRwczovL2dyYXBoLm1pY3Jvc29mdC5jb20iLCJ0aWQiOiI"
	"4ZjRjMWEyZS03ZDNiLTRjNWUtOWExMC0yYjNjNGQ1ZTZmNzAiLCJ1cG4iOiJhZG1pbjFAY29udG9zby5jb20iLCJpZHR5cCI"
	"6InVzZXIiLCJzY3AiOiJEaXJlY3RvcnkuUmVhZC5BbGwgQXVkaXRMb2cuUmVhZC5BbGwiLCJ3aWRzIjpbIjYyZTkwMzk0LTY"
	"5ZjUtNDIzNy05MTkwLTAxMjE3NzE0NWUxMCJdLCJleHAiOjE3OTk5OTk5OTl9.c2ln";

static int get_token(void *ctx, enum ms_audience aud, struct buf *out)
{
	(void)ctx;
	(void)aud;
	buf_reset(out);
	return buf_puts(out, token);
}

/* ---- the case folder ------------------------------------------------------------ */


static void setup(void)
{
	fuzz_scratch("graph");
	unsetenv("REFLEXE_GRAPH_URL");
	unsetenv("REFLEXE_EXO_URL");
	unsetenv("AZURE_AUTHORITY_HOST");
	unsetenv("REFLEXE_CLOUD");
	if (ms_cloud_init(&cloud, "global") < 0)
		abort();
}
FUZZ_INIT(setup)

static int count(void *ctx, const struct json *j, int item, const char *ev)
{
	char id[128];
	(void)ev;
	if (json_str(j, item, "id", id, sizeof id) < 0)
		err_clear();
	(*(unsigned long *)ctx)++;
	return 0;
}

static struct ms_svc *open_svc(struct case_dir **cs, int offline)
{
	struct ms_svc *g;
	MUST(case_open(cs, FUZZ_DIR, "contoso.com", NULL, offline) == 0);
	struct ms_opts o = { .cloud = &cloud, .cs = *cs, .parallel = 1, .quiet = 1, .offline = offline,
			     .tok = { get_token, NULL } };
	MUST(graph_open(&g, &o) == 0);
	return g;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1 || size > (1u << 20))
		return 0;
	in = data;
	in_len = size;
	in_pos = 1;
	requests = 0;
	fuzz_scratch_clear();

	struct case_dir *cs;
	struct ms_svc *g = open_svc(&cs, 0);
	struct ms_result res;
	unsigned long live = 0;
	char text[512];
	static const struct graph_query list = { .path = "/v1.0/users",
		.select = "id,displayName,userPrincipalName", .top = 999 };
	static const struct graph_query one = { .path = "/v1.0/policies/authorizationPolicy",
		.none_on_404 = 1 };
	int mode = data[0] % 3;
	if (mode < 2) {
		int r = graph_list(g, mode ? &one : &list, count, &live, &res);
		MUST(r == 0 || (res.st == MS_FAILED && res.detail[0]));
		ms_result_text(&res, text, sizeof text);
	} else {
		struct ms_token_source ts = { get_token, NULL };
		struct ms_probe p;
		if (ms_probe(g, &ts, &p) == 0) {
			MUST(memchr(p.domains, 0, sizeof p.domains) && memchr(p.dir_roles, 0, sizeof p.dir_roles));
			MUST(p.p1 >= -1 && p.p1 <= 1 && p.exo >= -1 && p.exo <= 1);
			/* probe.json, written from the tenant's text, reads back */
			struct ms_probe b;
			if (ms_probe_read(FUZZ_DIR, &b) != 0) {
				fprintf(stderr, "fuzz_graph: probe.json written, not read: %s\n", err_msg());
				abort();
			}
			MUST(!strcmp(b.tenant_id, p.tenant_id) && !strcmp(b.domains, p.domains));
			MUST(!strcmp(b.dir_roles, p.dir_roles) && !strcmp(b.role_ids, p.role_ids));
			MUST(b.p1 == p.p1 && b.p2 == p.p2 && b.exo == p.exo);
		} else {
			MUST(err_msg()[0]);
		}
		res.st = MS_FAILED;
	}
	if (getenv("FUZZ_VERBOSE"))
		fprintf(stderr, "fuzz_graph: mode %d, %u requests: %s, %lu items, %u pages %s\n", mode,
			requests, ms_status_name(res.st), live, res.pages, mode < 2 ? res.detail : err_msg());
	err_clear();
	ms_svc_close(g);
	MUST(case_close(cs) == 0);

	/* Saved, then read back: the same collection. */
	if (mode < 2 && res.st == MS_OK) {
		struct ms_result back;
		unsigned long off = 0;
		g = open_svc(&cs, 1);
		int r = graph_list(g, mode ? &one : &list, count, &off, &back);
		if (r != 0 || back.st != MS_OK || off != live || back.pages != res.pages) {
			fprintf(stderr, "fuzz_graph: live %lu items in %u pages; offline %s: %lu in %u (%s)\n",
				live, res.pages, ms_status_name(back.st), off, back.pages, back.detail);
			abort();
		}
		ms_svc_close(g);
		case_close(cs);
	}
	err_clear();
	return 0;
}
