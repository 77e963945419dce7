/*
 * httpget — test-only: fetch URLs with reflexe's own HTTP client, the
 * same http_client the applets use, under the GET-only policy. It has no
 * option that touches verification, because the library has none.
 *
 *   httpget [options] URL...
 *   -o FILE         write the last body to FILE: streamed to a temp file
 *                   in the same folder, renamed only when complete
 *                   (without -o, bodies go to stdout once complete)
 *   --repeat N      fetch the URL list N times over the same client
 *   -H 'Name: v'    extra request header (repeatable)
 *   --post DATA     send a POST (the GET-only policy refuses it)
 *   --deny-host H   the policy also refuses any request to host H (to
 *                   test that redirects go through the policy)
 *   --proxy URL, --idle-ms N, --connect-ms N, --handshake-ms N,
 *   --total-ms N, --max-body N, --lang fr|en
 *   -v              status and counters on stderr
 * Exit: 0 every response 2xx, 1 a response was not 2xx, 3 error (one
 * line on stderr), 2 usage.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "net/net.h"

enum { O_OUT = 1, O_REPEAT, O_HDR, O_POST, O_PROXY, O_IDLE, O_CONNECT, O_HS, O_TOTAL,
       O_MAXBODY, O_LANG, O_VERBOSE, O_DENY };

static const struct opt_spec opts[] = {
	{ "output", 'o', OPT_ARG, O_OUT },
	{ "repeat", 0, OPT_ARG, O_REPEAT },
	{ "header", 'H', OPT_ARG, O_HDR },
	{ "post", 0, OPT_ARG, O_POST },
	{ "proxy", 0, OPT_ARG, O_PROXY },
	{ "idle-ms", 0, OPT_ARG, O_IDLE },
	{ "connect-ms", 0, OPT_ARG, O_CONNECT },
	{ "handshake-ms", 0, OPT_ARG, O_HS },
	{ "total-ms", 0, OPT_ARG, O_TOTAL },
	{ "max-body", 0, OPT_ARG, O_MAXBODY },
	{ "lang", 0, OPT_ARG, O_LANG },
	{ "verbose", 'v', OPT_NOARG, O_VERBOSE },
	{ "deny-host", 0, OPT_ARG, O_DENY },
	{ NULL, 0, 0, 0 },
};

#define MAX_HDRS 16

/* GET only, and never to the denied host: stricter than the library's
 * test policy, never looser. */
static int policy(void *ctx, const char *method, const struct url *u,
		  const void *body, size_t body_len)
{
	const char *deny = ctx;
	if (http_policy_get_only(NULL, method, u, body, body_len) < 0)
		return -1;
	if (deny && !strcmp(u->host, deny))
		return err_set(E_HTTP_POLICY_HOST, u->host);
	return 0;
}

struct out {
	FILE *f;
	char tmp[4096];
};

static int to_file(void *ctx, const void *d, size_t n)
{
	struct out *o = ctx;
	if (fwrite(d, 1, n, o->f) != n)
		return err_set(E_NOMEM);
	return 0;
}

static int open_tmp(struct out *o, const char *path)
{
	snprintf(o->tmp, sizeof o->tmp, "%s.tmp.XXXXXX", path);
	int fd = mkstemp(o->tmp);
	if (fd < 0 || !(o->f = fdopen(fd, "wb"))) {
		fprintf(stderr, "httpget: cannot create %s\n", o->tmp);
		return -1;
	}
	return 0;
}

