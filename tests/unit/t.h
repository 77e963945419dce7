/* Tiny unit-test harness: RUN(case) prints "PASS case" or "FAIL case";
 * tests/run.sh counts those lines. CHECK never stops a case, so one run
 * shows every broken expectation. */
#ifndef REFLEXE_T_H
#define REFLEXE_T_H
#include <stdio.h>
#include <string.h>

static int t_failed_now, t_npass, t_nfail;

#define CHECK(c) do { if (!(c)) { \
	printf("  %s:%d: CHECK(%s) failed\n", __FILE__, __LINE__, #c); \
	t_failed_now = 1; } } while (0)
#define CHECK_STR(a, b) do { const char *t_a = (a), *t_b = (b); \
	if (!t_a || !t_b || strcmp(t_a, t_b)) { \
	printf("  %s:%d: \"%s\" != \"%s\"\n", __FILE__, __LINE__, \
	       t_a ? t_a : "(null)", t_b ? t_b : "(null)"); t_failed_now = 1; } } while (0)
#define CHECK_INT(a, b) do { long long t_a = (long long)(a), t_b = (long long)(b); \
	if (t_a != t_b) { printf("  %s:%d: %s == %lld, expected %lld\n", \
	__FILE__, __LINE__, #a, t_a, t_b); t_failed_now = 1; } } while (0)
#define RUN(fn) do { t_failed_now = 0; fn(); \
	printf("%s %s\n", t_failed_now ? "FAIL" : "PASS", #fn); \
	if (t_failed_now) t_nfail++; else t_npass++; fflush(stdout); } while (0)
#define T_DONE() return t_nfail ? 1 : 0
#endif
