/* Range sets (add, union, intersect, subtract, contains) and the parsers. */
#include "testlib.h"

#define GIB4 STIMG_ADDR_END

/* Builds a set from pairs start, end, ...; n is the number of pairs. */
static void set_of(struct stimg_ranges *r, size_t n, ...)
{
	va_list ap;
	size_t i;

	va_start(ap, n);
	for (i = 0; i < n; i++) {
		uint64_t s = va_arg(ap, uint64_t), e = va_arg(ap, uint64_t);

		assert_int_equal(stimg_ranges_add(r, s, e), STIMG_OK);
	}
	va_end(ap);
}

#define U(x) ((uint64_t)(x))

static void test_add_disjoint_sorted(void **state)
{
	struct stimg_ranges r = STIMG_RANGES_INIT;

	(void)state;
	/* added out of order, kept sorted */
	set_of(&r, 3, U(0x3000), U(0x3100), U(0x1000), U(0x1100),
	       U(0x2000), U(0x2100));
	assert_string_equal(tl_ranges(&r), "[0x00001000,0x00001100) "
			    "[0x00002000,0x00002100) [0x00003000,0x00003100)");
	stimg_ranges_release(&r);
	assert_null(r.v);
	assert_int_equal(r.n, 0);
}

/*
 *  [==a==][==b==]           touching: one range
 *  [0x1000,0x1100)[0x1100,0x1200)
 */
static void test_add_touching_merges(void **state)
{
	struct stimg_ranges r = STIMG_RANGES_INIT;

	(void)state;
	set_of(&r, 2, U(0x1000), U(0x1100), U(0x1100), U(0x1200));
	assert_string_equal(tl_ranges(&r), "[0x00001000,0x00001200)");
	/* touching on the left too */
	set_of(&r, 1, U(0x0F00), U(0x1000));
	assert_string_equal(tl_ranges(&r), "[0x00000F00,0x00001200)");
	/* one byte apart: stays separate */
	set_of(&r, 1, U(0x1201), U(0x1300));
	assert_string_equal(tl_ranges(&r),
			    "[0x00000F00,0x00001200) [0x00001201,0x00001300)");
	/* and the byte between joins them */
	set_of(&r, 1, U(0x1200), U(0x1201));
	assert_string_equal(tl_ranges(&r), "[0x00000F00,0x00001300)");
	stimg_ranges_release(&r);
}

/*
 *  [=a=]   [=b=]   [=c=]     [=d=]
 *     [=======new=======]
 *  [=========merged=====]     [=d=]
 */
static void test_add_swallows_several(void **state)
{
	struct stimg_ranges r = STIMG_RANGES_INIT;

	(void)state;
	set_of(&r, 4, U(0x100), U(0x200), U(0x300), U(0x400), U(0x500),
	       U(0x600), U(0x900), U(0xA00));
	set_of(&r, 1, U(0x180), U(0x580));
	assert_string_equal(tl_ranges(&r),
			    "[0x00000100,0x00000600) [0x00000900,0x00000A00)");
	/* a range inside an existing one changes nothing */
	set_of(&r, 1, U(0x200), U(0x300));
	assert_string_equal(tl_ranges(&r),
			    "[0x00000100,0x00000600) [0x00000900,0x00000A00)");
	stimg_ranges_release(&r);
}

static void test_add_empty_and_extremes(void **state)
{
	struct stimg_ranges r = STIMG_RANGES_INIT;

	(void)state;
	/* empty and reversed ranges add nothing */
	set_of(&r, 2, U(0x1000), U(0x1000), U(0x2000), U(0x1000));
	assert_int_equal(r.n, 0);
	assert_false(stimg_ranges_contains(&r, 0));

	/* the first and the last byte of the address space */
	set_of(&r, 2, U(0), U(1), GIB4 - 1, GIB4);
	assert_string_equal(tl_ranges(&r),
			    "[0x00000000,0x00000001) [0xFFFFFFFF,0x100000000)");
	assert_true(stimg_ranges_contains(&r, 0));
	assert_false(stimg_ranges_contains(&r, 1));
	assert_false(stimg_ranges_contains(&r, 0xFFFFFFFE));
	assert_true(stimg_ranges_contains(&r, 0xFFFFFFFF));
	assert_false(stimg_ranges_contains(&r, GIB4));

	/* the whole space */
	set_of(&r, 1, U(1), GIB4 - 1);
	assert_string_equal(tl_ranges(&r), "[0x00000000,0x100000000)");
	stimg_ranges_release(&r);
}

