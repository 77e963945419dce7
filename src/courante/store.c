/*
 * The logbook file: append, load, repair.
 *
 * Durability: every append is one write(2) of the whole run of lines on
 * an O_APPEND descriptor, then fsync(2) (and the folder is fsynced when
 * the file was empty, so that a new file's name survives a pulled stick
 * too); the caller prints a sequence number only after that returned.
 * Concurrency: flock(2) LOCK_EX on the logbook around "read the last
 * line, write the next one", so the chain's prev and seq are read under
 * the lock; readers take LOCK_SH and so never see a half-written run.
 * flock locks are released by the kernel when a process dies, so a
 * writer killed with SIGKILL never leaves the logbook locked.
 * Failure: if the write or the fsync fails (ENOSPC, EFBIG under ulimit
 * -f, EIO on a pulled stick), the file is cut back to its size before
 * the call with ftruncate(2), while still holding the lock.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "courante/courante.h"

static const char zeros[65] =
	"0000000000000000000000000000000000000000000000000000000000000000";

int cour_path(const char *case_dir, char *path, size_t sz)
{
	int n = snprintf(path, sz, "%s/%s", case_dir, COUR_FILE);
	if (n < 0 || (size_t)n >= sz)
		return err_set(E_COUR_OPEN, case_dir, file_strerror(ENAMETOOLONG));
	return 0;
}

/* Filesystems without flock (some network mounts) say ENOLCK or
 * EOPNOTSUPP: the single O_APPEND write still keeps lines whole there,
 * and a forked chain would show up in verify as a repeated number. */
static int lock(int fd, int op, const char *path)
{
	while (flock(fd, op) < 0) {
		if (errno == EINTR)
			continue;
		if (errno == ENOLCK || errno == EOPNOTSUPP)
			return 0;
		return err_set(E_COUR_LOCK, path, file_strerror(errno));
	}
	return 0;
}

static int pread_all(int fd, char *p, size_t n, off_t off)
{
	while (n) {
		ssize_t r = pread(fd, p, n, off);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			return -1;
		p += r;
		n -= (size_t)r;
		off += r;
	}
	return 0;
}

static int grow_entries(struct cour_log *log, size_t *cap)
{
	if (log->n < *cap)
		return 0;
	size_t nc = *cap ? *cap * 2 : 256;
	struct cour_entry *e = realloc(log->e, nc * sizeof *e);
	if (!e)
		return err_set(E_NOMEM);
	log->e = e;
	*cap = nc;
	return 0;
}

#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
static void why(struct cour_log *log, long long line, enum msg_id id, ...)
{
	va_list ap;
	if (log->bad_line)
		return;
	log->bad_line = line;
	va_start(ap, id);
	vsnprintf(log->bad_why, sizeof log->bad_why, tr(id), ap);
	va_end(ap);
}
#pragma GCC diagnostic pop

/* The file is read in slices and checked line by line, so a 100,000-line
 * logbook is never held whole in memory (nor copied) just to be checked.
 * An unreadable line is only known to be a torn tail once nothing
 * follows it, so it waits in "pend" until the next line or the end. */
struct scanner {
	struct cour_log *log;
	int keep;                /* keep the entries (list), or only check */
	const char *anchor;      /* a hash noted elsewhere (prefix), or NULL */
	size_t anchor_len;
	size_t cap;
	long long lineno;
	char prev[65];
	long long pend_line;     /* an unreadable line, not yet known as last */
	size_t pend_off, pend_len;
	char pend_why[200];
};

static void settle_pending(struct scanner *sc)
{
	if (sc->pend_line) {
		why(sc->log, sc->pend_line, M_COUR_WHY_UNREADABLE, sc->pend_why);
		sc->pend_line = 0;
	}
}

