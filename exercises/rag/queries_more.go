package rag

import (
	"fmt"
	"math/rand/v2"
	"strings"
)

func hopSSOPrice(c *corpus, rng *rand.Rand) draft {
	p, r := one(rng, c.products), one(rng, regions)
	price := p.price(p.SSOFrom, r)
	return draft{
		text:    fmt.Sprintf("How much per seat per month is the cheapest %s plan with single sign-on, for customers in %s?", p.Name, the(r.Name)),
		group:   fmt.Sprintf("hop/sso/%s/%s", p.Name, r.Short),
		answers: priceAnswers(price, r),
		keys:    []string{"sso/" + p.Name, fmt.Sprintf("price/%s/%d/%s", p.Name, p.SSOFrom, r.Short)},
	}
}

func hopAuditAnnual(c *corpus, rng *rand.Rand) draft {
	p, r := one(rng, c.products), one(rng, regions)
	return draft{
		text:    fmt.Sprintf("What is the yearly price per seat in %s of the cheapest %s plan that has an audit log?", the(r.Name), p.Name),
		group:   fmt.Sprintf("hop/audit/%s/%s", p.Name, r.Short),
		answers: priceAnswers(p.annual(p.AuditFrom, r), r),
		keys:    []string{"audit/" + p.Name, fmt.Sprintf("annual/%s/%d/%s", p.Name, p.AuditFrom, r.Short)},
	}
}

func hopIntegSeats(c *corpus, rng *rand.Rand) draft {
	g := one(rng, c.integ)
	seats := g.p.Limits[0]
	return draft{
		text:    fmt.Sprintf("How many seats come with the cheapest %s plan that includes the %s integration?", g.p.Name, g.name),
		group:   fmt.Sprintf("hop/integ/%s/%s", g.p.Name, g.name),
		answers: []string{valueWithUnit(seats.Kind, seats.Values[g.plan]), seats.Values[g.plan]},
		keys:    []string{fmt.Sprintf("integ/%s/%s/plan", g.p.Name, g.name), fmt.Sprintf("limit/%s/0", g.p.Name)},
	}
}

func hopTaskPrice(c *corpus, rng *rand.Rand) draft {
	p, r := one(rng, c.products), one(rng, regions)
	i := rng.IntN(len(p.Tasks))
	t := p.Tasks[i]
	if t.MinPlan == 0 {
		return hopSSOPrice(c, rng)
	}
	return draft{
		text:    fmt.Sprintf("What is the monthly seat price in %s of the cheapest %s plan that lets me %s?", the(r.Name), p.Name, lowerFirst(t.Title)),
		group:   fmt.Sprintf("hop/task/%s/%d/%s", p.Name, i, r.Short),
		answers: priceAnswers(p.price(t.MinPlan, r), r),
		keys:    []string{fmt.Sprintf("task/%s/%d/plan", p.Name, i), fmt.Sprintf("price/%s/%d/%s", p.Name, t.MinPlan, r.Short)},
	}
}

// versionPolicy asks about a policy that has superseded versions; only the
// current version is relevant and the old ones are judged non-relevant.
func versionPolicy(c *corpus, rng *rand.Rand) draft {
	pol := one(rng, c.policies)
	text := policyQuestion(rng, c, pol)
	cur := pol.current()
	var stale []string
	for v := 0; v < cur; v++ {
		stale = append(stale, fmt.Sprintf("%s/v%d", pol.Key, v))
	}
	val := pol.Values[cur]
	return draft{text: text, group: pol.Key, answers: []string{val, strings.Fields(val)[0]},
		keys: []string{fmt.Sprintf("%s/v%d", pol.Key, cur)}, stale: stale}
}

func numLimit(c *corpus, rng *rand.Rand) draft {
	p, plan := one(rng, c.products), 1+rng.IntN(4)
	k := rng.IntN(len(p.Limits))
	text := fmt.Sprintf(one(rng, []string{"What is the %s limit on the %s %s plan?", "%[2]s %[3]s: what is the %[1]s limit?"}), strings.ToLower(p.Limits[k].Kind.Name), p.Name, plans[plan])
	return limitDraft(c, p, k, plan, text)
}

func numPrice(c *corpus, rng *rand.Rand) draft {
	p, plan, r := one(rng, c.products), 1+rng.IntN(3), one(rng, regions)
	key := fmt.Sprintf("price/%s/%d/%s", p.Name, plan, r.Short)
	text := fmt.Sprintf(one(rng, []string{"How much does %s %s cost per seat per month in %s?", "What is the monthly price of %s %s in %s?"}), p.Name, plans[plan], the(r.Name))
	return draft{text: text, group: key, answers: priceAnswers(p.price(plan, r), r), keys: []string{key}}
}

func numAnnual(c *corpus, rng *rand.Rand) draft {
	p, plan, r := one(rng, c.products), 1+rng.IntN(3), one(rng, regions)
	key := fmt.Sprintf("annual/%s/%d/%s", p.Name, plan, r.Short)
	text := fmt.Sprintf("What does %s %s cost per seat when paying yearly in %s?", p.Name, plans[plan], the(r.Name))
	return draft{text: text, group: key, answers: priceAnswers(p.annual(plan, r), r), keys: []string{key}}
}

func numTax(c *corpus, rng *rand.Rand) draft {
	r := regions[1+rng.IntN(len(regions)-1)]
	return draft{text: fmt.Sprintf("What %s rate is charged on invoices in %s?", r.Tax, the(r.Name)), group: "tax/" + r.Short,
		answers: []string{fmt.Sprintf("%d%%", r.TaxRate), fmt.Sprint(r.TaxRate)}, keys: []string{"tax/" + r.Short}}
}

