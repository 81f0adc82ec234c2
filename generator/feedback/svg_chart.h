/* svg_chart.h: the dashboard's charts, drawn as inline SVG (no script, no
 * font or image to fetch): a line chart of shares, a sparkline, horizontal
 * bars.  Each chart is an <svg role="img"> whose accessible name comes from
 * the caller (a caption's id, or a text): the numbers themselves are the
 * caller's to print beside it, in a table or a sentence.
 *
 * A share is yes / (yes + no) of one point; a point with no votes at all is
 * a gap, not 0 %: the line skips it.  Texts given here are escaped. */
#ifndef PHARE_SVG_CHART_H
#define PHARE_SVG_CHART_H

#include <stddef.h>
#include <stdint.h>

#include "util/buf.h"

/* One line of a chart: n points (the chart's), each a share. */
typedef struct svg_series {
	const uint64_t *yes, *no;
	const char *name; /* data-series="name"; "" for none */
	int style;        /* colour and dash pattern: 0 the thick solid one, 1.. others */
} svg_series;

/* A line chart of ns series over n points, 0-100 % on the y axis; the
 * first and last points labelled below it.  labelledby: the id of the
 * element that names the chart (its caption). */
void svg_line_chart(buf *out, const svg_series *s, size_t ns, size_t n, const char *first_label, const char *last_label,
		    const char *labelledby);
/* A short sample of series style `style`, for a legend (hidden from
 * assistive technologies: the legend's text says it). */
void svg_legend_key(buf *out, int style);
/* A small line of one series over n points, a dashed mark before each
 * point listed in marks (nmarks of them); label: its accessible name. */
void svg_sparkline(buf *out, const uint64_t *yes, const uint64_t *no, size_t n, const size_t *marks, size_t nmarks,
		   const char *label);

typedef struct svg_bar {
	const char *id;    /* data-bar="id" data-count="count"; NULL: no test hook */
	const char *label; /* left of the bar */
	uint64_t count;    /* printed right of it */
	const char *fill;  /* a colour; NULL: the dashboard's blue */
} svg_bar;
/* Horizontal bars, one per item, longest for the largest count. */
void svg_bars(buf *out, const svg_bar *b, size_t n, const char *labelledby);

#endif