static int scan_line(struct scanner *sc, const char *p, size_t ll, size_t off, int too_long)
{
	struct cour_entry e;
	int hash_ok;
	settle_pending(sc);
	sc->lineno++;
	if (too_long || cour_entry_parse(&e, p, ll, &hash_ok) < 0) {
		if (too_long)
			err_set(E_COUR_LINE_LONG, COUR_MAX_LINE);
		sc->pend_line = sc->lineno;
		sc->pend_off = off;
		sc->pend_len = ll + 1;
		snprintf(sc->pend_why, sizeof sc->pend_why, "%s", err_msg());
		memcpy(sc->prev, zeros, 65);   /* the chain is reported broken */
		return 0;
	}
	struct cour_log *log = sc->log;
	if (e.seq != sc->lineno)
		why(log, sc->lineno, M_COUR_WHY_SEQ, e.seq, sc->lineno);
	else if (strcmp(e.prev, sc->prev))
		why(log, sc->lineno, M_COUR_WHY_PREV);
	else if (!hash_ok)
		why(log, sc->lineno, M_COUR_WHY_HASH);
	if (log->bad_line == sc->lineno)   /* readable: the renderings mark it */
		log->bad_entry = log->n + 1;
	if (sc->anchor && !log->anchor_line && !strncmp(e.hash, sc->anchor, sc->anchor_len))
		log->anchor_line = sc->lineno;
	memcpy(sc->prev, e.hash, 65);
	memcpy(log->head, e.hash, 65);
	if (!sc->keep) {
		cour_entry_free(&e);
		log->n++;
		return 0;
	}
	if (grow_entries(log, &sc->cap) < 0) {
		cour_entry_free(&e);
		return -1;
	}
	log->e[log->n++] = e;
	return 0;
}

static void scan_end(struct scanner *sc, size_t off, size_t len)
{
	if (len) {                       /* bytes after the last '\n' */
		settle_pending(sc);
		sc->log->torn = (struct cour_tail){ sc->lineno + 1, off, len };
	} else if (sc->pend_line) {      /* an unreadable last line */
		sc->log->torn = (struct cour_tail){ sc->pend_line, sc->pend_off, sc->pend_len };
		sc->pend_line = 0;
	}
}

#define SLICE (1024 * 1024)

static int scan_fd(int fd, const char *path, struct cour_log *log, int keep, const char *anchor)
{
	struct scanner sc = { .log = log, .keep = keep, .anchor = anchor,
			      .anchor_len = anchor ? strlen(anchor) : 0 };
	size_t bsz = SLICE + COUR_MAX_LINE + 1, have = 0, base = 0;
	size_t long_off = 0;
	int skipping = 0, r = -1;
	char *b = malloc(bsz);

	memcpy(sc.prev, zeros, 65);
	memcpy(log->head, zeros, 65);
	if (!b)
		return err_set(E_NOMEM);
	for (;;) {
		ssize_t got = pread(fd, b + have, bsz - have, (off_t)(base + have));
		if (got < 0 && errno == EINTR)
			continue;
		if (got < 0) {
			err_set(E_FILE_READ, path, file_strerror(errno));
			goto out;
		}
		if (base + have + (size_t)got > COUR_MAX_FILE) {
			err_set(E_COUR_TOO_LARGE, path, COUR_MAX_FILE);
			goto out;
		}
		have += (size_t)got;
		size_t start = 0;
		const char *nl;
		while ((nl = memchr(b + start, '\n', have - start))) {
			size_t ll = (size_t)(nl - (b + start));
			if (skipping) {          /* the end of an over-long line */
				skipping = 0;
				sc.pend_len = base + start + ll + 1 - long_off;
			} else if (scan_line(&sc, b + start, ll, base + start, 0) < 0) {
				goto out;
			}
			start += ll + 1;
		}
		if (got == 0) {
			if (skipping) {      /* the over-long line was the last */
				sc.pend_len = base + have - long_off;
				scan_end(&sc, 0, 0);
			} else
				scan_end(&sc, base + start, have - start);
			break;
		}
		if (!skipping && have - start > COUR_MAX_LINE) {
			/* no '\n' within a line's maximum: unreadable, skip it */
			if (scan_line(&sc, NULL, 0, base + start, 1) < 0)
				goto out;
			long_off = base + start;
			skipping = 1;
		}
		if (skipping)
			start = have;
		memmove(b, b + start, have - start);
		base += start;
		have -= start;
	}
	r = 0;
out:
	free(b);
	return r;
}

/* The logbook is opened only as a regular file, never through a link:
 * a case folder can come from elsewhere, and a planted courante.jsonl
 * link to another file would have every add appended there (as root, to
 * any file), a FIFO would hang list forever. O_NONBLOCK is for the FIFO
 * case only (a regular file ignores it); it is cleared once checked. */
static int open_log(const char *path, int flags)
{
	int fd = open(path, flags | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK, 0600);
	if (fd < 0) {
		int e = errno;
		if (e == ELOOP)
			return err_set(E_COUR_NOT_FILE, path), -2;
		errno = e;
		return -1;
	}
	struct stat st;
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		close(fd);
		return err_set(E_COUR_NOT_FILE, path), -2;
	}
	fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK);
	return fd;
}

