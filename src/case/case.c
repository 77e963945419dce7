/*
 * The case folder itself: made once per tenant, described by case.ini,
 * reopened by every later applet run and by --offline analyses.
 *
 * case.ini is written atomically like the evidence, but it is not listed
 * in the manifest: it describes the case and changes (the tenant id once
 * sign-in tells it, the clock skew of each run), while the manifest lists
 * the evidence, which never changes once written.
 */
#include <ctype.h>
#include <stddef.h>
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "case/case.h"
#include "net/net.h"

#define INI_MAX (64 * 1024)

const struct case_info *case_info(const struct case_dir *c) { return &c->info; }
const char *case_path(const struct case_dir *c) { return c->info.dir; }
int case_offline(const struct case_dir *c) { return c->offline; }

/* "organizations", "common" and "consumers" are sign-in audiences, not
 * tenants: a case made with one of them learns its tenant at sign-in. */
static int tenant_vague(const char *t)
{
	return !t || !*t || !strcasecmp(t, "organizations") || !strcasecmp(t, "common") ||
	       !strcasecmp(t, "consumers");
}

int case_default_dir(const char *tenant, int64_t now, char *out, size_t n)
{
	char day[32], t[128];
	size_t k = 0;

	tm_utc_iso(now, day, sizeof day);
	for (const char *p = tenant_vague(tenant) ? "tenant" : tenant; *p && k + 1 < sizeof t; p++)
		t[k++] = (isalnum((unsigned char)*p) || *p == '.' || *p == '-') ? *p : '_';
	t[k] = 0;
	int w = snprintf(out, n, "case-%s-%.4s%.2s%.2s", t, day, day + 5, day + 8);
	if (w < 0 || (size_t)w >= n)
		return err_set(E_CASE_PATH, tenant);
	return 0;
}

/* ---- case.ini ---------------------------------------------------------------- */

/* Values are one line each: control characters become spaces. */
static void ini_put(struct buf *b, const char *key, const char *v)
{
	buf_printf(b, "%s = ", key);
	for (const char *p = v; *p; p++)
		buf_append(b, (unsigned char)*p < 0x20 ? " " : p, 1);
	buf_puts(b, "\n");
}

int case_ini_write(struct case_dir *c)
{
	struct buf b = { 0 };
	char path[4200];
	const struct case_info *i = &c->info;

	buf_puts(&b, "# reflexe case folder: one tenant per folder. Evidence is listed in\n"
		     "# manifest.sha256 (check with: sha256sum -c manifest.sha256).\n");
	ini_put(&b, "tenant", i->tenant);
	ini_put(&b, "tenant_id", i->tenant_id);
	ini_put(&b, "domains", i->domains);
	ini_put(&b, "case_id", i->case_id);
	ini_put(&b, "responder", i->responder);
	ini_put(&b, "tool_version", i->tool_version);
	ini_put(&b, "started", i->started);
	if (i->has_skew) {
		/* host clock minus the server's Date header, in seconds */
		buf_printf(&b, "clock_skew_s = %lld\n", (long long)i->skew_s);
		ini_put(&b, "clock_checked", i->skew_at);
	}
	if (!b.p) {
		buf_free(&b);
		return err_set(E_NOMEM);
	}
	snprintf(path, sizeof path, "%s/case.ini", i->dir);
	int r = file_write_atomic(path, b.p, b.len);
	buf_free(&b);
	return r;
}

static void copy_val(char *dst, size_t n, const char *v)
{
	snprintf(dst, n, "%s", v);
}

/* Reads key = value lines; unknown keys are ignored (a later version may
 * add some), a line without '=' is an error: the file was damaged. */
