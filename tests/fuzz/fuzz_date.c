/* libFuzzer harness for export dates (export/when.c) and time zones
 * (core/tz.c), not part of make test. The input's first byte picks the
 * naive basis and whether a zone is given; the rest is a date, then
 * (after a NUL) a zone name. A date that parses must, as "Z"-less ISO
 * text of its result, parse back to the same instant; a zone that parses
 * must give an instant within 15 hours of the wall time read as UTC. */
#include <stdlib.h>
#include <string.h>

#include "export/export.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 2 || size > 200)
		return 0;
	char s[256];
	memcpy(s, data + 1, size - 1);
	s[size - 1] = 0;
	const char *zone = s + strlen(s) + 1 < s + size - 1 ? s + strlen(s) + 1 : NULL;
	struct tm_zone z;
	struct exp_when w = { 0 };
	static const unsigned bases[4] = { 0, EXP_TZ_HEADER, EXP_TZ_SCHEMA, EXP_TZ_OFFSET };
	if (zone && (data[0] & 4) && tm_zone_parse(zone, &z) == 0) {
		w.tz = &z;
		int64_t wall = 1700000000;
		int64_t t = tm_zone_to_utc(&z, wall);
		if (t - wall > 15 * 3600 || wall - t > 15 * 3600)
			abort();
	}
	int64_t t = 0;
	if (exp_when_parse(&w, s, bases[data[0] & 3], "c", 1, &t) == 0 && t > -62135596800LL &&
	    t < 253402300800LL) {
		char iso[32];
		int64_t back;
		int off, has;
		tm_utc_iso(t, iso, sizeof iso);
		if (tm_parse_iso(iso, &back, &off, &has) != 0 || back != t)
			abort();
	}
	err_clear();
	return 0;
}
