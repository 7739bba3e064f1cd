package render

import (
	"fmt"
	"hash/fnv"
	"html/template"
	"math"
)

// markColor draws the candidate's own score; it differs from the bars.
const markColor = "#D55E00"

// Histogram draws the distribution of values (a cohort's scores) in bins of
// equal width, with a vertical line at mark (this candidate) when it is
// not nil. Non-finite values are left out; bins below 1 mean 10.
func Histogram(title string, values []float64, mark *float64, bins int) template.HTML {
	if bins < 1 {
		bins = 10
	}
	vals := finiteValues(values)
	lo, hi, ok := extent(vals, mark)
	desc := fmt.Sprintf("Histogram of %d values in %d bins.", len(vals), bins)
	if mark != nil && finite(*mark) {
		desc += fmt.Sprintf(" This candidate: %s.", label(round(*mark)))
	}
	h := fnv.New32a()
	fmt.Fprint(h, title, vals, bins)
	d := newSVG(fmt.Sprintf("hist-%08x", h.Sum32()), title, desc, 0)
	if !ok {
		d.empty()
		return d.html()
	}
	lo, hi, xt := niceRange(lo, hi)
	counts := binCounts(vals, lo, hi, bins)
	drawHistogram(d, counts, scale{lo, hi, padL, padL + plotW}, xt)
	if mark != nil && finite(*mark) {
		x := scale{lo, hi, padL, padL + plotW}.at(*mark)
		d.line(x, padT, x, padT+plotH, markColor, 3, "6 3")
		d.text(x, padT-4, "middle", "this candidate: "+label(round(*mark)), fmt.Sprintf(` fill="%s" font-weight="bold"`, markColor))
	}
	return d.html()
}

func drawHistogram(d *svgDoc, counts []int, xs scale, xt []float64) {
	top := 0
	for _, n := range counts {
		top = max(top, n)
	}
	_, yHi, yt := niceRange(0, float64(max(top, 1)))
	ys := scale{0, yHi, padT + plotH, padT}
	d.yAxis(ys, yt, "submissions")
	w := (xs.hi - xs.lo) / float64(len(counts))
	for i, n := range counts {
		a, b := xs.lo+w*float64(i), xs.lo+w*float64(i+1)
		d.rect(xs.at(a)+1, ys.at(float64(n)), xs.at(b)-xs.at(a)-2, ys.at(0)-ys.at(float64(n)), "#0072B2",
			fmt.Sprintf("%s to %s: %d", label(round(a)), label(round(b)), n))
	}
	for _, t := range xt {
		d.text(xs.at(t), padT+plotH+18, "middle", label(t), "")
	}
	d.xTitle("score")
}

// binCounts counts values per bin; the last bin includes its upper edge.
func binCounts(vals []float64, lo, hi float64, bins int) []int {
	counts := make([]int, bins)
	for _, v := range vals {
		i := int((v - lo) / (hi - lo) * float64(bins))
		counts[min(max(i, 0), bins-1)]++
	}
	return counts
}

func finiteValues(values []float64) []float64 {
	var out []float64
	for _, v := range values {
		if finite(v) {
			out = append(out, v)
		}
	}
	return out
}

// extent covers the values and the mark.
func extent(vals []float64, mark *float64) (lo, hi float64, ok bool) {
	all := vals
	if mark != nil && finite(*mark) {
		all = append(all[:len(all):len(all)], *mark)
	}
	for i, v := range all {
		if i == 0 {
			lo, hi = v, v
		}
		lo, hi = min(lo, v), max(hi, v)
	}
	return lo, hi, len(all) > 0
}

// round keeps two decimals for labels.
func round(v float64) float64 { return math.Round(v*100) / 100 }