static int ini_read(struct case_info *i, const char *path)
{
	struct buf f = { 0 };
	if (file_read(path, &f, INI_MAX) < 0)
		return -1;
	/* A NUL would hide the lines after it from the reader below (and
	 * not from an editor): the file was damaged or made to deceive. */
	const char *nul = memchr(f.p, 0, f.len);
	if (nul) {
		int at = 1;
		for (const char *q = f.p; q < nul; q++)
			at += *q == '\n';
		buf_free(&f);
		return err_set(E_CASE_INI, path, at);
	}
	/* Control characters read as blanks, as case_ini_write writes them:
	 * what is read is what would be written back (CR of CRLF too). */
	for (size_t k = 0; k < f.len; k++)
		if ((unsigned char)f.p[k] < 0x20 && f.p[k] != '\n')
			f.p[k] = ' ';
	char *save = NULL;
	int line = 0;
	for (char *l = strtok_r(f.p, "\n", &save); l; l = strtok_r(NULL, "\n", &save)) {
		line++;
		while (*l == ' ')
			l++;
		size_t n = strlen(l);
		while (n && l[n - 1] == ' ')
			l[--n] = 0;
		if (!*l || *l == '#' || *l == ';' || *l == '[')
			continue;
		char *eq = strchr(l, '=');
		if (!eq) {
			buf_free(&f);
			return err_set(E_CASE_INI, path, line);
		}
		char *k = l, *v = eq + 1, *ke = eq;
		while (ke > k && ke[-1] == ' ')
			ke--;
		*ke = 0;
		while (*v == ' ')
			v++;
		static const struct { const char *key; size_t off, size; } fields[] = {
#define F(k, m) { k, offsetof(struct case_info, m), sizeof ((struct case_info *)0)->m }
			F("tenant", tenant), F("tenant_id", tenant_id), F("domains", domains),
			F("case_id", case_id), F("responder", responder),
			F("tool_version", tool_version), F("started", started),
			F("clock_checked", skew_at),
#undef F
		};
		size_t fi = 0;
		while (fi < sizeof fields / sizeof fields[0] && strcmp(k, fields[fi].key))
			fi++;
		if (fi < sizeof fields / sizeof fields[0]) {
			/* Longer than case_ini_write ever writes: damaged, not
			 * cut short in silence. */
			if (strlen(v) >= fields[fi].size) {
				buf_free(&f);
				return err_set(E_CASE_INI, path, line);
			}
			copy_val((char *)i + fields[fi].off, fields[fi].size, v);
		} else if (!strcmp(k, "clock_skew_s")) {
			char *end;
			errno = 0;
			long long s = strtoll(v, &end, 10);
			if (errno || *end || end == v) {
				buf_free(&f);
				return err_set(E_CASE_INI, path, line);
			}
			i->skew_s = s;
			i->has_skew = 1;
		}
	}
	buf_free(&f);
	return 0;
}

/* Does tenant t name the case's tenant: its name as first given, its id,
 * or one of its verified domains? Case-insensitive (domains and GUIDs). */
static int names_tenant(const struct case_info *i, const char *t)
{
	if (!strcasecmp(t, i->tenant) || (i->tenant_id[0] && !strcasecmp(t, i->tenant_id)))
		return 1;
	size_t n = strlen(t);
	for (const char *p = i->domains; *p;) {
		while (*p == ' ')
			p++;
		size_t k = strcspn(p, " ");
		if (k == n && !strncasecmp(p, t, n))
			return 1;
		p += k;
	}
	return 0;
}

static int case_known(const struct case_info *i)
{
	return !tenant_vague(i->tenant) || i->tenant_id[0];
}

static const char *case_names(const struct case_info *i)
{
	return i->tenant_id[0] && tenant_vague(i->tenant) ? i->tenant_id : i->tenant;
}

/* ---- open / close ------------------------------------------------------------ */

static void run_stamp(struct case_dir *c)
{
	char iso[32];
	tm_utc_iso(tm_now(), iso, sizeof iso);
	/* 2026-11-22T09:40:00Z -> 20261122T094000Z: no ':' (FAT) */
	size_t k = 0;
	for (const char *p = iso; *p && k + 1 < sizeof c->run; p++)
		if (*p != '-' && *p != ':')
			c->run[k++] = *p;
	c->run[k] = 0;
	snprintf(c->run + k, sizeof c->run - k, "-%ld", (long)getpid());
}

