package archive

import (
	"strings"

	"golang.org/x/text/unicode/norm"
)

// node is a path element already seen, keyed in its parent by its folded
// form so that names differing only in case or normalisation collide.
type node struct {
	name     string
	file     bool
	children map[string]*node
}

// insert adds a path to the tree and says what is wrong if it clashes with
// one seen before.
func (c *collector) insert(elems []string, dir bool) string {
	n := c.root
	for i, e := range elems {
		last := i == len(elems)-1
		if n.children == nil {
			n.children = make(map[string]*node)
		}
		key := c.fold.String(norm.NFC.String(e))
		child, ok := n.children[key]
		if !ok {
			child = &node{name: e, file: last && !dir}
			n.children[key] = child
		} else if problem := clash(elems[:i], child, e, last, dir); problem != "" {
			return problem
		}
		n = child
	}
	return ""
}

// clash compares an existing node with the element e that a new path wants
// at the same place; last says e ends the new path, dir that it is a directory.
func clash(parents []string, old *node, e string, last, dir bool) string {
	join := func(e string) string {
		return strings.Join(append(parents[:len(parents):len(parents)], e), "/")
	}
	wantFile := last && !dir
	switch {
	case old.name != e && last:
		return "collides with " + quoteName(join(old.name)) + " on case-insensitive file systems"
	case old.name != e:
		return quoteName(join(e)) + " collides with " + quoteName(join(old.name)) + " on case-insensitive file systems"
	case old.file && wantFile:
		return "duplicate entry"
	case old.file || wantFile:
		return quoteName(join(e)) + " is both a file and a directory"
	}
	return ""
}
