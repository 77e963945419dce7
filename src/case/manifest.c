/*
 * Evidence files and manifest.sha256.
 *
 * Order of a write (DESIGN.md "Case folder"): the file goes to a temp
 * name, is fsynced, renamed, its folder fsynced (core/file.c), and only
 * then is "<sha256>  <path>" appended to the manifest and fsynced. A
 * stick pulled at any moment leaves either a listed, whole file, or an
 * unlisted one — never a listed file that is not whole.
 *
 * A later run that fetches the same collection again must neither
 * overwrite evidence nor leave a manifest line that no longer checks:
 * the earlier file is moved to superseded/<run>/<path> (a rename, same
 * file system) and listed there; the stale line under the old path is
 * dropped when the manifest is compacted (at close, and at the next open
 * if the run was cut short). Lines are in sha256sum's format, so
 * `sha256sum -c manifest.sha256` in the case folder checks everything.
 *
 * Several processes may share a case (two applets at once): appends and
 * compaction take flock(2) on the manifest, and an appender that finds
 * the file replaced by a compaction reopens it.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <mbedtls/sha256.h>

#include "case/case.h"

#define MANIFEST_MAX ((size_t)256 << 20)
#define REL_MAX 1024

/* ---- hashing ----------------------------------------------------------------- */

static void hex(const unsigned char *d, size_t n, char *out)
{
	static const char x[] = "0123456789abcdef";
	for (size_t i = 0; i < n; i++) {
		out[2 * i] = x[d[i] >> 4];
		out[2 * i + 1] = x[d[i] & 15];
	}
	out[2 * n] = 0;
}

int case_sha256_hex(const void *data, size_t n, char out[65])
{
	unsigned char d[32];
	if (mbedtls_sha256(data, n, d, 0) != 0)
		return err_set(E_CASE_HASH);
	hex(d, 32, out);
	return 0;
}

static int sha256_file(const char *path, char out[65])
{
	unsigned char d[32], chunk[65536];
	mbedtls_sha256_context h;
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW), r = -1;
	if (fd < 0)
		return err_set(E_FILE_OPEN, path, file_strerror(errno));
	mbedtls_sha256_init(&h);
	if (mbedtls_sha256_starts(&h, 0) != 0)
		goto out;
	for (;;) {
		ssize_t k = read(fd, chunk, sizeof chunk);
		if (k < 0 && errno == EINTR)
			continue;
		if (k < 0) {
			err_set(E_FILE_READ, path, file_strerror(errno));
			goto out;
		}
		if (k == 0)
			break;
		if (mbedtls_sha256_update(&h, chunk, (size_t)k) != 0)
			goto out;
	}
	if (mbedtls_sha256_finish(&h, d) != 0)
		goto out;
	hex(d, 32, out);
	r = 0;
out:
	if (r < 0 && !*err_msg())
		err_set(E_CASE_HASH);
	mbedtls_sha256_free(&h);
	close(fd);
	return r;
}

/* ---- paths ------------------------------------------------------------------- */

static int rel_char(unsigned char ch)
{
	return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') ||
	       strchr("._-@%+=,~", ch) != NULL;
}

/* Checks a case-relative path: segments of safe characters (no space,
 * no ':' that FAT refuses, nothing sha256sum would escape), no "." or
 * "..", not one of the case's own files. */
int case_rel_ok(const char *rel)
{
	size_t n = rel ? strlen(rel) : 0;
	if (n == 0 || n > REL_MAX || rel[0] == '/')
		return err_set(E_CASE_REL, rel ? rel : "");
	const char *p = rel;
	while (*p) {
		size_t k = strcspn(p, "/");
		if (k == 0 || k > 255 || (k == 1 && p[0] == '.') || (k == 2 && p[0] == '.' && p[1] == '.'))
			return err_set(E_CASE_REL, rel);
		for (size_t i = 0; i < k; i++)
			if (!rel_char((unsigned char)p[i]))
				return err_set(E_CASE_REL, rel);
		p += k;
		if (*p == '/' && !*++p)
			return err_set(E_CASE_REL, rel);
	}
	static const char *const own[] = { "case.ini", "manifest.sha256", "requests.jsonl", "superseded", NULL };
	for (int i = 0; own[i]; i++) {
		size_t k = strlen(own[i]);
		if (!strncmp(rel, own[i], k) && (rel[k] == 0 || rel[k] == '/'))
			return err_set(E_CASE_REL, rel);
	}
	return 0;
}

