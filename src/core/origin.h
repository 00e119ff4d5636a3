/*
 * Origin runs: where each byte of the image came from (a source and a
 * line), so that a conflict can name both sides.
 *
 * A run is a series of records of one source on consecutive lines, each
 * len bytes, stride bytes apart: a file of 16-byte records in order is one
 * run, and so is a file of 1-byte records every 2 bytes. Records out of
 * order cost a run each; past a budget the runs are dropped and origins
 * are found by reading the sources again (struct stimg_resolver).
 */
#ifndef STIMG_ORIGIN_H
#define STIMG_ORIGIN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "stimg/range.h"

#define origins_release stimg__origins_release
#define origins_note stimg__origins_note
#define origins_find stimg__origins_find
#define origins_move stimg__origins_move

struct origin_run {
	uint32_t addr;		/* of the first record */
	uint32_t stride;	/* between records; 0 while there is one */
	uint32_t len;		/* bytes of each record but the last */
	uint32_t last;		/* bytes of the last record */
	uint32_t count;		/* records */
	uint32_t line;		/* of the first; 0: no lines (one record) */
	uint32_t src;
};

struct origins {
	struct origin_run *v;
	size_t n, cap;
	bool dropped;		/* past the budget: none are kept */
};

#define ORIGINS_INIT { NULL, 0, 0, false }

void origins_release(struct origins *o);

/*
 * Notes that [addr, addr + len) came from src: count records of step bytes
 * (the last maybe shorter) on lines line, line + 1, ... (line 0: no lines,
 * one record). first puts the run below the others, so that it loses
 * every lookup (bytes kept from before it: overlap "first"). bytes is the
 * image's size, for the budget.
 */
int origins_note(struct origins *o, uint32_t addr, uint64_t len,
		 uint32_t step, uint32_t src, uint32_t line, bool first,
		 uint64_t bytes);

/*
 * The run that set the byte at addr last: its source, the line of the
 * record holding addr and that record's range. false when no run covers
 * addr (or the runs were dropped).
 */
bool origins_find(const struct origins *o, uint32_t addr, uint32_t *src,
		  uint32_t *line, struct stimg_range *record);

/* Moves every run by delta, dropping those that would leave the space. */
void origins_move(struct origins *o, int64_t delta);

#endif
