/* libFuzzer harness for answers.ini, the file a responder types or
 * edits (report/answers.c over core/ini.c): parsed, then, when accepted,
 * saved the way qualify saves it and parsed back (the same answers), and
 * carried through the qualification with no findings (lowering checks,
 * the gravity table, the clock). Not part of make test: `make fuzz`
 * builds and runs it from tests/fuzz/seeds/fuzz_answers. */
#include <stdlib.h>
#include <string.h>

#include "report/report.h"

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t n);

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t n)
{
	static int init;
	if (!init) {
		i18n_init("en");
		init = 1;
	}
	struct rep_answers a, b;
	if (rep_answers_parse(&a, (const char *)data, n, "fuzz.ini") == 0) {
		struct buf out = { 0 };
		if (rep_answers_format(&a, &out) == 0) {
			if (rep_answers_parse(&b, out.p, out.len, "saved.ini") != 0)
				abort();
			for (int q = 0; q < Q__N; q++)
				if (a.a[q].set != b.a[q].set || (a.a[q].set && a.a[q].v != b.a[q].v))
					abort();
			rep_answers_free(&b);
		}
		buf_free(&out);
		struct rep_findings fs = { 0 };
		struct rep_qual q;
		struct rep_clock c;
		if (rep_qualify(&fs, &a, &q) == 0)
			rep_clock(&q, &a, NULL, 1772366400, &c);
	}
	rep_answers_free(&a);
	err_clear();
	return 0;
}
