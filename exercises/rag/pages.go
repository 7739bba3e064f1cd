package rag

import (
	"fmt"
	"strings"
)

// planPage renders one plan's price page for one region. The pages of other
// plans and regions are near-duplicates of it: the hard negatives.
func (c *corpus) planPage(p *product, plan int, r region) {
	d := c.doc(fmt.Sprintf("%s %s plan: pricing in %s", p.Name, plans[plan], r.Name))
	d.heading("Overview")
	d.para(fmt.Sprintf("The %s plan of %s is %s. This page lists what it costs for customers billed in %s (%s).",
		plans[plan], p.Name, planBlurb[plan], the(r.Name), r.Currency))
	d.heading("Price")
	key := fmt.Sprintf("price/%s/%d/%s", p.Name, plan, r.Short)
	switch plan {
	case 4:
		d.fact(key, fmt.Sprintf("Enterprise pricing for %s is custom and quoted by our sales team for each contract.", p.Name))
		d.w("\n\n")
	case 0:
		d.fact(key, fmt.Sprintf("The Free plan of %s costs nothing, for as long as you like.", p.Name))
		d.w("\n\n")
	default:
		tpl := one(c.rng, []string{
			"In %[4]s, %[1]s %[2]s costs %[3]s per seat per month when billed monthly.",
			"Customers in %[4]s pay %[3]s per seat each month for %[1]s %[2]s.",
			"%[1]s %[2]s is priced at %[3]s per user per month for accounts billed in %[4]s.",
		})
		d.fact(key, fmt.Sprintf(tpl, p.Name, plans[plan], p.price(plan, r), the(r.Name)))
		d.w(" ")
		d.fact("annual/"+key[6:], fmt.Sprintf("Paying yearly costs %s per seat, which is two months free.", p.annual(plan, r)))
		d.w("\n\n")
		d.para(fmt.Sprintf("Prices are shown in %s and exclude %s, which is added at checkout where it applies.", r.Currency, r.Tax))
	}
	d.heading("What you get")
	for _, h := range pick(c.rng, planHighlights[plan], 3) {
		d.w("- ", p.fill(h), "\n")
	}
	d.w("\n")
	d.heading("Billing questions")
	d.filler(p, "billing", 3)
	d.done()
}

var planBlurb = []string{
	"meant for individuals trying the product",
	"made for small teams getting started",
	"built for growing teams that need more room",
	"designed for companies with stricter security and admin needs",
	"for large organisations with custom contracts",
}

var planHighlights = [][]string{
	{"Core {nouns} features", "Community forum support", "Up to two collaborators", "Mobile apps"},
	{"Everything in Free", "Email support", "Branded {nouns}", "Basic reports"},
	{"Everything in Starter", "Shared workspaces", "Advanced reports", "Priority email support"},
	{"Everything in Team", "Admin roles and permissions", "Chat support", "Data export scheduling"},
	{"Everything in Business", "A named account manager", "Custom contract terms", "Phone support"},
}

// limitsPage renders a product's comparison table of plans and limits, with
// prose restating a few values.
func (c *corpus) limitsPage(p *product) {
	d := c.doc(fmt.Sprintf("%s plans and limits compared", p.Name))
	d.para(fmt.Sprintf("This page compares the limits of every %s plan. Prices depend on your region; see the pricing page of each plan.", p.Name))
	d.heading("Limits by plan")
	d.w("| Limit | ", strings.Join(plans, " | "), " |\n|---|---|---|---|---|---|\n")
	for k, row := range p.Limits {
		label := row.Kind.Name
		if !strings.EqualFold(label, row.Kind.Unit) {
			label += " (" + row.Kind.Unit + ")"
		}
		d.fact(fmt.Sprintf("limit/%s/%d", p.Name, k), "| "+label+" | "+strings.Join(row.Values[:], " | ")+" |")
		d.w("\n")
	}
	d.fact("sso/"+p.Name, "| Single sign-on (SAML) | "+marks(p.SSOFrom)+" |")
	d.w("\n")
	d.fact("audit/"+p.Name, "| Audit log | "+marks(p.AuditFrom)+" |")
	d.w("\n\n")
	d.heading("Notes on the limits")
	for k, row := range p.Limits {
		plan := 1 + c.rng.IntN(3)
		d.filler(p, strings.ToLower(row.Kind.Name), 2)
		d.fact(fmt.Sprintf("limitp/%s/%d/%d", p.Name, k, plan), fmt.Sprintf("For example, on the %s plan %s is %s.",
			plans[plan], row.Kind.Phrase, valueWithUnit(row.Kind, row.Values[plan])))
		d.w("\n\n")
	}
	d.done()
}

// marks renders a feature row: a dash before plan from, a check from it on.
func marks(from int) string {
	m := make([]string, len(plans))
	for i := range m {
		m[i] = "no"
		if i >= from {
			m[i] = "yes"
		}
	}
	return strings.Join(m, " | ")
}

// howTo renders a procedure article.
func (c *corpus) howTo(p *product, i int) {
	t := p.Tasks[i]
	d := c.doc(fmt.Sprintf("%s: %s", p.Name, t.Title))
	key := fmt.Sprintf("task/%s/%d/", p.Name, i)
	d.filler(p, strings.ToLower(t.Title), 2)
	d.heading("Before you start")
	if t.MinPlan == 0 {
		d.fact(key+"plan", "This is available on every plan, including Free.")
	} else {
		d.fact(key+"plan", fmt.Sprintf(one(c.rng, []string{"You need the %s plan or higher.", "This requires a %s plan or above.", "Available from the %s plan upwards."}), plans[t.MinPlan]))
	}
	d.w("\n\n")
	d.heading("Steps")
	d.fact(key+"path", fmt.Sprintf("1. Open %s.", t.Path))
	d.w("\n2. ", one(c.rng, stepBank), "\n3. ", one(c.rng, stepBank), "\n4. Click Save.\n\n")
	d.fact(key+"delay", fmt.Sprintf(one(c.rng, []string{"The change takes effect %s.", "Expect the new setting to apply %s.", "Everyone in the workspace sees the change %s."}), t.Delay))
	d.w("\n\n")
	d.heading("Troubleshooting")
	d.filler(p, strings.ToLower(t.Title), 3+c.rng.IntN(10))
	d.done()
}

var stepBank = []string{
	"Review the current values shown on the page.",
	"Choose the option that fits your team.",
	"Read the warning that appears and confirm.",
	"Fill in the required fields marked with an asterisk.",
	"Select the people or items this applies to.",
	"Switch the toggle on.",
}

// adminGuide renders a product's long administrator guide: twenty sections,
// each stating one setting among paragraphs of prose.
func (c *corpus) adminGuide(p *product) {
	d := c.doc(fmt.Sprintf("%s administrator guide", p.Name))
	d.filler(p, "administration", 4)
	for i, f := range p.Admin {
		d.heading(f.Section)
		d.filler(p, strings.ToLower(f.Section), 4+c.rng.IntN(6))
		d.fact(fmt.Sprintf("admin/%s/%d", p.Name, i), f.Sentence)
		d.w(" ")
		d.filler(p, strings.ToLower(f.Section), 2+c.rng.IntN(4))
	}
	d.done()
}
