#include <stdio.h>
#include <string.h>

#include "core/core.h"

#define ERR_MAX 1024

static _Thread_local char msg[ERR_MAX];
static _Thread_local enum msg_id last = MSG__COUNT;

int err_set(enum msg_id id, ...)
{
	va_list ap;
	va_start(ap, id);
	tr_vsnprintf(msg, sizeof msg, id, ap);
	va_end(ap);
	last = id;
	return -1;
}

int err_context(enum msg_id id, ...)
{
	char old[ERR_MAX];
	size_t n;
	va_list ap;

	memcpy(old, msg, sizeof old);
	va_start(ap, id);
	tr_vsnprintf(msg, sizeof msg, id, ap);
	va_end(ap);
	n = strlen(msg);
	/* French typography puts a space before the colon. */
	const char *sep = i18n_lang() == LANG_FR ? " : " : ": ";
	size_t sl = strlen(sep);
	if (old[0] && n + sl < sizeof msg) {
		memcpy(msg + n, sep, sl);
		n += sl;
		size_t k = strnlen(old, sizeof msg - n - 1);
		memcpy(msg + n, old, k);
		msg[n + k] = 0;
	}
	if (last == MSG__COUNT)
		last = id;
	return -1;
}

const char *err_msg(void) { return msg; }
enum msg_id err_id(void) { return last; }

void err_restore(enum msg_id id, const char *text)
{
	snprintf(msg, sizeof msg, "%s", text);
	last = id;
}

void err_clear(void)
{
	msg[0] = 0;
	last = MSG__COUNT;
}

void err_warn(void)
{
	if (msg[0])
		fprintf(stderr, "reflexe: %s\n", msg);
	err_clear();
}
