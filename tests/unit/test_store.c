/*
 * The byte store against a byte map: random puts (every policy, data and
 * fill), clears, gets, page moves, over a window that straddles page
 * boundaries, with the whole content compared after every step.
 */
#include <sys/mman.h>

#include "testlib.h"
#include "core/store.h"

/* The model: WIN bytes from base, each absent (-1) or a byte. */
#define WIN (3 * STORE_PAGE + 512)

struct model {
	uint64_t base;
	int16_t v[WIN];
};

static uint32_t rng_state;

static uint32_t rnd(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 17;
	rng_state ^= rng_state << 5;
	return rng_state;
}

/* Every run store_next gives matches the model, and nothing else is set. */
static void check(const struct store *s, const struct model *m)
{
	int16_t seen[WIN];
	uint64_t at = 0, prev_end = 0, count = 0;
	uint32_t addr;
	const uint8_t *p;
	size_t len, i;

	for (i = 0; i < WIN; i++)
		seen[i] = -1;
	while (store_next(s, &at, &addr, &p, &len)) {
		assert_true(len > 0);
		assert_true(addr >= prev_end);
		/* a run ends at a hole or a page boundary */
		assert_true(addr + len <= ((uint64_t)addr | (STORE_PAGE - 1)) + 1);
		assert_true(addr >= m->base && addr + len <= m->base + WIN);
		for (i = 0; i < len; i++)
			seen[addr - m->base + i] = p[i];
		prev_end = addr + len;
		count += len;
	}
	for (i = 0; i < WIN; i++)
		assert_int_equal(seen[i], m->v[i]);
	assert_int_equal(count, s->bytes);
}

static void model_put(struct model *m, uint64_t a, const uint8_t *q,
		      uint8_t fill, size_t len, enum stimg_overlap pol)
{
	size_t i;

	for (i = 0; i < len; i++) {
		int16_t *x = &m->v[a - m->base + i];

		if (*x >= 0 && pol == STIMG_OVERLAP_FIRST)
			continue;
		*x = q ? q[i] : fill;
	}
}

/* The first differing byte a put meets, as the model sees it. */
static bool model_differs(const struct model *m, uint64_t a, const uint8_t *q,
			  uint8_t fill, size_t len, uint32_t *at)
{
	size_t i;

	for (i = 0; i < len; i++) {
		int16_t x = m->v[a - m->base + i];

		if (x >= 0 && x != (q ? q[i] : fill)) {
			*at = (uint32_t)(a + i);
			return true;
		}
	}
	return false;
}

static void run(uint64_t base, uint32_t seed, int steps)
{
	static struct model m;
	static uint8_t data[4096];
	struct store s = STORE_INIT;
	int k;
	size_t i;

	rng_state = seed;
	m.base = base;
	for (i = 0; i < WIN; i++)
		m.v[i] = -1;
	for (k = 0; k < steps; k++) {
		uint32_t r = rnd() % 100;
		/* lengths: mostly records, sometimes big */
		size_t len = rnd() % 8 ? 1 + rnd() % 32 : 1 + rnd() % sizeof(data);
		uint64_t a = base + rnd() % (WIN - len);

		if (rnd() % 4 == 0) { /* near a page boundary */
			a = ((base + rnd() % WIN) & ~(uint64_t)(STORE_PAGE - 1)) +
			    (rnd() % 64);
			a = a >= base + 32 ? a - 32 : base;
		}
		if (a + len > base + WIN)
			a = base + WIN - len;
		for (i = 0; i < len; i++)
			data[i] = (uint8_t)(rnd() % 4);	/* collisions agree often */
		if (r < 70) {
			enum stimg_overlap pol = (enum stimg_overlap)(rnd() % 3);
			bool fill = rnd() % 10 == 0;
			struct store_meet meet;
			uint32_t at = 0;
			bool differ = model_differs(&m, a, fill ? NULL : data,
						    0xFF, len, &at);
			int ret = store_put(&s, (uint32_t)a, fill ? NULL : data,
					    0xFF, len, pol, &meet);

			assert_int_equal(meet.differ, differ);
			if (differ)
				assert_int_equal(meet.at, at);
			if (differ && pol == STIMG_OVERLAP_ERROR) {
				assert_int_equal(ret, STIMG_ECONFLICT);
			} else {
				assert_int_equal(ret, STIMG_OK);
				model_put(&m, a, fill ? NULL : data, 0xFF, len, pol);
			}
		} else if (r < 85) {
			assert_int_equal(store_clear(&s, a, a + len), STIMG_OK);
			for (i = 0; i < len; i++)
				m.v[a - base + i] = -1;
		} else {
			uint8_t out[4096];
			bool all = true;

			for (i = 0; i < len; i++)
				all = all && m.v[a - base + i] >= 0;
			assert_int_equal(store_get(&s, (uint32_t)a, out, len), all);
			for (i = 0; all && i < len; i++)
				assert_int_equal(out[i], m.v[a - base + i]);
		}
		check(&s, &m);
	}
	store_release(&s);
}

