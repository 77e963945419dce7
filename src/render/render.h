/*
 * render/ — writing a check's findings document: text (the responder's
 * screen), JSON (DESIGN.md's command-line contract), Markdown (to paste
 * into a report or a ticket), CSV (tables, for a spreadsheet). Generic
 * over applets: everything comes in a struct render_doc. Prefix: render_.
 *
 *   text.c  the screen: the fiche's question and answer first
 *   json.c  one JSON document per run
 *   md.c    Markdown
 *   csv.c   tables (French Excel: BOM, ';', CRLF)
 *   list.c  the table of rules (--list-rules)
 *
 * The findings types come from rules/rules.h; nothing here calls rules/.
 */
#ifndef REFLEXE_RENDER_H
#define REFLEXE_RENDER_H

#include <stdint.h>

#include "core/core.h"
#include "rules/rules.h"

struct render_doc {
	const char *applet;              /* "check-admins" */
	const char *fiche;               /* the actions it answers: "1.a 1.b 2.a" */
	const char *tenant;              /* NULL when unknown */
	const char *case_dir;
	int64_t generated;               /* when this document was made */
	int64_t since, until;            /* the log window, 0 when none */
	const struct findings *fs;
	const struct rule_verdict *verdict;   /* NULL: the check has none */
};

int render_text(const struct render_doc *d, struct buf *out);
int render_json(const struct render_doc *d, struct buf *out);
int render_md(const struct render_doc *d, struct buf *out);
/* Control characters (but newlines) written to b from from on become '?':
 * text and md call it on what they wrote (names are untrusted). */
void render_tame(struct buf *b, size_t from);
/* French Excel opens it by double-click: UTF-8 BOM, ';', CRLF, text
 * quoted (RFC 4180 §2), formula-looking cells defused (OWASP "CSV
 * Injection"), whole numbers left bare so that they sort as numbers. */
int render_csv(const struct rule_table *t, struct buf *out);
/* --list-rules: id, fiche, severity, title, what it checks, what it needs. */
int render_rules(const struct rule *rules, size_t n, const struct rule_source *src,
		 size_t nsrc, struct buf *out);

/* "confirmée", "suspected"… in the user's language. */
const char *render_verdict_word(enum verdict v);
enum msg_id render_verdict_msg(enum verdict v);
/* Findings in reading order: confirmed, then suspect, by severity, then id;
 * clear ones last. Returns a malloc'd array of n pointers. */
const struct finding **render_order(const struct findings *fs);

#endif
