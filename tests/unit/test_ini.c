/* core/ini.c (the INI reader of files a person types) and core/inflate.c
 * (RFC 1951, for the deflated message catalogue). */
#include "case/case.h"
#include "core/core.h"
#include "t.h"

static int parse(struct ini *i, const char *text, struct ini_limits lim)
{
	return ini_parse(i, text, strlen(text), "x.ini", lim);
}

static void ini_reads(void)
{
	struct ini i;
	CHECK(parse(&i, "\xEF\xBB\xBF; comment\r\n# another\n\nloose = 1\n[ Sect ]\n  key = a value = with = signs  \r\n"
		       "entry\nempty =\n[two]\nk=v\n", INI_LIMITS_DEFAULT) == 0);
	CHECK_INT(i.n, 5);
	CHECK_STR(i.it[0].section, "");
	CHECK_STR(i.it[0].key, "loose");
	CHECK_STR(i.it[1].section, "Sect");
	CHECK_INT(i.it[1].sline, 5);
	CHECK_STR(i.it[1].key, "key");
	CHECK_STR(i.it[1].value, "a value = with = signs");
	CHECK_INT(i.it[1].line, 6);
	CHECK(i.it[2].value == NULL);
	CHECK_STR(i.it[3].value, "");
	CHECK_STR(ini_get(&i, "sect", "KEY")->value, "a value = with = signs");
	CHECK_STR(ini_get(&i, "two", "k")->value, "v");
	CHECK(ini_get(&i, "two", "key") == NULL);
	ini_free(&i);
	/* comments after a value only when asked: a note keeps its ';' */
	CHECK(parse(&i, "[s]\nnote = appel ; 10h\n", INI_LIMITS_DEFAULT) == 0);
	CHECK_STR(i.it[0].value, "appel ; 10h");
	ini_free(&i);
	struct ini_limits lim = INI_LIMITS_DEFAULT;
	lim.inline_comments = 1;
	CHECK(parse(&i, "[s] ; x\nFR   ; France\nurl = https://sts.example/adfs#x\n", lim) == 0);
	CHECK_STR(i.it[0].key, "FR");
	CHECK_STR(i.it[1].value, "https://sts.example/adfs#x");
	ini_free(&i);
}

static void ini_refuses(void)
{
	struct ini i;
	struct ini_limits lim = INI_LIMITS_DEFAULT;
	CHECK(parse(&i, "[s]\n[bad\n", lim) < 0);
	CHECK_INT(err_id(), E_INI_SECTION);
	CHECK(strstr(err_msg(), "x.ini, line 2") != NULL);
	CHECK(parse(&i, "[]\n", lim) < 0 && err_id() == E_INI_SECTION);
	CHECK(parse(&i, "[s]\n = v\n", lim) < 0 && err_id() == E_INI_KEY);
	CHECK(parse(&i, "[s]\nk = a\x01b\n", lim) < 0 && err_id() == E_INI_TEXT);
	CHECK(parse(&i, "[s]\nk = \xC3\x28\n", lim) < 0 && err_id() == E_INI_TEXT);
	CHECK(ini_parse(&i, "[s]\nk = a\0b\n", 11, "x.ini", lim) < 0 && err_id() == E_INI_TEXT);
	lim.max_line = 8;
	CHECK(parse(&i, "[s]\nkey = 12345\n", lim) < 0 && err_id() == E_INI_LINE_LONG);
	CHECK(strstr(err_msg(), "line 2") != NULL);
	lim = INI_LIMITS_DEFAULT;
	lim.max_items = 2;
	CHECK(parse(&i, "a\nb\n", lim) == 0);
	ini_free(&i);
	CHECK(parse(&i, "a\nb\nc\n", lim) < 0 && err_id() == E_INI_TOO_MANY);
	lim = INI_LIMITS_DEFAULT;
	lim.max_bytes = 4;
	CHECK(parse(&i, "[s]\nk\n", lim) < 0 && err_id() == E_FILE_TOO_LARGE);
	CHECK(i.it == NULL && i.mem == NULL);
	err_clear();
}