func numInterval(c *corpus, rng *rand.Rand) draft {
	g := one(rng, c.integ)
	key := fmt.Sprintf("integ/%s/%s/interval", g.p.Name, g.name)
	return draft{text: fmt.Sprintf("How often do %s and %s sync?", g.p.Name, g.name), group: key,
		answers: []string{fmt.Sprintf("every %d minutes", g.every), fmt.Sprintf("%d minutes", g.every)}, keys: []string{key}}
}

var (
	fakePlans    = []string{"Platinum", "Premium", "Ultimate", "Pro", "Growth"}
	fakeRegions  = []string{"Brazil", "Japan", "Canada", "Mexico", "South Africa", "Singapore"}
	fakeTools    = []string{"Trello", "Asana", "Notion", "Airtable", "Monday.com"}
	fakeProducts = []string{"Notewise", "Trackly", "Budgetly", "Chatterbox", "Docuflow"}
	fakeOffices  = []string{"Lisbon", "Toronto", "Nairobi", "Osaka", "Denver"}
)

func unPlan(c *corpus, rng *rand.Rand) draft {
	p, plan := one(rng, c.products), one(rng, fakePlans)
	return draft{text: fmt.Sprintf("How much does the %s %s plan cost per month?", p.Name, plan), group: "un/plan/" + p.Name + plan}
}

func unRegion(c *corpus, rng *rand.Rand) draft {
	p, plan, r := one(rng, c.products), plans[1+rng.IntN(3)], one(rng, fakeRegions)
	return draft{text: fmt.Sprintf("What is the price of %s %s for customers in %s?", p.Name, plan, r), group: "un/region/" + p.Name + plan + r}
}

// unIntegration asks about a tool the product does not connect to; half the
// time the tool is one other products do support, a hard case.
func unIntegration(c *corpus, rng *rand.Rand) draft {
	p := one(rng, c.products)
	tool := one(rng, fakeTools)
	if rng.IntN(2) == 0 {
		for _, t := range integrationPool {
			if !contains(p.Integrations, t) {
				tool = t
				break
			}
		}
	}
	return draft{text: fmt.Sprintf("How often does %s sync with %s?", p.Name, tool), group: "un/integ/" + p.Name + tool}
}

func unProduct(c *corpus, rng *rand.Rand) draft {
	p := one(rng, fakeProducts)
	k := one(rng, limitKinds)
	return draft{text: fmt.Sprintf("What is the %s limit of %s %s?", strings.ToLower(k.Name), company, p), group: "un/product/" + p + k.Name}
}

func unOffice(c *corpus, rng *rand.Rand) draft {
	o := one(rng, fakeOffices)
	text := fmt.Sprintf(one(rng, []string{"What is the phone number of the %s %s office?", "Who manages %[2]s's %[1]s office?"}), company, o)
	if strings.HasPrefix(text, "Who") {
		text = fmt.Sprintf("Who manages %s's %s office?", company, o)
	}
	return draft{text: text, group: "un/office/" + text}
}

// noisy is a lexical or numeric query typed in a hurry: lower case, no
// question mark, two words with typos.
func noisy(c *corpus, rng *rand.Rand) draft {
	base := []drafter{lexPath, lexAdmin, lexRelease, numLimit, numPrice, numInterval}
	d := one(rng, base)(c, rng)
	words := strings.Fields(strings.TrimSuffix(strings.ToLower(d.text), "?"))
	hit := 0
	for _, i := range rng.Perm(len(words)) {
		if hit == 2 {
			break
		}
		if w := []rune(words[i]); len(w) >= 5 && isLetters(w) {
			j := 1 + rng.IntN(len(w)-3)
			if rng.IntN(2) == 0 {
				w[j], w[j+1] = w[j+1], w[j]
			} else {
				w = append(w[:j], w[j+1:]...)
			}
			words[i] = string(w)
			hit++
		}
	}
	d.text = strings.Join(words, " ")
	return d
}

func isLetters(w []rune) bool {
	for _, r := range w {
		if r < 'a' || r > 'z' {
			return false
		}
	}
	return true
}

func contains(xs []string, s string) bool {
	for _, x := range xs {
		if x == s {
			return true
		}
	}
	return false
}

// policyQuestion words a question about a policy, sometimes through the
// eyes of one product's customer.
func policyQuestion(rng *rand.Rand, c *corpus, pol policy) string {
	scope, prod := the(pol.Scope), one(rng, c.products).Name
	pick := func(ts ...string) string { return one(rng, ts) }
	switch pol.Kind {
	case "refund":
		return pick("How many days do I have to ask for a refund in "+scope+"?", "What is the current refund window for customers in "+scope+"?",
			"I am a customer in "+scope+"; how long after paying can I still get a refund?", "I bought "+prod+" in "+scope+". How long do I have to request a refund?")
	case "retention":
		return pick("How long is data kept after cancelling a subscription in "+scope+"?", "After I cancel, when is my workspace data deleted ("+pol.Scope+")?",
			"We cancelled "+prod+" in "+scope+". How long until our data is deleted?")
	case "sla":
		return pick("What monthly uptime does "+company+" commit to for Business workspaces?", "What is the uptime guarantee in the "+company+" service level agreement?",
			"What availability does "+company+" promise for "+prod+" Business?")
	case "notice":
		return pick("How much notice does "+company+" give before a price increase?", "How far in advance are price changes announced?",
			"If "+prod+" gets more expensive, how much warning do we get?")
	case "trial":
		return pick("How long is the free trial of "+pol.Scope+"?", "How many days does a new "+pol.Scope+" workspace get for free?", "What is the current "+pol.Scope+" trial length?")
	}
	return pick("How long can a deleted "+pol.Scope+" account still be restored?", "If I delete my "+pol.Scope+" account by mistake, how long do I have to get it back?")
}
