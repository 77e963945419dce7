/* A throwaway case folder for unit tests of model/ and rules/: write
 * Graph pages as strings, load them, remove the folder. */
#ifndef REFLEXE_TCASE_H
#define REFLEXE_TCASE_H
#define _XOPEN_SOURCE 700
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/core.h"

static char tc_dir[256];

static void tc_new(void)
{
	snprintf(tc_dir, sizeof tc_dir, "/tmp/reflexe-tcase-XXXXXX");
	if (!mkdtemp(tc_dir)) {
		perror("mkdtemp");
		exit(2);
	}
}

/* tc_put("graph/v1.0/domains/page-0001.json", "{…}") */
static void tc_put(const char *rel, const char *text)
{
	char path[1024], dir[1024];
	snprintf(path, sizeof path, "%s/%s", tc_dir, rel);
	snprintf(dir, sizeof dir, "%s", path);
	*strrchr(dir, '/') = 0;
	if (file_mkdirs(dir) < 0 || file_write_atomic(path, text, strlen(text)) < 0) {
		printf("tc_put %s: %s\n", rel, err_msg());
		exit(2);
	}
}

static int tc_rm1(const char *p, const struct stat *s, int f, struct FTW *w)
{
	(void)s; (void)f; (void)w;
	return remove(p);
}

static void tc_done(void)
{
	nftw(tc_dir, tc_rm1, 16, FTW_DEPTH | FTW_PHYS);
}
#endif