int main(int argc, char **argv)
{
	struct opt_state st;
	const struct opt_spec *const tables[] = { opts, NULL };
	char **pos = calloc((size_t)argc + 1, sizeof *pos);
	struct http_opts ho = { .policy = policy };
	struct http_hdr hdrs[MAX_HDRS];
	char *hbuf[MAX_HDRS];
	size_t nh = 0;
	const char *out = NULL, *post = NULL;
	long repeat = 1;
	int verbose = 0, id, rc = 0;

	i18n_init(NULL);
	opt_init(&st, argc, argv, pos);
	while ((id = opt_next(&st, tables)) > 0) {
		const char *a = st.arg;
		switch (id) {
		case O_OUT: out = a; break;
		case O_REPEAT: repeat = atol(a); break;
		case O_HDR: {
			const char *colon = strchr(a, ':');
			if (!colon || nh == MAX_HDRS) {
				fprintf(stderr, "httpget: bad header %s\n", a);
				return 2;
			}
			hbuf[nh] = strdup(a);
			hbuf[nh][colon - a] = 0;
			hdrs[nh].name = hbuf[nh];
			hdrs[nh].value = hbuf[nh] + (colon - a) + 1 + strspn(colon + 1, " ");
			nh++;
			break;
		}
		case O_POST: post = a; break;
		case O_PROXY: ho.proxy = a; break;
		case O_IDLE: ho.idle_ms = atoi(a); break;
		case O_CONNECT: ho.connect_ms = atoi(a); break;
		case O_HS: ho.handshake_ms = atoi(a); break;
		case O_TOTAL: ho.total_ms = atoi(a); break;
		case O_MAXBODY: ho.max_body = (size_t)atoll(a); break;
		case O_LANG:
			if (i18n_init(a) < 0) {
				fprintf(stderr, "httpget: %s\n", err_msg());
				return 2;
			}
			break;
		case O_VERBOSE: verbose = 1; break;
		case O_DENY: ho.policy_ctx = (void *)a; break;
		}
	}
	if (id < 0 || st.npos == 0 || repeat < 1) {
		fprintf(stderr, "httpget: %s\nusage: httpget [-o FILE] [--repeat N] [-v] URL...\n",
			id < 0 ? err_msg() : "URL?");
		return 2;
	}

	struct http_client *c;
	if (http_client_new(&c, &ho) < 0) {
		fprintf(stderr, "httpget: %s\n", err_msg());
		return 3;
	}
	for (long k = 0; k < repeat && rc != 3; k++)
		for (int i = 0; i < st.npos && rc != 3; i++) {
			struct http_req r = {
				.method = post ? "POST" : "GET", .url = pos[i],
				.hdrs = hdrs, .nhdrs = nh,
				.body = post, .body_len = post ? strlen(post) : 0,
			};
			struct http_resp resp;
			struct out o = { 0 };
			if (out) {
				if (open_tmp(&o, out) < 0) {
					rc = 3;
					break;
				}
				r.sink = to_file;
				r.sink_ctx = &o;
			}
			int e = http_do(c, &r, &resp);
			int ok2xx = e == 0 && resp.status / 100 == 2;
			if (o.f && fclose(o.f) != 0)
				e = -1;
			if (e < 0) {
				fprintf(stderr, "httpget: %s\n", err_msg());
				rc = 3;
			} else {
				if (verbose)
					fprintf(stderr, "httpget: %d %s (%zu bytes)\n", resp.status,
						resp.final_url, resp.body_bytes);
				if (!ok2xx)
					rc = rc ? rc : 1;
				else if (out && rename(o.tmp, out) != 0)
					rc = 3;
				else if (!out)
					fwrite(resp.body.p ? resp.body.p : "", 1, resp.body.len, stdout);
			}
			/* Never leave a partial file behind, under any name. */
			if (out && (e < 0 || !ok2xx))
				unlink(o.tmp);
			if (e == 0)
				http_resp_free(&resp);
		}
	if (verbose) {
		struct http_stats s;
		http_client_stats(c, &s);
		fprintf(stderr, "httpget: handshakes=%lu requests=%lu reused=%lu\n",
			s.handshakes, s.requests, s.reused);
	}
	http_client_free(c);
	for (size_t i = 0; i < nh; i++)
		free(hbuf[i]);
	free(pos);
	return rc;
}
