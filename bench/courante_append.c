/* In-process append rate of the logbook: N single-entry cour_append()
 * calls (lock, tail read, one write, fsync each). Prints a figure; asserts
 * nothing. usage: courante_append CASE_DIR [N] */
#include <stdio.h>
#include <stdlib.h>

#include "courante/courante.h"

int main(int argc, char **argv)
{
	if (argc < 2) {
		fprintf(stderr, "usage: %s CASE_DIR [N]\n", argv[0]);
		return 2;
	}
	int n = argc > 2 ? atoi(argv[2]) : 1000;
	char *tg[] = { "bob@contoso.fr" };
	int64_t t0 = tm_mono_ms();
	for (int i = 0; i < n; i++) {
		struct cour_entry e = { .kind = COUR_NOTE, .who = "bench", .targets = tg, .ntargets = 1,
					.what = "Réinitialisation du mot de passe et révocation des sessions",
					.recorded = tm_now(), .event = tm_now() };
		if (cour_append(argv[1], &e, 1, COUR_APPEND_CREATE, NULL) < 0) {
			fprintf(stderr, "%s\n", err_msg());
			return 3;
		}
	}
	int64_t ms = tm_mono_ms() - t0;
	printf("library: %d appends (fsync each) in %lld ms: %.0f appends/s\n",
	       n, (long long)ms, ms ? n * 1000.0 / (double)ms : 0.0);
	return 0;
}
