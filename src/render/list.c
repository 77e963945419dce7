/*
 * --list-rules: the catalogue, printed from the very table the check
 * runs, so that it cannot drift from the code.
 */
#include "render/render.h"

int render_rules(const struct rule *rules, size_t n, const struct rule_source *src,
		 size_t nsrc, struct buf *b)
{
	for (size_t i = 0; i < n; i++) {
		const struct rule *r = &rules[i];
		if (buf_printf(b, "%s  %s %-4s %s %-9s %s\n         %s\n", r->id, tr(M_R_FICHE), r->fiche,
			       tr(M_R_COL_SEV), rule_sev_label(r->sev), tr(r->title), tr(r->what)) < 0)
			return -1;
		int any = 0;
		for (size_t s = 0; s < nsrc && s < 32; s++) {
			if (!(r->needs & (1u << s)))
				continue;
			if (buf_printf(b, "%s%s", any ? ", " : "         ", src[s].name) < 0)
				return -1;
			any = 1;
		}
		if ((r->flags & RULE_BASELINE) &&
		    buf_printf(b, "%s--baseline", any ? ", " : "         ") < 0)
			return -1;
		if ((any || (r->flags & RULE_BASELINE)) && buf_puts(b, "\n") < 0)
			return -1;
	}
	return 0;
}
