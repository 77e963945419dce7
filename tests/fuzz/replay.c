/*
 * Replays a libFuzzer harness over files, without libFuzzer: linked with
 * one tests/fuzz/fuzz_*.c by the Makefile into build/<tree>/tests/replay/
 * fuzz_NAME, built by `make test` (musl) and `make check` (gcc with ASan
 * and UBSan), and run by tests/it/fuzz_corpus.sh over the committed
 * corpus tests/fuzz/seeds/NAME/: every crash fuzzing ever found stays
 * there as an input, so it can never come back unseen. No new inputs
 * are made here; that is `make fuzz` (clang, libFuzzer).
 *
 *   replay_NAME FILE|DIR...     exit 0 when every input ran through
 */
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
__attribute__((weak)) int LLVMFuzzerInitialize(int *argc, char ***argv);

/* Large enough for every corpus file; a bigger one is a mistake. */
#define REPLAY_MAX (16u << 20)

static int one(const char *path)
{
	FILE *f = fopen(path, "rb");
	if (!f) {
		perror(path);
		return -1;
	}
	uint8_t *d = malloc(REPLAY_MAX);
	size_t n = d ? fread(d, 1, REPLAY_MAX, f) : 0;
	int big = d && n == REPLAY_MAX && fgetc(f) != EOF;
	fclose(f);
	if (!d || big) {
		fprintf(stderr, "%s: %s\n", path, d ? "larger than 16 MiB" : "out of memory");
		free(d);
		return -1;
	}
	/* A copy of exactly n bytes: ASan sees a read past the input. */
	uint8_t *exact = malloc(n ? n : 1);
	if (!exact) {
		free(d);
		return -1;
	}
	memcpy(exact, d, n);
	free(d);
	LLVMFuzzerTestOneInput(exact, n);
	free(exact);
	return 0;
}

static int cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Every regular file of dir, in name order (runs are then the same). */
static int dir(const char *path, unsigned long *count)
{
	DIR *d = opendir(path);
	struct dirent *e;
	char **names = NULL;
	size_t n = 0, cap = 0;
	int rc = 0;
	if (!d) {
		perror(path);
		return -1;
	}
	while ((e = readdir(d))) {
		if (e->d_name[0] == '.')
			continue;
		if (n == cap) {
			cap = cap ? cap * 2 : 64;
			char **t = realloc(names, cap * sizeof *t);
			if (!t) {
				rc = -1;
				break;
			}
			names = t;
		}
		size_t l = strlen(path) + strlen(e->d_name) + 2;
		if (!(names[n] = malloc(l))) {
			rc = -1;
			break;
		}
		snprintf(names[n++], l, "%s/%s", path, e->d_name);
	}
	closedir(d);
	if (n)
		qsort(names, n, sizeof *names, cmp);
	for (size_t i = 0; i < n; i++) {
		struct stat st;
		if (rc == 0 && stat(names[i], &st) == 0 && S_ISREG(st.st_mode)) {
			if (one(names[i]) < 0)
				rc = -1;
			else
				(*count)++;
		}
		free(names[i]);
	}
	free(names);
	return rc;
}

int main(int argc, char **argv)
{
	unsigned long count = 0;
	int rc = 0;
	if (argc < 2) {
		fprintf(stderr, "usage: %s FILE|DIR...\n", argv[0]);
		return 2;
	}
	if (LLVMFuzzerInitialize)
		LLVMFuzzerInitialize(&argc, &argv);
	for (int i = 1; i < argc; i++) {
		struct stat st;
		if (stat(argv[i], &st) < 0) {
			perror(argv[i]);
			rc = 1;
		} else if (S_ISDIR(st.st_mode)) {
			if (dir(argv[i], &count) < 0)
				rc = 1;
		} else if (one(argv[i]) < 0) {
			rc = 1;
		} else {
			count++;
		}
	}
	printf("%lu inputs\n", count);
	return rc;
}
