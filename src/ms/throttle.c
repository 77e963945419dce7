/*
 * Throttling: Retry-After, backoff, and the hold shared by a service.
 *
 * Microsoft Graph answers 429 (and sometimes 503) with Retry-After when
 * an application or tenant goes over its limits ("Microsoft Graph
 * throttling guidance", learn.microsoft.com/graph/throttling): the client
 * must wait that long, and every request sent meanwhile only extends the
 * penalty. So the wait is held per service and shared by all its worker
 * threads: no thread sends to Graph (or to Exchange, separately) before
 * the hold is over. Holds are capped in total, so a tenant that keeps
 * throttling ends the run with a clear error instead of hanging.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "ms/ms.h"

/* ---- Retry-After ----------------------------------------------------------- */

int ms_retry_after_ms(const char *v, const char *date_hdr, int64_t now_s, int64_t *ms)
{
	*ms = 0;
	if (!v)
		return -1;
	while (*v == ' ' || *v == '\t')
		v++;
	if (*v >= '0' && *v <= '9') {
		/* delay-seconds = 1*DIGIT (RFC 9110 §10.2.3); Graph also sends
		 * fractions ("1.5"): read them to the millisecond. */
		int64_t s = 0, frac = 0, scale = 1000;
		const char *p = v;
		for (; *p >= '0' && *p <= '9'; p++) {
			if (s > 100000000)
				return -1;
			s = s * 10 + (*p - '0');
		}
		if (*p == '.') {
			p++;
			if (!(*p >= '0' && *p <= '9'))
				return -1;
			for (; *p >= '0' && *p <= '9'; p++)
				if (scale > 1) {
					scale /= 10;
					frac += (*p - '0') * scale;
				}
		}
		while (*p == ' ' || *p == '\t')
			p++;
		if (*p)
			return -1;
		*ms = s * 1000 + frac;
		return 0;
	}
	/* HTTP-date: measured against the server's own Date when it sent
	 * one, so a host clock off by minutes does not matter. */
	int64_t at, ref = now_s, d;
	if (tm_parse_http(v, &at) < 0) {
		err_clear();
		return -1;
	}
	if (date_hdr && tm_parse_http(date_hdr, &d) == 0)
		ref = d;
	err_clear();
	*ms = at > ref ? (at - ref) * 1000 : 0;
	return 0;
}

int64_t ms_backoff_ms(unsigned attempt, uint32_t rnd)
{
	int64_t c = 500;
	for (unsigned i = 0; i < attempt && c < 32000; i++)
		c *= 2;
	if (c > 32000)
		c = 32000;
	return c / 2 + (int64_t)(rnd % (uint32_t)(c / 2 + 1));
}

int ms_throttle_delay(const char *ra, const char *date_hdr, unsigned failures, int64_t *ms)
{
	if (ra && ms_retry_after_ms(ra, date_hdr, tm_now(), ms) == 0 && *ms > 0) {
		if (*ms < MS_RA_MIN_MS)
			*ms = MS_RA_MIN_MS;
		return 1;
	}
	err_clear();
	*ms = ms_backoff_ms(failures, net_random32());
	return 0;
}

/* ---- the shared hold ------------------------------------------------------------- */

void ms_throttle_init(struct ms_throttle *t, int64_t max_wait_ms)
{
	memset(t, 0, sizeof *t);
	pthread_mutex_init(&t->mu, NULL);
	t->max_wait_ms = max_wait_ms;
}

void ms_throttle_free(struct ms_throttle *t)
{
	pthread_mutex_destroy(&t->mu);
}

int ms_throttle_hold(struct ms_throttle *t, int64_t ms, int64_t *added)
{
	int r = 0;
	int64_t now = tm_mono_ms(), until = now + (ms > 0 ? ms : 0), add = 0;

	pthread_mutex_lock(&t->mu);
	int64_t from = t->until_ms > now ? t->until_ms : now;
	if (until > from)
		add = until - from;
	if (t->waited_ms + add > t->max_wait_ms) {
		r = err_set(E_MS_THROTTLE_CAP, (double)ms / 1000.0,
			    (double)t->waited_ms / 1000.0, (int)(t->max_wait_ms / 1000));
	} else {
		t->waited_ms += add;
		if (until > t->until_ms)
			t->until_ms = until;
		t->holds++;
	}
	pthread_mutex_unlock(&t->mu);
	if (added)
		*added = r < 0 ? 0 : add;
	return r;
}

int ms_throttle_cap_error(struct ms_throttle *t, int64_t ms)
{
	pthread_mutex_lock(&t->mu);
	int64_t waited = t->waited_ms, max = t->max_wait_ms;
	pthread_mutex_unlock(&t->mu);
	return err_set(E_MS_THROTTLE_CAP, (double)ms / 1000.0, (double)waited / 1000.0,
		       (int)(max / 1000));
}

int ms_throttle_wait(struct ms_throttle *t)
{
	for (int slept = 0;; slept = 1) {
		pthread_mutex_lock(&t->mu);
		int64_t d = t->until_ms - tm_mono_ms();
		pthread_mutex_unlock(&t->mu);
		if (d <= 0)
			return slept;
		struct timespec ts = { (time_t)(d / 1000), (long)(d % 1000) * 1000000L };
		while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
			;
	}
}
