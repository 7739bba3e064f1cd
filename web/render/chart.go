package render

import (
	"encoding/json"
	"fmt"
	"hash/fnv"
	"html/template"
	"strings"
	"unicode/utf8"

	"takehome/exercises"
)

// maxLabelRunes bounds a bar's category label under the axis.
const maxLabelRunes = 18

// Chart draws an exercise's chart as inline SVG: "bar" charts as grouped
// bars per category, anything else as lines. Non-finite points are left
// out. All text from the chart is escaped.
func Chart(c exercises.Chart) template.HTML {
	names := make([]string, len(c.Series))
	for i, s := range c.Series {
		names[i] = s.Name
	}
	lx, ly, extra := legendLayout(names)
	d := newSVG(chartID(c), c.Title, describe(c), extra)
	if c.Kind == "bar" {
		drawBars(d, c)
	} else {
		drawLines(d, c)
	}
	d.legend(names, lx, ly)
	return d.html()
}

// chartID is a stable element id, unique for different charts on one page
// (two reports side by side both have a "roc").
func chartID(c exercises.Chart) string {
	h := fnv.New32a()
	data, _ := json.Marshal(c) // fails only on NaN points; the id part still differs by chart
	h.Write(data)
	var b strings.Builder
	for _, r := range c.ID {
		if r < utf8.RuneSelf && (r == '-' || r == '_' || r >= '0' && r <= '9' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z') {
			b.WriteRune(r)
		}
	}
	return fmt.Sprintf("chart-%s-%08x", b.String(), h.Sum32())
}

// describe is the chart's text alternative for screen readers.
func describe(c exercises.Chart) string {
	kind := "Line chart"
	if c.Kind == "bar" {
		kind = "Bar chart"
	}
	parts := make([]string, len(c.Series))
	for i, s := range c.Series {
		parts[i] = fmt.Sprintf("%s (%d points)", s.Name, len(s.Points))
	}
	return fmt.Sprintf("%s of %s against %s; series: %s.", kind, c.YLabel, c.XLabel, strings.Join(parts, ", "))
}

// bounds returns the extent of the finite points of every series.
func bounds(c exercises.Chart, useX bool) (lo, hi float64, ok bool) {
	for _, s := range c.Series {
		for _, p := range s.Points {
			v := p.Y
			if useX {
				v = p.X
			}
			if !finite(p.X) || !finite(p.Y) {
				continue
			}
			if !ok {
				lo, hi, ok = v, v, true
			}
			lo, hi = min(lo, v), max(hi, v)
		}
	}
	return lo, hi, ok
}

// drawLines plots each series as a polyline, with markers when sparse.
func drawLines(d *svgDoc, c exercises.Chart) {
	x0, x1, okX := bounds(c, true)
	y0, y1, okY := bounds(c, false)
	if !okX || !okY {
		d.empty()
		return
	}
	x0, x1, xt := niceRange(x0, x1)
	y0, y1, yt := niceRange(y0, y1)
	xs, ys := scale{x0, x1, padL, padL + plotW}, scale{y0, y1, padT + plotH, padT}
	d.yAxis(ys, yt, c.YLabel)
	for _, t := range xt {
		d.line(xs.at(t), padT+plotH, xs.at(t), padT+plotH+4, "#333333", 1, "")
		d.text(xs.at(t), padT+plotH+18, "middle", label(t), "")
	}
	d.xTitle(c.XLabel)
	for _, b := range c.Bands {
		drawBand(d, xs, b)
	}
	for i, s := range c.Series {
		fmt.Fprintf(&d.b, `<g><title>%s</title>`, esc(s.Name))
		var pts []string
		for _, p := range s.Points {
			if finite(p.X) && finite(p.Y) {
				pts = append(pts, num(xs.at(p.X))+","+num(ys.at(p.Y)))
			}
		}
		if s.Marks {
			for _, p := range pts {
				x, y, _ := strings.Cut(p, ",")
				fmt.Fprintf(&d.b, `<rect x="%s" y="%s" width="8" height="8" transform="translate(-4 -4)" fill="%s"/>`, x, y, color(i))
			}
			d.b.WriteString(`</g>`)
			continue
		}
		fmt.Fprintf(&d.b, `<polyline points="%s" fill="none" stroke="%s" stroke-width="2"/>`, strings.Join(pts, " "), color(i))
		if len(pts) <= 30 {
			for _, p := range pts {
				x, y, _ := strings.Cut(p, ",")
				fmt.Fprintf(&d.b, `<circle cx="%s" cy="%s" r="3" fill="%s"/>`, x, y, color(i))
			}
		}
		d.b.WriteString(`</g>`)
	}
}