static int join(char *out, size_t n, const char *a, const char *b)
{
	int w = snprintf(out, n, "%s/%s", a, b);
	if (w < 0 || (size_t)w >= n)
		return err_set(E_CASE_PATH, b);
	return 0;
}

/* A folder just made is only durable once its parent is fsynced: the
 * fsync of the evidence file's own folder (core/file.c) covers that
 * folder's entries, not the entry naming it in its parent. ext4's
 * journal would carry it with the next commit anyway, but FAT/exFAT,
 * what USB sticks mostly are, has no journal: without this, a stick
 * pulled seconds after a manifest line was written could lose
 * users/<id>/ and the listed file in it. p is modified and restored. */
static int made(char *p)
{
	char *s = strrchr(p, '/');
	if (!s || s == p)
		return 0;
	*s = 0;
	int r = file_fsync_dir(p);
	*s = '/';
	return r;
}

/* mkdir -p, cheap in the usual cases: one mkdir(2) when the folder is
 * there already (EEXIST), one per missing level otherwise (with the
 * fsync of its parent). A batch of 20 per-user answers creates 20 new
 * folders three levels deep. */
static int mkdirs(char *p, int depth)
{
	if (mkdir(p, 0700) == 0)
		return made(p);
	if (errno == EEXIST)
		return 0;
	if (errno != ENOENT || depth > 64)
		return err_set(E_FILE_MKDIR, p, file_strerror(errno));
	char *s = strrchr(p, '/');
	if (!s || s == p)
		return err_set(E_FILE_MKDIR, p, file_strerror(ENOENT));
	*s = 0;
	int r = mkdirs(p, depth + 1);
	*s = '/';
	if (r < 0)
		return -1;
	if (mkdir(p, 0700) == 0)
		return made(p);
	if (errno != EEXIST)
		return err_set(E_FILE_MKDIR, p, file_strerror(errno));
	return 0;
}

static int mkparent(const char *path)
{
	char d[4096 + REL_MAX + 64];
	snprintf(d, sizeof d, "%s", path);
	char *s = strrchr(d, '/');
	if (!s)
		return 0;
	*s = 0;
	return mkdirs(d, 0);
}

/* ---- manifest lines ------------------------------------------------------------ */

int case_manifest_line(const char *line, size_t n, char sha[65], const char **path, size_t *plen)
{
	if (n < 67)
		return -1;
	for (int i = 0; i < 64; i++) {
		char ch = line[i];
		if (!((ch >= '0' && ch <= '9') || (ch >= 'a' && ch <= 'f') || (ch >= 'A' && ch <= 'F')))
			return -1;
		sha[i] = (char)(ch | 0x20);
	}
	sha[64] = 0;
	if (line[64] != ' ' || (line[65] != ' ' && line[65] != '*'))
		return -1;
	*path = line + 66;
	*plen = n - 66;
	return 0;
}

static int manifest_path(const struct case_dir *c, char *out, size_t n)
{
	return join(out, n, c->info.dir, "manifest.sha256");
}

/* Opens the manifest for appending, locked, and still the file at its
 * name (a compaction by another process renames a new one over it). */
static int manifest_lock(const struct case_dir *c, int flags)
{
	char path[4200];
	if (manifest_path(c, path, sizeof path) < 0)
		return -1;
	for (int tries = 0; tries < 20; tries++) {
		struct stat a, b;
		int fd = open(path, flags | O_CLOEXEC | O_NOFOLLOW, 0600);
		if (fd < 0)
			return err_set(E_FILE_OPEN, path, file_strerror(errno));
		while (flock(fd, LOCK_EX) < 0) {
			if (errno != EINTR) {
				/* Some file systems have no locks: go on
				 * without (one process per case there). */
				break;
			}
		}
		if (fstat(fd, &a) == 0 && stat(path, &b) == 0 && a.st_ino == b.st_ino &&
		    a.st_dev == b.st_dev)
			return fd;
		close(fd);
	}
	return err_set(E_FILE_OPEN, path, file_strerror(EAGAIN));
}

