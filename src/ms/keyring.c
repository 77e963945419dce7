/*
 * Tokens between invocations live in the Linux kernel keyring, never in
 * a file: add_key(2) and keyctl(2) called through syscall(2), so there
 * is no libkeyutils to link (the binary is static).
 *
 * Why the keyring rather than an agent behind a 0600 UNIX socket (the
 * issue left the choice open):
 *  - nothing keeps running: an agent is a daemon left on a laptop that
 *    may be the customer's, that must be started, found again (socket
 *    path in the environment, stale sockets) and stopped; keys need no
 *    process at all, and die by themselves at their timeout or with the
 *    session, even when the responder forgets `logout`;
 *  - the kernel keeps them out of swap and zeroes them when freed
 *    (kfree_sensitive, below), where an agent would need mlock() and a
 *    careful free of every copy;
 *  - no socket to protect: a 0600 socket is open to every process of
 *    the same user, and keys with possessor-only permissions (below) are
 *    no wider than that (a process must possess the session, or the
 *    user-session, keyring to read them);
 *  - no extra code on the stick: two syscalls, where an agent needs its
 *    own protocol, lifetime rules and tests.
 * The price: Linux only (reflexe is), and a keyring-less environment
 * (some containers) falls back to memory only, said on stderr.
 *
 * Which keyring (keyrings(7), session-keyring(7), user-session-keyring(7)):
 * the session keyring when the process has one of its own (a login
 * session set up by pam_keyinit, or `keyctl session`): its keys die with
 * the session. A process without one gets the user-session keyring,
 * shared by that user's processes that have no session keyring either.
 * Careful: add_key() to KEY_SPEC_SESSION_KEYRING in such a process would
 * *create* a fresh anonymous session keyring that dies with the process
 * (security/keys/process_keys.c, lookup_user_key: "session keyring ==
 * user session keyring && KEY_LOOKUP_CREATE" joins a new one), so we
 * resolve the keyring to its serial number first and add keys to that.
 *
 * Each key: type "user", permissions possessor-only (view, read, write,
 * search, link, setattr; nothing for user, group or other), a timeout
 * (KEYCTL_SET_TIMEOUT) at the token's expiry. The kernel frees "user"
 * payloads with kfree_sensitive (security/keys/user_defined.c), which
 * zeroes them.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "ms/ms.h"

/* From <linux/keyctl.h> (not shipped with musl-gcc's headers). */
#define KEY_SPEC_SESSION_KEYRING      -3
#define KEY_SPEC_USER_SESSION_KEYRING -5
#define KEYCTL_GET_KEYRING_ID 0
#define KEYCTL_DESCRIBE 6
#define KEYCTL_READ 11
#define KEYCTL_SEARCH 10
#define KEYCTL_SETPERM 5
#define KEYCTL_SET_TIMEOUT 15
#define KEYCTL_INVALIDATE 21
#define KEY_POS_ALL 0x3f000000u      /* view read write search link setattr */

#define KR_MAX_KEYS 4096              /* serials read from the keyring */
#define KR_MAX_PAYLOAD (64 * 1024)

static long kctl(int op, unsigned long a, unsigned long b, unsigned long c, unsigned long d)
{
	return syscall(SYS_keyctl, op, a, b, c, d);
}

int auth_kr_open(struct auth_keyring *k)
{
	long ses, useses;

	memset(k, 0, sizeof *k);
	/* create=0: a process without a session keyring is given the
	 * user-session one, not a new one. */
	ses = kctl(KEYCTL_GET_KEYRING_ID, (unsigned long)KEY_SPEC_SESSION_KEYRING, 0, 0, 0);
	if (ses < 0)
		return err_set(E_AUTH_KEYRING, file_strerror(errno));
	useses = kctl(KEYCTL_GET_KEYRING_ID, (unsigned long)KEY_SPEC_USER_SESSION_KEYRING, 0, 0, 0);
	k->ring = ses;
	k->kind = (useses >= 0 && useses == ses) ? AUTH_KR_USER_SESSION : AUTH_KR_SESSION;
	return 0;
}

/* Serial of the key desc directly or indirectly in our keyring, 0 if
 * none, -1 on another error. */
static long find(const struct auth_keyring *k, const char *desc)
{
	long id = kctl(KEYCTL_SEARCH, (unsigned long)k->ring, (unsigned long)"user",
		       (unsigned long)desc, 0);
	if (id >= 0)
		return id;
	if (errno == ENOKEY || errno == EKEYEXPIRED || errno == EKEYREVOKED)
		return 0;
	return err_set(E_AUTH_KEYRING, file_strerror(errno));
}

