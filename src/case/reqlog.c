/*
 * requests.jsonl: one JSON line per HTTP exchange (DESIGN.md), so that
 * the tenant's own logs can be matched to what reflexe did (the
 * client-request-id is the key Microsoft's support and sign-in logs
 * keep) and every saved file traced to the request that fetched it.
 *
 * Never in it: the Authorization header (it is not passed here at all),
 * request bodies (token requests carry secrets), or query values other
 * than the OData options — a URL may carry a code, a signature or a
 * skip token, so they keep their name and lose their value.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "case/case.h"

static int keep_value(const char *name, size_t n)
{
	/* OData system query options (OData v4.01 part 2, §5) and Azure's
	 * api-version: they say what was asked, never who asked. */
	static const char *const keep[] = { "$select", "$filter", "$top", "$expand", "$orderby",
					     "$count", "$search", "api-version", NULL };
	char dec[64];
	size_t k = 0;
	for (size_t i = 0; i < n && k + 1 < sizeof dec; i++) {
		/* "%24select" is "$select" */
		if (name[i] == '%' && i + 2 < n && !strncasecmp(name + i, "%24", 3)) {
			dec[k++] = '$';
			i += 2;
		} else {
			dec[k++] = name[i];
		}
	}
	dec[k] = 0;
	for (int i = 0; keep[i]; i++)
		if (!strcasecmp(dec, keep[i]))
			return 1;
	return 0;
}

int case_redact_url(const char *url, struct buf *out)
{
	const char *p = url, *s = strstr(url, "://");
	buf_reset(out);
	if (s) {
		const char *auth = s + 3, *end = auth + strcspn(auth, "/?#");
		const char *at = NULL;
		for (const char *q = auth; q < end; q++)
			if (*q == '@')
				at = q;
		if (buf_append(out, url, (size_t)(auth - url)) < 0)
			return -1;
		p = at ? at + 1 : auth;
	}
	size_t pathlen = strcspn(p, "?#");
	if (buf_append(out, p, pathlen) < 0)
		return -1;
	p += pathlen;
	if (*p != '?')
		return out->p ? 0 : buf_append(out, "", 0);
	p++;
	const char *end = p + strcspn(p, "#");
	char sep = '?';
	while (p < end) {
		const char *amp = memchr(p, '&', (size_t)(end - p));
		const char *pe = amp ? amp : end;
		const char *eq = memchr(p, '=', (size_t)(pe - p));
		size_t nlen = (size_t)((eq ? eq : pe) - p);
		if (pe > p) {
			if (buf_append(out, &sep, 1) < 0 || buf_append(out, p, nlen) < 0)
				return -1;
			if (eq && keep_value(p, nlen)) {
				if (buf_append(out, eq, (size_t)(pe - eq)) < 0)
					return -1;
			} else if (eq && buf_puts(out, "=REDACTED") < 0) {
				return -1;
			}
			sep = '&';
		}
		p = amp ? amp + 1 : end;
	}
	return 0;
}

static void put_field(struct buf *b, const char *name, const char *v)
{
	if (!v || !*v)
		return;
	buf_printf(b, ",\"%s\":", name);
	json_put_str(b, v);
}

/* Caller holds c->mu. */
int case_log_write(struct case_dir *c, const char *text, size_t n)
{
	char path[4200];
	snprintf(path, sizeof path, "%s/requests.jsonl", c->info.dir);
	if (c->log_fd < 0)
		c->log_fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
	if (c->log_fd < 0)
		return err_set(E_FILE_OPEN, path, file_strerror(errno));
	if (file_write_all(c->log_fd, text, n) < 0 || fdatasync(c->log_fd) < 0)
		return err_set(E_FILE_WRITE, path, file_strerror(errno));
	return 0;
}

int case_log(struct case_dir *c, const struct case_req *r)
{
	return case_log_in(c, NULL, r);
}

int case_log_in(struct case_dir *c, struct case_batch *bt, const struct case_req *r)
{
	struct buf b = { 0 }, u = { 0 };
	char iso[32];
	int64_t t = r->time_ms ? r->time_ms : tm_now_ms();
	int rc = -1;

	if (c->offline)
		return 0;
	tm_utc_iso(t / 1000, iso, sizeof iso);
	/* "…:00Z" -> "…:00.123Z" */
	size_t n = strlen(iso);
	if (n && iso[n - 1] == 'Z')
		snprintf(iso + n - 1, sizeof iso - (n - 1), ".%03dZ", (int)(t % 1000));
	if (case_redact_url(r->url ? r->url : "", &u) < 0)
		goto out;
	buf_printf(&b, "{\"time\":\"%s\",\"method\":", iso);
	json_put_str(&b, r->method ? r->method : "?");
	buf_puts(&b, ",\"url\":");
	json_put_str(&b, u.p ? u.p : "");
	buf_printf(&b, ",\"status\":%d,\"ms\":%lld,\"bytes\":%llu", r->status,
		   (long long)r->elapsed_ms, r->bytes);
	put_field(&b, "request_id", r->request_id);
	put_field(&b, "client_request_id", r->client_request_id);
	put_field(&b, "sha256", r->sha256);
	put_field(&b, "path", r->path);
	put_field(&b, "error", r->error);
	put_field(&b, "batch", r->batch);
	put_field(&b, "sub_id", r->sub_id);
	put_field(&b, "retry_after", r->retry_after);
	if (buf_puts(&b, "}\n") < 0)
		goto out;
	if (bt) {
		rc = buf_append(&bt->log, b.p, b.len);
	} else {
		pthread_mutex_lock(&c->mu);
		rc = case_log_write(c, b.p, b.len);
		pthread_mutex_unlock(&c->mu);
	}
out:
	if (rc < 0 && !*err_msg())
		err_set(E_NOMEM);
	buf_free(&b);
	buf_free(&u);
	return rc;
}
