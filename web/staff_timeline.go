package web

import (
	"fmt"
	"html/template"
	"strings"
	"time"

	"takehome/grader"
)

// verdictColors fill the timeline's bars; each also says its verdict in
// text, so color is never the only cue.
var verdictColors = map[grader.Verdict]string{grader.VerdictOK: "#1a7f37"}

const (
	timelineWidth = 640
	timelineRow   = 22
	timelineLabel = 190 // room for the step names
)

// phaseTimeline draws the steps of a run one under the other, each bar as
// long as the step's wall time, as an inline SVG (presentation attributes
// only: the CSP allows no inline styles).
func phaseTimeline(phases []grader.PhaseRecord) template.HTML {
	if len(phases) == 0 {
		return ""
	}
	var total time.Duration
	for _, p := range phases {
		total += p.Wall
	}
	if total <= 0 {
		total = time.Millisecond
	}
	h := len(phases)*timelineRow + 8
	var b strings.Builder
	fmt.Fprintf(&b, `<svg class="timeline" role="img" aria-labelledby="tl-title tl-desc" viewBox="0 0 %d %d" width="%d" height="%d" xmlns="http://www.w3.org/2000/svg">`,
		timelineWidth, h, timelineWidth, h)
	fmt.Fprintf(&b, `<title id="tl-title">Phase timeline</title><desc id="tl-desc">%d steps, %s in all</desc>`, len(phases), htmlEsc(formatDuration(total)))
	var start time.Duration
	span := float64(timelineWidth - timelineLabel - 60)
	for i, p := range phases {
		y := 4 + i*timelineRow
		x := timelineLabel + int(float64(start)/float64(total)*span)
		w := max(2, int(float64(p.Wall)/float64(total)*span))
		color, ok := verdictColors[p.Verdict]
		if !ok {
			color = "#b42318"
		}
		fmt.Fprintf(&b, `<text x="%d" y="%d" font-size="12" text-anchor="end" fill="#111">%s</text>`, timelineLabel-6, y+14, htmlEsc(p.Step))
		fmt.Fprintf(&b, `<rect x="%d" y="%d" width="%d" height="16" fill="%s"><title>%s: %s, %s</title></rect>`,
			x, y+2, w, color, htmlEsc(p.Step), htmlEsc(string(p.Verdict)), htmlEsc(formatDuration(p.Wall)))
		fmt.Fprintf(&b, `<text x="%d" y="%d" font-size="11" fill="#333">%s %s</text>`, x+w+4, y+14, htmlEsc(formatDuration(p.Wall)), htmlEsc(string(p.Verdict)))
		start += p.Wall
	}
	b.WriteString(`</svg>`)
	return template.HTML(b.String())
}

func htmlEsc(s string) string { return template.HTMLEscapeString(s) }
