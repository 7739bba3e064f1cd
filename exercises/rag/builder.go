package rag

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"unicode/utf8"
)

// Doc is one help-center article as candidates receive it.
type Doc struct {
	ID    string `json:"doc_id"`
	Title string `json:"title"`
	Text  string `json:"text"`
}

// Evidence is a span of a document's text in Unicode code points (Python
// str indices), end exclusive.
type Evidence struct {
	DocID string `json:"doc_id"`
	Start int    `json:"start"`
	End   int    `json:"end"`
}

// fact is one thing the help center states, with every place it is stated.
type fact struct {
	Answers  []string
	Evidence []Evidence
}

// corpus is the generated help center and the index of its facts.
type corpus struct {
	rng   *rand.Rand
	docs  []Doc
	facts map[string]*fact
	ids   map[string]bool

	// What the queries are drawn from, besides the products.
	products []*product
	policies []policy
	integ    []integ
	releases []release
	faq      []faqFacts
	errors   []errInfo
}

func newCorpus(rng *rand.Rand) *corpus {
	return &corpus{rng: rng, facts: map[string]*fact{}, ids: map[string]bool{}}
}

// docBuilder writes one document and records where its facts are.
type docBuilder struct {
	c     *corpus
	id    string
	title string
	b     strings.Builder
	runes int
}

// doc starts a document with a fresh random id.
func (c *corpus) doc(title string) *docBuilder {
	for {
		id := fmt.Sprintf("kb-%06x", c.rng.Uint32()&0xffffff)
		if !c.ids[id] {
			c.ids[id] = true
			return &docBuilder{c: c, id: id, title: title}
		}
	}
}

// w writes text.
func (d *docBuilder) w(parts ...string) {
	for _, s := range parts {
		d.b.WriteString(s)
		d.runes += utf8.RuneCountInString(s)
	}
}

// para writes a paragraph: the text then a blank line.
func (d *docBuilder) para(s string) { d.w(s, "\n\n") }

// heading writes a Markdown heading.
func (d *docBuilder) heading(s string) { d.w("## ", s, "\n\n") }

// fact writes s and records it as evidence of key, whose short answers are
// given the first time the key is seen.
func (d *docBuilder) fact(key, s string, answers ...string) {
	start := d.runes
	d.w(s)
	f := d.c.facts[key]
	if f == nil {
		f = &fact{}
		d.c.facts[key] = f
	}
	if len(f.Answers) == 0 {
		f.Answers = answers
	}
	f.Evidence = append(f.Evidence, Evidence{DocID: d.id, Start: start, End: d.runes})
}

// done adds the document to the corpus.
func (d *docBuilder) done() {
	text := strings.TrimRight(d.b.String(), "\n")
	d.c.docs = append(d.c.docs, Doc{ID: d.id, Title: d.title, Text: text})
}

// filler writes n sentences of plausible help-center prose about topic,
// which carry no facts but make pages as long and wordy as real ones.
func (d *docBuilder) filler(p *product, topic string, n int) {
	var s []string
	for _, i := range d.c.rng.Perm(len(fillerBank))[:n] {
		s = append(s, fillerBank[i])
	}
	name := company
	if p != nil {
		d.para(p.fill(strings.ReplaceAll(strings.Join(s, " "), "{topic}", topic)))
		return
	}
	r := strings.NewReplacer("{product}", name, "{noun}", "record", "{nouns}", "records", "{Nouns}", "Records", "{topic}", topic)
	d.para(r.Replace(strings.Join(s, " ")))
}

var fillerBank = []string{
	"This article explains {topic} in {product} and links to related guides at the end.",
	"If you manage {nouns} for a larger team, read the whole page before you change anything.",
	"Most teams set this up once and rarely need to revisit it.",
	"Changes are recorded so that administrators can review them later.",
	"You need the right permissions to follow these steps; ask an administrator if an option is greyed out.",
	"The screenshots in this guide show the web app; the mobile apps use the same names for every option.",
	"When in doubt, try the steps in a test workspace first.",
	"Our support team can walk you through {topic} if your setup is unusual.",
	"Nothing in this section affects {nouns} that were created before the change.",
	"Keep in mind that browser extensions which block scripts can hide some buttons.",
	"{product} shows a short confirmation message once the change has been saved.",
	"Some options described here are only visible to workspace owners.",
	"We update this page whenever {topic} changes, so bookmark it rather than printing it.",
	"For questions about invoices and taxes, see the billing section of the help center.",
	"Teams that migrate from another tool usually start with {topic}.",
	"You can undo most of these settings later without losing {nouns}.",
	"If several people edit the same {noun} at once, the most recent save is kept and the others are listed in its history.",
	"Large workspaces may notice a short delay while {product} updates every {noun}.",
	"The activity feed shows who changed what and when.",
	"Partners and resellers follow the same steps on behalf of their clients.",
	"Tip: use keyboard shortcuts to move faster; press the question mark key to see them all.",
	"Accessibility matters to us, and every screen described here works with a screen reader.",
	"Customers on legacy plans see the same menus, although some labels may differ slightly.",
	"Before you start, make sure your browser is up to date.",
	"If you use the public API, the same operation is available through the corresponding endpoint.",
	"Nothing here requires you to contact sales.",
	"Write down what you changed, in case a colleague asks later.",
	"The {product} status page reports any incident that could affect {topic}.",
	"Settings are saved per workspace, not per user, unless stated otherwise.",
	"Please allow pop-ups from {product} if a window does not appear.",
	"Notifications about {topic} are sent to workspace owners by default.",
	"This feature was designed with feedback from thousands of customers.",
}