/* Appends whole lines, one write and one fsync. Caller holds c->mu. */
static int manifest_write(struct case_dir *c, const char *text, size_t n)
{
	char path[4200];
	int fd = manifest_lock(c, O_WRONLY | O_APPEND | O_CREAT);
	if (fd < 0)
		return -1;
	int r = 0;
	if (file_write_all(fd, text, n) < 0 || fsync(fd) < 0) {
		manifest_path(c, path, sizeof path);
		r = err_set(E_FILE_WRITE, path, file_strerror(errno));
	}
	close(fd);
	return r;
}

static int manifest_line(char *line, size_t sz, const char *sha, const char *rel)
{
	int n = snprintf(line, sz, "%s  %s\n", sha, rel);
	if (n < 0 || (size_t)n >= sz)
		return err_set(E_CASE_REL, rel);
	return n;
}

/* Caller holds c->mu. */
static int manifest_append(struct case_dir *c, const char *sha, const char *rel)
{
	char line[REL_MAX + 128];
	int n = manifest_line(line, sizeof line, sha, rel);
	return n < 0 ? -1 : manifest_write(c, line, (size_t)n);
}

/* ---- a small string map (open addressing, FNV-1a) ------------------------------ */

struct case_map {
	struct slot {
		char *k;
		char v[65];       /* sha256 hex; "" once the file was moved aside */
		size_t line;      /* the manifest line that set v */
	} *s;
	size_t n, used;
};

static uint64_t fnv(const char *s, size_t n)
{
	uint64_t h = 1469598103934665603ull;
	for (size_t i = 0; i < n; i++)
		h = (h ^ (unsigned char)s[i]) * 1099511628211ull;
	return h;
}

static void map_free(struct case_map *m)
{
	if (!m)
		return;
	for (size_t i = 0; i < m->n; i++)
		free(m->s[i].k);
	free(m->s);
	free(m);
}

static struct slot *map_find(struct case_map *m, const char *k, size_t kn)
{
	if (!m->n)
		return NULL;
	for (size_t i = fnv(k, kn) & (m->n - 1);; i = (i + 1) & (m->n - 1)) {
		if (!m->s[i].k)
			return &m->s[i];
		if (strlen(m->s[i].k) == kn && !memcmp(m->s[i].k, k, kn))
			return &m->s[i];
	}
}

/* The slot of k, made (with an empty value) if k was not there; NULL
 * (err set) on out-of-memory. */
static struct slot *map_put(struct case_map *m, const char *k, size_t kn)
{
	if ((m->used + 1) * 2 > m->n) {
		struct case_map g = { calloc(m->n ? m->n * 2 : 256, sizeof *m->s), m->n ? m->n * 2 : 256, 0 };
		if (!g.s) {
			err_set(E_NOMEM);
			return NULL;
		}
		for (size_t i = 0; i < m->n; i++)
			if (m->s[i].k) {
				struct slot *d = map_find(&g, m->s[i].k, strlen(m->s[i].k));
				*d = m->s[i];
				g.used++;
			}
		free(m->s);
		*m = g;
	}
	struct slot *d = map_find(m, k, kn);
	if (!d->k) {
		if (!(d->k = malloc(kn + 1))) {
			err_set(E_NOMEM);
			return NULL;
		}
		memcpy(d->k, k, kn);
		d->k[kn] = 0;
		d->v[0] = 0;
		d->line = 0;
		m->used++;
	}
	return d;
}

/* "superseded/<run>/<rest>" -> rest, else NULL. */
static const char *superseded_rest(const char *p, size_t n, size_t *rn)
{
	static const char pre[] = "superseded/";
	if (n <= sizeof pre - 1 || memcmp(p, pre, sizeof pre - 1))
		return NULL;
	const char *r = memchr(p + sizeof pre - 1, '/', n - (sizeof pre - 1));
	if (!r || r + 1 >= p + n)
		return NULL;
	*rn = (size_t)(p + n - (r + 1));
	return r + 1;
}

