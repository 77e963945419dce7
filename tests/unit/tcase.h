/* A throwaway case folder for unit tests of model/ and rules/: write
 * Graph pages as strings, load them, remove the folder. Like the
 * collector, each file written is listed in manifest.sha256 (the model
 * refuses any that is not); tc_put_raw writes one without listing it. */
#ifndef REFLEXE_TCASE_H
#define REFLEXE_TCASE_H
#define _XOPEN_SOURCE 700
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "case/case.h"
#include "core/core.h"

static char tc_dir[256];

static void tc_new(void)
{
	snprintf(tc_dir, sizeof tc_dir, "/tmp/reflexe-tcase-XXXXXX");
	if (!mkdtemp(tc_dir)) {
		perror("mkdtemp");
		exit(2);
	}
	/* what case_open needs: case.ini; and a manifest, empty so far */
	char ini[300], man[300];
	static const char text[] = "tenant = contoso.onmicrosoft.com\n";
	snprintf(ini, sizeof ini, "%s/case.ini", tc_dir);
	snprintf(man, sizeof man, "%s/manifest.sha256", tc_dir);
	if (file_write_atomic(ini, text, sizeof text - 1) < 0 || file_write_atomic(man, "", 0) < 0) {
		printf("tc_new: %s\n", err_msg());
		exit(2);
	}
}

/* tc_put_raw("graph/v1.0/domains/page-0001.json", "{…}"): written, not listed */
static void tc_put_raw(const char *rel, const char *text)
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

/* tc_put("graph/v1.0/domains/page-0001.json", "{…}"): written and listed,
 * as the collector saves evidence (a later line for the same path wins) */
static void tc_put(const char *rel, const char *text)
{
	char path[1024], sha[65];
	tc_put_raw(rel, text);
	snprintf(path, sizeof path, "%s/manifest.sha256", tc_dir);
	FILE *f = fopen(path, "a");
	if (!f || hash_sha256_hex(text, strlen(text), sha) < 0 ||
	    fprintf(f, "%s  %s\n", sha, rel) < 0 || fclose(f) != 0) {
		printf("tc_put %s: manifest\n", rel);
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
