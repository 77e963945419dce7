/*
 * graph_bench — figures for bench/graph.sh (issue 3 §8), through the same
 * ms/ clients the applets use, against the fake Graph:
 *
 *   graph_bench --case DIR list            every user, $top=999
 *   graph_bench --case DIR batch [P]       one per-user resource for every
 *                                          user via $batch, P connections (4)
 *   graph_bench --case DIR seq [N]         the same, one plain GET per user,
 *                                          sequentially, for the first N users
 *
 * Token: REFLEXE_TEST_TOKEN; endpoints: REFLEXE_GRAPH_URL etc. Prints one
 * line of key=value figures; the user list itself is fetched first (not
 * timed) for batch and seq. Peak RSS is the process's (getrusage).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

#include "case/case.h"
#include "ms/ms.h"

#define PER_USER "/users/%s/authentication/methods"

static int fixed_token(void *ctx, enum ms_audience aud, struct buf *out)
{
	(void)ctx;
	(void)aud;
	const char *t = getenv("REFLEXE_TEST_TOKEN");
	buf_reset(out);
	return t ? buf_puts(out, t) : err_set(E_MS_OPTS, "bench", "REFLEXE_TEST_TOKEN");
}

struct ids { char **v; size_t n, cap; };

static int collect(void *ctx, const struct json *j, int it, const char *ev)
{
	struct ids *ids = ctx;
	char id[64];
	(void)ev;
	if (json_str(j, it, "id", id, sizeof id) != 0)
		return 0;
	if (ids->n == ids->cap) {
		ids->cap = ids->cap ? ids->cap * 2 : 1024;
		ids->v = realloc(ids->v, ids->cap * sizeof *ids->v);
		if (!ids->v)
			return err_set(E_NOMEM);
	}
	ids->v[ids->n++] = xstrdup(id);
	return 0;
}

static long peak_kb(void)
{
	struct rusage ru;
	getrusage(RUSAGE_SELF, &ru);
	return ru.ru_maxrss;
}

int main(int argc, char **argv)
{
	struct ms_cloud cloud;
	struct case_dir *cs;
	struct ms_svc *g;
	struct ms_result r;
	struct ms_svc_stats s0, s1;
	struct ids ids = { 0 };

	if (argc < 4 || strcmp(argv[1], "--case")) {
		fprintf(stderr, "usage: graph_bench --case DIR list|batch [P]|seq [N]\n");
		return 2;
	}
	const char *mode = argv[3];
	long arg = argc > 4 ? atol(argv[4]) : 0;
	i18n_init("en");
	struct ms_opts o = { .cloud = &cloud, .tok = { fixed_token, NULL }, .quiet = 1,
			     .parallel = !strcmp(mode, "batch") ? (arg > 0 ? (int)arg : 4) : 1 };
	if (ms_cloud_init(&cloud, NULL) < 0 || case_open(&cs, argv[2], NULL, "bench", 0) < 0)
		goto fail;
	o.cs = cs;
	if (graph_open(&g, &o) < 0)
		goto fail;

	struct graph_query lq = { .path = "/v1.0/users", .top = 999 };
	if (strcmp(mode, "list")) {
		lq.select = "id";
		lq.save_as = "graph/v1.0/users@ids";
	}
	ms_svc_stats(g, &s0);
	int64_t t0 = tm_mono_ms();
	if (graph_list(g, &lq, collect, &ids, &r) < 0 || r.st != MS_OK)
		goto fail;
	int64_t t1 = tm_mono_ms();
	ms_svc_stats(g, &s1);
	if (!strcmp(mode, "list")) {
		printf("list users=%zu pages=%u requests=%lu wall_ms=%lld peak_rss_kb=%ld\n", ids.n, r.pages,
		       s1.requests - s0.requests, (long long)(t1 - t0), peak_kb());
		goto done;
	}

	size_t n = ids.n;
	if (!strcmp(mode, "seq") && arg > 0 && (size_t)arg < n)
		n = (size_t)arg;
	char (*urls)[128] = calloc(n, sizeof *urls);
	if (!urls)
		goto fail;
	for (size_t i = 0; i < n; i++)
		snprintf(urls[i], sizeof urls[i], PER_USER, ids.v[i]);
	unsigned long bad = 0;
	ms_svc_stats(g, &s0);
	t0 = tm_mono_ms();
	if (!strcmp(mode, "batch")) {
		/* Slices of 2,000: the caller's array of results is the
		 * memory a batch run takes, whatever the tenant's size. */
		enum { SLICE = 2000 };
		struct graph_sub *subs = calloc(SLICE, sizeof *subs);
		for (size_t at = 0; subs && at < n; at += SLICE) {
			size_t k = n - at < SLICE ? n - at : SLICE;
			memset(subs, 0, k * sizeof *subs);
			for (size_t i = 0; i < k; i++)
				subs[i].url = urls[at + i];
			if (graph_batch(g, "v1.0", subs, k, NULL, NULL) < 0)
				goto fail;
			for (size_t i = 0; i < k; i++)
				bad += subs[i].res.st != MS_OK;
		}
		free(subs);
	} else {
		for (size_t i = 0; i < n; i++) {
			char path[160];
			snprintf(path, sizeof path, "/v1.0%s", urls[i]);
			struct graph_query q = { .path = path };
			if (graph_list(g, &q, NULL, NULL, &r) < 0 || r.st != MS_OK)
				bad++;
		}
	}
	t1 = tm_mono_ms();
	ms_svc_stats(g, &s1);
	printf("%s users=%zu connections=%d requests=%lu subrequests=%lu throttled=%lu retries=%lu "
	       "failed=%lu wall_ms=%lld peak_rss_kb=%ld\n", mode, n, o.parallel, s1.requests - s0.requests,
	       s1.subrequests - s0.subrequests, s1.throttled - s0.throttled, s1.retries - s0.retries, bad,
	       (long long)(t1 - t0), peak_kb());
done:
	ms_svc_close(g);
	case_close(cs);
	return 0;
fail:
	fprintf(stderr, "graph_bench: %s\n", err_msg()[0] ? err_msg() : r.detail);
	return 3;
}
