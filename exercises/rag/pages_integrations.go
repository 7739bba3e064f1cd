package rag

import "fmt"

// integration renders how one product connects to a third-party tool.
func (c *corpus) integration(p *product, name string) {
	d := c.doc(fmt.Sprintf("Connect %s to %s", p.Name, name))
	key := fmt.Sprintf("integ/%s/%s/", p.Name, name)
	plan := 1 + c.rng.IntN(3)
	every := one(c.rng, []int{5, 10, 15, 30, 60})
	d.filler(p, "the "+name+" integration", 2)
	d.fact(key+"plan", fmt.Sprintf("The %s integration is included from the %s plan.", name, plans[plan]))
	d.w("\n\n")
	d.heading("Set it up")
	d.para(fmt.Sprintf("Open Integrations, choose %s and sign in with an account that can approve apps.", name))
	d.fact(key+"interval", fmt.Sprintf(one(c.rng, []string{
		"Once connected, %[1]s and %[2]s sync every %[3]d minutes.", "Data flows between %[1]s and %[2]s every %[3]d minutes.",
	}), p.Name, name, every))
	d.w("\n\n")
	d.filler(p, "the "+name+" integration", 3)
	d.done()
	c.integ = append(c.integ, integ{p, name, plan, every})
}

// integ remembers an integration's facts for queries.
type integ struct {
	p     *product
	name  string
	plan  int
	every int
}
