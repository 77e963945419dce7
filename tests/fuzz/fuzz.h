/* What the libFuzzer harnesses of tests/fuzz/ share. A harness is one
 * file, fuzz_NAME.c, with LLVMFuzzerTestOneInput (and, through
 * FUZZ_INIT, LLVMFuzzerInitialize); its seeds are in tests/fuzz/seeds/
 * fuzz_NAME/, crash-* files included, which tests/it/fuzz_corpus.sh
 * replays under make test and make check (tests/fuzz/replay.c).
 *   make fuzz FUZZERS=fuzz_NAME FUZZ_SECONDS=3600     (clang, libFuzzer)
 * A harness checks properties, not only "no crash": MUST aborts, which
 * libFuzzer reports as a crash with the input that broke it. */
#ifndef REFLEXE_FUZZ_H
#define REFLEXE_FUZZ_H

#include <ftw.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/core.h"

#define MUST(c) do { if (!(c)) { fprintf(stderr, "%s: %s (line %d)\n", __FILE__, #c, __LINE__); \
	abort(); } } while (0)

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* FUZZ_INIT(setup): LLVMFuzzerInitialize — messages in English, then
 * setup(), a function of the harness (fuzz_nothing when none). */
static inline void fuzz_nothing(void)
{
}

#define FUZZ_INIT(setup) \
	int LLVMFuzzerInitialize(int *argc, char ***argv) \
	{ \
		(void)argc; \
		(void)argv; \
		i18n_init("en"); \
		setup(); \
		return 0; \
	}

/* ---- a scratch folder, for harnesses that read a case folder ----------------
 * fuzz_scratch("model") names FUZZ_TOP /dev/shm/fuzz-model-PID (tmpfs:
 * fsync costs nothing; /tmp without it) and FUZZ_DIR FUZZ_TOP/case, to
 * be removed at exit; fuzz_scratch_clear() empties it between inputs. */
static inline char *fuzz_names(int which)
{
	static char top[256], dir[300];
	return which ? dir : top;
}
#define FUZZ_TOP (fuzz_names(0))
#define FUZZ_DIR (fuzz_names(1))

static inline int fuzz_rm_one(const char *p, const struct stat *st, int flag, struct FTW *f)
{
	(void)st;
	(void)flag;
	(void)f;
	return remove(p);
}

static inline void fuzz_scratch_clear(void)
{
	if (*FUZZ_TOP)
		nftw(FUZZ_TOP, fuzz_rm_one, 16, FTW_DEPTH | FTW_PHYS);
}

static inline void fuzz_scratch(const char *name)
{
	snprintf(FUZZ_TOP, 256, "%s/fuzz-%s-%ld", access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp",
		 name, (long)getpid());
	snprintf(FUZZ_DIR, 300, "%s/case", FUZZ_TOP);
	atexit(fuzz_scratch_clear);
}

#endif