/* zlib's raw deflate of "abcabcabcabcabcabc-hello" (fixed codes) */
static const unsigned char fixed_z[] = { 75, 76, 74, 78, 68, 69, 186, 25, 169, 57, 57, 249, 0 };
/* "xxx" stored (level 0) */
static const unsigned char stored_z[] = { 1, 3, 0, 252, 255, 120, 120, 120 };
/* 1468 bytes of words, dynamic codes; SHA-256 of the text below */
static const unsigned char dyn_z[] = {
	141, 83, 91, 14, 2, 33, 12, 188, 202, 94, 197, 163, 172, 216, 24, 76, 64, 131, 172, 137,
	254, 122, 26, 175, 161, 23, 51, 217, 150, 181, 67, 75, 226, 207, 194, 210, 199, 76, 135, 33,
	205, 39, 90, 202, 20, 115, 136, 7, 202, 117, 10, 37, 94, 233, 247, 91, 41, 207, 102, 9,
	231, 116, 169, 52, 165, 152, 161, 84, 162, 199, 50, 223, 98, 253, 60, 223, 175, 150, 40, 139,
	10, 180, 70, 43, 88, 223, 39, 220, 247, 84, 116, 182, 191, 221, 61, 150, 66, 14, 154, 180,
	179, 160, 92, 32, 97, 156, 8, 66, 140, 47, 63, 152, 206, 132, 45, 38, 215, 111, 19, 36,
	22, 181, 211, 146, 251, 114, 42, 212, 53, 220, 53, 157, 191, 192, 107, 168, 31, 142, 218, 230,
	23, 112, 141, 182, 238, 251, 139, 242, 73, 3, 36, 23, 218, 139, 117, 174, 154, 201, 3, 5,
	232, 40, 92, 85, 137, 156, 112, 24, 149, 208, 234, 48, 7, 96, 194, 96, 35, 3, 72, 43,
	13, 238, 117, 119, 236, 168, 36, 3, 114, 82, 1, 105, 160, 144, 113, 153, 166, 110, 197, 106,
	222, 2, 125, 186, 135, 40, 29, 122, 195, 109, 241, 109, 243, 199, 181, 128, 193, 140, 75, 121,
	28, 55, 6, 70, 6, 158, 142, 89, 97, 90, 89, 60, 150, 96, 21, 16, 211, 231, 9, 232,
	163, 43, 180, 246, 66, 47, 234, 84, 62, 241, 158, 152, 115, 247, 248, 212, 70, 158, 131, 49,
	172, 254, 162, 166, 229, 136, 147, 118, 35, 67, 113, 3, 82, 103, 95,
};

static void inflates(void)
{
	char out[2048], sha[65];
	size_t n = 0;
	CHECK(inflate_raw(fixed_z, sizeof fixed_z, out, sizeof out, &n) == 0);
	CHECK(n == 24 && !memcmp(out, "abcabcabcabcabcabc-hello", 24));
	CHECK(inflate_raw(stored_z, sizeof stored_z, out, sizeof out, &n) == 0);
	CHECK(n == 3 && !memcmp(out, "xxx", 3));
	CHECK(inflate_raw(dyn_z, sizeof dyn_z, out, sizeof out, &n) == 0);
	CHECK_INT(n, 1468);
	CHECK(case_sha256_hex(out, n, sha) == 0);
	CHECK_STR(sha, "40a8f602497a2d8027714e349cf7be9abc4b33efe75c86123808718dacc8b0d6");
	/* bounded and checked */
	CHECK(inflate_raw(dyn_z, sizeof dyn_z, out, 1467, &n) < 0);
	CHECK(inflate_raw(dyn_z, sizeof dyn_z - 9, out, sizeof out, &n) < 0);
	CHECK(inflate_raw(fixed_z, 5, out, sizeof out, &n) < 0);
	static const unsigned char type3[] = { 0x07 };
	CHECK(inflate_raw(type3, 1, out, sizeof out, &n) < 0);
	static const unsigned char badlen[] = { 1, 3, 0, 0, 0, 'x', 'x', 'x' };
	CHECK(inflate_raw(badlen, sizeof badlen, out, sizeof out, &n) < 0);
	/* fixed codes: a match of 3 at distance 1 before anything was
	 * written (zlib: "invalid distance too far back") */
	static const unsigned char far[] = { 3, 2, 0 };
	CHECK(inflate_raw(far, sizeof far, out, sizeof out, &n) < 0);
}

/* The catalogue the build deflated comes back whole: the first and the
 * last message, in both languages (a failed inflate gives "?"). */
static void catalogue_inflated(void)
{
	CHECK_STR(tr_lang(E_NOMEM, LANG_EN), "out of memory");
	CHECK_STR(tr_lang(E_NOMEM, LANG_FR), "mémoire insuffisante");
	CHECK(strcmp(tr_lang(MSG__COUNT - 1, LANG_EN), "?") && strcmp(tr_lang(MSG__COUNT - 1, LANG_FR), "?"));
	CHECK(strcmp(tr_lang(MSG__COUNT - 1, LANG_EN), tr_lang(MSG__COUNT - 2, LANG_EN)));
	CHECK_STR(tr_lang(MSG__COUNT, LANG_EN), "?");
}

int main(void)
{
	i18n_init("en");
	RUN(ini_reads);
	RUN(ini_refuses);
	RUN(inflates);
	RUN(catalogue_inflated);
	T_DONE();
}
