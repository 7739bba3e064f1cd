package web

import (
	"fmt"
	"html/template"
	"math"
	"net/url"
	"strconv"
	"time"

	"takehome/grader"
)

// pageFuncs are the helpers templates may call: formatting only, no logic.
func pageFuncs(ps *pageSet) template.FuncMap {
	return template.FuncMap{
		"static":   ps.staticURL,
		"bytes":    func(n int64) string { return grader.FormatBytes(n) }, // limits: "50 MB"
		"size":     func(n int64) string { return grader.FormatSize(n) },  // measured: "13.8 MB"
		"time":     formatTime,
		"duration": formatDuration,
		"num":      formatNum,
		"score":    formatScore,
		"query":    url.QueryEscape,
		"deref":    func(v *float64) float64 { return *v },
		"inc":      func(i int) int { return i + 1 },
		"cpus":     func(nano int64) string { return strconv.FormatFloat(float64(nano)/1e9, 'f', -1, 64) },
		"usd":      func(micro int64) string { return fmt.Sprintf("$%.6f", float64(micro)/1e6) },
		"dollars":  func(micro int64) string { return strconv.FormatFloat(float64(micro)/1e6, 'f', -1, 64) }, // for inputs
	}
}

// formatTime shows a time in UTC to the minute; the zero time is "—".
func formatTime(t any) string {
	switch v := t.(type) {
	case time.Time:
		if v.IsZero() {
			return "—"
		}
		return v.UTC().Format("2006-01-02 15:04 UTC")
	case *time.Time:
		if v == nil {
			return "—"
		}
		return formatTime(*v)
	}
	return fmt.Sprint(t)
}

// formatDuration rounds a duration for people: 1.2s, 3m4s.
func formatDuration(d time.Duration) string {
	switch {
	case d < time.Second:
		return d.Round(time.Millisecond).String()
	case d < time.Minute:
		return d.Round(100 * time.Millisecond).String()
	}
	return d.Round(time.Second).String()
}

// formatNum shows a metric value with 4 significant digits.
func formatNum(v float64) string {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return "—"
	}
	return fmt.Sprintf("%.4g", v)
}

// formatScore shows an optional score, "—" when there is none.
func formatScore(v *float64) string {
	if v == nil {
		return "—"
	}
	return formatNum(*v)
}

func urlQueryEscape(s string) string { return url.QueryEscape(s) }
