package exercises_test

import (
	"os/exec"
	"strings"
	"testing"
)

// TestImportsPointOneWay: nothing under exercises/ or metric/ depends on
// grader, web or internal/ (go list -deps, tests excluded), and metric/
// depends on nothing of ours at all.
func TestImportsPointOneWay(t *testing.T) {
	for _, tt := range []struct {
		pkgs      string
		forbidden []string
	}{
		{"takehome/exercises/...", []string{"takehome/grader", "takehome/web", "takehome/internal/"}},
		{"takehome/metric/...", []string{"takehome/grader", "takehome/web", "takehome/internal/", "takehome/exercises"}},
	} {
		out, err := exec.Command("go", "list", "-deps", "-f", "{{.ImportPath}}", tt.pkgs).CombinedOutput()
		if err != nil {
			t.Fatalf("go list -deps %s: %v\n%s", tt.pkgs, err, out)
		}
		deps := strings.Fields(string(out))
		if len(deps) < 3 {
			t.Fatalf("go list -deps %s listed only %v", tt.pkgs, deps)
		}
		for _, dep := range deps {
			for _, f := range tt.forbidden {
				if dep == f || strings.HasPrefix(dep, f+"/") || (strings.HasSuffix(f, "/") && strings.HasPrefix(dep, f)) {
					t.Errorf("%s depends on %s", tt.pkgs, dep)
				}
			}
		}
	}
}
