package rag

import (
	"fmt"
	"math/rand/v2"
)

// errInfo remembers an error-code page for queries.
type errInfo struct {
	p     *product
	code  string
	title string
}

// generate builds the whole help center for rng.
func generate(rng *rand.Rand) *corpus {
	c := newCorpus(rng)
	c.products = newProducts(rng)
	for _, p := range c.products {
		c.productPages(p)
	}
	c.policies = c.newPolicies(c.products)
	for _, pol := range c.policies {
		c.policyPages(pol)
	}
	for _, r := range regions {
		c.regionPage(r)
	}
	rng.Shuffle(len(c.docs), func(i, j int) { c.docs[i], c.docs[j] = c.docs[j], c.docs[i] })
	return c
}

func (c *corpus) productPages(p *product) {
	for plan := range plans {
		for _, r := range regions {
			c.planPage(p, plan, r)
		}
	}
	c.limitsPage(p)
	for i := range p.Tasks {
		c.howTo(p, i)
	}
	c.adminGuide(p)
	for _, s := range pick(c.rng, errorSeeds, 20) {
		code := c.errorPage(p, s)
		c.errors = append(c.errors, errInfo{p, code, p.fill(s[0])})
	}
	for _, name := range p.Integrations {
		c.integration(p, name)
	}
	feats := pick(c.rng, featureSeeds, len(featureSeeds))
	for q := 0; q < 12; q++ {
		n := 1 + boolInt(q < 8)
		c.releaseNotes(p, 2023+q/4, q%4+1, feats[:n])
		feats = feats[n:]
	}
	c.faqPages(p)
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

// evidence returns the spans of a fact; it panics on an unknown key, which
// is a bug in the generator, caught by the tests.
func (c *corpus) evidence(key string) []Evidence {
	f := c.facts[key]
	if f == nil {
		panic(fmt.Sprintf("rag: no fact %q", key))
	}
	return f.Evidence
}
