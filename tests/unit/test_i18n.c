/* The catalogue is complete: every message has a French and an English
 * text, and both take the same printf arguments in the same order. */
#include <ctype.h>
#include <string.h>

#include "core/core.h"
#include "t.h"

/* Writes the conversion letters of fmt ("%zu %s" -> "zus") into out. */
static void convs(const char *fmt, char *out, size_t max)
{
	size_t n = 0;
	for (const char *p = fmt; *p; p++) {
		if (*p != '%')
			continue;
		p++;
		if (*p == '%')
			continue;
		while (*p && strchr("-+ #0123456789.*", *p))
			p++;
		while (*p && strchr("hlzjtL", *p) && n + 1 < max)
			out[n++] = *p++;
		if (*p && n + 1 < max)
			out[n++] = *p;
		if (!*p)
			break;
	}
	out[n] = 0;
}

static void catalogue_complete(void)
{
	for (int id = 0; id < MSG__COUNT; id++) {
		const char *fr = tr_lang(id, LANG_FR), *en = tr_lang(id, LANG_EN);
		char a[64], b[64];
		if (!fr || !*fr || !en || !*en) {
			printf("  %s: missing text\n", i18n_msgname(id));
			t_failed_now = 1;
			continue;
		}
		convs(fr, a, sizeof a);
		convs(en, b, sizeof b);
		if (strcmp(a, b)) {
			printf("  %s: conversions differ: fr \"%s\" en \"%s\"\n", i18n_msgname(id), a, b);
			t_failed_now = 1;
		}
	}
}

/* French typography the fiche uses: a no-break or plain space before
 * ":" ";" "?" "!" is fine, but an English text must not be identical
 * to the French one unless it has no letters, or is one word: an
 * identifier such as the consent CSV's column names the fiche cites
 * ("ClientDisplayName") (catches copy-paste). */
static void translations_differ(void)
{
	for (int id = 0; id < MSG__COUNT; id++) {
		const char *fr = tr_lang(id, LANG_FR), *en = tr_lang(id, LANG_EN);
		const char *name = i18n_msgname(id);
		size_t nl = strlen(name);
		if (nl > 4 && !strcmp(name + nl - 4, "_CSS"))
			continue;   /* a page's style sheet, not prose */
		int letters = 0;
		for (const char *p = en; *p; p++)
			letters += isalpha((unsigned char)*p) != 0;
		if (letters > 12 && strchr(en, ' ') && !strcmp(fr, en)) {
			printf("  %s: French and English texts are identical\n", i18n_msgname(id));
			t_failed_now = 1;
		}
	}
}

int main(void)
{
	RUN(catalogue_complete);
	RUN(translations_differ);
	T_DONE();
}