static void test_random_low(void **state)
{
	(void)state;
	run(0, 1, 3000);
}

static void test_random_unaligned(void **state)
{
	(void)state;
	run(0x0800FF00, 7, 3000);
	run(0x20000001, 99, 3000);
}

static void test_random_top_of_space(void **state)
{
	(void)state;
	run(STIMG_ADDR_END - WIN, 12345, 3000);
}

/* Records in order fill pages without a bitmap; a hole makes one. */
static void test_in_order_and_holes(void **state)
{
	struct store s = STORE_INIT;
	uint8_t b[16];
	uint64_t at = 0;
	uint32_t addr, k;
	const uint8_t *p;
	size_t len;

	(void)state;
	for (k = 0; k < 16; k++)
		b[k] = (uint8_t)k;
	for (k = 0; k < 2 * STORE_PAGE / 16; k++)
		assert_int_equal(store_put(&s, 0x08000000 + 16 * k, b, 0, 16,
					   STIMG_OVERLAP_ERROR, NULL), STIMG_OK);
	assert_int_equal(s.bytes, 2 * STORE_PAGE);
	assert_true(store_next(&s, &at, &addr, &p, &len));
	assert_int_equal(addr, 0x08000000);
	assert_int_equal(len, STORE_PAGE);
	assert_true(store_next(&s, &at, &addr, &p, &len));
	assert_int_equal(addr, 0x08010000);
	assert_int_equal(len, STORE_PAGE);
	assert_false(store_next(&s, &at, &addr, &p, &len));

	/* a differing byte under ERROR is refused, nothing written */
	b[3] = 0x55;
	{
		struct store_meet meet;

		assert_int_equal(store_put(&s, 0x0800FFF0, b, 0, 16,
					   STIMG_OVERLAP_ERROR, &meet),
				 STIMG_ECONFLICT);
		assert_true(meet.differ);
		assert_int_equal(meet.at, 0x0800FFF3);
		assert_int_equal(meet.old, 0x03);
		assert_int_equal(meet.new, 0x55);
	}
	assert_int_equal(store_clear(&s, 0x08000010, 0x08000020), STIMG_OK);
	assert_int_equal(s.bytes, 2 * STORE_PAGE - 16);
	at = 0;
	assert_true(store_next(&s, &at, &addr, &p, &len));
	assert_int_equal(addr, 0x08000000);
	assert_int_equal(len, 16);
	assert_true(store_next(&s, &at, &addr, &p, &len));
	assert_int_equal(addr, 0x08000020);
	assert_int_equal(len, STORE_PAGE - 0x20);
	store_release(&s);
}

/*
 * Bytes put by reference stay where they are, read only: the store reads
 * them, and copies them before any change. The source is mapped read
 * only, so that a write into it would crash the test.
 */
