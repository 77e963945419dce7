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
 *   --allow-post    a policy that lets POST through too (to test POST
 *                   framing, redirects and retries; verification is not
 *                   a policy matter and stays as it is)
 *   --idempotent    mark the request idempotent (a POST may be resent once
 *                   on a dead kept-alive connection)
 *   --deny-host H   the policy also refuses any request to host H (to
 *                   test that redirects go through the policy)
 *   --proxy URL, --idle-ms N, --connect-ms N, --handshake-ms N,
 *   --total-ms N, --max-body N, --lang fr|en
 *   --threads N     N threads, each with its own client, each fetching
 *                   the whole list (bodies dropped; no -o)
 *   -v              status, counters and peak RSS on stderr
 * Exit: 0 every response 2xx, 1 a response was not 2xx, 3 error (one
 * line on stderr), 2 usage.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "net/net.h"

enum { O_OUT = 1, O_REPEAT, O_HDR, O_POST, O_PROXY, O_IDLE, O_CONNECT, O_HS, O_TOTAL,
       O_MAXBODY, O_LANG, O_VERBOSE, O_DENY, O_THREADS, O_ALLOW_POST, O_IDEMPOTENT };

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
	{ "threads", 0, OPT_ARG, O_THREADS },
	{ "allow-post", 0, OPT_NOARG, O_ALLOW_POST },
	{ "idempotent", 0, OPT_NOARG, O_IDEMPOTENT },
	{ NULL, 0, 0, 0 },
};

#define MAX_HDRS 16

/* GET only (or GET and POST with --allow-post), and never to the denied
 * host. */
static int allow_post;

