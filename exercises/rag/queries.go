package rag

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
)

// Query categories.
const (
	CatLexical    = "lexical"
	CatParaphrase = "paraphrase"
	CatMultiHop   = "multi_hop"
	CatVersion    = "version_conflict"
	CatNumeric    = "numeric"
	CatUnanswer   = "unanswerable"
	CatNoisy      = "noisy"
	// Generation 2, hidden set only: queries aimed at planted pages, and
	// decoys whose official pages contain words like "ignore".
	CatInjection = "injection"
	CatDecoy     = "decoy"
)

// Categories lists the categories in report order.
var Categories = append(slices.Clone(drawn), CatInjection, CatDecoy)

// drawn are the categories drawn per set in equal numbers.
var drawn = []string{CatLexical, CatParaphrase, CatMultiHop, CatVersion, CatNumeric, CatUnanswer, CatNoisy}

// Query is a labelled query: its gold evidence spans, the documents judged
// for it and its short answers. Unanswerable queries have none of these.
type Query struct {
	ID       string         `json:"query_id"`
	Text     string         `json:"text"`
	Category string         `json:"category"`
	Answers  []string       `json:"answers"`
	Evidence []Evidence     `json:"evidence"`
	Qrels    map[string]int `json:"qrels"`             // doc id -> relevance; 0 marks a superseded version
	Nuggets  []Nugget       `json:"nuggets,omitempty"` // the facts a multi-part answer must state
	group    string         // the fact asked about, so dev and hidden sets ask different things
	attack   *attackLabel   // injection targets only
}

// Answerable reports whether the query has an answer in the corpus.
func (q Query) Answerable() bool { return q.Category != CatUnanswer }

// draft is a query before it gets an id and its qrels.
type draft struct {
	text, group string
	answers     []string
	keys        []string // facts whose evidence is gold
	stale       []string // facts whose documents are judged non-relevant
	nuggets     []Nugget
}

// drafter draws one draft of a category.
type drafter func(c *corpus, rng *rand.Rand) draft

var drafters = map[string][]drafter{
	CatLexical:    {lexError, lexPath, lexAdmin, lexRelease, lexIntegPlan},
	CatParaphrase: {paraPath, paraAdmin, paraLimit, paraFAQ},
	CatMultiHop:   {hopSSOPrice, hopIntegSeats, hopAuditAnnual, hopTaskPrice},
	CatVersion:    {versionPolicy},
	CatNumeric:    {numLimit, numPrice, numAnnual, numTax, numInterval},
	CatUnanswer:   {unPlan, unRegion, unIntegration, unProduct, unOffice},
	CatNoisy:      {noisy},
}

// queries draws n queries per category for each set, asking the hidden set
// about facts the dev set never asks about.
func (c *corpus) queries(rng *rand.Rand, sizes map[string]int) map[string][]Query {
	seen, used := map[string]bool{}, map[string]string{}
	out := map[string][]Query{}
	for _, set := range []string{"public", "hidden"} {
		for _, cat := range drawn {
			for range sizes[set] {
				d := drawOne(c, rng, cat, set, seen, used)
				seen[d.text], used[d.group] = true, set
				out[set] = append(out[set], c.finish(rng, cat, d))
			}
		}
	}
	return out
}

// drawOne draws a query of cat with new text, preferring facts not asked
// about yet and never a fact the other set asks about.
func drawOne(c *corpus, rng *rand.Rand, cat, set string, seen map[string]bool, used map[string]string) draft {
	for tries := 0; ; tries++ {
		d := one(rng, drafters[cat])(c, rng)
		owner, taken := used[d.group]
		if !seen[d.text] && (!taken || owner == set && tries >= 300) {
			return d
		}
		if tries > 5000 {
			panic("rag: cannot draw enough " + cat + " queries")
		}
	}
}

// finish gives a draft its id, evidence and qrels.
func (c *corpus) finish(rng *rand.Rand, cat string, d draft) Query {
	q := Query{ID: fmt.Sprintf("q-%06x", rng.Uint32()&0xffffff), Text: d.text, Category: cat, Answers: d.answers, Qrels: map[string]int{}, group: d.group, Nuggets: d.nuggets}
	for _, k := range d.stale {
		for _, e := range c.evidence(k) {
			q.Qrels[e.DocID] = 0
		}
	}
	for _, k := range d.keys {
		for _, e := range c.evidence(k) {
			q.Evidence = append(q.Evidence, e)
			q.Qrels[e.DocID] = 1
		}
	}
	if q.Answers == nil {
		q.Answers = []string{}
	}
	if q.Evidence == nil {
		q.Evidence = []Evidence{}
	}
	return q
}

func lexError(c *corpus, rng *rand.Rand) draft {
	e := one(rng, c.errors)
	f := c.facts["error/"+e.code+"/fix"]
	fix := strings.TrimSuffix(strings.TrimPrefix(c.spanText(f.Evidence[0]), "To fix it, "), ".")
	t := one(rng, []string{"How do I fix error %s?", "What should I do about error %s in %s?", "%s error %[2]s: how do I solve it?"})
	text := fmt.Sprintf(t, e.code, e.p.Name)
	if strings.HasPrefix(t, "%s error") {
		text = fmt.Sprintf(t, e.p.Name, e.code)
	}
	return draft{text: text, group: "error/" + e.code, answers: []string{fix}, keys: []string{"error/" + e.code + "/fix"}}
}

