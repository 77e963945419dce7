/*
 * Dates as exports write them, and their time zone.
 *
 *   2023-07-23T06:46:28[.fffffff][Z|±hh:mm]   ISO 8601: AuditData, Graph,
 *                                             Log Analytics JSON, portal CSV
 *   9/20/2023 4:05:03 AM                      US, 12-hour: Purview CSV
 *                                             opened in an English Excel
 *   4/26/2021, 7:17:10.000 AM                 Log Analytics portal CSV
 *   20/09/2023 16:05:03                       French, 24-hour: the same
 *                                             files saved by a French Excel
 *   20.09.2023 16:05:03                       German-style dotted dates
 *   /Date(1690094788000)/                     Windows PowerShell 5's
 *                                             ConvertTo-Json (ms since 1970 UTC)
 *
 * Slash dates do not say which number is the day. A 12-hour clock with
 * AM/PM is the US convention (month first); a 24-hour one the French
 * (day first) — but a file proves its order as soon as one date has a
 * number above 12, and that wins. Until then an ambiguous date is read
 * day first and the line remembered: if a later date of the same file
 * proves the month comes first, the file is refused (naming both lines)
 * rather than half of it read wrong.
 *
 * A value without Z or offset is UTC only when the export says so: the
 * column ("TimeGenerated [UTC]", "Date (UTC)"), or the format's own
 * definition (AuditData CreationTime: "in Coordinated Universal Time",
 * Office 365 Management Activity API schema, Common schema). Otherwise
 * the zone must be given with --tz, and the import record and the
 * findings say so.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "export/export.h"

static int num(const char **p, int min, int max, int *out)
{
	const char *s = *p;
	int v = 0, n = 0;
	while (*s >= '0' && *s <= '9' && n < max)
		v = v * 10 + (*s++ - '0'), n++;
	if (n < min || (*s >= '0' && *s <= '9'))
		return -1;
	*p = s;
	*out = v;
	return 0;
}

static int leap(int y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int mdays(int y, int m)
{
	static const int dm[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	return m == 2 ? 28 + leap(y) : dm[m - 1];
}

/* "/Date(1690094788000)/" or "/Date(1690094788000+0200)/": the number
 * is UTC milliseconds whatever the suffix says (it is the local offset of
 * the machine that wrote it). */
static int ps_date(const char *s, int64_t *t)
{
	if (strncmp(s, "/Date(", 6))
		return 0;
	const char *p = s + 6;
	char *e;
	long long ms = strtoll(p, &e, 10);
	/* beyond years 1-9999 (and strtoll's saturation): not a date */
	if (e == p || ms < -62135596800000LL || ms > 253402300799000LL)
		return -1;
	if (*e == '+' || *e == '-') {
		e++;
		for (int i = 0; i < 4; i++, e++)
			if (*e < '0' || *e > '9')
				return -1;
	}
	if (strcmp(e, ")/"))
		return -1;
	*t = ms >= 0 ? ms / 1000 : -((-ms + 999) / 1000);
	return 1;
}

/* Trailing " UTC", " GMT", "Z" or " ±hh:mm" after a slash date. 1 when
 * a zone was found (*off set, minutes east), 0 none, -1 bad. */
static int tail_zone(const char *p, int *off)
{
	while (*p == ' ')
		p++;
	if (!*p)
		return 0;
	if (!strcasecmp(p, "UTC") || !strcasecmp(p, "GMT") || !strcasecmp(p, "Z")) {
		*off = 0;
		return 1;
	}
	if (*p == '+' || *p == '-') {
		int sign = *p++ == '-' ? -1 : 1, h, m = 0;
		if (num(&p, 2, 2, &h) < 0)
			return -1;
		if (*p == ':')
			p++;
		if (*p && num(&p, 2, 2, &m) < 0)
			return -1;
		if (*p || m > 59 || h * 60 + m > 14 * 60)
			return -1;
		*off = sign * (h * 60 + m);
		return 1;
	}
	return -1;
}

struct parts {
	int a, b, y;             /* the two small numbers and the year */
	int h, mi, s;
	int ampm;                /* 0 none, 1 AM, 2 PM */
	int has_zone, off;
	char sep;                /* '/' or '.' or '-' (ISO-ish y/m/d) */
	int ymd;                 /* the year came first */
};