static void test_contains(void **state)
{
	struct stimg_ranges r = STIMG_RANGES_INIT;
	size_t i;

	(void)state;
	for (i = 0; i < 20; i++)
		set_of(&r, 1, U(i * 0x100), U(i * 0x100 + 0x10));
	assert_int_equal(r.n, 20);
	for (i = 0; i < 20; i++) {
		assert_false(i && stimg_ranges_contains(&r, i * 0x100 - 1));
		assert_true(stimg_ranges_contains(&r, i * 0x100));
		assert_true(stimg_ranges_contains(&r, i * 0x100 + 0xF));
		assert_false(stimg_ranges_contains(&r, i * 0x100 + 0x10));
	}
	stimg_ranges_release(&r);
}

static void test_union(void **state)
{
	struct stimg_ranges a = STIMG_RANGES_INIT, b = STIMG_RANGES_INIT;

	(void)state;
	set_of(&a, 2, U(0x000), U(0x100), U(0x400), U(0x500));
	set_of(&b, 3, U(0x100), U(0x200), U(0x300), U(0x400), U(0x800),
	       U(0x900));
	assert_int_equal(stimg_ranges_union(&a, &b), STIMG_OK);
	assert_string_equal(tl_ranges(&a), "[0x00000000,0x00000200) "
			    "[0x00000300,0x00000500) [0x00000800,0x00000900)");
	/* union with an empty set, and of an empty set */
	stimg_ranges_release(&b);
	assert_int_equal(stimg_ranges_union(&a, &b), STIMG_OK);
	assert_int_equal(a.n, 3);
	assert_int_equal(stimg_ranges_union(&b, &a), STIMG_OK);
	assert_string_equal(tl_ranges(&b), "[0x00000000,0x00000200) "
			    "[0x00000300,0x00000500) [0x00000800,0x00000900)");
	stimg_ranges_release(&a);
	stimg_ranges_release(&b);
}

/*
 *  [=====data=====]      [==data==]      [=data=]
 *        [=======crop=======]
 *        [=data===]      [d]
 */
static void test_intersect(void **state)
{
	struct stimg_ranges a = STIMG_RANGES_INIT, b = STIMG_RANGES_INIT;

	(void)state;
	set_of(&a, 3, U(0x1000), U(0x2000), U(0x3000), U(0x4000), U(0x5000),
	       U(0x6000));
	set_of(&b, 1, U(0x1800), U(0x3100));
	assert_int_equal(stimg_ranges_intersect(&a, &b), STIMG_OK);
	assert_string_equal(tl_ranges(&a),
			    "[0x00001800,0x00002000) [0x00003000,0x00003100)");
	stimg_ranges_release(&a);
	stimg_ranges_release(&b);
}

/*
 * Ranges that only touch share no address:
 *  [==a==]
 *        [==b==]
 */
static void test_intersect_touching_and_empty(void **state)
{
	struct stimg_ranges a = STIMG_RANGES_INIT, b = STIMG_RANGES_INIT;

	(void)state;
	set_of(&a, 1, U(0x1000), U(0x2000));
	set_of(&b, 1, U(0x2000), U(0x3000));
	assert_int_equal(stimg_ranges_intersect(&a, &b), STIMG_OK);
	assert_int_equal(a.n, 0);

	/* with an empty set: empty */
	set_of(&a, 1, U(0x1000), U(0x2000));
	stimg_ranges_release(&b);
	assert_int_equal(stimg_ranges_intersect(&a, &b), STIMG_OK);
	assert_int_equal(a.n, 0);

	/*
	 *  [a][a]  [a]  [a]    many small ones against one big
	 *  [=========b========]
	 */
	set_of(&a, 4, U(0x10), U(0x20), U(0x30), U(0x40), U(0x50), U(0x60),
	       U(0x70), U(0x80));
	set_of(&b, 1, U(0x15), U(0x75));
	assert_int_equal(stimg_ranges_intersect(&a, &b), STIMG_OK);
	assert_string_equal(tl_ranges(&a), "[0x00000015,0x00000020) "
			    "[0x00000030,0x00000040) [0x00000050,0x00000060) "
			    "[0x00000070,0x00000075)");
	stimg_ranges_release(&a);
	stimg_ranges_release(&b);
}

static void test_intersect_at_4gib(void **state)
{
	struct stimg_ranges a = STIMG_RANGES_INIT, b = STIMG_RANGES_INIT;

	(void)state;
	set_of(&a, 1, U(0), GIB4);
	set_of(&b, 2, U(0), U(4), GIB4 - 4, GIB4);
	assert_int_equal(stimg_ranges_intersect(&a, &b), STIMG_OK);
	assert_string_equal(tl_ranges(&a),
			    "[0x00000000,0x00000004) [0xFFFFFFFC,0x100000000)");
	stimg_ranges_release(&a);
	stimg_ranges_release(&b);
}

/*
 *  [==============data==============]
 *       [=ex=]        [=ex=]
 *  [===]      [======]      [======]
 */