static int load(const char *case_dir, struct cour_log *log, int *exists, int keep,
		const char *anchor)
{
	memset(log, 0, sizeof *log);
	memcpy(log->head, zeros, 65);
	*exists = 0;
	if (cour_path(case_dir, log->path, sizeof log->path) < 0)
		return -1;
	int fd = open_log(log->path, O_RDONLY);
	if (fd == -2)
		return -1;
	if (fd < 0) {
		if (errno == ENOENT)
			return 0;
		return err_set(E_COUR_OPEN, log->path, file_strerror(errno));
	}
	*exists = 1;
	int r = lock(fd, LOCK_SH, log->path);
	if (r == 0)
		r = scan_fd(fd, log->path, log, keep, anchor);
	close(fd);      /* releases the lock */
	if (r < 0)
		cour_log_free(log);
	return r;
}

int cour_load(const char *case_dir, struct cour_log *log, int *exists)
{
	return load(case_dir, log, exists, 1, NULL);
}

int cour_check(const char *case_dir, struct cour_log *log, int *exists)
{
	return load(case_dir, log, exists, 0, NULL);
}

int cour_check_anchor(const char *case_dir, const char *anchor, struct cour_log *log,
		      int *exists)
{
	return load(case_dir, log, exists, 0, anchor);
}

void cour_log_free(struct cour_log *log)
{
	for (size_t i = 0; log->e && i < log->n; i++)
		cour_entry_free(&log->e[i]);
	free(log->e);
	log->e = NULL;
	log->n = 0;
}

const struct cour_entry *cour_find(const struct cour_log *log, long long seq)
{
	if (seq >= 1 && (size_t)seq <= log->n && log->e[seq - 1].seq == seq)
		return &log->e[seq - 1];
	for (size_t i = 0; i < log->n; i++)
		if (log->e[i].seq == seq)
			return &log->e[i];
	return NULL;
}

/* ---- append ----------------------------------------------------------------- */

/* Last line's seq and hash, read from the end of the file only (an add
 * costs the same on line 10 and on line 100,000). Returns 0 when clean,
 * -1 with err set (torn tail, unreadable last line, I/O). */
static int tail_state(int fd, const char *path, off_t size, long long *seq, char prev[65])
{
	*seq = 0;
	memcpy(prev, zeros, 65);
	if (size == 0)
		return 0;
	/* two lines at most: the last complete one and a torn one after it */
	size_t win = (size_t)size < 2 * (COUR_MAX_LINE + 1) ? (size_t)size : 2 * (COUR_MAX_LINE + 1);
	off_t start = size - (off_t)win;
	char *p = malloc(win);
	if (!p)
		return err_set(E_NOMEM);
	int r = -1;
	if (pread_all(fd, p, win, start) < 0) {
		err_set(E_FILE_READ, path, file_strerror(errno ? errno : EIO));
		goto out;
	}
	int torn = p[win - 1] != '\n';
	/* the end of the last complete line: its '\n' */
	size_t end = win;
	if (torn) {
		while (end > 0 && p[end - 1] != '\n')
			end--;
		if (end == 0 && start == 0) {          /* the first line is torn */
			err_set(E_COUR_TORN, path, 1LL);
			goto out;
		}
	}
	if (end == 0) {
		err_set(E_COUR_TAIL_LONG, path);
		goto out;
	}
	size_t ls = end - 1;
	while (ls > 0 && p[ls - 1] != '\n')
		ls--;
	if (ls == 0 && start > 0) {
		err_set(E_COUR_TAIL_LONG, path);
		goto out;
	}
	struct cour_entry e;
	int hash_ok;
	if (cour_entry_parse(&e, p + ls, end - 1 - ls, &hash_ok) < 0) {
		if (torn) {
			err_set(E_COUR_TAIL_LONG, path);
			goto out;
		}
		/* an unreadable last line: name it by the line before it */
		long long before = 0;
		if (ls > 0) {
			size_t ps = ls - 1;
			while (ps > 0 && p[ps - 1] != '\n')
				ps--;
			struct cour_entry pe;
			if ((ps > 0 || start == 0) &&
			    cour_entry_parse(&pe, p + ps, ls - 1 - ps, &hash_ok) == 0) {
				before = pe.seq;
				cour_entry_free(&pe);
			} else {
				err_set(E_COUR_TAIL_LONG, path);
				goto out;
			}
		}
		err_set(E_COUR_TORN, path, before + 1);
		goto out;
	}
	if (torn) {
		err_set(E_COUR_TORN, path, e.seq + 1);
		cour_entry_free(&e);
		goto out;
	}
	*seq = e.seq;
	memcpy(prev, e.hash, 65);
	cour_entry_free(&e);
	r = 0;
out:
	free(p);
	return r;
}

