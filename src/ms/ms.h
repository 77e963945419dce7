/*
 * ms/ — Microsoft: sign-in flows, Graph client (paging, $batch,
 * throttling), Exchange admin API, the read-only request policy.
 * Prefixes: ms_ (shared), auth_ (sign-in, tokens), graph_, exo_, guard_.
 * Stands on net/ (HTTP) and case/ (evidence); knows nothing of applets.
 */
#ifndef REFLEXE_MS_H
#define REFLEXE_MS_H

#include <stdint.h>

#include "core/core.h"
#include "net/net.h"

/* ==== shared types (lead) ================================================ */

/* Endpoints of one cloud. --cloud global|usgov|usgov-high|dod|china picks
 * a set; AZURE_AUTHORITY_HOST, REFLEXE_GRAPH_URL, REFLEXE_EXO_URL
 * override single entries (tests point them at the fakes). No trailing
 * slash. */
struct ms_cloud {
	char name[16];
	char authority[256];   /* https://login.microsoftonline.com */
	char graph[256];       /* https://graph.microsoft.com */
	char exo[256];         /* https://outlook.office365.com */
	char graph_aud[256];   /* token audience for Graph */
	char exo_aud[256];     /* token audience for Exchange Online */
};

enum ms_audience { MS_AUD_GRAPH = 0, MS_AUD_EXO = 1 };

/* Where Graph and Exchange clients get a bearer token. Must be safe to
 * call from several threads. Writes the raw access token into *out (the
 * caller wipes it with buf_wipe). Returns -1 with err_set on failure. */
struct ms_token_source {
	int (*get)(void *ctx, enum ms_audience aud, struct buf *out);
	void *ctx;
};

/* ==== sign-in (auth helper's section) ==================================== */

/* ==== Graph, Exchange, guard, probe (graph helper's section) ============= */

#endif
