/* svg_chart.c: inline SVG charts (svg_chart.h).  Sizes are in SVG units;
 * the page's CSS scales a chart down to its column, never up. */
#include "feedback/svg_chart.h"

#include <stdbool.h>
#include <stdio.h>

/* The line chart: its box, and the drawing area inside it. */
#define LINE_W 640
#define LINE_H 200
#define LINE_LEFT 44
#define LINE_RIGHT 10
#define LINE_TOP 10
#define LINE_BOTTOM 24
/* A sparkline. */
#define SPARK_W 120
#define SPARK_H 24
#define SPARK_PAD 3
/* Bars: one row each. */
#define BAR_W 640
#define BAR_ROW 28
#define BAR_LABEL 200
#define BAR_MAX 380

/* Styles of the series: colour, dash and width, so that they differ
 * without colour too (WCAG 1.4.1). */
static const struct {
	const char *colour, *dash, *width;
} svg_styles[] = {
	{ "#1b1b1b", "", "3.5" },      { "#0b57a4", "6 3", "2" }, { "#b3261e", "2 3", "2" },
	{ "#1e7b34", "8 3 2 3", "2" }, { "#8a4baf", "1 2", "2" }, { "#a05a00", "10 4", "2" },
};
#define SVG_NSTYLES (sizeof(svg_styles) / sizeof(svg_styles[0]))

static size_t svg_style(int style) { return style < 0 ? 0 : (size_t)style % SVG_NSTYLES; }

static double svg_share(uint64_t yes, uint64_t no) { return yes + no ? (double)yes / (double)(yes + no) : 0; }

static double svg_x(size_t at, size_t n, double left, double width)
{
	return n > 1 ? left + width * (double)at / (double)(n - 1) : left + width / 2;
}

/* A polyline through the points with votes; a lone point is a dot. */
static void svg_line(buf *out, const uint64_t *yes, const uint64_t *no, size_t n, double left, double top, double width,
		     double height, const char *attrs)
{
	size_t points = 0;
	buf pts = BUF_INIT;
	double lx = 0, ly = 0;
	for (size_t k = 0; k < n; k++) {
		if (!yes[k] && !no[k])
			continue;
		lx = svg_x(k, n, left, width);
		ly = top + height * (1 - svg_share(yes[k], no[k]));
		buf_addf(&pts, "%s%.1f,%.1f", points ? " " : "", lx, ly);
		points++;
	}
	if (points == 1)
		buf_addf(out, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"2.5\" %s/>", lx, ly, attrs);
	else if (points > 1)
		buf_addf(out, "<polyline fill=\"none\" points=\"%s\" %s/>", pts.ptr, attrs);
	buf_release(&pts);
}

static void svg_line_axes(buf *out, const char *first_label, const char *last_label)
{
	const double w = LINE_W - LINE_LEFT - LINE_RIGHT, h = LINE_H - LINE_TOP - LINE_BOTTOM;
	for (int pct = 0; pct <= 100; pct += 25) {
		double y = LINE_TOP + h * (1 - pct / 100.0);
		buf_addf(out,
			 "<line x1=\"%d\" x2=\"%.0f\" y1=\"%.1f\" y2=\"%.1f\" stroke=\"#ddd\"/>"
			 "<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\">%d%%</text>\n",
			 LINE_LEFT, LINE_LEFT + w, y, y, LINE_LEFT - 6, y + 4, pct);
	}
	buf_addf(out, "<text x=\"%d\" y=\"%d\">", LINE_LEFT, LINE_H - 6);
	buf_adds_html(out, first_label);
	buf_addf(out, "</text><text x=\"%.0f\" y=\"%d\" text-anchor=\"end\">", LINE_LEFT + w, LINE_H - 6);
	buf_adds_html(out, last_label);
	buf_adds(out, "</text>\n");
}

