package web

import (
	"bytes"
	"compress/gzip"
	"fmt"
	"html/template"
	"io"
	"net/http"
	"strings"

	"github.com/gin-gonic/gin"

	"takehome/exercises"
	"takehome/grader"
	"takehome/web/render"
)

// shownBody caps how much of a recorded body the call log shows.
const shownBody = 16 << 10

// modelUseView is the report's model-use section: per phase and model,
// the costliest calls, spending over time, and where prompts went.
type modelUseView struct {
	ID        int64
	Rows      []grader.ModelUseRow
	Top       []grader.ModelCall
	Timeline  template.HTML
	Where     string
	CostMicro int64
	Calls     int
}

// modelUse builds the section from a run's calls; nil when there are none.
func modelUse(id int64, calls []grader.ModelCall) *modelUseView {
	if len(calls) == 0 {
		return nil
	}
	v := &modelUseView{ID: id, Rows: grader.SummarizeModelCalls(calls), Top: grader.MostExpensive(calls, 5)}
	for _, c := range calls {
		v.CostMicro += c.CostMicro
		v.Calls++
	}
	v.Where = wherePromptsWent(calls)
	v.Timeline = render.Chart(spendChart(calls))
	return v
}

// wherePromptsWent says in a sentence which providers saw the prompts.
func wherePromptsWent(calls []grader.ModelCall) string {
	seen := map[string]bool{}
	var names []string
	for _, c := range calls {
		if !seen[c.Provider] {
			seen[c.Provider] = true
			names = append(names, c.Provider)
		}
	}
	if len(names) == 1 && names[0] == grader.BuiltinProvider {
		return "Every prompt stayed on the platform: the models were the builtin offline stand-ins, not a real LLM, and their scores say nothing about one."
	}
	return "Prompts went to: " + strings.Join(names, ", ") + " (builtin is the offline stand-in on the platform; any other provider is outside it)."
}

// spendChart is the cumulative cost of each phase's calls over the run.
func spendChart(calls []grader.ModelCall) exercises.Chart {
	start := calls[0].StartedAt
	series := map[string]*exercises.Series{}
	var order []string
	spent := map[string]float64{}
	for _, c := range calls {
		s, ok := series[c.Phase]
		if !ok {
			s = &exercises.Series{Name: c.Phase}
			series[c.Phase] = s
			order = append(order, c.Phase)
		}
		spent[c.Phase] += float64(c.CostMicro) / 1e6
		s.Points = append(s.Points, exercises.Point{X: c.StartedAt.Sub(start).Seconds(), Y: spent[c.Phase]})
	}
	ch := exercises.Chart{ID: "model-spend", Title: "Model spend over the run", Kind: "line", XLabel: "seconds since the first call", YLabel: "USD spent"}
	for _, name := range order {
		ch.Series = append(ch.Series, *series[name])
	}
	return ch
}

// callsView is the data of the call log page.
type callsView struct {
	ID    int64
	Calls []callLine
}

// PageTitle names the page.
func (v callsView) PageTitle() string { return fmt.Sprintf("Model calls of submission %d", v.ID) }

// callLine is one call with its recorded bodies as text.
type callLine struct {
	grader.ModelCall
	Request, Response string
}

// callsPage shows every model call of a submission's graded run, prompts
// and answers included (escaped by the template like all text).
func (s *Server) callsPage(c *gin.Context, p principal) error {
	id, err := pathID(c)
	if err != nil {
		return err
	}
	rep, err := s.deps.Submissions.FindReport(c.Request.Context(), id)
	if err != nil {
		return err
	}
	calls, err := s.deps.Staff.LLMCalls(c.Request.Context(), rep.RunID, true)
	if err != nil {
		return err
	}
	v := callsView{ID: id}
	for _, call := range calls {
		v.Calls = append(v.Calls, callLine{ModelCall: call, Request: gunzipText(call.RequestGz), Response: gunzipText(call.ResponseGz)})
	}
	if err := s.record(c, p.actor(), "model_calls.view", fmt.Sprintf("submission:%d", id), nil); err != nil {
		return err
	}
	s.page(c, http.StatusOK, "staff_calls", v)
	return nil
}

// gunzipText is a recorded body as text, cut for the page.
func gunzipText(gz []byte) string {
	if len(gz) == 0 {
		return ""
	}
	zr, err := gzip.NewReader(bytes.NewReader(gz))
	if err != nil {
		return "(unreadable: " + err.Error() + ")"
	}
	data, _ := io.ReadAll(io.LimitReader(zr, shownBody+1))
	text := strings.ToValidUTF8(string(data[:min(len(data), shownBody)]), "\uFFFD")
	if len(data) > shownBody {
		text += "\n… cut for the page; the record keeps 256 KB and the hash of the whole body …"
	}
	return render.StripANSI(text)
}
