/* Tiny unit-test harness: RUN(case) prints "PASS case" or "FAIL case";
 * tests/run.sh counts those lines. CHECK never stops a case, so one run
 * shows every broken expectation. */
#ifndef REFLEXE_T_H
#define REFLEXE_T_H
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
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

/* The environment a unit test starts from, whoever runs it: the rule of
 * tests/env.sh (keep the two alike), applied before main(). AZURE_*,
 * REFLEXE_* (but REFLEXE_SANITIZED), every *_proxy in any case, LC_*,
 * LANGUAGE and NO_COLOR are removed; LANG=C, TZ=UTC. */
extern char **environ;
static int t_env_drop(const char *v, size_t n)
{
	char low[64];
	if (n == 17 && !strncmp(v, "REFLEXE_SANITIZED", n))
		return 0;
	if (!strncmp(v, "AZURE_", 6) || !strncmp(v, "REFLEXE_", 8) || !strncmp(v, "LC_", 3) ||
	    (n == 8 && !strncmp(v, "LANGUAGE", n)) || (n == 8 && !strncmp(v, "NO_COLOR", n)))
		return 1;
	if (n < 6 || n >= sizeof low)
		return 0;
	for (size_t i = 0; i < n; i++)
		low[i] = (char)tolower((unsigned char)v[i]);
	return !strncmp(low + n - 6, "_proxy", 6);
}
__attribute__((constructor)) static void t_env(void)
{
	char name[256];
	for (size_t i = 0; environ && environ[i];) {
		const char *eq = strchr(environ[i], '=');
		size_t n = eq ? (size_t)(eq - environ[i]) : strlen(environ[i]);
		if (n >= sizeof name || !t_env_drop(environ[i], n)) {
			i++;
			continue;
		}
		memcpy(name, environ[i], n);
		name[n] = 0;
		unsetenv(name);
		i = 0;              /* environ has changed under us: start again */
	}
	setenv("LANG", "C", 1);
	setenv("TZ", "UTC", 1);
}
#endif
