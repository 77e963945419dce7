/*
 * Time zones, compiled in. An export that writes local times without an
 * offset ("20/09/2023 16:05:03") needs its zone to become UTC; the host's
 * tz database is not trusted for that (it may be absent from a live
 * system, or altered on a compromised one: a shifted zone shifts a whole
 * timeline). So a zone is a POSIX TZ rule (POSIX.1-2017, Base Definitions
 * §8.3, "TZ"): a fixed offset, or a standard and a daylight offset with
 * the two yearly changes as "Mm.w.d[/time]" (month, week 1-5 where 5 is
 * the last, weekday 0 = Sunday). A few IANA names map to their current
 * rule (tz database, files europe, northamerica, australasia, asia,
 * southamerica, africa): Europe's since 1996 and North America's since
 * 2007 — older local times in those zones are read with today's rule.
 *
 * Local to UTC: a wall time inside the autumn repeat is read as summer
 * time (the first of the two instants), one inside the spring gap, which
 * no clock showed, as standard time.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/core.h"

static const struct { const char *name, *rule; } zones[] = {
	{ "UTC", "UTC0" }, { "Etc/UTC", "UTC0" }, { "GMT", "GMT0" }, { "Z", "UTC0" },
	/* EU: last Sunday of March 01:00 UTC to last Sunday of October
	 * 01:00 UTC (Directive 2000/84/EC). */
	{ "Europe/Paris", "CET-1CEST,M3.5.0,M10.5.0/3" },
	{ "Europe/Brussels", "CET-1CEST,M3.5.0,M10.5.0/3" },
	{ "Europe/Luxembourg", "CET-1CEST,M3.5.0,M10.5.0/3" },
	{ "Europe/Monaco", "CET-1CEST,M3.5.0,M10.5.0/3" },
	{ "Europe/Zurich", "CET-1CEST,M3.5.0,M10.5.0/3" },
	{ "Europe/Berlin", "CET-1CEST,M3.5.0,M10.5.0/3" },
	{ "Europe/Madrid", "CET-1CEST,M3.5.0,M10.5.0/3" },
	{ "Europe/Rome", "CET-1CEST,M3.5.0,M10.5.0/3" },
	{ "Europe/Amsterdam", "CET-1CEST,M3.5.0,M10.5.0/3" },
	{ "Europe/Vienna", "CET-1CEST,M3.5.0,M10.5.0/3" },
	{ "Europe/Warsaw", "CET-1CEST,M3.5.0,M10.5.0/3" },
	{ "Europe/Prague", "CET-1CEST,M3.5.0,M10.5.0/3" },
	{ "Europe/Stockholm", "CET-1CEST,M3.5.0,M10.5.0/3" },
	{ "Europe/Copenhagen", "CET-1CEST,M3.5.0,M10.5.0/3" },
	{ "Europe/Oslo", "CET-1CEST,M3.5.0,M10.5.0/3" },
	{ "Africa/Tunis", "CET-1" }, { "Africa/Algiers", "CET-1" },
	{ "Europe/London", "GMT0BST,M3.5.0/1,M10.5.0" },
	{ "Europe/Dublin", "GMT0IST,M3.5.0/1,M10.5.0" },
	{ "Europe/Lisbon", "WET0WEST,M3.5.0/1,M10.5.0" },
	{ "Europe/Athens", "EET-2EEST,M3.5.0/3,M10.5.0/4" },
	{ "Europe/Helsinki", "EET-2EEST,M3.5.0/3,M10.5.0/4" },
	{ "Europe/Bucharest", "EET-2EEST,M3.5.0/3,M10.5.0/4" },
	{ "Europe/Kyiv", "EET-2EEST,M3.5.0/3,M10.5.0/4" },
	{ "Europe/Moscow", "MSK-3" }, { "Europe/Istanbul", "<+03>-3" },
	/* France outside Europe */
	{ "America/Guadeloupe", "AST4" }, { "America/Martinique", "AST4" },
	{ "America/Cayenne", "<-03>3" }, { "America/Miquelon", "<-03>3<-02>,M3.2.0,M11.1.0" },
	{ "Indian/Reunion", "<+04>-4" }, { "Indian/Mayotte", "EAT-3" },
	{ "Pacific/Noumea", "<+11>-11" }, { "Pacific/Tahiti", "<-10>10" },
	{ "Pacific/Wallis", "<+12>-12" },
	/* North America: second Sunday of March to first Sunday of November
	 * (Energy Policy Act of 2005). */
	{ "America/New_York", "EST5EDT,M3.2.0,M11.1.0" },
	{ "America/Toronto", "EST5EDT,M3.2.0,M11.1.0" },
	{ "America/Montreal", "EST5EDT,M3.2.0,M11.1.0" },
	{ "America/Chicago", "CST6CDT,M3.2.0,M11.1.0" },
	{ "America/Denver", "MST7MDT,M3.2.0,M11.1.0" },
	{ "America/Phoenix", "MST7" },
	{ "America/Los_Angeles", "PST8PDT,M3.2.0,M11.1.0" },
	{ "Africa/Casablanca", "<+01>-1" }, { "Africa/Dakar", "GMT0" },
	{ "Africa/Abidjan", "GMT0" },
	{ "Asia/Dubai", "<+04>-4" }, { "Asia/Kolkata", "IST-5:30" },
	{ "Asia/Singapore", "<+08>-8" }, { "Asia/Shanghai", "CST-8" },
	{ "Asia/Tokyo", "JST-9" },
	{ "Australia/Sydney", "AEST-10AEDT,M10.1.0,M4.1.0/3" },
};