static int policy(void *ctx, const char *method, const struct url *u,
		  const void *body, size_t body_len)
{
	const char *deny = ctx;
	if (!(allow_post && !strcmp(method, "POST")) &&
	    http_policy_get_only(NULL, method, u, body, body_len) < 0)
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

/* What one thread does: its own client, the URL list `repeat` times. */
struct job {
	const struct http_opts *ho;
	char **urls;
	int nurls;
	long repeat;
	const struct http_hdr *hdrs;
	size_t nh;
	const char *out, *post;
	int verbose, quiet, idempotent;
	struct http_stats st;
	int rc;
};

static void fetch_one(struct job *j, struct http_client *c, const char *url)
{
	struct http_req r = {
		.method = j->post ? "POST" : "GET", .url = url,
		.hdrs = j->hdrs, .nhdrs = j->nh,
		.body = j->post, .body_len = j->post ? strlen(j->post) : 0,
		.idempotent = j->idempotent,
	};
	struct http_resp resp;
	struct out o = { 0 };
	if (j->out) {
		if (open_tmp(&o, j->out) < 0) {
			j->rc = 3;
			return;
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
		j->rc = 3;
	} else {
		if (j->verbose && !j->quiet)
			fprintf(stderr, "httpget: %d %s (%zu bytes)\n", resp.status,
				resp.final_url, resp.body_bytes);
		if (!ok2xx)
			j->rc = j->rc ? j->rc : 1;
		else if (j->out && rename(o.tmp, j->out) != 0)
			j->rc = 3;
		else if (!j->out && !j->quiet)
			fwrite(resp.body.p ? resp.body.p : "", 1, resp.body.len, stdout);
	}
	/* Never leave a partial file behind, under any name. */
	if (j->out && (e < 0 || !ok2xx))
		unlink(o.tmp);
	if (e == 0)
		http_resp_free(&resp);
}

static void *run(void *arg)
{
	struct job *j = arg;
	struct http_client *c;
	if (http_client_new(&c, j->ho) < 0) {
		fprintf(stderr, "httpget: %s\n", err_msg());
		j->rc = 3;
		return NULL;
	}
	for (long k = 0; k < j->repeat && j->rc != 3; k++)
		for (int i = 0; i < j->nurls && j->rc != 3; i++)
			fetch_one(j, c, j->urls[i]);
	http_client_stats(c, &j->st);
	http_client_free(c);
	return NULL;
}

#define MAX_THREADS 32

/* Peak resident memory (VmHWM, kB) from /proc: what the streaming tests
 * check, with no need for GNU time. -1 when unknown. */
static long peak_rss_kb(void)
{
	FILE *f = fopen("/proc/self/status", "r");
	char line[256];
	long kb = -1;
	while (f && fgets(line, sizeof line, f))
		if (sscanf(line, "VmHWM: %ld kB", &kb) == 1)
			break;
	if (f)
		fclose(f);
	return kb;
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
	struct job j = { .ho = &ho, .repeat = 1 };
	struct job jobs[MAX_THREADS];
	pthread_t tid[MAX_THREADS];
	long threads = 1;
	int id, rc = 0;

	i18n_init(NULL);
	opt_init(&st, argc, argv, pos);
	while ((id = opt_next(&st, tables)) > 0) {
		const char *a = st.arg;
		switch (id) {
		case O_OUT: j.out = a; break;
		case O_REPEAT: j.repeat = atol(a); break;
		case O_HDR: {
			const char *colon = strchr(a, ':');
			if (!colon || nh == MAX_HDRS) {
				fprintf(stderr, "httpget: bad header %s\n", a);
				rc = 2;
				goto out;
			}
			hbuf[nh] = strdup(a);
			hbuf[nh][colon - a] = 0;
			hdrs[nh].name = hbuf[nh];
			hdrs[nh].value = hbuf[nh] + (colon - a) + 1 + strspn(colon + 1, " ");
			nh++;
			break;
		}
		case O_POST: j.post = a; break;
		case O_PROXY: ho.proxy = a; break;
		case O_IDLE: ho.idle_ms = atoi(a); break;
		case O_CONNECT: ho.connect_ms = atoi(a); break;
		case O_HS: ho.handshake_ms = atoi(a); break;
		case O_TOTAL: ho.total_ms = atoi(a); break;
		case O_MAXBODY: ho.max_body = (size_t)atoll(a); break;
		case O_LANG:
			if (i18n_init(a) < 0) {
				fprintf(stderr, "httpget: %s\n", err_msg());
				rc = 2;
				goto out;
			}
			break;
		case O_VERBOSE: j.verbose = 1; break;
		case O_DENY: ho.policy_ctx = (void *)a; break;
		case O_THREADS: threads = atol(a); break;
		case O_ALLOW_POST: allow_post = 1; break;
		case O_IDEMPOTENT: j.idempotent = 1; break;
		}
	}
	if (id < 0 || st.npos == 0 || j.repeat < 1 || threads < 1 || threads > MAX_THREADS ||
	    (threads > 1 && j.out)) {
		fprintf(stderr, "httpget: %s\nusage: httpget [-o FILE] [--repeat N] [--threads N] [-v] URL...\n",
			id < 0 ? err_msg() : "URL?");
		rc = 2;
		goto out;
	}
	j.urls = pos;
	j.nurls = st.npos;
	j.hdrs = hdrs;
	j.nh = nh;
	j.quiet = threads > 1;
	for (long t = 0; t < threads; t++) {
		jobs[t] = j;
		if (threads == 1)
			run(&jobs[t]);
		else if (pthread_create(&tid[t], NULL, run, &jobs[t]) != 0) {
			fprintf(stderr, "httpget: cannot start a thread\n");
			threads = t;
			rc = 3;
		}
	}
	struct http_stats sum = { 0 };
	for (long t = 0; t < threads; t++) {
		if (j.quiet)
			pthread_join(tid[t], NULL);
		sum.handshakes += jobs[t].st.handshakes;
		sum.requests += jobs[t].st.requests;
		sum.reused += jobs[t].st.reused;
		if (jobs[t].rc > rc)
			rc = jobs[t].rc;
	}
	if (j.verbose) {
		fprintf(stderr, "httpget: handshakes=%lu requests=%lu reused=%lu\n",
			sum.handshakes, sum.requests, sum.reused);
		fprintf(stderr, "httpget: peak RSS %ld kB\n", peak_rss_kb());
	}
out:
	for (size_t i = 0; i < nh; i++)
		free(hbuf[i]);
	free(pos);
	return rc;
}
