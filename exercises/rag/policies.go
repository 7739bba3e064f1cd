package rag

import (
	"fmt"
	"strings"
)

// policy is a versioned rule; every version has its own page, and only the
// one with the latest effective date is current.
type policy struct {
	Kind     string // refund, retention, sla, notice, trial
	Scope    string // region name, product name or "" for company-wide
	Key      string // fact key prefix, e.g. "refund/EU"
	Dates    []string
	Values   []string // per version, e.g. "30 days"
	Title    string
	Sentence string // with %s for the value
}

// current is the index of the version in force.
func (p policy) current() int { return len(p.Dates) - 1 }

func (c *corpus) newPolicies(products []*product) []policy {
	var out []policy
	for _, r := range regions {
		out = append(out, policy{
			Kind: "refund", Scope: r.Name, Key: "refund/" + r.Short,
			Dates:  []string{"12 June 2021", "1 March 2023", "1 February 2025"},
			Values: []string{"14 days", one(c.rng, []string{"21 days", "30 days"}), one(c.rng, []string{"30 days", "45 days", "60 days"})},
			Title:  "Refund policy for customers in " + the(r.Name), Sentence: "You can ask for a full refund within %s of any payment.",
		}, policy{
			Kind: "retention", Scope: r.Name, Key: "retention/" + r.Short,
			Dates:  []string{"1 September 2020", "15 January 2024"},
			Values: []string{"90 days", one(c.rng, []string{"30 days", "60 days", "120 days"})},
			Title:  "What happens to your data after you cancel (" + r.Name + ")", Sentence: "After a subscription ends, we keep the workspace's data for %s and then delete it permanently.",
		})
	}
	out = append(out, policy{
		Kind: "sla", Key: "sla", Dates: []string{"1 April 2022", "1 October 2024"},
		Values: []string{"99.9%", one(c.rng, []string{"99.95%", "99.99%"})},
		Title:  company + " service level agreement", Sentence: "We commit to a monthly uptime of %s for Business and Enterprise workspaces.",
	}, policy{
		Kind: "notice", Key: "notice", Dates: []string{"1 January 2021", "1 July 2024"},
		Values: []string{"30 days", one(c.rng, []string{"45 days", "60 days", "90 days"})},
		Title:  "How we announce price changes", Sentence: "We announce any price increase at least %s before it applies to your account.",
	})
	for _, p := range products {
		out = append(out, policy{
			Kind: "trial", Scope: p.Name, Key: "trial/" + p.Name, Dates: []string{"1 May 2022", "1 August 2024"},
			Values: []string{fmt.Sprint(p.TrialDays[0], " days"), fmt.Sprint(p.TrialDays[1], " days")},
			Title:  p.Name + " free trial terms", Sentence: "New " + p.Name + " workspaces get a free trial of the Business plan for %s, no card required.",
		}, policy{
			Kind: "deletion", Scope: p.Name, Key: "deletion/" + p.Name, Dates: []string{"1 March 2021", "1 November 2024"},
			Values: []string{"7 days", one(c.rng, []string{"14 days", "30 days"})},
			Title:  "Deleting a " + p.Name + " account", Sentence: "When an owner deletes a " + p.Name + " account, it can still be restored for %s before it is erased.",
		})
	}
	return out
}

// the prefixes "the" to region names that take it.
func the(name string) string {
	if strings.HasPrefix(name, "United") || strings.HasPrefix(name, "European") {
		return "the " + name
	}
	return name
}

// policyPages renders every version of a policy as its own page.
func (c *corpus) policyPages(pol policy) {
	for v := range pol.Dates {
		d := c.doc(pol.Title)
		eff := "This policy is effective from " + pol.Dates[v] + "."
		if v > 0 {
			eff += " It replaces the version dated " + pol.Dates[v-1] + "."
		}
		d.para(eff)
		d.filler(nil, "this policy", 2)
		d.heading("The rule")
		d.fact(fmt.Sprintf("%s/v%d", pol.Key, v), fmt.Sprintf(pol.Sentence, pol.Values[v]))
		d.w("\n\n")
		d.heading("Details")
		d.filler(nil, "this policy", 4)
		d.done()
	}
}

