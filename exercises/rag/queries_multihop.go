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
		nuggets: hopNuggets(priceAnswers(price, r), plans[p.SSOFrom]),
	}
}

func hopAuditAnnual(c *corpus, rng *rand.Rand) draft {
	p, r := one(rng, c.products), one(rng, regions)
	return draft{
		text:    fmt.Sprintf("What is the yearly price per seat in %s of the cheapest %s plan that has an audit log?", the(r.Name), p.Name),
		group:   fmt.Sprintf("hop/audit/%s/%s", p.Name, r.Short),
		answers: priceAnswers(p.annual(p.AuditFrom, r), r),
		keys:    []string{"audit/" + p.Name, fmt.Sprintf("annual/%s/%d/%s", p.Name, p.AuditFrom, r.Short)},
		nuggets: hopNuggets(priceAnswers(p.annual(p.AuditFrom, r), r), plans[p.AuditFrom]),
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
		nuggets: hopNuggets([]string{valueWithUnit(seats.Kind, seats.Values[g.plan]), seats.Values[g.plan]}, plans[g.plan]),
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
		nuggets: hopNuggets(priceAnswers(p.price(t.MinPlan, r), r), plans[t.MinPlan]),
	}
}

// hopNuggets are the facts a two-hop answer states: the value asked for
// (vital) and the plan the first hop finds (okay), e.g. "$24, on Team".
func hopNuggets(value []string, plan string) []Nugget {
	return []Nugget{{Text: value[0], Vital: true, Aliases: value[1:]}, {Text: plan}}
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
