package rag

import (
	"fmt"
	"math/rand/v2"
	"strings"
)

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