/* Cuts the file back to size after a failed write; the error names the
 * cause. If even that fails, say so: repair will find a torn tail. */
static int undo(int fd, const char *path, off_t size, int e)
{
	if (ftruncate(fd, size) < 0 || fsync(fd) < 0)
		return err_set(E_COUR_WRITE_CUT, path, file_strerror(e));
	return err_set(E_COUR_WRITE, path, file_strerror(e));
}

static int append_locked(int fd, const char *case_dir, const char *path,
			 struct cour_entry *en, size_t n, unsigned flags, long long *first)
{
	struct stat st;
	struct buf b = { 0 };
	long long seq;
	char prev[65];

	if (fstat(fd, &st) < 0)
		return err_set(E_FILE_READ, path, file_strerror(errno));
	if (tail_state(fd, path, st.st_size, &seq, prev) < 0)
		return -1;
	if ((flags & COUR_APPEND_NEW) && st.st_size > 0)
		return err_set(E_COUR_EXISTS, path, seq);
	for (size_t i = 0; i < n; i++) {
		en[i].seq = seq + 1 + (long long)i;
		memcpy(en[i].prev, prev, 65);
		if (cour_entry_format(&en[i], &b) < 0) {
			buf_free(&b);
			return -1;
		}
		memcpy(prev, en[i].hash, 65);
	}
	/* One write(2) for the whole run: with O_APPEND the kernel places it
	 * at the end in one step. Should it take only part (a signal, a file
	 * size limit), the rest follows under the same lock — so the real
	 * errno (ENOSPC, EFBIG) surfaces — or everything is cut back. */
	size_t len = b.len, done = 0;
	while (done < len) {
		ssize_t w = write(fd, b.p + done, len - done);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0) {
			int e = w < 0 ? errno : ENOSPC;
			buf_free(&b);
			return undo(fd, path, st.st_size, e);
		}
		done += (size_t)w;
	}
	buf_free(&b);
	if (fsync(fd) < 0)
		return undo(fd, path, st.st_size, errno);
	if (st.st_size == 0 && file_fsync_dir(case_dir) < 0)
		return undo(fd, path, st.st_size, EIO);
	if (first)
		*first = seq + 1;
	return 0;
}

static int open_locked(const char *case_dir, char *path, size_t psz, unsigned flags)
{
	if (cour_path(case_dir, path, psz) < 0)
		return -1;
	if ((flags & COUR_APPEND_CREATE) && file_mkdirs(case_dir) < 0)
		return -1;
	int fd = open_log(path, O_RDWR | O_APPEND | ((flags & COUR_APPEND_CREATE) ? O_CREAT : 0));
	if (fd == -2)
		return -1;
	if (fd < 0) {
		if (errno == ENOENT)
			return err_set(E_COUR_NO_LOG, case_dir);
		return err_set(E_COUR_OPEN, path, file_strerror(errno));
	}
	if (lock(fd, LOCK_EX, path) < 0) {
		close(fd);
		return -1;
	}
	return fd;
}

int cour_append(const char *case_dir, struct cour_entry *en, size_t n,
		unsigned flags, long long *first)
{
	char path[4096];
	int fd = open_locked(case_dir, path, sizeof path, flags);
	if (fd < 0)
		return -1;
	int r = append_locked(fd, case_dir, path, en, n, flags, first);
	close(fd);
	return r;
}

/* ---- repair --------------------------------------------------------------------- */

#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
static char *tr_dup(enum msg_id id, ...)
{
	struct buf b = { 0 };
	va_list ap;
	va_start(ap, id);
	int r = buf_vprintf(&b, tr(id), ap);
	va_end(ap);
	if (r < 0) {
		buf_free(&b);
		return NULL;
	}
	return b.p;
}
#pragma GCC diagnostic pop

