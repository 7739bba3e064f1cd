package rag

import (
	"fmt"
	"strings"
)

var featureSeeds = []string{
	"dark mode", "bulk editing of {nouns}", "a redesigned dashboard", "two-factor recovery codes", "CSV import previews",
	"scheduled exports", "custom {noun} templates", "keyboard shortcuts", "a Spanish interface", "saved filters",
	"activity digests", "role-based dashboards", "offline mode on Android", "passkey sign-in", "a public status widget",
	"comment threads on {nouns}", "a command palette", "smart duplicate detection", "usage analytics", "a Japanese interface",
}

var months = []string{"January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"}

// releaseNotes renders one quarter's release notes and returns the
// features it announced with their dates.
func (c *corpus) releaseNotes(p *product, year, quarter int, feats []string) {
	d := c.doc(fmt.Sprintf("%s release notes, Q%d %d", p.Name, quarter, year))
	d.para(fmt.Sprintf("Here is what changed in %s during the %s quarter of %d.", p.Name, []string{"first", "second", "third", "fourth"}[quarter-1], year))
	for _, f := range feats {
		f = p.fill(f)
		date := fmt.Sprintf("%d %s %d", 1+c.rng.IntN(28), months[(quarter-1)*3+c.rng.IntN(3)], year)
		d.heading(upperFirst(f))
		d.fact(fmt.Sprintf("release/%s/%s", p.Name, f), upperFirst(fmt.Sprintf(one(c.rng, []string{
			"We shipped %[1]s on %[2]s.", "%[1]s became available to everyone on %[2]s.", "Since %[2]s, %[3]s offers %[1]s.",
		}), f, date, p.Name)))
		d.w(" ")
		d.filler(p, f, 2)
		c.releases = append(c.releases, release{p, f, date})
	}
	d.done()
}

// release remembers when a feature shipped.
type release struct {
	p       *product
	feature string
	date    string
}

func upperFirst(s string) string { return strings.ToUpper(s[:1]) + s[1:] }