static void test_subtract(void **state)
{
	struct stimg_ranges a = STIMG_RANGES_INIT, b = STIMG_RANGES_INIT;

	(void)state;
	set_of(&a, 1, U(0x1000), U(0x2000));
	set_of(&b, 2, U(0x1100), U(0x1200), U(0x1800), U(0x1900));
	assert_int_equal(stimg_ranges_subtract(&a, &b), STIMG_OK);
	assert_string_equal(tl_ranges(&a), "[0x00001000,0x00001100) "
			    "[0x00001200,0x00001800) [0x00001900,0x00002000)");

	/* subtracting what lies outside, or only touches, changes nothing */
	stimg_ranges_release(&b);
	set_of(&b, 2, U(0), U(0x1000), U(0x2000), U(0x3000));
	assert_int_equal(stimg_ranges_subtract(&a, &b), STIMG_OK);
	assert_string_equal(tl_ranges(&a), "[0x00001000,0x00001100) "
			    "[0x00001200,0x00001800) [0x00001900,0x00002000)");

	/* subtracting everything leaves nothing */
	stimg_ranges_release(&b);
	set_of(&b, 1, U(0), GIB4);
	assert_int_equal(stimg_ranges_subtract(&a, &b), STIMG_OK);
	assert_int_equal(a.n, 0);
	stimg_ranges_release(&a);
	stimg_ranges_release(&b);
}

/*
 *  [0]...........................................[4G]
 *  [=======================all=====================]
 *  [x]                                           [x]
 *     [==============================================]
 */
static void test_subtract_edges(void **state)
{
	struct stimg_ranges a = STIMG_RANGES_INIT, b = STIMG_RANGES_INIT;

	(void)state;
	set_of(&a, 1, U(0), GIB4);
	set_of(&b, 2, U(0), U(1), GIB4 - 1, GIB4);
	assert_int_equal(stimg_ranges_subtract(&a, &b), STIMG_OK);
	assert_string_equal(tl_ranges(&a), "[0x00000001,0xFFFFFFFF)");

	/* subtracting the empty set keeps everything */
	stimg_ranges_release(&b);
	assert_int_equal(stimg_ranges_subtract(&a, &b), STIMG_OK);
	assert_string_equal(tl_ranges(&a), "[0x00000001,0xFFFFFFFF)");
	stimg_ranges_release(&a);
}

/* parse_number: accepted spellings */
static void test_parse_number_ok(void **state)
{
	static const struct {
		const char *s;
		uint64_t v;
	} ok[] = {
		{ "0x8008000", 0x8008000 },
		{ "0X8008000", 0x8008000 },
		{ "0x08008000", 0x08008000 },
		{ "134250496", 134250496 },
		{ "0", 0 },
		{ "010", 10 },		/* decimal, not octal */
		{ "32K", 32768 },
		{ "32k", 32768 },
		{ "1M", 1048576 },
		{ "0x10K", 0x4000 },
		{ "0xFFFFFFFF", 0xFFFFFFFF },
		{ "0xffffffff", 0xFFFFFFFF },
		{ "4096M", GIB4 },
		{ "4194304K", GIB4 },
	};
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(ok); i++) {
		uint64_t v = 0xDEAD;

		assert_int_equal(stimg_parse_number(ok[i].s, GIB4, &v), STIMG_OK);
		assert_int_equal(v, ok[i].v);
	}
}

static void test_parse_number_errors(void **state)
{
	static const struct {
		const char *s;
		uint64_t max;
		int err;
	} bad[] = {
		{ "", GIB4, STIMG_EINVAL },
		{ "x", GIB4, STIMG_EINVAL },
		{ "0x", GIB4, STIMG_EINVAL },
		{ "0xK", GIB4, STIMG_EINVAL },
		{ "-1", GIB4, STIMG_EINVAL },
		{ "+1", GIB4, STIMG_EINVAL },
		{ " 1", GIB4, STIMG_EINVAL },
		{ "1 ", GIB4, STIMG_EINVAL },
		{ "12Q", GIB4, STIMG_EINVAL },
		{ "1KK", GIB4, STIMG_EINVAL },
		{ "1G", GIB4, STIMG_EINVAL },
		{ "0x1g", GIB4, STIMG_EINVAL },
		{ "K", GIB4, STIMG_EINVAL },
		{ "99999999999999999999999", UINT64_MAX, STIMG_ERANGE },
		{ "0x10000000000000000", UINT64_MAX, STIMG_ERANGE },
		{ "0x100000000", GIB4 - 1, STIMG_ERANGE },
		{ "4097M", GIB4, STIMG_ERANGE },
		{ "18014398509481984K", UINT64_MAX, STIMG_ERANGE },
		{ "256", 255, STIMG_ERANGE },
		{ "2K", 2047, STIMG_ERANGE },
	};
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		uint64_t v = 0xDEAD;

		if (stimg_parse_number(bad[i].s, bad[i].max, &v) != bad[i].err)
			fail_msg("'%s' (max %" PRIu64 ") did not give %d",
				 bad[i].s, bad[i].max, bad[i].err);
	}
}