static void test_put_ref(void **state)
{
	size_t len = 3 * STORE_PAGE, i;
	uint8_t *src = mmap(NULL, len, PROT_READ | PROT_WRITE,
			    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	struct store s = STORE_INIT;
	uint8_t out[64], b[8] = { 1, 2, 3, 4, 5, 6, 7, 8 };
	struct store_meet meet;

	(void)state;
	assert_true(src != MAP_FAILED);
	for (i = 0; i < len; i++)
		src[i] = (uint8_t)(i * 13);
	assert_int_equal(mprotect(src, len, PROT_READ), 0);
	/* from the middle of a page, across two boundaries */
	assert_int_equal(store_put_ref(&s, 0x08008000, src, len - 0x9000), 0);
	assert_int_equal(s.bytes, len - 0x9000);
	assert_true(store_get(&s, 0x08010000 - 4, out, 8));
	assert_memory_equal(out, src + 0x8000 - 4, 8);
	/* a page already there: not by reference */
	assert_int_equal(store_put_ref(&s, 0x0800FFF0, src, 4), 1);
	/* changes copy first: a put over it, an append, a fill, a clear */
	assert_int_equal(store_put(&s, 0x08010004, b, 0, 8, STIMG_OVERLAP_LAST,
				   &meet), 0);
	assert_true(meet.differ);
	assert_int_equal(store_put(&s, 0x08008000 + (uint32_t)(len - 0x9000),
				   b, 0, 8, STIMG_OVERLAP_ERROR, NULL), 0);
	assert_int_equal(store_put(&s, 0x08007FF8, NULL, 0xEE, 0x10,
				   STIMG_OVERLAP_FIRST, NULL), 0);
	assert_int_equal(store_clear(&s, 0x08020010, 0x08020020), 0);
	assert_true(store_get(&s, 0x08010004, out, 8));
	assert_memory_equal(out, b, 8);
	assert_true(store_get(&s, 0x08007FF8, out, 16));
	for (i = 0; i < 8; i++)
		assert_int_equal(out[i], 0xEE);
	assert_memory_equal(out + 8, src, 8);
	assert_false(store_get(&s, 0x08020010, out, 1));
	/* the source is as it was */
	for (i = 0; i < len; i++)
		assert_int_equal(src[i], (uint8_t)(i * 13));
	assert_int_equal(store_move(&s, 0x10003), 0);
	assert_true(store_get(&s, 0x08018003, out, 8));
	assert_memory_equal(out, src + 0x10000, 8);
	store_release(&s);
	munmap(src, len);
}

/* Moves by whole pages and by odd amounts keep every byte. */
static void test_move(void **state)
{
	struct store s = STORE_INIT;
	uint8_t b[100], out[100];
	uint32_t k;

	(void)state;
	for (k = 0; k < sizeof(b); k++)
		b[k] = (uint8_t)(k * 7);
	assert_int_equal(store_put(&s, 0x0800FFD0, b, 0, 100,
				   STIMG_OVERLAP_ERROR, NULL), STIMG_OK);
	assert_int_equal(store_put(&s, 0x90000000, b, 0, 10,
				   STIMG_OVERLAP_ERROR, NULL), STIMG_OK);
	assert_int_equal(store_move(&s, 0x10000), STIMG_OK);
	assert_true(store_get(&s, 0x0801FFD0, out, 100));
	assert_memory_equal(out, b, 100);
	assert_true(store_get(&s, 0x90010000, out, 10));
	assert_false(store_get(&s, 0x0800FFD0, out, 1));
	assert_int_equal(store_move(&s, -0x10003), STIMG_OK);
	assert_true(store_get(&s, 0x0800FFCD, out, 100));
	assert_memory_equal(out, b, 100);
	assert_true(store_get(&s, 0x8FFFFFFD, out, 10));
	assert_memory_equal(out, b, 10);
	assert_int_equal(s.bytes, 110);
	store_release(&s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_random_low),
		cmocka_unit_test(test_random_unaligned),
		cmocka_unit_test(test_random_top_of_space),
		cmocka_unit_test(test_in_order_and_holes),
		cmocka_unit_test(test_move),
		cmocka_unit_test(test_put_ref),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
