/*
 * The read-only guard's simplest policy: GET with no body, nothing else.
 * net/'s own tests use it; the Microsoft layer installs its richer one
 * (token and $batch POSTs, Get-* cmdlets) through http_opts.policy.
 */
#include <string.h>

#include "net/net.h"

int http_policy_get_only(void *ctx, const char *method, const struct url *u,
			 const void *body, size_t body_len)
{
	(void)ctx;
	(void)u;
	(void)body;
	if (!strcmp(method, "GET") && body_len == 0)
		return 0;
	return err_set(E_HTTP_READ_ONLY, method);
}