int cour_repair(const char *case_dir, const char *who, int *repaired,
		char *qpath, size_t qsz, long long *seq)
{
	char path[4096];
	struct cour_log log;
	int r = -1;

	*repaired = 0;
	memset(&log, 0, sizeof log);
	int fd = open_locked(case_dir, path, sizeof path, 0);
	if (fd < 0)
		return -1;
	if (scan_fd(fd, path, &log, 0, NULL) < 0)
		goto out;
	if (!log.torn.line) {
		r = 0;
		goto out;
	}
	/* courante.quarantine-20261122T084107Z.txt, -2, -3… if taken */
	char stamp[32], name[96];
	tm_utc_iso(tm_now(), stamp, sizeof stamp);
	for (char *s = stamp, *d = stamp; ; s++) {
		if (*s != '-' && *s != ':')
			*d++ = *s;
		if (!*s)
			break;
	}
	for (int i = 1; ; i++) {
		if (i == 1)
			snprintf(name, sizeof name, "courante.quarantine-%s.txt", stamp);
		else
			snprintf(name, sizeof name, "courante.quarantine-%s-%d.txt", stamp, i);
		int k = snprintf(qpath, qsz, "%s/%s", case_dir, name);
		if (k < 0 || (size_t)k >= qsz) {
			err_set(E_COUR_OPEN, case_dir, file_strerror(ENAMETOOLONG));
			goto out;
		}
		if (!file_exists(qpath))
			break;
		if (i > 1000) {
			err_set(E_COUR_OPEN, qpath, file_strerror(EEXIST));
			goto out;
		}
	}
	/* Quarantine first (durably), cut second: a crash in between leaves
	 * the tail in both places, never in neither. */
	char *t = malloc(log.torn.len ? log.torn.len : 1);
	struct cour_entry e = { .kind = COUR_REPAIR, .who = (char *)who };
	e.recorded = e.event = tm_now();
	e.offset_min = tm_local_offset(e.event);
	e.what = tr_dup(M_COUR_REPAIR_TEXT, log.torn.line, log.torn.len, name);
	e.source = (char *)"reflexe courante " REFLEXE_VERSION;
	if (!t || !e.what) {
		err_set(E_NOMEM);
		goto out_free;
	}
	if (pread_all(fd, t, log.torn.len, (off_t)log.torn.offset) < 0) {
		err_set(E_FILE_READ, path, file_strerror(errno ? errno : EIO));
		goto out_free;
	}
	if (file_write_atomic(qpath, t, log.torn.len) < 0)
		goto out_free;
	if (ftruncate(fd, (off_t)log.torn.offset) < 0 || fsync(fd) < 0)
		err_set(E_COUR_WRITE, path, file_strerror(errno));
	else if (append_locked(fd, case_dir, path, &e, 1, 0, seq) == 0)
		r = 0;
	if (r < 0) {
		/* The cut or the record failed (a full medium, a size limit):
		 * put the tail back as it was, so that the logbook is indeed
		 * unchanged as the error says, and drop the copy. */
		if (ftruncate(fd, (off_t)log.torn.offset) == 0 &&
		    file_write_all(fd, t, log.torn.len) == 0 && fsync(fd) == 0) {
			unlink(qpath);
		} else {
			char cause[200];
			snprintf(cause, sizeof cause, "%s", err_msg());
			err_set(E_COUR_REPAIR_HALF, qpath, cause);
		}
	} else {
		*repaired = 1;
	}
out_free:
	free(t);
	free(e.what);
out:
	close(fd);
	cour_log_free(&log);
	return r;
}

/* ---- for other applets ---------------------------------------------------------- */

int cour_log_tool(const char *case_dir, const char *who, const char *applet,
		  const char *text, const char *const *targets, size_t ntargets)
{
	char w[COUR_MAX_FIELD + 1], src[COUR_MAX_FIELD];
	if (!who || !*who) {
		if (cour_who_known(case_dir, w, sizeof w) != 0)
			snprintf(w, sizeof w, "reflexe");
		who = w;
	}
	if (cour_check_text("who", who, COUR_MAX_FIELD) < 0 ||
	    cour_check_text("what", text ? text : "", COUR_MAX_WHAT) < 0)
		return -1;
	if (ntargets > COUR_MAX_TARGETS)
		return err_set(E_COUR_TOO_MANY_TARGETS, COUR_MAX_TARGETS);
	for (size_t i = 0; i < ntargets; i++)
		if (cour_check_text("targets", targets[i], COUR_MAX_FIELD) < 0)
			return -1;
	snprintf(src, sizeof src, "reflexe %s %s", applet ? applet : "?", REFLEXE_VERSION);
	struct cour_entry e = {
		.kind = COUR_TOOL, .who = (char *)who, .what = (char *)(text ? text : ""),
		.targets = (char **)targets, .ntargets = ntargets, .source = src,
	};
	e.recorded = e.event = tm_now();
	e.offset_min = tm_local_offset(e.event);
	return cour_append(case_dir, &e, 1, COUR_APPEND_CREATE, NULL);
}
