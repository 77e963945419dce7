/*
 * Clocks and timestamps. Calendar arithmetic is done here on int64 Unix
 * seconds (proleptic Gregorian, UTC) rather than with gmtime/timegm, so
 * results do not depend on the host's TZ, its tz database or the width of
 * its time_t — the host may be anything a responder boots.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/core.h"

int64_t tm_now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec;
}

int64_t tm_now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int64_t tm_mono_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Days since 1970-01-01 of a civil date, and back: H. Hinnant,
 * "chrono-Compatible Low-Level Date Algorithms" (days_from_civil,
 * civil_from_days), exact for every int64 day in range. */
int64_t tm_days_from_civil(int64_t y, int m, int d)
{
	y -= m <= 2;
	int64_t era = (y >= 0 ? y : y - 399) / 400;
	int64_t yoe = y - era * 400;
	int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

static void civil_from_days(int64_t z, int64_t *y, int *m, int *d)
{
	z += 719468;
	int64_t era = (z >= 0 ? z : z - 146096) / 146097;
	int64_t doe = z - era * 146097;
	int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	int64_t mp = (5 * doy + 2) / 153;
	*d = (int)(doy - (153 * mp + 2) / 5 + 1);
	*m = (int)(mp < 10 ? mp + 3 : mp - 9);
	*y = yoe + era * 400 + (*m <= 2);
}

static int days_in_month(int64_t y, int m)
{
	static const int dm[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
	return m == 2 ? 28 + leap : dm[m - 1];
}

void tm_utc_iso(int64_t unix_s, char *out, size_t outsz)
{
	int64_t days = unix_s / 86400, secs = unix_s % 86400, y;
	int m, d;
	if (secs < 0) {
		secs += 86400;
		days--;
	}
	civil_from_days(days, &y, &m, &d);
	if (!outsz)
		return;
	if (y < 0 || y > 9999) {
		/* RFC 3339 years have four digits; say so rather than lie. */
		strncpy(out, "0000-00-00T00:00:00Z", outsz - 1);
		out[outsz - 1] = 0;
		return;
	}
	char tmp[24];
	int h = (int)(secs / 3600), mi = (int)(secs / 60 % 60), s = (int)(secs % 60);
	tmp[0] = (char)('0' + y / 1000); tmp[1] = (char)('0' + y / 100 % 10);
	tmp[2] = (char)('0' + y / 10 % 10); tmp[3] = (char)('0' + y % 10);
	tmp[4] = '-'; tmp[5] = (char)('0' + m / 10); tmp[6] = (char)('0' + m % 10);
	tmp[7] = '-'; tmp[8] = (char)('0' + d / 10); tmp[9] = (char)('0' + d % 10);
	tmp[10] = 'T'; tmp[11] = (char)('0' + h / 10); tmp[12] = (char)('0' + h % 10);
	tmp[13] = ':'; tmp[14] = (char)('0' + mi / 10); tmp[15] = (char)('0' + mi % 10);
	tmp[16] = ':'; tmp[17] = (char)('0' + s / 10); tmp[18] = (char)('0' + s % 10);
	tmp[19] = 'Z'; tmp[20] = 0;
	size_t n = outsz - 1 < 20 ? outsz - 1 : 20;
	memcpy(out, tmp, n);
	out[n] = 0;
}

void tm_utc_short(int64_t unix_s, char *out, size_t outsz)
{
	char iso[24];
	tm_utc_iso(unix_s, iso, sizeof iso);
	/* "2026-03-01T10:00:00Z" -> "2026-03-01 10:00 UTC" */
	snprintf(out, outsz, "%.10s %.5s UTC", iso, iso + 11);
}

/* Reads exactly n digits at *p; -1 if any is not a digit. */
static int digits(const char **p, int n)
{
	int v = 0;
	for (int i = 0; i < n; i++) {
		char c = (*p)[i];
		if (c < '0' || c > '9')
			return -1;
		v = v * 10 + (c - '0');
	}
	*p += n;
	return v;
}

/* RFC 3339 §5.6 date-time, plus what a person types on a terminal:
 * "2026-11-22 09:40", seconds optional, a space before the offset, and
 * ±HHMM. The offset is bounded to ±14:00, the widest in use (UTC+14,
 * Line Islands); "-00:00" (RFC 3339 §4.3, offset unknown) reads as 0.
 * Leap seconds (:60) are refused: Unix time cannot hold them and no API
 * reflexe reads emits them. Without an offset, *unix_s is computed as if
 * the time were UTC and *has_offset is 0: the caller decides. */
int tm_parse_iso(const char *s, int64_t *unix_s, int *offset_min, int *has_offset)
{
	const char *p = s;
	int y, mo, d, h, mi, se = 0, off = 0, has = 0;

	if (!s)
		return err_set(E_TIME_BAD, "");
	if ((y = digits(&p, 4)) < 0 || *p++ != '-' || (mo = digits(&p, 2)) < 0 ||
	    *p++ != '-' || (d = digits(&p, 2)) < 0)
		goto bad;
	if (mo < 1 || mo > 12 || d < 1 || d > days_in_month(y, mo))
		goto bad;
	if (*p != 'T' && *p != 't' && *p != ' ')
		goto bad;
	p++;
	if ((h = digits(&p, 2)) < 0 || *p++ != ':' || (mi = digits(&p, 2)) < 0)
		goto bad;
	if (*p == ':') {
		p++;
		if ((se = digits(&p, 2)) < 0)
			goto bad;
		if (*p == '.' || *p == ',') {
			p++;
			if (*p < '0' || *p > '9')
				goto bad;
			/* Graph sends 7 fractional digits; keep none (floor). */
			for (int n = 0; *p >= '0' && *p <= '9'; p++)
				if (++n > 12)
					goto bad;
		}
	}
	if (h > 23 || mi > 59 || se > 59)
		goto bad;
	if (*p == ' ' && (p[1] == '+' || p[1] == '-' || p[1] == 'Z' || p[1] == 'z'))
		p++;
	if (*p == 'Z' || *p == 'z') {
		p++;
		has = 1;
	} else if (*p == '+' || *p == '-') {
		int sign = *p++ == '-' ? -1 : 1, oh, om;
		if ((oh = digits(&p, 2)) < 0)
			goto bad;
		if (*p == ':')
			p++;
		if ((om = digits(&p, 2)) < 0 || om > 59 || oh * 60 + om > 14 * 60)
			goto bad;
		off = sign * (oh * 60 + om);
		has = 1;
	}
	if (*p)
		goto bad;
	int64_t t = tm_days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60 + se;
	*unix_s = t - (int64_t)off * 60;
	if (offset_min)
		*offset_min = off;
	if (has_offset)
		*has_offset = has;
	return 0;
bad:
	return err_set(E_TIME_BAD, s);
}

static int month_of(const char *p)
{
	static const char names[] = "JanFebMarAprMayJunJulAugSepOctNovDec";
	for (int i = 0; i < 12; i++)
		if (!strncmp(p, names + 3 * i, 3))
			return i + 1;
	return -1;
}

static int wkday_ok(const char *p, size_t n)
{
	static const char *const longn[] = { "Monday", "Tuesday", "Wednesday",
		"Thursday", "Friday", "Saturday", "Sunday" };
	static const char shortn[] = "MonTueWedThuFriSatSun";
	for (int i = 0; i < 7; i++)
		if ((n == 3 && !strncmp(p, shortn + 3 * i, 3)) ||
		    (n == strlen(longn[i]) && !strncmp(p, longn[i], n)))
			return 1;
	return 0;
}

/* RFC 9110 §5.6.7: IMF-fixdate ("Sun, 06 Nov 1994 08:49:37 GMT"), and
 * the two obsolete forms a recipient must still accept: rfc850-date
 * ("Sunday, 06-Nov-94 08:49:37 GMT") and asctime ("Sun Nov  6 08:49:37
 * 1994"). Two-digit years: §5.6.7 says more than 50 years ahead means the
 * previous century; we read 70..99 as 19xx, 00..69 as 20xx. */
int tm_parse_http(const char *s, int64_t *unix_s)
{
	const char *p = s, *comma;
	int y, mo, d, h, mi, se;

	if (!s)
		return err_set(E_TIME_HTTP, "");
	comma = strchr(s, ',');
	if (comma) {
		if (!wkday_ok(s, (size_t)(comma - s)) || comma[1] != ' ')
			goto bad;
		p = comma + 2;
		if ((d = digits(&p, 2)) < 0)
			goto bad;
		if (*p == ' ') {            /* IMF-fixdate */
			p++;
			if ((mo = month_of(p)) < 0 || p[3] != ' ')
				goto bad;
			p += 4;
			if ((y = digits(&p, 4)) < 0)
				goto bad;
		} else if (*p == '-') {     /* rfc850-date */
			p++;
			if ((mo = month_of(p)) < 0 || p[3] != '-')
				goto bad;
			p += 4;
			if ((y = digits(&p, 2)) < 0)
				goto bad;
			y += y < 70 ? 2000 : 1900;
		} else
			goto bad;
		if (*p++ != ' ' || (h = digits(&p, 2)) < 0 || *p++ != ':' ||
		    (mi = digits(&p, 2)) < 0 || *p++ != ':' || (se = digits(&p, 2)) < 0 ||
		    strcmp(p, " GMT") != 0)
			goto bad;
	} else {                            /* asctime-date */
		if (!wkday_ok(s, 3) || s[3] != ' ')
			goto bad;
		p = s + 4;
		if ((mo = month_of(p)) < 0 || p[3] != ' ')
			goto bad;
		p += 4;
		if (*p == ' ') {
			p++;
			if ((d = digits(&p, 1)) < 0)
				goto bad;
		} else if ((d = digits(&p, 2)) < 0)
			goto bad;
		if (*p++ != ' ' || (h = digits(&p, 2)) < 0 || *p++ != ':' ||
		    (mi = digits(&p, 2)) < 0 || *p++ != ':' || (se = digits(&p, 2)) < 0 ||
		    *p++ != ' ' || (y = digits(&p, 4)) < 0 || *p)
			goto bad;
	}
	if (d < 1 || d > days_in_month(y, mo) || h > 23 || mi > 59 || se > 60)
		goto bad;
	if (se == 60)
		se = 59;    /* a leap second in a Date header: clamp, harmless */
	*unix_s = tm_days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60 + se;
	return 0;
bad:
	return err_set(E_TIME_HTTP, s);
}

/* ---- local time and the --since window ------------------------------------------ */

int tm_local_offset(int64_t t)
{
	time_t tt = (time_t)t;
	struct tm tm;
	if (!localtime_r(&tt, &tm))
		return 0;
	long off = tm.tm_gmtoff / 60;
	/* tm_gmtoff comes from the host's TZ: keep it to what a real zone
	 * can be (UTC-12 to UTC+14). */
	if (off < -14 * 60 || off > 14 * 60)
		return 0;
	return (int)off;
}

int tm_parse_local(const char *s, int64_t *t, int *offset_min)
{
	int off = 0, has = 0;
	if (tm_parse_iso(s, t, &off, &has) < 0)
		return -1;
	if (!has) {
		/* Local wall-clock time: find the offset in force then. Two
		 * rounds settle the DST edges (the guess is at most 1 h off). */
		int64_t wall = *t;
		off = tm_local_offset(wall);
		off = tm_local_offset(wall - (int64_t)off * 60);
		*t = wall - (int64_t)off * 60;
	}
	if (offset_min)
		*offset_min = off;
	return 0;
}

/* One grammar for every applet: a count of days ("d", or the French "j"),
 * hours or minutes, from 1 minute up to 100 years; or a date, local time
 * unless it carries its offset (what a responder types is the time on
 * the wall). */
int tm_parse_since(const char *s, struct tm_window *w)
{
	w->abs = w->dur = 0;
	if (!s)
		return 0;
	if (*s >= '0' && *s <= '9') {
		char *end;
		errno = 0;
		long long v = strtoll(s, &end, 10);
		int unit = end[0] == 'd' || end[0] == 'j' ? 86400 : end[0] == 'h' ? 3600 :
			   end[0] == 'm' ? 60 : 0;
		if (unit && !end[1] && !errno && v > 0 && v <= 100LL * 366 * 86400 / unit) {
			w->dur = v * unit;
			return 0;
		}
	}
	if (tm_parse_local(s, &w->abs, NULL) == 0 && w->abs > 0)
		return 0;
	w->abs = 0;
	return err_set(E_SINCE, s);
}

int64_t tm_window_start(const struct tm_window *w, int64_t now, int64_t dflt)
{
	if (w && w->abs)
		return w->abs;
	if (w && w->dur)
		return now - w->dur;
	return now - dflt;
}