/* "[+-]hh[:mm[:ss]]" -> seconds; *p advanced. -1 when malformed. */
static int posix_offset(const char **p, long *out)
{
	const char *s = *p;
	int sign = 1;
	if (*s == '+' || *s == '-')
		sign = *s++ == '-' ? -1 : 1;
	long v[3] = { 0, 0, 0 };
	for (int i = 0; i < 3; i++) {
		if (i && *s != ':')
			break;
		if (i)
			s++;
		if (*s < '0' || *s > '9')
			return -1;
		int n = 0;
		while (*s >= '0' && *s <= '9' && n < 3)
			v[i] = v[i] * 10 + (*s++ - '0'), n++;
		if (i && v[i] > 59)
			return -1;
	}
	if (v[0] > 167)
		return -1;
	*out = sign * (v[0] * 3600 + v[1] * 60 + v[2]);
	*p = s;
	return 0;
}

/* A zone abbreviation: 3+ letters, or "<...>" (POSIX 2008 quoted form). */
static int posix_name(const char **p)
{
	const char *s = *p;
	if (*s == '<') {
		const char *e = strchr(s, '>');
		if (!e || e - s < 4)
			return -1;
		*p = e + 1;
		return 0;
	}
	int n = 0;
	while ((*s >= 'A' && *s <= 'Z') || (*s >= 'a' && *s <= 'z'))
		s++, n++;
	if (n < 3)
		return -1;
	*p = s;
	return 0;
}

/* ",Mm.w.d[/time]" */
static int posix_date(const char **p, struct tm_rule *r)
{
	const char *s = *p;
	if (*s++ != ',' || *s++ != 'M')
		return -1;
	char *e;
	long m = strtol(s, &e, 10);
	if (e == s || *e != '.' || m < 1 || m > 12)
		return -1;
	s = e + 1;
	long w = strtol(s, &e, 10);
	if (e == s || *e != '.' || w < 1 || w > 5)
		return -1;
	s = e + 1;
	long d = strtol(s, &e, 10);
	if (e == s || d < 0 || d > 6)
		return -1;
	s = e;
	r->month = (int)m;
	r->week = (int)w;
	r->wday = (int)d;
	r->time = 7200;        /* default 02:00 local */
	if (*s == '/') {
		s++;
		long t;
		if (posix_offset(&s, &t) < 0)
			return -1;
		r->time = t;
	}
	*p = s;
	return 0;
}

