/*
 * Evidence too large for memory (an imported export of a gigabyte):
 * written as it comes to a temp file beside its final name, hashed on the
 * way, then committed as case_save commits a buffer — fsync, rename,
 * fsync the folder, and only then the manifest line. Aborted (the
 * import failed half-way), the temp file is removed and nothing is
 * listed: a pulled stick or a refused file leaves no listed half-file.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <mbedtls/sha256.h>

#include "case/case.h"

#define WBUF (256u * 1024)

struct case_stream {
	struct case_dir *c;
	char rel[1100];
	char tmp[4300];
	int fd;
	mbedtls_sha256_context h;
	char *buf;
	size_t n;
	unsigned long long bytes;
	char sha[65];             /* set by case_stream_finish */
};

int case_stream_open(struct case_dir *c, const char *rel, struct case_stream **out)
{
	char path[4200];
	*out = NULL;
	if (c->offline)
		return err_set(E_CASE_OFFLINE_WRITE, rel);
	if (strlen(rel) >= sizeof ((struct case_stream *)0)->rel || case_path_for(c, rel, path, sizeof path) < 0)
		return -1;
	struct case_stream *s = calloc(1, sizeof *s);
	if (!s || !(s->buf = malloc(WBUF))) {
		free(s);
		return err_set(E_NOMEM);
	}
	s->c = c;
	snprintf(s->rel, sizeof s->rel, "%s", rel);
	char *slash = strrchr(path, '/');
	*slash = 0;
	s->fd = -1;
	for (unsigned i = 0; s->fd < 0 && i < 100; i++) {
		snprintf(s->tmp, sizeof s->tmp, "%s/.%s.tmp-%ld-s%u", path, slash + 1, (long)getpid(), i);
		s->fd = open(s->tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600);
		if (s->fd < 0 && errno != EEXIST)
			break;
	}
	*slash = '/';
	if (s->fd < 0) {
		err_set(E_FILE_WRITE, path, file_strerror(errno));
		free(s->buf);
		free(s);
		return -1;
	}
	mbedtls_sha256_init(&s->h);
	if (mbedtls_sha256_starts(&s->h, 0) != 0) {
		case_stream_abort(s);
		return err_set(E_HASH);
	}
	*out = s;
	return 0;
}

static int flush(struct case_stream *s)
{
	if (!s->n)
		return 0;
	if (file_write_all(s->fd, s->buf, s->n) < 0)
		return err_set(E_FILE_WRITE, s->rel, file_strerror(errno));
	s->n = 0;
	return 0;
}

int case_stream_write(struct case_stream *s, const void *p, size_t n)
{
	if (mbedtls_sha256_update(&s->h, p, n) != 0)
		return err_set(E_HASH);
	s->bytes += n;
	const char *q = p;
	while (n) {
		size_t k = WBUF - s->n < n ? WBUF - s->n : n;
		memcpy(s->buf + s->n, q, k);
		s->n += k;
		q += k;
		n -= k;
		if (s->n == WBUF && flush(s) < 0)
			return -1;
	}
	return 0;
}

unsigned long long case_stream_bytes(const struct case_stream *s)
{
	return s->bytes;
}

int case_stream_finish(struct case_stream *s, char sha_hex[65])
{
	unsigned char d[32];
	if (!s->sha[0]) {
		if (flush(s) < 0)
			return -1;
		if (fsync(s->fd) < 0)
			return err_set(E_FILE_WRITE, s->rel, file_strerror(errno));
		int r = close(s->fd);
		s->fd = -1;
		if (r < 0)
			return err_set(E_FILE_WRITE, s->rel, file_strerror(errno));
		if (mbedtls_sha256_finish(&s->h, d) != 0)
			return err_set(E_HASH);
		hash_hex(d, sizeof d, s->sha);
	}
	if (sha_hex)
		memcpy(sha_hex, s->sha, 65);
	return 0;
}

int case_stream_commit(struct case_stream *s, struct case_batch *b, const char *rel, char sha_hex[65])
{
	char path[4200];
	int r = -1;
	if (!rel)
		rel = s->rel;
	if (case_stream_finish(s, sha_hex) < 0 || case_path_for(s->c, rel, path, sizeof path) < 0 ||
	    case_save_file_in(s->c, b, rel, s->tmp, s->sha) < 0)
		goto out;
	s->tmp[0] = 0;              /* renamed: nothing to remove */
	r = 0;
out:
	case_stream_abort(s);
	return r;
}

void case_stream_abort(struct case_stream *s)
{
	if (!s)
		return;
	if (s->fd >= 0)
		close(s->fd);
	if (s->tmp[0])
		unlink(s->tmp);
	mbedtls_sha256_free(&s->h);
	free(s->buf);
	free(s);
}
