package render

import (
	"math"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"
)

func TestHistogram(t *testing.T) {
	values := []float64{12, 35, 41, 48, 52, 55, 58, 61, 67, 88, math.NaN()}
	mark := 61.0
	out := string(Histogram("Cohort scores", values, &mark, 5))
	assertWellFormed(t, "hist", out)
	doc := svgDocument(t, out)
	var titles []string
	doc.Find("rect title").Each(func(_ int, s *goquery.Selection) { titles = append(titles, s.Text()) })
	// niceRange(12, 88) is 0..100 with step 20: five bins of width 20.
	want := []string{"0 to 20: 1", "20 to 40: 1", "40 to 60: 5", "60 to 80: 2", "80 to 100: 1"}
	if strings.Join(titles, "|") != strings.Join(want, "|") {
		t.Errorf("bins = %q, want %q", titles, want)
	}
	if !strings.Contains(out, ">this candidate: 61<") {
		t.Error("the candidate's mark is not labelled")
	}
	line := doc.Find(`line[stroke="` + markColor + `"]`)
	if x, _ := line.Attr("x1"); x != num(padL+0.61*plotW) {
		t.Errorf("mark at x=%s, want %s", x, num(padL+0.61*plotW))
	}
	if !strings.Contains(doc.Find("desc").Text(), "10 values") {
		t.Errorf("desc = %q", doc.Find("desc").Text())
	}
}

func TestBinCountsEdges(t *testing.T) {
	got := binCounts([]float64{0, 0.5, 1, 1}, 0, 1, 2)
	if got[0] != 1 || got[1] != 3 {
		t.Errorf("binCounts = %v, want [1 3] (the top edge belongs to the last bin)", got)
	}
}

func TestHistogramDegenerate(t *testing.T) {
	mark := 50.0
	for name, out := range map[string]string{
		"no values":    string(Histogram("none", nil, nil, 10)),
		"mark only":    string(Histogram("mark", nil, &mark, 0)),
		"one value":    string(Histogram("one", []float64{70}, nil, 10)),
		"hostile":      string(Histogram(xssPayloads[0], []float64{1, 2}, nil, 3)),
		"nan mark":     string(Histogram("nan", []float64{1, 2}, new(math.NaN()), 3)),
		"all the same": string(Histogram("same", []float64{5, 5, 5}, nil, 4)),
	} {
		assertWellFormed(t, name, out)
		assertInert(t, name, out)
		if strings.Contains(out, "NaN") {
			t.Errorf("%s: NaN in output", name)
		}
	}
}
