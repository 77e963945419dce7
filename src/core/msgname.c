/*
 * The names of the message ids ("E_TLS_EXPIRED"), for the tests: in a file
 * of their own so that a program that does not ask for them does not
 * carry them (a static link takes only the objects it refers to; their
 * 17 KB of strings could not be garbage-collected out of i18n.o).
 */
#include "core/core.h"

static const char *const names[MSG__COUNT] = {
#define MSG(id, fr, en) [id] = #id,
#include "core/msgs.def"
#undef MSG
};

const char *i18n_msgname(enum msg_id id)
{
	return (unsigned)id < MSG__COUNT ? names[id] : "?";
}