/* ---- reading the manifest in order -------------------------------------------------
 * Lines are appended as files are written, so what a line means depends
 * on the lines before it:
 *   "<h>  <p>"                  p holds the bytes of hash h, until a later
 *                               line says otherwise;
 *   "<h>  superseded/<run>/<p>" the file p listed with hash h was moved
 *                               there: p no longer holds it.
 * A run that fetches the same bytes again (role definitions rarely
 * change) writes "<h> p", "<h> superseded/<run>/p", "<h> p": only a
 * reading in order tells that the last line is the live one. (Keying
 * "moved" on hash and path alone dropped both, leaving p unlisted.) */
struct mline {
	const char *p;
	size_t n;
	int keep;
};

/* Fills live (path -> hash of the file there now, "" when moved aside;
 * line = index of the line that listed it). lines (may be NULL) gets one
 * entry per line, keep = 0 for the lines compaction drops: blank lines,
 * lines of files since moved aside, repeats of the live line. Unparsable
 * lines are kept (never destroy what may be evidence of damage). */
static int manifest_scan(const char *text, size_t len, struct case_map *live, struct mline *lines,
			 size_t *nlines)
{
	size_t i = 0;
	for (const char *l = text, *end = text + len; l < end; i++) {
		const char *e = memchr(l, '\n', (size_t)(end - l));
		size_t n = e ? (size_t)(e - l) : (size_t)(end - l), pn, rn;
		char sha[65];
		const char *p, *rest;
		int keep = n > 0;
		if (keep && case_manifest_line(l, n, sha, &p, &pn) == 0) {
			struct slot *s;
			if ((rest = superseded_rest(p, pn, &rn)) && (s = map_find(live, rest, rn)) && s->k &&
			    !strcmp(s->v, sha)) {
				if (lines)
					lines[s->line].keep = 0;
				s->v[0] = 0;
			}
			s = map_find(live, p, pn);
			if (s && s->k && !strcmp(s->v, sha)) {
				keep = 0;           /* a repeat of the live line */
			} else {
				if (!(s = map_put(live, p, pn)))
					return -1;
				memcpy(s->v, sha, sizeof s->v);
				s->line = i;
			}
		}
		if (lines)
			lines[i] = (struct mline){ l, n, keep };
		l = e ? e + 1 : end;
	}
	if (nlines)
		*nlines = i;
	return 0;
}

static size_t count_lines(const char *text, size_t len)
{
	size_t k = 1;
	for (const char *p = text; (p = memchr(p, '\n', (size_t)(text + len - p))); p++)
		k++;
	return k;
}

int case_manifest_compact(struct case_dir *c)
{
	char path[4200];
	struct buf f = { 0 }, out = { 0 };
	struct case_map live = { 0 };
	struct mline *lines = NULL;
	size_t nl = 0;
	int r = -1, fd = -1, dropped = 0;

	if (manifest_path(c, path, sizeof path) < 0)
		return -1;
	if (!file_exists(path))
		return 0;
	pthread_mutex_lock(&c->mu);
	if ((fd = manifest_lock(c, O_RDONLY)) < 0)
		goto out;
	if (file_read(path, &f, MANIFEST_MAX) < 0)
		goto out;
	if (!(lines = calloc(count_lines(f.p ? f.p : "", f.len), sizeof *lines))) {
		err_set(E_NOMEM);
		goto out;
	}
	if (manifest_scan(f.p ? f.p : "", f.len, &live, lines, &nl) < 0)
		goto out;
	for (size_t i = 0; i < nl; i++) {
		if (!lines[i].keep)
			dropped++;
		else if (buf_append(&out, lines[i].p, lines[i].n) < 0 || buf_puts(&out, "\n") < 0)
			goto out;
	}
	r = dropped ? file_write_atomic(path, out.p ? out.p : "", out.len) : 0;
out:
	if (fd >= 0)
		close(fd);
	pthread_mutex_unlock(&c->mu);
	for (size_t i = 0; i < live.n; i++)
		free(live.s[i].k);
	free(live.s);
	free(lines);
	buf_free(&f);
	buf_free(&out);
	return r;
}

/* ---- saving evidence ------------------------------------------------------------- */

/* Moves dir/rel to superseded/<run>[.k]/rel and lists it there. Caller
 * holds c->mu. */