static int parse_posix(const char *s, struct tm_zone *z)
{
	const char *p = s;
	long std, dst;
	if (posix_name(&p) < 0 || posix_offset(&p, &std) < 0)
		return -1;
	z->std_east = -std;            /* POSIX counts west of Greenwich */
	z->has_dst = 0;
	if (labs(z->std_east) > 14 * 3600)
		return -1;
	if (!*p)
		return 0;
	if (posix_name(&p) < 0)
		return -1;
	dst = std - 3600;              /* default: one hour ahead */
	if (*p && *p != ',' && posix_offset(&p, &dst) < 0)
		return -1;
	if (posix_date(&p, &z->start) < 0 || posix_date(&p, &z->end) < 0 || *p)
		return -1;
	z->dst_east = -dst;
	z->has_dst = 1;
	/* zones in use lie between UTC-12 and UTC+14 */
	if (labs(z->dst_east) > 14 * 3600)
		return -1;
	return 0;
}

int tm_zone_parse(const char *name, struct tm_zone *z)
{
	memset(z, 0, sizeof *z);
	if (!name || !*name || strlen(name) >= sizeof z->name)
		return err_set(E_TZ_BAD, name ? name : "");
	snprintf(z->name, sizeof z->name, "%s", name);
	for (size_t i = 0; i < sizeof zones / sizeof zones[0]; i++)
		if (!strcasecmp(name, zones[i].name))
			return parse_posix(zones[i].rule, z) < 0 ? err_set(E_TZ_BAD, name) : 0;
	/* "+01:00", "-0500", "UTC+2", "UTC-03:30": offsets east of UTC, as
	 * ISO 8601 writes them (not POSIX's west). */
	const char *p = name;
	if (!strncasecmp(p, "UTC", 3) || !strncasecmp(p, "GMT", 3))
		p += 3;
	if (*p == '+' || *p == '-') {
		int sign = *p == '-' ? -1 : 1;
		p++;
		int h = 0, m = 0, n = 0;
		while (*p >= '0' && *p <= '9' && n < 2)
			h = h * 10 + (*p++ - '0'), n++;
		if (n && *p == ':')
			p++;
		if (n && *p) {
			int k = 0;
			while (*p >= '0' && *p <= '9' && k < 2)
				m = m * 10 + (*p++ - '0'), k++;
			if (k != 2)
				n = 0;
		}
		if (n && !*p && m < 60 && h * 60 + m <= 14 * 60) {
			z->std_east = sign * (h * 3600 + m * 60);
			return 0;
		}
		return err_set(E_TZ_BAD, name);
	}
	if (parse_posix(name, z) == 0)
		return 0;
	return err_set(E_TZ_BAD, name);
}

static int64_t year_of(int64_t t)
{
	/* close enough to pick the year, then corrected */
	int64_t y = 1970 + t / 31556952;
	if (t < 0 && t % 31556952)
		y--;
	while (tm_days_from_civil(y, 1, 1) * 86400 > t)
		y--;
	while (tm_days_from_civil(y + 1, 1, 1) * 86400 <= t)
		y++;
	return y;
}

/* Local wall time (as seconds, "as if UTC") of a rule's change in year y. */
static int64_t rule_wall(int64_t y, const struct tm_rule *r)
{
	static const int dm[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
	int mdays = dm[r->month - 1] + (r->month == 2 && leap);
	int64_t first = tm_days_from_civil(y, r->month, 1);
	int wd1 = (int)(((first % 7) + 7 + 4) % 7);      /* 1970-01-01 was a Thursday */
	int d = 1 + (r->wday - wd1 + 7) % 7 + (r->week - 1) * 7;
	while (d > mdays)
		d -= 7;
	return (tm_days_from_civil(y, r->month, d)) * 86400 + r->time;
}

int tm_zone_is_dst(const struct tm_zone *z, int64_t t)
{
	if (!z->has_dst)
		return 0;
	int64_t y = year_of(t + z->std_east);
	/* the change to summer time is given in standard time, the change
	 * back in summer time (POSIX) */
	int64_t start = rule_wall(y, &z->start) - z->std_east;
	int64_t end = rule_wall(y, &z->end) - z->dst_east;
	if (start < end)
		return t >= start && t < end;
	return !(t >= end && t < start);   /* southern hemisphere */
}

int64_t tm_zone_to_utc(const struct tm_zone *z, int64_t wall)
{
	if (z->has_dst) {
		int64_t t = wall - z->dst_east;
		if (tm_zone_is_dst(z, t))
			return t;
	}
	return wall - z->std_east;
}