static int split(const char *s, struct parts *x)
{
	const char *p = s;
	memset(x, 0, sizeof *x);
	int n1;
	if (num(&p, 1, 4, &n1) < 0)
		return -1;
	if (*p != '/' && *p != '.')
		return -1;
	x->sep = *p++;
	if (p - s == 5) {            /* 2023/09/20 */
		x->ymd = 1;
		x->y = n1;
		if (num(&p, 1, 2, &x->a) < 0 || *p++ != x->sep || num(&p, 1, 2, &x->b) < 0)
			return -1;
	} else {
		x->a = n1;
		if (n1 > 99 || num(&p, 1, 2, &x->b) < 0 || *p++ != x->sep || num(&p, 4, 4, &x->y) < 0)
			return -1;
	}
	if (*p == ',')
		p++;
	if (*p != ' ' && *p != 'T')
		return -1;
	while (*p == ' ' || *p == 'T')
		p++;
	if (num(&p, 1, 2, &x->h) < 0 || *p++ != ':' || num(&p, 2, 2, &x->mi) < 0)
		return -1;
	if (*p == ':') {
		p++;
		if (num(&p, 2, 2, &x->s) < 0)
			return -1;
		if (*p == '.' || *p == ',') {
			p++;
			int k = 0;
			while (*p >= '0' && *p <= '9')
				p++, k++;
			if (!k || k > 9)
				return -1;
		}
	}
	while (*p == ' ')
		p++;
	if (!strncasecmp(p, "AM", 2) || !strncasecmp(p, "PM", 2)) {
		x->ampm = (p[0] | 0x20) == 'a' ? 1 : 2;
		p += 2;
	}
	int z = tail_zone(p, &x->off);
	if (z < 0)
		return -1;
	x->has_zone = z;
	return 0;
}

static int bad(const char *s, const char *column, uint64_t line)
{
	return err_set(E_EXP_DATE, (unsigned long long)line, column, s);
}

int exp_when_parse(struct exp_when *w, const char *s, unsigned naive_basis, const char *column,
		   uint64_t line, int64_t *t)
{
	int64_t v;
	int off = 0, has = 0;
	if (!s || !*s)
		return bad("", column, line);
	int r = ps_date(s, &v);
	if (r < 0)
		return bad(s, column, line);
	if (r == 1) {
		if (v < -62135596800LL || v > 253402300799LL)
			return bad(s, column, line);
		w->basis |= EXP_TZ_OFFSET;
		*t = v;
		return 0;
	}
	if (s[0] >= '0' && s[0] <= '9' && s[1] >= '0' && s[2] >= '0' && s[3] >= '0' && s[4] == '-') {
		if (tm_parse_iso(s, &v, &off, &has) < 0) {
			err_clear();
			return bad(s, column, line);
		}
	} else {
		struct parts x;
		int d, m;
		if (split(s, &x) < 0)
			return bad(s, column, line);
		if (x.ymd || x.sep == '.') {
			d = x.ymd ? x.b : x.a;
			m = x.ymd ? x.a : x.b;
		} else if (x.ampm) {
			/* 12-hour clock: the US convention, month first */
			m = x.a;
			d = x.b;
		} else {
			char ev = x.a > 12 && x.b <= 12 ? 'd' : x.b > 12 && x.a <= 12 ? 'm' : 0;
			if (x.a > 12 && x.b > 12)
				return bad(s, column, line);
			if (ev && w->order && ev != w->order) {
				if (w->assumed)
					return err_set(E_EXP_DATE_ORDER, (unsigned long long)line, s,
						       (unsigned long long)w->assumed_line);
				return bad(s, column, line);
			}
			if (ev) {
				w->order = ev;
				w->assumed = 0;
			} else if (!w->order) {
				w->order = 'd';
				w->assumed = 1;
				w->assumed_line = line;
			}
			d = w->order == 'd' ? x.a : x.b;
			m = w->order == 'd' ? x.b : x.a;
		}
		if (x.ampm) {
			if (x.h < 1 || x.h > 12)
				return bad(s, column, line);
			x.h = x.h % 12 + (x.ampm == 2 ? 12 : 0);
		}
		if (m < 1 || m > 12 || d < 1 || d > mdays(x.y, m) || x.h > 23 || x.mi > 59 || x.s > 59)
			return bad(s, column, line);
		v = tm_days_from_civil(x.y, m, d) * 86400 + x.h * 3600 + x.mi * 60 + x.s - (int64_t)x.off * 60;
		has = x.has_zone;
	}
	/* years 1 to 9999, what ISO 8601 text (and the event line) can hold */
	if (v < -62135596800LL + 86400 || v > 253402300799LL - 86400)
		return bad(s, column, line);
	if (has) {
		w->basis |= EXP_TZ_OFFSET;
	} else if (naive_basis) {
		w->basis |= naive_basis;
	} else if (w->tz) {
		v = tm_zone_to_utc(w->tz, v);
		w->basis |= EXP_TZ_GIVEN;
	} else {
		return err_set(E_EXP_NEED_TZ, (unsigned long long)line, column, s);
	}
	*t = v;
	return 0;
}