// drawBand shades a span of x across the plot, clipped to it, and names
// it at its top.
func drawBand(d *svgDoc, xs scale, b exercises.Band) {
	if !finite(b.From) || !finite(b.To) {
		return
	}
	lo := min(max(xs.at(min(b.From, b.To)), padL), padL+plotW)
	hi := min(max(xs.at(max(b.From, b.To)), padL), padL+plotW)
	fmt.Fprintf(&d.b, `<rect x="%s" y="%s" width="%s" height="%s" fill="#d9d9d9" fill-opacity="0.6"><title>%s</title></rect>`,
		num(lo), num(padT), num(max(hi-lo, 2)), num(plotH), esc(b.Label))
	d.text(lo+2, padT+10, "start", b.Label, ` font-size="9"`)
}

// categories lists the bar labels in order of first appearance; a point
// without a label is named by its x value.
func categories(c exercises.Chart) []string {
	seen := map[string]bool{}
	var cats []string
	for _, s := range c.Series {
		for _, p := range s.Points {
			if k := category(p); !seen[k] {
				seen[k] = true
				cats = append(cats, k)
			}
		}
	}
	return cats
}

func category(p exercises.Point) string {
	if p.Label != "" {
		return p.Label
	}
	return label(p.X)
}

// drawBars plots one group of bars per category, one bar per series,
// rising from zero.
func drawBars(d *svgDoc, c exercises.Chart) {
	cats := categories(c)
	y0, y1, ok := bounds(c, false)
	if !ok || len(cats) == 0 {
		d.empty()
		return
	}
	y0, y1, yt := niceRange(min(y0, 0), max(y1, 0))
	ys := scale{y0, y1, padT + plotH, padT}
	d.yAxis(ys, yt, c.YLabel)
	group := plotW / float64(len(cats))
	bar := group * 0.8 / float64(max(len(c.Series), 1))
	index := map[string]int{}
	for i, k := range cats {
		index[k] = i
		drawCategory(d, padL+group*(float64(i)+0.5), k, len(cats) > 8)
	}
	d.xTitle(c.XLabel)
	for si, s := range c.Series {
		for _, p := range s.Points {
			if !finite(p.Y) {
				continue
			}
			x := padL + group*float64(index[category(p)]) + group*0.1 + bar*float64(si)
			top, base := ys.at(max(p.Y, 0)), ys.at(min(p.Y, 0))
			d.rect(x, top, bar, base-top, color(si), fmt.Sprintf("%s, %s: %s", s.Name, category(p), label(p.Y)))
		}
	}
}

// drawCategory writes a category label under its group, slanted when many.
func drawCategory(d *svgDoc, x float64, name string, slant bool) {
	if utf8.RuneCountInString(name) > maxLabelRunes {
		name = string([]rune(name)[:maxLabelRunes-1]) + "…"
	}
	y := padT + plotH + 16
	if slant {
		d.text(x, y, "end", name, fmt.Sprintf(` transform="rotate(-35 %s %s)"`, num(x), num(y)))
		return
	}
	d.text(x, y, "middle", name, "")
}