static void test_parse_number_limit(void **state)
{
	uint64_t v;

	(void)state;
	/* max itself is allowed, one more is not */
	assert_int_equal(stimg_parse_number("255", 255, &v), STIMG_OK);
	assert_int_equal(v, 255);
	assert_int_equal(stimg_parse_number("2K", 2048, &v), STIMG_OK);
	assert_int_equal(v, 2048);
	assert_int_equal(stimg_parse_number("0xFFFFFFFF", GIB4 - 1, &v), STIMG_OK);
	assert_int_equal(v, 0xFFFFFFFF);
	assert_int_equal(stimg_parse_number("18446744073709551615", UINT64_MAX, &v),
			 STIMG_OK);
	assert_true(v == UINT64_MAX);
}

static void test_parse_range_ok(void **state)
{
	static const struct {
		const char *s;
		uint64_t start, end;
	} ok[] = {
		{ "0x08008800:0x08018000", 0x08008800, 0x08018000 },
		{ "0x08008000+64K", 0x08008000, 0x08018000 },
		{ "0x08008000+0x10000", 0x08008000, 0x08018000 },
		{ "134250496+1", 134250496, 134250497 },
		{ "0:1", 0, 1 },
		{ "32K:1M", 32768, 1048576 },
		{ "0:0x100000000", 0, GIB4 },
		{ "0+4096M", 0, GIB4 },
		{ "0xFFFFFFFF+1", 0xFFFFFFFF, GIB4 },
		{ "0xFFFFFFFF:0x100000000", 0xFFFFFFFF, GIB4 },
	};
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(ok); i++) {
		struct stimg_range r = { 1, 1 };

		if (stimg_parse_range(ok[i].s, &r) != STIMG_OK)
			fail_msg("'%s' did not parse", ok[i].s);
		assert_int_equal(r.start, ok[i].start);
		assert_int_equal(r.end, ok[i].end);
	}
}

static void test_parse_range_errors(void **state)
{
	static const struct {
		const char *s;
		int err;
	} bad[] = {
		{ "", STIMG_EINVAL },
		{ "0x1000", STIMG_EINVAL },		/* no end */
		{ "0x1000:", STIMG_EINVAL },
		{ "0x1000+", STIMG_EINVAL },
		{ ":0x1000", STIMG_EINVAL },
		{ "0x2000:0x1000", STIMG_EINVAL },	/* reversed */
		{ "0x1000:0x1000", STIMG_EINVAL },	/* empty */
		{ "0x1000+0", STIMG_EINVAL },		/* empty */
		{ "0x1000-0x2000", STIMG_EINVAL },
		{ "0x1000:0x2000:0x3000", STIMG_EINVAL },
		{ "0x1000:0x2000 ", STIMG_EINVAL },
		{ "0x1000:-1", STIMG_EINVAL },
		{ "0x1000Q:0x2000", STIMG_EINVAL },
		{ "0:0x100000001", STIMG_ERANGE },	/* past 4 GiB */
		{ "0xFFFFFFFF+2", STIMG_ERANGE },
		{ "0x80000000+0x80000001", STIMG_ERANGE },
		{ "0x100000001:0x100000002", STIMG_ERANGE },
		{ "0x08000000+5000M", STIMG_ERANGE },
	};
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		struct stimg_range r;
		int ret = stimg_parse_range(bad[i].s, &r);

		if (ret != bad[i].err)
			fail_msg("'%s' gave %d, expected %d", bad[i].s, ret,
				 bad[i].err);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_add_disjoint_sorted),
		cmocka_unit_test(test_add_touching_merges),
		cmocka_unit_test(test_add_swallows_several),
		cmocka_unit_test(test_add_empty_and_extremes),
		cmocka_unit_test(test_contains),
		cmocka_unit_test(test_union),
		cmocka_unit_test(test_intersect),
		cmocka_unit_test(test_intersect_touching_and_empty),
		cmocka_unit_test(test_intersect_at_4gib),
		cmocka_unit_test(test_subtract),
		cmocka_unit_test(test_subtract_edges),
		cmocka_unit_test(test_parse_number_ok),
		cmocka_unit_test(test_parse_number_errors),
		cmocka_unit_test(test_parse_number_limit),
		cmocka_unit_test(test_parse_range_ok),
		cmocka_unit_test(test_parse_range_errors),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