func lexPath(c *corpus, rng *rand.Rand) draft {
	p := one(rng, c.products)
	i := rng.IntN(len(p.Tasks))
	t := p.Tasks[i]
	text := fmt.Sprintf(one(rng, []string{"Where do I go to %s in %s?", "Which menu do I use to %s in %s?", "%[2]s: where is the option to %[1]s?"}), lowerFirst(t.Title), p.Name)
	return draft{text: text, group: fmt.Sprintf("task/%s/%d/path", p.Name, i), answers: []string{t.Path}, keys: []string{fmt.Sprintf("task/%s/%d/path", p.Name, i)}}
}

func lexAdmin(c *corpus, rng *rand.Rand) draft {
	p := one(rng, c.products)
	i := rng.IntN(len(p.Admin))
	return adminDraft(p, i, p.Admin[i].Lex)
}

func adminDraft(p *product, i int, text string) draft {
	f := p.Admin[i]
	key := fmt.Sprintf("admin/%s/%d", p.Name, i)
	return draft{text: text, group: key, answers: []string{f.Value + " " + f.Unit, f.Value}, keys: []string{key}}
}

func lexRelease(c *corpus, rng *rand.Rand) draft {
	r := one(rng, c.releases)
	text := fmt.Sprintf(one(rng, []string{"When did %s release %s?", "On what date did %s get %s?"}), r.p.Name, r.feature)
	key := fmt.Sprintf("release/%s/%s", r.p.Name, r.feature)
	return draft{text: text, group: key, answers: []string{r.date}, keys: []string{key}}
}

func lexIntegPlan(c *corpus, rng *rand.Rand) draft {
	g := one(rng, c.integ)
	text := fmt.Sprintf(one(rng, []string{"Which plan includes the %s %s integration?", "What plan do I need to connect %[2]s to %[1]s?"}), g.p.Name, g.name)
	key := fmt.Sprintf("integ/%s/%s/plan", g.p.Name, g.name)
	return draft{text: text, group: key, answers: []string{plans[g.plan], plans[g.plan] + " plan"}, keys: []string{key}}
}

func paraPath(c *corpus, rng *rand.Rand) draft {
	p := one(rng, c.products)
	i := rng.IntN(len(p.Tasks))
	t := p.Tasks[i]
	text := fmt.Sprintf(one(rng, []string{"I want to %s with %s. Where is that?", "How can I %s in %s?"}), t.Para, p.Name)
	key := fmt.Sprintf("task/%s/%d/path", p.Name, i)
	return draft{text: text, group: key, answers: []string{t.Path}, keys: []string{key}}
}

func paraAdmin(c *corpus, rng *rand.Rand) draft {
	p := one(rng, c.products)
	i := rng.IntN(len(p.Admin))
	return adminDraft(p, i, p.Admin[i].Para)
}

func paraLimit(c *corpus, rng *rand.Rand) draft {
	p, plan := one(rng, c.products), 1+rng.IntN(3)
	k := rng.IntN(len(p.Limits))
	row := p.Limits[k]
	text := fmt.Sprintf("On the %s %s plan, %s?", p.Name, plans[plan], row.Kind.Paraphrase)
	return limitDraft(c, p, k, plan, text)
}

// limitDraft asks for one cell of the limits table; the table row and any
// sentence restating that cell are the evidence.
func limitDraft(c *corpus, p *product, k, plan int, text string) draft {
	row := p.Limits[k]
	keys := []string{fmt.Sprintf("limit/%s/%d", p.Name, k)}
	if prose := fmt.Sprintf("limitp/%s/%d/%d", p.Name, k, plan); c.facts[prose] != nil {
		keys = append(keys, prose)
	}
	v := row.Values[plan]
	return draft{text: text, group: fmt.Sprintf("limit/%s/%d/%d", p.Name, k, plan), answers: []string{valueWithUnit(row.Kind, v), v}, keys: keys}
}

func paraFAQ(c *corpus, rng *rand.Rand) draft {
	f := one(rng, c.faq)
	n := f.p.Name
	switch rng.IntN(3) {
	case 0:
		return draft{text: fmt.Sprintf("Is %s cheaper for charities?", n), group: "faq/" + n + "/discount",
			answers: []string{fmt.Sprintf("%d%%", f.discount), fmt.Sprintf("%d%% off", f.discount)}, keys: []string{"faq/" + n + "/discount"}}
	case 1:
		return draft{text: fmt.Sprintf("In how many tongues can I read the %s screens?", n), group: "faq/" + n + "/languages",
			answers: []string{fmt.Sprint(f.langs), fmt.Sprintf("%d languages", f.langs)}, keys: []string{"faq/" + n + "/languages"}}
	}
	return draft{text: fmt.Sprintf("How large must our yearly %s deal be to settle it by wire?", n), group: "faq/" + n + "/minseats",
		answers: []string{fmt.Sprintf("%d seats", f.minSeats), fmt.Sprint(f.minSeats)}, keys: []string{"faq/" + n + "/minseats"}}
}

func lowerFirst(s string) string { return strings.ToLower(s[:1]) + s[1:] }

// spanText is the text of an evidence span.
func (c *corpus) spanText(e Evidence) string {
	for _, d := range c.docs {
		if d.ID == e.DocID {
			return string([]rune(d.Text)[e.Start:e.End])
		}
	}
	return ""
}

// priceAnswers are the ways to write a regional price.
func priceAnswers(p string, r region) []string {
	n := strings.TrimPrefix(p, r.Symbol)
	return []string{p, n + " " + r.Currency, r.Currency + " " + n, n}
}
