package render

import (
	"math"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"takehome/exercises"
)

func rocChart() exercises.Chart {
	return exercises.Chart{
		ID: "roc", Title: "ROC curve", Kind: "line", XLabel: "false positive rate", YLabel: "true positive rate",
		Series: []exercises.Series{
			{Name: "model", Points: []exercises.Point{{X: 0, Y: 0}, {X: 0.1, Y: 0.6}, {X: 0.4, Y: 0.9}, {X: 1, Y: 1}}},
			{Name: "chance", Points: []exercises.Point{{X: 0, Y: 0}, {X: 1, Y: 1}}},
		},
	}
}

func svgDocument(t *testing.T, html string) *goquery.Document {
	t.Helper()
	doc, err := goquery.NewDocumentFromReader(strings.NewReader(html))
	if err != nil {
		t.Fatal(err)
	}
	return doc
}

func TestLineChart(t *testing.T) {
	out := string(Chart(rocChart()))
	assertWellFormed(t, "roc", out)
	doc := svgDocument(t, out)
	svg := doc.Find(`svg[role="img"]`)
	if svg.Length() != 1 {
		t.Fatalf("want one svg with role img:\n%s", out)
	}
	labelled, _ := svg.Attr("aria-labelledby")
	ids := strings.Fields(labelled)
	if len(ids) != 2 || doc.Find("#"+ids[0]).Text() != "ROC curve" || !strings.Contains(doc.Find("#"+ids[1]).Text(), "model (4 points)") {
		t.Errorf("aria-labelledby %q does not name the title and description", labelled)
	}
	if n := doc.Find("polyline").Length(); n != 2 {
		t.Errorf("%d polylines, want 2", n)
	}
	// Axes 0..1 with ticks every 0.2, on both axes.
	for _, tick := range []string{"0", "0.2", "0.4", "0.6", "0.8", "1"} {
		if n := doc.Find("text").FilterFunction(func(_ int, s *goquery.Selection) bool { return s.Text() == tick }).Length(); n != 2 {
			t.Errorf("tick %s appears %d times, want 2 (x and y)", tick, n)
		}
	}
	// The model's point (0.1, 0.6) lands where the scales put it.
	pts, _ := doc.Find("polyline").First().Attr("points")
	want := num(padL+0.1*plotW) + "," + num(padT+plotH-0.6*plotH)
	if !strings.Contains(pts, want) {
		t.Errorf("points %q lack %s", pts, want)
	}
	for _, legend := range []string{"model", "chance", "false positive rate", "true positive rate"} {
		if !strings.Contains(out, ">"+legend+"<") {
			t.Errorf("chart lacks text %q", legend)
		}
	}
	if strings.Contains(out, "style=") {
		t.Error("chart uses a style attribute; the CSP forbids it")
	}
}

func TestBarChart(t *testing.T) {
	c := exercises.Chart{ID: "cat", Title: "Recall by category", Kind: "bar", XLabel: "category", YLabel: "recall@10",
		Series: []exercises.Series{
			{Name: "you", Points: []exercises.Point{{Label: "billing", Y: 0.8}, {Label: "shipping", Y: 0.5}, {Label: "returns", Y: -0.1}}},
			{Name: "baseline", Points: []exercises.Point{{Label: "billing", Y: 0.6}, {Label: "shipping", Y: 0.7}}},
		}}
	out := string(Chart(c))
	assertWellFormed(t, "bar", out)
	doc := svgDocument(t, out)
	bars := doc.Find("rect").FilterFunction(func(_ int, s *goquery.Selection) bool { return s.Find("title").Length() == 1 })
	if bars.Length() != 5 {
		t.Fatalf("%d bars, want 5", bars.Length())
	}
	if got := bars.First().Find("title").Text(); got != "you, billing: 0.8" {
		t.Errorf("first bar title = %q", got)
	}
	for _, cat := range []string{"billing", "shipping", "returns"} {
		if !strings.Contains(out, ">"+cat+"<") {
			t.Errorf("no label for %s", cat)
		}
	}
	// A negative bar hangs below the zero line: its top is the zero line.
	neg := bars.Eq(2)
	y, _ := neg.Attr("y")
	h, _ := neg.Attr("height")
	if h == "0.00" || y == "" {
		t.Errorf("negative bar y=%s height=%s", y, h)
	}
}

