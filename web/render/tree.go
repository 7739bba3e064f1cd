package render

import (
	"path"
	"sort"
	"strings"
)

// Node is a file or directory of a file tree. Path is the slash-separated
// path from the root; a directory's Size is the sum of its files.
type Node struct {
	Name     string
	Path     string
	Dir      bool
	Size     int64
	Children []*Node
}

// Tree builds the file tree of an archive's entries; sizes[i] is the size
// of paths[i] (missing sizes count as 0). Leading slashes, "." and ".."
// segments are dropped, so a hostile name cannot climb out of the root or
// hide as an empty name. Directories come first, then files, each sorted by
// name.
func Tree(paths []string, sizes []int64) *Node {
	root := &Node{Dir: true}
	for i, p := range paths {
		var size int64
		if i < len(sizes) {
			size = sizes[i]
		}
		parts := segments(p)
		if len(parts) == 0 {
			continue
		}
		root.add(parts, size, strings.HasSuffix(p, "/"))
	}
	root.sort()
	return root
}

// segments splits a path into its meaningful names.
func segments(p string) []string {
	var out []string
	for _, s := range strings.Split(strings.ReplaceAll(p, "\\", "/"), "/") {
		if s != "" && s != "." && s != ".." {
			out = append(out, s)
		}
	}
	return out
}

// add inserts the entry at parts below n, creating directories on the way.
func (n *Node) add(parts []string, size int64, dir bool) {
	n.Size += size
	child := n.child(parts[0])
	if child == nil {
		child = &Node{Name: parts[0], Path: path.Join(n.Path, parts[0]), Dir: dir || len(parts) > 1}
		n.Children = append(n.Children, child)
	}
	if len(parts) > 1 {
		child.Dir = true
		child.add(parts[1:], size, dir)
		return
	}
	child.Size += size
}

func (n *Node) child(name string) *Node {
	for _, c := range n.Children {
		if c.Name == name {
			return c
		}
	}
	return nil
}

func (n *Node) sort() {
	sort.Slice(n.Children, func(i, j int) bool {
		a, b := n.Children[i], n.Children[j]
		if a.Dir != b.Dir {
			return a.Dir
		}
		return a.Name < b.Name
	})
	for _, c := range n.Children {
		c.sort()
	}
}
