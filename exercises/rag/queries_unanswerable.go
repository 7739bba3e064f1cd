package rag

import (
	"fmt"
	"math/rand/v2"
	"strings"
)

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
