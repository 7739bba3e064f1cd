package render

import (
	"strconv"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"
)

// flat lists a tree as "path size" lines, directories marked with a slash.
func flat(n *Node, out *[]string) {
	for _, c := range n.Children {
		line := c.Path
		if c.Dir {
			line += "/"
		}
		*out = append(*out, line+" "+itoa(c.Size))
		flat(c, out)
	}
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

func TestTree(t *testing.T) {
	root := Tree(
		[]string{"takehome.yaml", "src/model.py", "src/util/io.py", "README.md", "src/", "./data//x.csv", "/abs.txt", "../../etc/passwd", "..", "a\\b.py"},
		[]int64{10, 200, 30, 5, 0, 7, 1, 2, 99},
	)
	var got []string
	flat(root, &got)
	want := []string{
		"a/ 0", "a/b.py 0",
		"data/ 7", "data/x.csv 7",
		"etc/ 2", "etc/passwd 2",
		"src/ 230", "src/util/ 30", "src/util/io.py 30", "src/model.py 200",
		"README.md 5", "abs.txt 1", "takehome.yaml 10",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("tree:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if root.Size != 255 {
		t.Errorf("root size = %d, want 255", root.Size)
	}
}

func TestTreeHTML(t *testing.T) {
	var paths []string
	for _, p := range xssPayloads {
		paths = append(paths, "dir/"+strings.ReplaceAll(p, "/", "_"))
	}
	root := Tree(append(paths, "ok.py"), nil)
	out := string(root.HTML(func(p string) string { return "/code?path=" + p }))
	assertInert(t, "tree", out)
	doc, err := goquery.NewDocumentFromReader(strings.NewReader(out))
	if err != nil {
		t.Fatal(err)
	}
	if n := doc.Find("details summary").Length(); n != 1 {
		t.Errorf("%d directories, want 1", n)
	}
	if n := doc.Find("a").Length(); n != len(xssPayloads)+1 {
		t.Errorf("%d file links, want %d", n, len(xssPayloads)+1)
	}
	if href, _ := doc.Find("a").Last().Attr("href"); href != "/code?path=ok.py" {
		t.Errorf("href = %q", href)
	}
	name := strings.ReplaceAll(xssPayloads[0], "/", "_")
	shown := doc.Find("a").FilterFunction(func(_ int, s *goquery.Selection) bool { return s.Text() == name })
	if shown.Length() != 1 {
		t.Errorf("name %q not shown as text", name)
	}
}