static int supersede(struct case_dir *c, const char *rel)
{
	char src[4200], dst[4200 + 128], moved[REL_MAX + 128], sha[65];
	if (join(src, sizeof src, c->info.dir, rel) < 0)
		return -1;
	for (int k = 1;; k++) {
		int w = k == 1 ? snprintf(moved, sizeof moved, "superseded/%s/%s", c->run, rel)
			       : snprintf(moved, sizeof moved, "superseded/%s.%d/%s", c->run, k, rel);
		if (w < 0 || (size_t)w >= sizeof moved || join(dst, sizeof dst, c->info.dir, moved) < 0)
			return err_set(E_CASE_REL, rel);
		if (!file_exists(dst))
			break;
		if (k > 1000)
			return err_set(E_CASE_REL, rel);
	}
	if (sha256_file(src, sha) < 0 || mkparent(dst) < 0)
		return -1;
	if (rename(src, dst) < 0)
		return err_set(E_CASE_MOVE, rel, file_strerror(errno));
	char d[4200 + 128];
	snprintf(d, sizeof d, "%s", dst);
	*strrchr(d, '/') = 0;
	if (file_fsync_dir(d) < 0)
		return -1;
	snprintf(d, sizeof d, "%s", src);
	*strrchr(d, '/') = 0;
	if (file_fsync_dir(d) < 0)
		return -1;
	return manifest_append(c, sha, moved);
}

int case_save(struct case_dir *c, const char *rel, const void *data, size_t n, char *sha_hex)
{
	return case_save_in(c, NULL, rel, data, n, sha_hex);
}

int case_save_in(struct case_dir *c, struct case_batch *b, const char *rel,
		 const void *data, size_t n, char *sha_hex)
{
	char path[4200], sha[65];
	int r;

	if (c->offline)
		return err_set(E_CASE_OFFLINE_WRITE, rel);
	if (case_rel_ok(rel) < 0 || join(path, sizeof path, c->info.dir, rel) < 0 ||
	    mkparent(path) < 0 || case_sha256_hex(data, n, sha) < 0)
		return -1;
	pthread_mutex_lock(&c->mu);
	r = file_exists(path) ? supersede(c, rel) : 0;
	pthread_mutex_unlock(&c->mu);
	if (r < 0 || file_write_atomic(path, data, n) < 0)
		return -1;
	if (b) {
		char line[REL_MAX + 128];
		int k = manifest_line(line, sizeof line, sha, rel);
		r = k < 0 ? -1 : buf_append(&b->manifest, line, (size_t)k);
	} else {
		pthread_mutex_lock(&c->mu);
		r = manifest_append(c, sha, rel);
		pthread_mutex_unlock(&c->mu);
	}
	if (r == 0 && sha_hex)
		memcpy(sha_hex, sha, 65);
	return r;
}

int case_commit(struct case_dir *c, struct case_batch *b)
{
	int r = 0;
	pthread_mutex_lock(&c->mu);
	/* the files first, then the requests that fetched them */
	if (b->manifest.len)
		r = manifest_write(c, b->manifest.p, b->manifest.len);
	if (r == 0 && b->log.len)
		r = case_log_write(c, b->log.p, b->log.len);
	pthread_mutex_unlock(&c->mu);
	buf_reset(&b->manifest);
	buf_reset(&b->log);
	return r;
}

void case_batch_free(struct case_batch *b)
{
	buf_free(&b->manifest);
	buf_free(&b->log);
}

static int is_page_name_prefix(const char *s)
{
	return !strncmp(s, "page-", 5) && strspn(s + 5, "0123456789") > 0;
}

static int is_page_name(const char *s)
{
	if (strncmp(s, "page-", 5))
		return 0;
	const char *p = s + 5;
	size_t d = strspn(p, "0123456789");
	return d > 0 && !strcmp(p + d, ".json");
}

