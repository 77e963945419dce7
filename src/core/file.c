/*
 * Files on a medium that may be pulled at any moment (a USB stick, often
 * FAT/exFAT). The atomic write follows the usual POSIX recipe — temp file
 * in the same folder, write, fsync, rename, fsync the folder — because
 * rename(2) is atomic only within one file system, and the data and the
 * new directory entry each need their own fsync to be durable (see
 * fsync(2), "Calling fsync() does not necessarily ensure that the entry
 * in the directory containing the file has also reached disk").
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/core.h"

/* musl's strerror is English only; these are the failures a responder
 * meets on a stick, in the user's language. */
const char *file_strerror(int e)
{
	static _Thread_local char other[64];
	switch (e) {
	case ENOSPC: return tr(M_ERRNO_NOSPC);
	case EROFS: return tr(M_ERRNO_ROFS);
	case EACCES: case EPERM: return tr(M_ERRNO_ACCES);
	case ENOENT: return tr(M_ERRNO_NOENT);
	case EEXIST: return tr(M_ERRNO_EXIST);
	case EIO: return tr(M_ERRNO_IO);
	case EFBIG: return tr(M_ERRNO_FBIG);
	case EDQUOT: return tr(M_ERRNO_DQUOT);
	case ENOTDIR: return tr(M_ERRNO_NOTDIR);
	case EISDIR: return tr(M_ERRNO_ISDIR);
	case ENOMEM: return tr(E_NOMEM);
	}
	tr_snprintf(other, sizeof other, M_ERRNO_OTHER, e);
	return other;
}

int file_write_all(int fd, const void *data, size_t n)
{
	const char *p = data;
	while (n) {
		ssize_t w = write(fd, p, n);
		if (w < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		if (w == 0) {           /* no progress and no errno: call it full */
			errno = ENOSPC;
			return -1;
		}
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

/* Splits path into its folder ("." when none) in dir. */
static int dir_of(const char *path, char *dir, size_t dsz)
{
	const char *slash = strrchr(path, '/');
	if (!slash) {
		snprintf(dir, dsz, ".");
		return 0;
	}
	size_t n = slash == path ? 1 : (size_t)(slash - path);
	if (n >= dsz)
		return err_set(E_FILE_WRITE, path, file_strerror(ENAMETOOLONG));
	memcpy(dir, path, n);
	dir[n] = 0;
	return 0;
}

int file_fsync_dir(const char *dir)
{
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return err_set(E_FILE_OPEN, dir, file_strerror(errno));
	int r = fsync(fd);
	int e = errno;
	close(fd);
	/* Some file systems cannot fsync a folder and say EINVAL: there is
	 * nothing more we can do there, and the data itself is synced. */
	if (r < 0 && e != EINVAL && e != ENOTSUP)
		return err_set(E_FILE_WRITE, dir, file_strerror(e));
	return 0;
}

int file_write_atomic(const char *path, const void *data, size_t n)
{
	char dir[4096], tmp[4096 + 64];
	const char *base = strrchr(path, '/');
	int fd = -1, e;

	base = base ? base + 1 : path;
	if (dir_of(path, dir, sizeof dir) < 0)
		return -1;
	/* O_EXCL: never reuse (or follow a planted link at) an existing
	 * name; the pid and a counter keep concurrent writers apart. */
	for (unsigned i = 0; fd < 0 && i < 100; i++) {
		int k = snprintf(tmp, sizeof tmp, "%s/.%s.tmp-%ld-%u", dir, base, (long)getpid(), i);
		if (k < 0 || (size_t)k >= sizeof tmp)
			return err_set(E_FILE_WRITE, path, file_strerror(ENAMETOOLONG));
		fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600);
		if (fd < 0 && errno != EEXIST)
			return err_set(E_FILE_WRITE, path, file_strerror(errno));
	}
	if (fd < 0)
		return err_set(E_FILE_WRITE, path, file_strerror(EEXIST));
	if (file_write_all(fd, data, n) < 0 || fsync(fd) < 0) {
		e = errno;
		close(fd);
		goto fail;
	}
	/* close() can report a deferred write error (NFS, some FUSE). */
	if (close(fd) < 0) {
		e = errno;
		goto fail;
	}
	if (rename(tmp, path) < 0) {
		e = errno;
		goto fail;
	}
	return file_fsync_dir(dir);
fail:
	unlink(tmp);
	return err_set(E_FILE_WRITE, path, file_strerror(e));
}

int file_write_over(const char *path, const void *data, size_t n)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0600);
	if (fd < 0)
		return err_set(E_FILE_OPEN, path, file_strerror(errno));
	int e = 0;
	if (file_write_all(fd, data, n) < 0)
		e = errno;
	/* A pipe or a terminal (-o /dev/stdout) cannot be synced: EINVAL. */
	else if (fsync(fd) < 0 && errno != EINVAL)
		e = errno;
	if (close(fd) < 0 && !e)
		e = errno;
	if (e)
		return err_set(E_FILE_WRITE, path, file_strerror(e));
	return 0;
}

int file_read(const char *path, struct buf *out, size_t max)
{
	struct stat st;
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return err_set(E_FILE_OPEN, path, file_strerror(errno));
	buf_reset(out);
	if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && (uint64_t)st.st_size > max) {
		close(fd);
		return err_set(E_FILE_TOO_LARGE, path, max);
	}
	for (;;) {
		char chunk[65536];
		ssize_t r = read(fd, chunk, sizeof chunk);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			int e = errno;
			close(fd);
			return err_set(E_FILE_READ, path, file_strerror(e));
		}
		if (r == 0)
			break;
		/* The size may grow after fstat (a log being written, a pipe):
		 * bound what is read, not what was announced. */
		if ((size_t)r > max - out->len) {
			close(fd);
			return err_set(E_FILE_TOO_LARGE, path, max);
		}
		if (buf_append(out, chunk, (size_t)r) < 0) {
			close(fd);
			return -1;
		}
	}
	close(fd);
	if (!out->p)    /* empty file: still hand back a "" string */
		return buf_append(out, "", 0);
	return 0;
}

int file_mkdirs(const char *path)
{
	char p[4096];
	struct stat st;
	size_t n = strlen(path);

	if (n == 0 || n >= sizeof p)
		return err_set(E_FILE_MKDIR, path, file_strerror(ENAMETOOLONG));
	memcpy(p, path, n + 1);
	while (n > 1 && p[n - 1] == '/')
		p[--n] = 0;
	size_t last = 0;           /* the '/' before the level at hand, 0: none */
	for (size_t i = 1; i <= n; i++) {
		if (p[i] != '/' && p[i] != 0)
			continue;
		char c = p[i];
		p[i] = 0;
		if (mkdir(p, 0700) == 0) {
			/* A new folder's name lives in its parent, which must be
			 * fsynced too for it to survive a pulled stick (fsync(2);
			 * FAT/exFAT have no journal to carry it). */
			int r;
			if (last == 0 && p[0] != '/') {
				r = file_fsync_dir(".");
			} else {
				char keep = p[last ? last : 1];
				p[last ? last : 1] = 0;
				r = file_fsync_dir(p);
				p[last ? last : 1] = keep;
			}
			if (r < 0) {
				p[i] = c;
				return -1;
			}
		} else if (errno != EEXIST) {
			int e = errno;
			p[i] = c;
			return err_set(E_FILE_MKDIR, path, file_strerror(e));
		}
		if (stat(p, &st) < 0 || !S_ISDIR(st.st_mode))
			return err_set(E_FILE_NOT_DIR, p);
		p[i] = c;
		last = i;
	}
	return 0;
}

int file_exists(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0;
}