void svg_line_chart(buf *out, const svg_series *s, size_t ns, size_t n, const char *first_label, const char *last_label,
		    const char *labelledby)
{
	const double w = LINE_W - LINE_LEFT - LINE_RIGHT, h = LINE_H - LINE_TOP - LINE_BOTTOM;
	buf_addf(out, "<svg viewBox=\"0 0 %d %d\" width=\"%d\" height=\"%d\" role=\"img\" aria-labelledby=\"", LINE_W,
		 LINE_H, LINE_W, LINE_H);
	buf_adds_html(out, labelledby);
	buf_adds(out, "\">\n");
	svg_line_axes(out, first_label, last_label);
	for (size_t i = ns; i-- > 0;) { /* the first series drawn last, on top */
		size_t st = svg_style(s[i].style);
		char attrs[160];
		snprintf(attrs, sizeof(attrs), "stroke=\"%s\" stroke-width=\"%s\" stroke-dasharray=\"%s\" fill=\"%s\"",
			 svg_styles[st].colour, svg_styles[st].width, svg_styles[st].dash, svg_styles[st].colour);
		buf_adds(out, "<g data-series=\"");
		buf_adds_html(out, s[i].name);
		buf_adds(out, "\">");
		svg_line(out, s[i].yes, s[i].no, n, LINE_LEFT, LINE_TOP, w, h, attrs);
		buf_adds(out, "</g>\n");
	}
	buf_adds(out, "</svg>\n");
}

void svg_legend_key(buf *out, int style)
{
	size_t st = svg_style(style);
	buf_addf(out,
		 "<svg width=\"32\" height=\"8\" aria-hidden=\"true\"><line x1=\"0\" x2=\"32\" y1=\"4\" y2=\"4\" "
		 "stroke=\"%s\" stroke-width=\"%s\" stroke-dasharray=\"%s\"/></svg>",
		 svg_styles[st].colour, svg_styles[st].width, svg_styles[st].dash);
}

void svg_sparkline(buf *out, const uint64_t *yes, const uint64_t *no, size_t n, const size_t *marks, size_t nmarks,
		   const char *label)
{
	const double w = SPARK_W - 2 * SPARK_PAD, h = SPARK_H - 2 * SPARK_PAD;
	buf_addf(out, "<svg viewBox=\"0 0 %d %d\" width=\"%d\" height=\"%d\" role=\"img\" aria-label=\"", SPARK_W,
		 SPARK_H, SPARK_W, SPARK_H);
	buf_adds_html(out, label);
	buf_addf(out, "\"><line x1=\"0\" x2=\"%d\" y1=\"%d\" y2=\"%d\" stroke=\"#ddd\"/>", SPARK_W, SPARK_H / 2,
		 SPARK_H / 2);
	for (size_t j = 0; j < nmarks; j++) {
		if (marks[j] >= n)
			continue;
		double x = svg_x(marks[j], n, SPARK_PAD, w);
		buf_addf(out,
			 "<line data-mark=\"\" x1=\"%.1f\" x2=\"%.1f\" y1=\"0\" y2=\"%d\" stroke=\"#b3261e\" "
			 "stroke-dasharray=\"2 2\"/>",
			 x, x, SPARK_H);
	}
	svg_line(out, yes, no, n, SPARK_PAD, SPARK_PAD, w, h,
		 "stroke=\"#0b57a4\" stroke-width=\"1.5\" fill=\"#0b57a4\"");
	buf_adds(out, "</svg>");
}

void svg_bars(buf *out, const svg_bar *b, size_t n, const char *labelledby)
{
	uint64_t max = 1;
	for (size_t k = 0; k < n; k++)
		max = b[k].count > max ? b[k].count : max;
	int height = (int)n * BAR_ROW + 10;
	buf_addf(out, "<svg viewBox=\"0 0 %d %d\" width=\"%d\" height=\"%d\" role=\"img\" aria-labelledby=\"", BAR_W,
		 height, BAR_W, height);
	buf_adds_html(out, labelledby);
	buf_adds(out, "\">\n");
	for (size_t k = 0; k < n; k++) {
		double y = 6 + (double)(BAR_ROW * k), w = BAR_MAX * (double)b[k].count / (double)max;
		buf_adds(out, "<g");
		if (b[k].id) {
			buf_adds(out, " data-bar=\"");
			buf_adds_html(out, b[k].id);
			buf_addf(out, "\" data-count=\"%llu\"", (unsigned long long)b[k].count);
		}
		buf_addf(out, "><text x=\"%d\" y=\"%.0f\" text-anchor=\"end\">", BAR_LABEL, y + 13);
		buf_adds_html(out, b[k].label);
		buf_addf(out, "</text><rect x=\"%d\" y=\"%.0f\" width=\"%.1f\" height=\"18\" fill=\"%s\"/>",
			 BAR_LABEL + 10, y, w, b[k].fill ? b[k].fill : "#0b57a4");
		buf_addf(out, "<text x=\"%.1f\" y=\"%.0f\">%llu</text></g>\n", BAR_LABEL + 16 + w, y + 13,
			 (unsigned long long)b[k].count);
	}
	buf_adds(out, "</svg>\n");
}