int case_begin_pages(struct case_dir *c, const char *rel)
{
	char path[4200];
	if (c->offline)
		return err_set(E_CASE_OFFLINE_WRITE, rel);
	if (case_rel_ok(rel) < 0 || join(path, sizeof path, c->info.dir, rel) < 0)
		return -1;
	DIR *d = opendir(path);
	if (!d)
		return errno == ENOENT || errno == ENOTDIR ? 0 : err_set(E_FILE_OPEN, path, file_strerror(errno));
	int r = 0;
	pthread_mutex_lock(&c->mu);
	for (struct dirent *e; r == 0 && (e = readdir(d));) {
		char one[REL_MAX + 64];
		/* A temp file left by a run killed mid-write (core/file.c
		 * names them ".<name>.tmp-<pid>-<n>") was never evidence. */
		if (e->d_name[0] == '.' && is_page_name_prefix(e->d_name + 1) &&
		    strstr(e->d_name, ".tmp-")) {
			unlinkat(dirfd(d), e->d_name, 0);
			continue;
		}
		if (!is_page_name(e->d_name))
			continue;
		snprintf(one, sizeof one, "%s/%s", rel, e->d_name);
		r = supersede(c, one);
	}
	pthread_mutex_unlock(&c->mu);
	closedir(d);
	return r;
}

/* ---- checking evidence read back (offline) ---------------------------------------- */

void case_index_free(struct case_dir *c)
{
	map_free(c->index);
	c->index = NULL;
}

static int index_load(struct case_dir *c)
{
	char path[4200];
	struct buf f = { 0 };
	struct case_map *m = calloc(1, sizeof *m);
	if (!m)
		return err_set(E_NOMEM);
	if (manifest_path(c, path, sizeof path) < 0 || file_read(path, &f, MANIFEST_MAX) < 0 ||
	    manifest_scan(f.p ? f.p : "", f.len, m, NULL, NULL) < 0) {
		map_free(m);
		buf_free(&f);
		return -1;
	}
	buf_free(&f);
	c->index = m;
	return 0;
}

/* The live entry of rel, or NULL: not listed, or moved aside since.
 * Caller holds c->mu and has loaded the index. */
static struct slot *index_get(struct case_dir *c, const char *rel)
{
	struct slot *s = map_find(c->index, rel, strlen(rel));
	return s && s->k && s->v[0] ? s : NULL;
}

int case_check(struct case_dir *c, const char *rel, const void *data, size_t n)
{
	char sha[65];
	int r = 0;
	if (case_sha256_hex(data, n, sha) < 0)
		return -1;
	pthread_mutex_lock(&c->mu);
	if (!c->index && index_load(c) < 0) {
		r = -1;
		goto out;
	}
	struct slot *s = index_get(c, rel);
	if (!s)
		r = err_set(E_CASE_UNLISTED, rel);
	else if (strcmp(s->v, sha))
		r = err_set(E_CASE_ALTERED, rel);
out:
	pthread_mutex_unlock(&c->mu);
	return r;
}

int case_listed(struct case_dir *c, const char *rel)
{
	int r;
	pthread_mutex_lock(&c->mu);
	if (!c->index && index_load(c) < 0)
		r = -1;
	else
		r = index_get(c, rel) ? 1 : 0;
	pthread_mutex_unlock(&c->mu);
	return r;
}

int case_listed_under(struct case_dir *c, const char *dir, case_rel_fn fn, void *ctx)
{
	size_t dn = strlen(dir);
	char **names = NULL;
	size_t n = 0;
	int r = 0;
	/* Copied out first: fn may call case_check, which takes c->mu. */
	pthread_mutex_lock(&c->mu);
	if (!c->index && index_load(c) < 0) {
		pthread_mutex_unlock(&c->mu);
		return -1;
	}
	struct case_map *m = c->index;
	if (m->used && !(names = calloc(m->used, sizeof *names)))
		r = err_set(E_NOMEM);
	for (size_t i = 0; r == 0 && i < m->n; i++) {
		const char *k = m->s[i].k;
		if (!k || !m->s[i].v[0] || (dn && (strncmp(k, dir, dn) || k[dn] != '/')))
			continue;
		if (!(names[n++] = strdup(k)))
			r = err_set(E_NOMEM);
	}
	pthread_mutex_unlock(&c->mu);
	for (size_t i = 0; i < n; i++) {
		if (r == 0 && names[i])
			r = fn(ctx, names[i]);
		free(names[i]);
	}
	free(names);
	return r;
}