func TestChartHostileInput(t *testing.T) {
	for _, p := range xssPayloads {
		c := exercises.Chart{ID: p, Title: p, Kind: "bar", XLabel: p, YLabel: p,
			Series: []exercises.Series{{Name: p, Points: []exercises.Point{{Label: p, Y: 1}, {X: math.NaN(), Y: math.Inf(1)}}}}}
		for _, kind := range []string{"bar", "line", p} {
			c.Kind = kind
			out := string(Chart(c))
			if !strings.Contains(p, "\x00") {
				assertWellFormed(t, p, out)
			}
			assertInert(t, p, out)
		}
	}
}

func TestChartWithoutData(t *testing.T) {
	for _, c := range []exercises.Chart{
		{Title: "empty"},
		{Title: "nan", Series: []exercises.Series{{Name: "s", Points: []exercises.Point{{X: math.NaN(), Y: 1}}}}},
		{Title: "bars", Kind: "bar", Series: []exercises.Series{{Name: "s"}}},
	} {
		out := string(Chart(c))
		assertWellFormed(t, c.Title, out)
		if !strings.Contains(out, "No data to plot.") {
			t.Errorf("%s: no empty note", c.Title)
		}
		if strings.Contains(out, "NaN") || strings.Contains(out, "Inf") {
			t.Errorf("%s: NaN in SVG", c.Title)
		}
	}
}

func TestChartIDsDifferForDifferentData(t *testing.T) {
	a, b := rocChart(), rocChart()
	b.Series[0].Points[1].Y = 0.7
	if chartID(a) == chartID(b) || chartID(a) != chartID(rocChart()) {
		t.Error("chart ids must be stable and differ between charts")
	}
}

func TestNiceRange(t *testing.T) {
	cases := []struct {
		lo, hi         float64
		wantLo, wantHi float64
		ticks          int
	}{
		{0, 1, 0, 1, 6},
		{0.13, 0.87, 0, 1, 6},
		{3, 3, 2, 4, 5},
		{0, 0, 0, 1, 6},
		{-5, 95, -20, 100, 7},
		{0, 1234, 0, 1500, 4},
		{0.3, 0.9, 0.2, 1, 5},
	}
	for _, c := range cases {
		lo, hi, ticks := niceRange(c.lo, c.hi)
		if lo != c.wantLo || hi != c.wantHi || len(ticks) != c.ticks {
			t.Errorf("niceRange(%v, %v) = %v, %v, %v; want %v, %v, %d ticks", c.lo, c.hi, lo, hi, ticks, c.wantLo, c.wantHi, c.ticks)
		}
	}
}

// A timeline: a shaded band per event, an alert series drawn as markers
// only, and the band's label escaped.
func TestChartBandsAndMarks(t *testing.T) {
	c := exercises.Chart{ID: "timeline", Title: "Stream", Kind: "line", XLabel: "week", YLabel: "ROC AUC",
		Series: []exercises.Series{
			{Name: "realized", Points: []exercises.Point{{X: 1, Y: 0.8}, {X: 5, Y: 0.7}, {X: 10, Y: 0.8}}},
			{Name: "alerts", Marks: true, Points: []exercises.Point{{X: 4, Y: 0.9}, {X: 6, Y: 0.9}}},
		},
		Bands: []exercises.Band{{From: 4, To: 6, Label: "price rise <b>"}},
	}
	out := string(Chart(c))
	assertWellFormed(t, "timeline", out)
	doc := svgDocument(t, out)
	if n := doc.Find("polyline").Length(); n != 1 {
		t.Errorf("%d polylines, want 1: markers are not joined", n)
	}
	band := doc.Find(`rect[fill="#d9d9d9"]`)
	if band.Length() != 1 || band.Find("title").Text() != "price rise <b>" {
		t.Fatalf("want one band titled with its label:\n%s", out)
	}
	if strings.Contains(out, "<b>") {
		t.Error("the band's label is not escaped")
	}
	// Weeks 1..10 on a 0..10 axis: the band spans 4 to 6.
	x, _ := band.Attr("x")
	w, _ := band.Attr("width")
	if x != num(padL+0.4*plotW) || w != num(0.2*plotW) {
		t.Errorf("band at x=%s width=%s, want %s and %s", x, w, num(padL+0.4*plotW), num(0.2*plotW))
	}
	if n := doc.Find(`g rect`).Length(); n != 2 {
		t.Errorf("%d alert markers, want 2", n)
	}
}