// faqPages renders a product's three FAQ pages; each answers one fact among
// a dozen generic questions.
func (c *corpus) faqPages(p *product) {
	discount := one(c.rng, []int{10, 15, 20, 25, 30, 50})
	langs := one(c.rng, []int{6, 8, 11, 12, 14, 17})
	minSeats := one(c.rng, []int{5, 10, 20, 25})
	c.faq = append(c.faq, faqFacts{p, discount, langs, minSeats})
	pages := []struct{ title, key, q, a string }{
		{"billing", "discount", "Do you offer discounts for nonprofits?", fmt.Sprintf("Yes. Registered nonprofits get %d%% off any paid %s plan.", discount, p.Name)},
		{"getting started", "languages", "Which languages does the interface support?", fmt.Sprintf("The %s interface is available in %d languages.", p.Name, langs)},
		{"invoicing", "minseats", "Can we pay by bank transfer against an invoice?", fmt.Sprintf("Yes, annual contracts of at least %d seats can be paid by bank transfer.", minSeats)},
	}
	for _, pg := range pages {
		d := c.doc(fmt.Sprintf("%s FAQ: %s", p.Name, pg.title))
		qs := pick(c.rng, faqBank, 8)
		at := c.rng.IntN(len(qs))
		for i, q := range qs {
			if i == at {
				d.w("**", pg.q, "**\n")
				d.fact(fmt.Sprintf("faq/%s/%s", p.Name, pg.key), pg.a)
				d.w("\n\n")
			}
			d.w("**", p.fill(q[0]), "**\n", p.fill(q[1]), "\n\n")
		}
		d.done()
	}
}

// faqFacts remembers a product's FAQ answers for queries.
type faqFacts struct {
	p                         *product
	discount, langs, minSeats int
}

var faqBank = [][2]string{
	{"Can I change plans later?", "Yes, you can move between plans at any time from the billing page."},
	{"Is my data encrypted?", "Data is encrypted in transit and at rest."},
	{"Can I try {product} before paying?", "Yes, every new workspace starts with a free trial."},
	{"Do you have a mobile app?", "Yes, for iOS and Android."},
	{"How do I contact support?", "Use the chat bubble in the app or write to the support team."},
	{"Can I import {nouns} from another tool?", "Yes, use the import wizard under Data."},
	{"Who owns the data?", "You do. We only process it to provide the service."},
	{"Can I get an invoice with my company details?", "Yes, add them under billing details and they appear on every invoice."},
	{"What happens if I exceed a limit?", "We warn workspace owners first and never delete {nouns} because of a limit."},
	{"Is there an API?", "Yes, a REST API with documentation in the developer portal."},
	{"Can I have more than one workspace?", "Yes, each workspace is billed separately."},
	{"Do you offer training?", "We run free webinars every month."},
	{"Can guests see my {nouns}?", "Only if you share them explicitly."},
	{"Is there a status page?", "Yes, it lists incidents and planned maintenance."},
}

// regionPage renders a region's tax, residency and support-hours page.
func (c *corpus) regionPage(r region) {
	d := c.doc("Tax, data residency and support hours in " + the(r.Name))
	d.filler(nil, "regional settings", 2)
	d.heading("Where your data lives")
	d.fact("dc/"+r.Short, fmt.Sprintf("Workspaces created in %s are hosted in our data center in %s.", the(r.Name), r.DataCenter))
	d.w("\n\n")
	d.heading("Taxes")
	if r.TaxRate == 0 {
		d.fact("tax/"+r.Short, "We add state sales tax where it applies; the rate depends on your billing address.")
	} else {
		d.fact("tax/"+r.Short, fmt.Sprintf("Invoices include %s at %d%% unless you provide a valid tax number.", r.Tax, r.TaxRate))
	}
	d.w("\n\n")
	d.heading("Support hours")
	d.fact("hours/"+r.Short, fmt.Sprintf("Our support team answers from %s, Monday to Friday.", r.Hours))
	d.w("\n\n")
	d.done()
}