int case_open(struct case_dir **out, const char *dir, const char *tenant,
	      const char *responder, int offline)
{
	char ini[4200];
	struct case_dir *c;

	*out = NULL;
	if (!dir || !*dir || strlen(dir) >= sizeof c->info.dir - 64)
		return err_set(E_CASE_PATH, dir ? dir : "");
	c = calloc(1, sizeof *c);
	if (!c)
		return err_set(E_NOMEM);
	pthread_mutex_init(&c->mu, NULL);
	c->offline = offline;
	c->log_fd = -1;
	snprintf(c->info.dir, sizeof c->info.dir, "%s", dir);
	snprintf(ini, sizeof ini, "%s/case.ini", dir);
	run_stamp(c);

	if (offline) {
		if (!file_exists(ini)) {
			err_set(E_CASE_NOT_CASE, dir);
			goto fail;
		}
	} else {
		/* file_mkdirs makes each new folder durable in its parent */
		if (file_mkdirs(dir) < 0)
			goto fail;
	}
	if (file_exists(ini)) {
		if (ini_read(&c->info, ini) < 0)
			goto fail;
		if (!tenant_vague(tenant) && case_known(&c->info) && !names_tenant(&c->info, tenant)) {
			err_set(E_CASE_TENANT, dir, case_names(&c->info), tenant);
			goto fail;
		}
		if (!offline && !case_known(&c->info) && !tenant_vague(tenant)) {
			copy_val(c->info.tenant, sizeof c->info.tenant, tenant);
			if (case_ini_write(c) < 0)
				goto fail;
		}
	} else {
		char iso[32];
		copy_val(c->info.tenant, sizeof c->info.tenant, tenant_vague(tenant) ? "" : tenant);
		copy_val(c->info.responder, sizeof c->info.responder, responder ? responder : "");
		copy_val(c->info.tool_version, sizeof c->info.tool_version, "reflexe " REFLEXE_VERSION);
		tm_utc_iso(tm_now(), iso, sizeof iso);
		copy_val(c->info.started, sizeof c->info.started, iso);
		if (net_uuid4(c->info.case_id) < 0 || case_ini_write(c) < 0)
			goto fail;
	}
	/* A run pulled out mid-way may have left lines of moved files. */
	if (!offline && case_manifest_compact(c) < 0)
		goto fail;
	*out = c;
	return 0;
fail:
	pthread_mutex_destroy(&c->mu);
	free(c);
	return -1;
}

int case_close(struct case_dir *c)
{
	int r = 0;
	if (!c)
		return 0;
	if (!c->offline)
		r = case_manifest_compact(c);
	if (c->log_fd >= 0)
		close(c->log_fd);
	case_index_free(c);
	pthread_mutex_destroy(&c->mu);
	free(c);
	return r;
}

int case_set_tenant(struct case_dir *c, const char *tenant_id, const char *domains)
{
	int r = 0;
	pthread_mutex_lock(&c->mu);
	struct case_info *i = &c->info;
	if (tenant_id && *tenant_id && i->tenant_id[0] && strcasecmp(i->tenant_id, tenant_id)) {
		r = err_set(E_CASE_TENANT, i->dir, i->tenant_id, tenant_id);
		goto out;
	}
	/* The case was made for a domain: it must be one of this tenant's. */
	if (tenant_id && *tenant_id && !i->tenant_id[0] && !tenant_vague(i->tenant)) {
		struct case_info probe = *i;
		copy_val(probe.domains, sizeof probe.domains, domains ? domains : "");
		copy_val(probe.tenant_id, sizeof probe.tenant_id, tenant_id);
		probe.tenant[0] = 0;
		if (!names_tenant(&probe, i->tenant)) {
			r = err_set(E_CASE_TENANT, i->dir, i->tenant, tenant_id);
			goto out;
		}
	}
	if (c->offline)
		goto out;
	if (tenant_id && *tenant_id)
		copy_val(i->tenant_id, sizeof i->tenant_id, tenant_id);
	if (domains && *domains)
		copy_val(i->domains, sizeof i->domains, domains);
	r = case_ini_write(c);
out:
	pthread_mutex_unlock(&c->mu);
	return r;
}

int case_note_date(struct case_dir *c, const char *date_hdr, int64_t host_now)
{
	int64_t server;
	int r = 0;
	if (c->offline || !date_hdr || tm_parse_http(date_hdr, &server) < 0) {
		err_clear();
		return 0;
	}
	pthread_mutex_lock(&c->mu);
	if (!c->skew_done) {
		c->skew_done = 1;
		c->info.has_skew = 1;
		c->info.skew_s = host_now - server;
		tm_utc_iso(host_now, c->info.skew_at, sizeof c->info.skew_at);
		r = case_ini_write(c);
	}
	pthread_mutex_unlock(&c->mu);
	return r;
}
