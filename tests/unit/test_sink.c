/*
 * The tape (src/fmt/sink.c), on which the second half of a large Intel HEX
 * file waits while the first is read: what is played is what was put, in
 * order, lines numbered on; runs that continue each other joined; the
 * entry point in its place; and a put refused (STIMG_BACK) past the bytes
 * it was made for, past its number of puts, or once it is stopped.
 */
#include "testlib.h"

/* What a sink was given, one line of text per call. */
struct seen {
	char text[4096];
	size_t len;
};

static int seen_data(void *ctx, uint64_t addr, const uint8_t *p, size_t len,
		     uint32_t line, uint32_t step, struct stimg_diag *d)
{
	struct seen *s = ctx;
	size_t i;

	(void)d;
	s->len += (size_t)snprintf(s->text + s->len, sizeof(s->text) - s->len,
				   "data 0x%" PRIX64 " %zu line %" PRIu32
				   " step %" PRIu32 ":", addr, len, line, step);
	for (i = 0; i < len && i < 4; i++)
		s->len += (size_t)snprintf(s->text + s->len,
					   sizeof(s->text) - s->len, " %02X",
					   p[i]);
	s->len += (size_t)snprintf(s->text + s->len, sizeof(s->text) - s->len,
				   "\n");
	return STIMG_OK;
}

static int seen_entry(void *ctx, uint32_t entry)
{
	struct seen *s = ctx;

	s->len += (size_t)snprintf(s->text + s->len, sizeof(s->text) - s->len,
				   "entry 0x%08" PRIX32 "\n", entry);
	return STIMG_OK;
}

static void play(const struct tape *t, unsigned long lines, const char *want)
{
	struct seen s = { "", 0 };
	const struct stimg_sink k = { seen_data, seen_entry, sink_skip_drop,
				      sink_skip_place, sink_skip_elf,
				      sink_skip_attr, NULL, &s };

	assert_int_equal(tape_play(t, &k, lines, NULL), STIMG_OK);
	assert_string_equal(s.text, want);
}

static const uint8_t bytes[64] = { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13,
				   14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24,
				   25, 26, 27, 28, 29, 30, 31, 32, 33 };

/*
 * Records of 16 bytes on lines 1-2 and 3 (a put of its own) join; a gap,
 * another step, a record of a shorter step, a line skipped do not.
 */
static void test_runs(void **state)
{
	struct stimg_sink k;
	struct tape *t = tape_new(&k, 4096);

	(void)state;
	assert_non_null(t);
	assert_int_equal(k.data(k.ctx, 0x1000, bytes, 32, 1, 16, NULL), 0);
	assert_int_equal(k.data(k.ctx, 0x1020, bytes + 32, 16, 3, 16, NULL), 0);
	/* the next address, the next line, but a short record before */
	assert_int_equal(k.data(k.ctx, 0x1030, bytes, 8, 4, 16, NULL), 0);
	assert_int_equal(k.data(k.ctx, 0x1038, bytes, 16, 5, 16, NULL), 0);
	/* a gap */
	assert_int_equal(k.data(k.ctx, 0x2000, bytes, 4, 9, 4, NULL), 0);
	/* a line skipped (a blank line between) */
	assert_int_equal(k.data(k.ctx, 0x2004, bytes + 4, 4, 11, 4, NULL), 0);
	/* a record of the scalar path (step 0): never joined */
	assert_int_equal(k.data(k.ctx, 0x2008, bytes + 8, 4, 12, 0, NULL), 0);
	assert_int_equal(k.data(k.ctx, 0x200C, bytes + 12, 4, 13, 0, NULL), 0);
	play(t, 1000,
	     "data 0x1000 56 line 1001 step 16: 01 02 03 04\n"
	     "data 0x1038 16 line 1005 step 16: 01 02 03 04\n"
	     "data 0x2000 4 line 1009 step 4: 01 02 03 04\n"
	     "data 0x2004 4 line 1011 step 4: 05 06 07 08\n"
	     "data 0x2008 4 line 1012 step 0: 09 0A 0B 0C\n"
	     "data 0x200C 4 line 1013 step 0: 0D 0E 0F 10\n");
	tape_free(t);
}

/* The entry point is played where it came; no put joins across it. */
static void test_entry(void **state)
{
	struct stimg_sink k;
	struct tape *t = tape_new(&k, 4096);

	(void)state;
	assert_non_null(t);
	assert_false(tape_entry_point(t));
	assert_int_equal(k.data(k.ctx, 0x100, bytes, 16, 1, 16, NULL), 0);
	assert_int_equal(k.entry(k.ctx, 0x08000101), 0);
	assert_true(tape_entry_point(t));
	assert_int_equal(k.data(k.ctx, 0x110, bytes + 16, 16, 2, 16, NULL), 0);
	assert_int_equal(k.data(k.ctx, 0x120, bytes + 32, 1, 3, 16, NULL), 0);
	/* a second entry point is the reader's warning: the tape refuses it */
	assert_int_equal(k.entry(k.ctx, 0x08000201), STIMG_BACK);
	play(t, 0,
	     "data 0x100 16 line 1 step 16: 01 02 03 04\n"
	     "entry 0x08000101\n"
	     "data 0x110 17 line 2 step 16: 11 12 13 14\n");
	tape_free(t);

	/* an entry point before any data, and an empty tape */
	t = tape_new(&k, 16);
	assert_non_null(t);
	play(t, 5, "");
	assert_int_equal(k.entry(k.ctx, 0x20000001), 0);
	play(t, 5, "entry 0x20000001\n");
	tape_free(t);
}

/* Past its bytes, its number of puts, or stopped: STIMG_BACK. */
static void test_refused(void **state)
{
	struct stimg_sink k;
	struct tape *t = tape_new(&k, 20);
	uint32_t i;
	int ret = STIMG_OK;

	(void)state;
	assert_non_null(t);
	assert_int_equal(k.data(k.ctx, 0, bytes, 16, 1, 16, NULL), 0);
	assert_int_equal(k.data(k.ctx, 16, bytes, 5, 2, 16, NULL), STIMG_BACK);
	assert_int_equal(k.data(k.ctx, 16, bytes, 4, 2, 16, NULL), 0);
	tape_free(t);

	/* isolated one-byte records: refused at a fixed number of puts */
	t = tape_new(&k, 1u << 24);
	assert_non_null(t);
	for (i = 0; i < (1u << 22) && !ret; i++)
		ret = k.data(k.ctx, 2 * (uint64_t)i, bytes, 1, i + 1, 1, NULL);
	assert_int_equal(ret, STIMG_BACK);
	assert_true(i > 1000 && i < (1u << 22));
	tape_free(t);

	t = tape_new(&k, 4096);
	assert_non_null(t);
	assert_int_equal(k.data(k.ctx, 0, bytes, 16, 1, 16, NULL), 0);
	tape_stop(t);
	assert_int_equal(k.data(k.ctx, 16, bytes, 16, 2, 16, NULL), STIMG_BACK);
	tape_free(t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_runs),
		cmocka_unit_test(test_entry),
		cmocka_unit_test(test_refused),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
