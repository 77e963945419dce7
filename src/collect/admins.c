/*
 * check-admins collector. Live collection needs the Graph client of ms/
 * (graph_list, graph_batch, the probe); until it is in this build, a live
 * run says so plainly and --offline analyses an existing case folder.
 */
#include "collect/collect.h"

int collect_admins(const char *case_dir, const struct common *c, int64_t since_abs,
		   int64_t since_dur)
{
	(void)case_dir;
	(void)c;
	(void)since_abs;
	(void)since_dur;
	return err_set(E_COLLECT_NOT_YET);
}
