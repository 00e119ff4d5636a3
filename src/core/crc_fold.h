/*
 * The folding loop of crc_clmul.c, written once and compiled once per
 * vector width (PCLMULQDQ, VPCLMULQDQ on 256 and 512 bits, PMULL):
 * crc_clmul.c defines the names below and includes this file, which
 * undefines them again.
 *
 *	FOLD_NAME, FOLD_TARGET	the function and its target attribute
 *	LANES			128-bit lanes per vector: 1, 2 or 4
 *	FOLD_SMALL		(LANES > 1) the kernel below 64 * LANES bytes
 *	vec			the vector type
 *	vshuf(order)		the load shuffle of order, in every lane
 *	vload(p, s)		16 * LANES bytes at p, each lane shuffled by s
 *	vreg(order, reg)	reg where the first block meets it, in lane 0
 *	vconst(f, j)		f->k[j] in every lane
 *	vfold(a, k, b)		a * x^D + b in each lane, k holding D's
 *				constants
 *	vxor(a, b)
 *	vreduce(x, f)		the lanes of x folded into one v128
 * and the same on one 128-bit lane: v128, shuf128, load128, const128,
 * fold128, and store128(acc, a, order), which writes a as bytes in the
 * order fed.
 *
 * Four accumulators 4 * LANES blocks apart take the bulk, so that four
 * multiplications are in flight; they are folded into one, which takes
 * whole vectors, then its lanes into one 128-bit block, which takes the
 * 16-byte blocks left. Each lane of an accumulator moves 4 * LANES
 * blocks on per step, one vector's lanes lie 1, 2 or 3 blocks apart.
 */

FOLD_TARGET static size_t FOLD_NAME(const struct crc_fold *f, uint64_t reg,
				    const uint8_t *p, size_t n,
				    uint8_t acc[16])
{
	const size_t step = 16 * LANES;
	const vec s = vshuf(f->order);
	const uint8_t *start = p, *end = p + (n & ~(size_t)15);
	vec x0, x1, x2, x3, k;
	v128 a;

#if LANES > 1
	if (n < 4 * step)
		return FOLD_SMALL(f, reg, p, n, acc);
#endif
	x0 = vxor(vload(p, s), vreg(f->order, reg));
	x1 = vload(p + step, s);
	x2 = vload(p + 2 * step, s);
	x3 = vload(p + 3 * step, s);
	k = vconst(f, 4 * LANES);
	for (p += 4 * step; (size_t)(end - p) >= 4 * step; p += 4 * step) {
		x0 = vfold(x0, k, vload(p, s));
		x1 = vfold(x1, k, vload(p + step, s));
		x2 = vfold(x2, k, vload(p + 2 * step, s));
		x3 = vfold(x3, k, vload(p + 3 * step, s));
	}
	k = vconst(f, LANES);
	x0 = vfold(x0, k, x1);
	x0 = vfold(x0, k, x2);
	x0 = vfold(x0, k, x3);
	for (; (size_t)(end - p) >= step; p += step)
		x0 = vfold(x0, k, vload(p, s));
	a = vreduce(x0, f);
	for (; p < end; p += 16)
		a = fold128(a, const128(f, 1), load128(p, shuf128(f->order)));
	store128(acc, a, f->order);
	return (size_t)(p - start);
}

#undef FOLD_NAME
#undef FOLD_TARGET
#undef LANES
#undef FOLD_SMALL
#undef vec
#undef vshuf
#undef vload
#undef vreg
#undef vconst
#undef vfold
#undef vxor
#undef vreduce
