/* core/csv.c: the streaming RFC 4180 reader. Every case is read with
 * chunk sizes from 1 byte up, so that a CRLF, a doubled quote or the BOM
 * split across two reads is exercised. */
#include <stdlib.h>
#include <string.h>

#include "core/core.h"
#include "t.h"

struct src {
	const char *s;
	size_t len, pos, chunk;
};

static int rd(void *ctx, char *buf, size_t n)
{
	struct src *x = ctx;
	size_t k = x->len - x->pos;
	if (k > x->chunk)
		k = x->chunk;
	if (k > n)
		k = n;
	memcpy(buf, x->s + x->pos, k);
	x->pos += k;
	return (int)k;
}

/* Reads text whole; the rows as "a|b|c" lines joined by '\n', each row
 * prefixed with its line number ("3:a|b"). -1 on error. */
static int read_all(const char *text, size_t len, size_t chunk, struct buf *out, char sep)
{
	struct src x = { text, len, 0, chunk };
	struct csv c;
	csv_init(&c, rd, &x, sep, (struct csv_limits){ 1024, 16 });
	int r;
	buf_reset(out);
	while ((r = csv_next(&c)) == 1) {
		buf_printf(out, "%llu:", (unsigned long long)c.row_line);
		for (size_t i = 0; i < csv_nfields(&c); i++) {
			size_t n;
			const char *f = csv_field(&c, i, &n);
			buf_append(out, i ? "|" : "", i ? 1 : 0);
			buf_append(out, f, n);
		}
		buf_puts(out, "\n");
	}
	csv_free(&c);
	return r;
}

/* The same result whatever the chunk size. */
static void expect(const char *text, const char *want, char sep)
{
	struct buf b = { 0 };
	for (size_t chunk = 1; chunk <= strlen(text) + 1; chunk++) {
		int r = read_all(text, strlen(text), chunk, &b, sep);
		CHECK_INT(r, 0);
		if (r != 0 || strcmp(b.p ? b.p : "", want)) {
			printf("  chunk %zu: got [%s] want [%s] (%s)\n", chunk, b.p ? b.p : "", want, err_msg());
			t_failed_now = 1;
			break;
		}
	}
	buf_free(&b);
}

static void expect_error(const char *text, const char *msg_part)
{
	struct buf b = { 0 };
	for (size_t chunk = 1; chunk <= strlen(text) + 1; chunk++) {
		err_clear();
		int r = read_all(text, strlen(text), chunk, &b, 0);
		CHECK_INT(r, -1);
		if (r != -1 || !strstr(err_msg(), msg_part)) {
			printf("  chunk %zu: error [%s], want [%s]\n", chunk, err_msg(), msg_part);
			t_failed_now = 1;
			break;
		}
	}
	buf_free(&b);
}

static void plain_lf_and_crlf(void)
{
	expect("a,b,c\n1,2,3\n", "1:a|b|c\n2:1|2|3\n", 0);
	expect("a,b,c\r\n1,2,3\r\n", "1:a|b|c\n2:1|2|3\n", 0);
	/* no final newline; empty fields; a blank line is one empty field */
	expect("a,,c\n\n,x,", "1:a||c\n2:\n3:|x|\n", 0);
}

static void quoted_newlines_and_quotes(void)
{
	/* Log Analytics: a JSON cell pretty-printed over lines, CRLF kept
	 * inside the quotes; the next row's line number counts them. */
	expect("k,v\r\n\"x\",\"[\r\n  {\"\"a\"\": 1}\r\n]\"\r\ny,z\r\n",
	       "1:k|v\n2:x|[\r\n  {\"a\": 1}\r\n]\n5:y|z\n", 0);
	expect("\"\"\"\",\"a,b\"\n", "1:\"|a,b\n", 0);
	/* a quote inside an unquoted field is a character */
	expect("ab\"c,d\n", "1:ab\"c|d\n", 0);
}

static void bom_and_separators(void)
{
	expect("\xEF\xBB\xBFh1;h2\n1;2\n", "1:h1|h2\n2:1|2\n", 0);
	expect("h1\th2\n1\t2\n", "1:h1|h2\n2:1|2\n", 0);
	/* commas inside quotes do not vote for the separator */
	expect("\"a,b,c\";d\n", "1:a,b,c|d\n", 0);
	/* given explicitly, the separator is not guessed */
	expect("a;b,c\n", "1:a;b|c\n", ',');
}

static void malformed_rows_name_their_line(void)
{
	expect_error("a,b\n1,\"open\n2,3\n", "line 2");
	expect_error("a,b\n\"x\"y,2\n", "line 2");
	expect_error("\xEF\xBB" "a,b\n", "UTF-8");
	/* limits: a row past 1024 bytes, more than 16 fields */
	struct buf big = { 0 };
	buf_puts(&big, "h\n");
	for (int i = 0; i < 1100; i++)
		buf_puts(&big, "x");
	buf_puts(&big, "\n");
	expect_error(big.p, "line 2");
	buf_reset(&big);
	buf_puts(&big, "h\n1");
	for (int i = 0; i < 20; i++)
		buf_puts(&big, ",1");
	expect_error(big.p, "line 2");
	buf_free(&big);
}

static void empty_input(void)
{
	struct buf b = { 0 };
	CHECK_INT(read_all("", 0, 4, &b, 0), 0);
	CHECK_INT(b.len, 0);
	CHECK_INT(read_all("\xEF\xBB\xBF", 3, 1, &b, 0), 0);
	CHECK_INT(b.len, 0);
	buf_free(&b);
}

int main(void)
{
	i18n_init("en");
	RUN(plain_lf_and_crlf);
	RUN(quoted_newlines_and_quotes);
	RUN(bom_and_separators);
	RUN(malformed_rows_name_their_line);
	RUN(empty_input);
	T_DONE();
}
