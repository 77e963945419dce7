/* Timestamps: ISO 8601 / RFC 3339 parsing (strict), formatting, HTTP dates. */
#include "core/core.h"
#include "t.h"

static void iso_ok(void)
{
	static const struct { const char *s; int64_t t; int off, has; } ok[] = {
		{ "1970-01-01T00:00:00Z", 0, 0, 1 },
		{ "2026-11-22T09:40:00Z", 1795340400, 0, 1 },
		{ "2026-11-22T09:40:00.1234567Z", 1795340400, 0, 1 },
		{ "2026-11-22t09:40:00z", 1795340400, 0, 1 },
		{ "2026-11-22T10:40:00+01:00", 1795340400, 60, 1 },
		{ "2026-11-22 10:40 +01:00", 1795340400, 60, 1 },
		{ "2026-11-22 10:40+0100", 1795340400, 60, 1 },
		{ "2026-11-22 09:40", 1795340400, 0, 0 },
		{ "2026-11-21T19:40:00-14:00", 1795340400, -840, 1 },
		{ "2026-11-22T23:40:00+14:00", 1795340400, 840, 1 },
		{ "2026-11-22T09:40:00-00:00", 1795340400, 0, 1 },
		{ "2024-02-29T00:00:00Z", 1709164800, 0, 1 },
		{ "2000-02-29T12:00:00Z", 951825600, 0, 1 },
		{ "1969-12-31T23:59:59Z", -1, 0, 1 },
		{ "9999-12-31T23:59:59Z", 253402300799LL, 0, 1 },
	};
	for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++) {
		int64_t t = 7;
		int off = 99, has = 9;
		int r = tm_parse_iso(ok[i].s, &t, &off, &has);
		if (r != 0 || t != ok[i].t || off != ok[i].off || has != ok[i].has) {
			printf("  %s -> r=%d t=%lld off=%d has=%d\n", ok[i].s, r, (long long)t, off, has);
			t_failed_now = 1;
		}
	}
}

static void iso_bad(void)
{
	static const char *const bad[] = {
		"", "2026", "2026-11-22", "2026-11-22T", "2026-02-30T00:00:00Z",
		"2025-02-29T00:00:00Z", "1900-02-29T00:00:00Z", "2026-13-01T00:00:00Z",
		"2026-00-10T00:00:00Z", "2026-04-31T00:00:00Z", "2026-11-00T00:00:00Z",
		"2026-11-22T24:00:00Z", "2026-11-22T23:60:00Z", "2026-11-22T23:59:60Z",
		"2026-11-22T09:40:00+14:01", "2026-11-22T09:40:00-15:00", "2026-11-22T09:40:00+01:60",
		"2026-11-22T09:40:00+1", "2026-11-22T09:40:00Zjunk", "2026-11-22T09:40:00.Z",
		"2026-11-22T9:40:00Z", "26-11-22T09:40:00Z", "2026/11/22 09:40",
		"2026-11-22T09:40:00 ", "2026-11-22T09:40:00.1234567890123Z", " 2026-11-22T09:40Z",
		"2026-11-22X09:40Z", "２０２６-11-22T09:40Z",
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		int64_t t;
		int off, has;
		err_clear();
		if (tm_parse_iso(bad[i], &t, &off, &has) != -1 || err_id() != E_TIME_BAD) {
			printf("  accepted: '%s'\n", bad[i]);
			t_failed_now = 1;
		}
	}
	int64_t t;
	CHECK_INT(tm_parse_iso(NULL, &t, NULL, NULL), -1);
}

static void iso_format(void)
{
	char out[32];
	tm_utc_iso(1795340400, out, sizeof out);
	CHECK_STR(out, "2026-11-22T09:40:00Z");
	tm_utc_iso(-1, out, sizeof out);
	CHECK_STR(out, "1969-12-31T23:59:59Z");
	tm_utc_iso(951782400, out, sizeof out);
	CHECK_STR(out, "2000-02-29T00:00:00Z");
	tm_utc_iso(0, out, 11);
	CHECK_STR(out, "1970-01-01");
	/* format then parse gives the same instant, across many days */
	for (int64_t t = -86400LL * 800; t < 86400LL * 365 * 200; t += 86400 * 37 + 3671) {
		int64_t back;
		int off, has;
		tm_utc_iso(t, out, sizeof out);
		if (tm_parse_iso(out, &back, &off, &has) != 0 || back != t) {
			printf("  round trip %lld -> %s\n", (long long)t, out);
			t_failed_now = 1;
			break;
		}
	}
}

/* "2026-11-22 09:40 UTC": for people, seconds dropped, never rounded */
static void short_format(void)
{
	char out[32];
	tm_utc_short(1795340400, out, sizeof out);
	CHECK_STR(out, "2026-11-22 09:40 UTC");
	tm_utc_short(1795340459, out, sizeof out);
	CHECK_STR(out, "2026-11-22 09:40 UTC");
	tm_utc_short(-1, out, sizeof out);
	CHECK_STR(out, "1969-12-31 23:59 UTC");
	tm_utc_short(1795340400, out, 11);
	CHECK_STR(out, "2026-11-22");
}

static void http_dates(void)
{
	int64_t t;
	/* RFC 9110 §5.6.7's own example, in its three forms */
	CHECK_INT(tm_parse_http("Sun, 06 Nov 1994 08:49:37 GMT", &t), 0);
	CHECK_INT(t, 784111777);
	CHECK_INT(tm_parse_http("Sunday, 06-Nov-94 08:49:37 GMT", &t), 0);
	CHECK_INT(t, 784111777);
	CHECK_INT(tm_parse_http("Sun Nov  6 08:49:37 1994", &t), 0);
	CHECK_INT(t, 784111777);
	const char *bad[] = { "Sun, 06 Nov 1994 08:49:37 UTC", "Sun, 31 Nov 1994 08:49:37 GMT",
			      "Sun, 06 Nov 1994 24:49:37 GMT", "Xyz, 06 Nov 1994 08:49:37 GMT",
			      "Sun, 06 Foo 1994 08:49:37 GMT", "Sun, 6 Nov 1994 08:49:37 GMT",
			      "", "Sun,", "Sun, 06 Nov 1994 08:49:37 GMT junk" };
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
		if (tm_parse_http(bad[i], &t) != -1) {
			printf("  accepted '%s'\n", bad[i]);
			t_failed_now = 1;
		}
}

static void clocks(void)
{
	int64_t a = tm_now(), ms = tm_now_ms(), m1 = tm_mono_ms(), m2 = tm_mono_ms();
	CHECK(a > 1700000000);                 /* after 2023: a sane host clock */
	CHECK(ms / 1000 - a <= 1 && ms / 1000 - a >= 0);
	CHECK(m2 >= m1);
}

int main(void)
{
	RUN(iso_ok);
	RUN(iso_bad);
	RUN(iso_format);
	RUN(short_format);
	RUN(http_dates);
	RUN(clocks);
	T_DONE();
}
