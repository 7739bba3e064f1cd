package render

import (
	"fmt"
	"html/template"
	"math"
	"strconv"
	"strings"
)

// The drawing area of every chart, in SVG user units; the SVG scales to
// its container through its viewBox.
const (
	svgW, svgH   = 640.0, 380.0
	padL, padR   = 64.0, 16.0
	padT, padB   = 40.0, 72.0
	plotW        = svgW - padL - padR
	plotH        = svgH - padT - padB
	maxTicks     = 6
	legendRowH   = 16.0
	legendSwatch = 10.0
)

// palette is a colour-blind safe qualitative palette (Okabe-Ito) with
// enough contrast on white.
var palette = []string{"#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000"}

func color(i int) string { return palette[i%len(palette)] }

// esc escapes text for SVG text nodes and attribute values.
func esc(s string) string { return template.HTMLEscapeString(s) }

// num prints a coordinate compactly.
func num(v float64) string { return strconv.FormatFloat(v, 'f', 2, 64) }

// label prints an axis tick value.
func label(v float64) string {
	if v == 0 {
		return "0"
	}
	if a := math.Abs(v); a >= 1e5 || a < 1e-3 {
		return strconv.FormatFloat(v, 'g', 3, 64)
	}
	return strconv.FormatFloat(v, 'f', -1, 64)
}

// scale maps data values in [lo, hi] onto [a, b].
type scale struct{ lo, hi, a, b float64 }

func (s scale) at(v float64) float64 {
	if s.hi == s.lo {
		return (s.a + s.b) / 2
	}
	return s.a + (v-s.lo)/(s.hi-s.lo)*(s.b-s.a)
}

// niceRange widens [lo, hi] to round tick values and returns the ticks.
func niceRange(lo, hi float64) (float64, float64, []float64) {
	if lo == hi {
		lo, hi = lo-1, hi+1
		if lo == -1 && hi == 1 {
			lo = 0
		}
	}
	step := niceStep((hi - lo) / (maxTicks - 1))
	lo, hi = math.Floor(lo/step)*step, math.Ceil(hi/step)*step
	var ticks []float64
	for v := lo; v <= hi+step/2; v += step {
		ticks = append(ticks, tidy(math.Round(v/step)*step))
	}
	return lo, hi, ticks
}

// tidy drops floating-point noise, e.g. 3*0.2 = 0.6000000000000001.
func tidy(v float64) float64 {
	t, _ := strconv.ParseFloat(strconv.FormatFloat(v, 'g', 12, 64), 64)
	return t
}

// niceStep rounds a raw step up to 1, 2 or 5 times a power of ten.
func niceStep(raw float64) float64 {
	p := math.Pow(10, math.Floor(math.Log10(raw)))
	for _, m := range []float64{1, 2, 5, 10} {
		if raw <= m*p {
			return m * p
		}
	}
	return 10 * p
}

// svgDoc writes the frame shared by every chart: the root element with its
// accessible name and description, a white background and the title.
type svgDoc struct {
	b  strings.Builder
	id string
}

// newSVG starts a chart; extra is the height added under the plot for
// legend rows beyond the first.
func newSVG(id, title, desc string, extra float64) *svgDoc {
	d := &svgDoc{id: id}
	fmt.Fprintf(&d.b, `<svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 %s %s" width="100%%" role="img" aria-labelledby="%s-t %s-d" font-family="sans-serif" font-size="12">`,
		num(svgW), num(svgH+extra), esc(id), esc(id))
	fmt.Fprintf(&d.b, `<title id="%s-t">%s</title><desc id="%s-d">%s</desc>`, esc(id), esc(title), esc(id), esc(desc))
	fmt.Fprintf(&d.b, `<rect x="0" y="0" width="%s" height="%s" fill="#ffffff"/>`, num(svgW), num(svgH+extra))
	fmt.Fprintf(&d.b, `<text x="%s" y="22" text-anchor="middle" font-size="15" font-weight="bold" fill="#111111">%s</text>`, num(svgW/2), esc(title))
	return d
}

func (d *svgDoc) text(x, y float64, anchor, s string, extra string) {
	fmt.Fprintf(&d.b, `<text x="%s" y="%s" text-anchor="%s" fill="#222222"%s>%s</text>`, num(x), num(y), anchor, extra, esc(s))
}

func (d *svgDoc) line(x1, y1, x2, y2 float64, stroke string, width float64, dash string) {
	fmt.Fprintf(&d.b, `<line x1="%s" y1="%s" x2="%s" y2="%s" stroke="%s" stroke-width="%s"`, num(x1), num(y1), num(x2), num(y2), stroke, num(width))
	if dash != "" {
		fmt.Fprintf(&d.b, ` stroke-dasharray="%s"`, dash)
	}
	d.b.WriteString(`/>`)
}

func (d *svgDoc) rect(x, y, w, h float64, fill, title string) {
	fmt.Fprintf(&d.b, `<rect x="%s" y="%s" width="%s" height="%s" fill="%s">`, num(x), num(y), num(max(w, 0)), num(max(h, 0)), fill)
	fmt.Fprintf(&d.b, `<title>%s</title></rect>`, esc(title))
}

// yAxis draws the horizontal grid lines, the tick labels and the axis title.
func (d *svgDoc) yAxis(ys scale, ticks []float64, title string) {
	for _, t := range ticks {
		y := ys.at(t)
		d.line(padL, y, padL+plotW, y, "#dddddd", 1, "")
		d.text(padL-6, y+4, "end", label(t), "")
	}
	d.line(padL, padT, padL, padT+plotH, "#333333", 1, "")
	d.text(16, padT+plotH/2, "middle", title, fmt.Sprintf(` transform="rotate(-90 16 %s)"`, num(padT+plotH/2)))
}

// xTitle writes the x axis line and title.
func (d *svgDoc) xTitle(title string) {
	d.line(padL, padT+plotH, padL+plotW, padT+plotH, "#333333", 1, "")
	d.text(padL+plotW/2, padT+plotH+36, "middle", title, "")
}

// legendLayout places the legend entries under the plot, wrapping rows; it
// returns each entry's position and the height added by rows past the first.
func legendLayout(names []string) (xs, ys []float64, extra float64) {
	x, y := padL, padT+plotH+52
	for _, n := range names {
		w := legendSwatch + 20 + float64(len([]rune(n)))*7 // ~7 units per glyph at font-size 12
		if x > padL && x+w > svgW-padR {
			x, y = padL, y+legendRowH
		}
		xs, ys = append(xs, x), append(ys, y)
		x += w
	}
	if len(ys) > 0 {
		extra = ys[len(ys)-1] - (padT + plotH + 52)
	}
	return xs, ys, extra
}

// legend draws the series names under the plot, laid out by legendLayout.
func (d *svgDoc) legend(names []string, xs, ys []float64) {
	for i, n := range names {
		fmt.Fprintf(&d.b, `<rect x="%s" y="%s" width="%s" height="%s" fill="%s"/>`, num(xs[i]), num(ys[i]-legendSwatch+1), num(legendSwatch), num(legendSwatch), color(i))
		d.text(xs[i]+legendSwatch+4, ys[i], "start", n, "")
	}
}

// empty writes a note in place of a plot with nothing to draw.
func (d *svgDoc) empty() {
	d.text(svgW/2, svgH/2, "middle", "No data to plot.", "")
}

func (d *svgDoc) html() template.HTML {
	d.b.WriteString(`</svg>`)
	return template.HTML(d.b.String())
}

// finite reports whether v is a plottable number.
func finite(v float64) bool { return !math.IsNaN(v) && !math.IsInf(v, 0) }