int auth_kr_put(const struct auth_keyring *k, const char *desc, const void *data, size_t n, long ttl_s)
{
	long id;

	if (n > KR_MAX_PAYLOAD)
		return err_set(E_AUTH_KEYRING, "payload");
	if (ttl_s < 1)
		ttl_s = 1;
	/* Same type and description in the same keyring: the kernel updates
	 * the existing key in place (add_key(2)). */
	id = syscall(SYS_add_key, "user", desc, data, n, k->ring);
	if (id < 0)
		return err_set(E_AUTH_KEYRING, file_strerror(errno));
	if (kctl(KEYCTL_SETPERM, (unsigned long)id, KEY_POS_ALL, 0, 0) < 0 ||
	    kctl(KEYCTL_SET_TIMEOUT, (unsigned long)id, (unsigned long)ttl_s, 0, 0) < 0) {
		int e = errno;
		kctl(KEYCTL_INVALIDATE, (unsigned long)id, 0, 0, 0);
		return err_set(E_AUTH_KEYRING, file_strerror(e));
	}
	return 0;
}

/* 0 found (out holds the payload), 1 absent or expired, -1 error. */
int auth_kr_get(const struct auth_keyring *k, const char *desc, struct buf *out)
{
	long id = find(k, desc), n;

	if (id <= 0)
		return (int)id == 0 ? 1 : -1;
	buf_wipe(out);
	/* Its size first (a NULL buffer), then a buffer sized once: growing
	 * later would leave copies. The size may change in between (another
	 * reflexe renewing it): a longer payload is then refused below. */
	n = kctl(KEYCTL_READ, (unsigned long)id, 0, 0, 0);
	if (n < 0) {
		if (errno == EKEYEXPIRED || errno == EKEYREVOKED || errno == ENOKEY)
			return 1;
		return err_set(E_AUTH_KEYRING, file_strerror(errno));
	}
	if (n > KR_MAX_PAYLOAD)
		return err_set(E_AUTH_KEYRING, "payload");
	long cap = n + 1024;
	if (auth_buf_reserve(out, (size_t)cap) < 0)
		return -1;
	n = kctl(KEYCTL_READ, (unsigned long)id, (unsigned long)out->p, (unsigned long)cap, 0);
	if (n < 0) {
		if (errno == EKEYEXPIRED || errno == EKEYREVOKED || errno == ENOKEY)
			return 1;
		return err_set(E_AUTH_KEYRING, file_strerror(errno));
	}
	if (n > cap) {
		buf_wipe(out);
		return err_set(E_AUTH_KEYRING, "payload");
	}
	out->len = (size_t)n;
	out->p[n] = 0;
	return 0;
}

int auth_kr_del(const struct auth_keyring *k, const char *desc)
{
	long id = find(k, desc);
	if (id <= 0)
		return (int)id;
	if (kctl(KEYCTL_INVALIDATE, (unsigned long)id, 0, 0, 0) < 0)
		return err_set(E_AUTH_KEYRING, file_strerror(errno));
	return 0;
}

/* Invalidates every "user" key of our keyring whose description starts
 * with prefix: invalidated keys are unlinked from every keyring and
 * destroyed at once by the kernel's garbage collector (keyctl_invalidate(3)). */
int auth_kr_wipe_prefix(const struct auth_keyring *k, const char *prefix, int *count)
{
	int32_t *ids = NULL;
	long n;
	int r = 0;

	*count = 0;
	ids = calloc(KR_MAX_KEYS, sizeof *ids);
	if (!ids)
		return err_set(E_NOMEM);
	n = kctl(KEYCTL_READ, (unsigned long)k->ring, (unsigned long)ids, KR_MAX_KEYS * sizeof *ids, 0);
	if (n < 0) {
		free(ids);
		return err_set(E_AUTH_KEYRING, file_strerror(errno));
	}
	if (n > (long)(KR_MAX_KEYS * sizeof *ids))
		n = KR_MAX_KEYS * sizeof *ids;
	for (long i = 0; i < n / (long)sizeof *ids; i++) {
		char d[512];
		long m = kctl(KEYCTL_DESCRIBE, (unsigned long)ids[i], (unsigned long)d, sizeof d - 1, 0);
		if (m <= 0)
			continue;       /* not ours to see, or gone */
		d[m < (long)sizeof d ? m : (long)sizeof d - 1] = 0;
		/* "type;uid;gid;perm;description" */
		const char *desc = d;
		for (int f = 0; f < 4 && desc; f++) {
			desc = strchr(desc, ';');
			if (desc)
				desc++;
		}
		if (!desc || strncmp(d, "user;", 5) || strncmp(desc, prefix, strlen(prefix)))
			continue;
		if (kctl(KEYCTL_INVALIDATE, (unsigned long)ids[i], 0, 0, 0) < 0) {
			r = err_set(E_AUTH_KEYRING, file_strerror(errno));
			continue;
		}
		(*count)++;
	}
	free(ids);
	return r;
}
