/*
 * Build-time helper (not part of reflexe): writes the message catalogue,
 * the French then the English text of every message in enum order, each
 * ended by a NUL, to stdout. gen_catalogue.py deflates it into the C file
 * that core/i18n.c inflates at start-up. Built with the host compiler.
 */
#include <stdio.h>
#include <string.h>

#include "core/core.h"

static const char *const catalogue[MSG__COUNT][2] = {
#define MSG(id, fr, en) [id] = { fr, en },
#include "core/msgs.def"
#undef MSG
};

int main(void)
{
	for (int i = 0; i < MSG__COUNT; i++)
		for (int l = 0; l < 2; l++)
			if (fwrite(catalogue[i][l], 1, strlen(catalogue[i][l]) + 1, stdout) == 0)
				return 1;
	return fflush(stdout) ? 1 : 0;
}
