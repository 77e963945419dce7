/* libFuzzer harness for the logbook's hostile inputs: a logbook line
 * (cour_entry_parse) and a CSV to import (cour_csv_import). Not part of
 * make test: `make fuzz` builds it (clang, ASan+UBSan, build/fuzz/) and
 * runs it, with the other harnesses, for FUZZ_SECONDS each. */
#include <stdlib.h>
#include <string.h>

#include "courante/courante.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct cour_entry e;
	int ok;
	if (cour_entry_parse(&e, (const char *)data, size, &ok) == 0)
		cour_entry_free(&e);
	struct cour_import im;
	struct buf errs = { 0 };
	if (cour_csv_import((const char *)data, size, size & 1 ? "fuzz" : NULL, &im, &errs) == 0) {
		/* what was accepted must format into a line that parses back */
		struct buf line = { 0 };
		for (size_t i = 0; i < im.n; i++) {
			im.e[i].seq = 1;
			memset(im.e[i].prev, '0', 64);
			im.e[i].prev[64] = 0;
			buf_reset(&line);
			if (cour_entry_format(&im.e[i], &line) == 0) {
				if (cour_entry_parse(&e, line.p, line.len - 1, &ok) != 0 || !ok)
					abort();
				cour_entry_free(&e);
			}
		}
		buf_free(&line);
		cour_import_free(&im);
	}
	buf_free(&errs);
	return 0;
}
