/*
 * Test tool for tests/it/login*.sh: takes tokens from auth_token_source
 * as an applet does, and prints what each is for — never the token.
 *   authsource graph|exo|threads ...
 * "threads": 8 threads take the Graph token 3 times each at once.
 * Settings from the environment, as applets read them.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ms/ms.h"

static struct ms_token_source ts;
static int failures;
static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;

static int show(const char *what, enum ms_audience aud)
{
	struct buf b = { 0 };
	struct auth_who w;
	if (ts.get(ts.ctx, aud, &b) < 0 || auth_who(b.p, &w) < 0) {
		fprintf(stderr, "authsource: %s: %s\n", what, err_msg());
		buf_wipe(&b);
		return -1;
	}
	printf("%s aud=%s tid=%s who=%s exp_in=%lld\n", what, w.aud, w.tid, w.upn[0] ? w.upn : w.appid,
	       (long long)(w.exp - tm_now()));
	buf_wipe(&b);
	return 0;
}

static void *worker(void *arg)
{
	(void)arg;
	for (int i = 0; i < 3; i++) {
		struct buf b = { 0 };
		int r = ts.get(ts.ctx, MS_AUD_GRAPH, &b);
		buf_wipe(&b);
		if (r < 0) {
			pthread_mutex_lock(&mu);
			failures++;
			fprintf(stderr, "authsource: thread: %s\n", err_msg());
			pthread_mutex_unlock(&mu);
		}
	}
	return NULL;
}

int main(int argc, char **argv)
{
	struct auth_cfg a;
	int rc = 0;

	i18n_init(NULL);
	if (auth_cfg_init(&a, getenv("T_CLOUD"), NULL, NULL, NULL) < 0) {
		fprintf(stderr, "authsource: %s\n", err_msg());
		return 2;
	}
	if (auth_token_source(&ts, &a) < 0) {
		fprintf(stderr, "authsource: %s\n", err_msg());
		return 3;
	}
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "threads")) {
			pthread_t t[8];
			for (int k = 0; k < 8; k++)
				pthread_create(&t[k], NULL, worker, NULL);
			for (int k = 0; k < 8; k++)
				pthread_join(t[k], NULL);
			printf("threads failures=%d\n", failures);
			rc |= failures != 0;
		} else if (show(argv[i], !strcmp(argv[i], "exo") ? MS_AUD_EXO : MS_AUD_GRAPH) < 0) {
			rc = 3;
		}
	}
	auth_token_source_free(&ts);
	auth_cfg_free(&a);
	return rc;
}
