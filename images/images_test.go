package images_test

import (
	"bytes"
	"os/exec"
	"regexp"
	"strings"
	"testing"

	"takehome/exercises/rag"
	"takehome/exercises/tabular"
	"takehome/images"
)

// reportScript prints "python MAJOR.MINOR" and "NAME VERSION" for each
// distribution named in argv, as the image's Python sees them. PyPI's
// faiss-cpu is Debian's faiss: the same library under another name.
const reportScript = `
import sys, importlib.metadata as m
print("python", "%d.%d" % sys.version_info[:2])
debian = {"faiss-cpu": "faiss"}
for name in sys.argv[1:]:
    try:
        print(name, m.version(name))
    except m.PackageNotFoundError:
        print(name, m.version(debian.get(name, name)))
`

// TestImageShipsThePinnedVersions runs Python inside the built sandbox
// image, without network, and compares what it reports with
// requirements.txt: built offline from Debian's packages or online with pip,
// the image must have exactly the pinned versions.
func TestImageShipsThePinnedVersions(t *testing.T) {
	reqs, err := images.PythonRequirements()
	if err != nil {
		t.Fatal(err)
	}
	args := []string{"run", "--rm", "--network", "none", images.All[0].Tag, "python3", "-c", reportScript}
	for _, r := range reqs {
		args = append(args, r.Name)
	}
	var stderr bytes.Buffer
	cmd := exec.Command("docker", args...)
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("docker run %s: %v\n%s(build it with scripts/images.sh bin/runner)", images.All[0].Tag, err, stderr.String())
	}
	got := map[string]string{}
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		name, version, _ := strings.Cut(line, " ")
		got[name] = version
	}
	if got["python"] != images.PythonVersion {
		t.Errorf("the image has Python %s, want %s", got["python"], images.PythonVersion)
	}
	for _, r := range reqs {
		if got[r.Name] != r.Version {
			t.Errorf("the image has %s %s, requirements.txt pins %s", r.Name, got[r.Name], r.Version)
		}
	}
}

// TestRequirementsArePinned checks the list pins the libraries the briefs
// promise, each exactly.
func TestRequirementsArePinned(t *testing.T) {
	reqs, err := images.PythonRequirements()
	if err != nil {
		t.Fatal(err)
	}
	pinned := map[string]bool{}
	for _, r := range reqs {
		if !regexp.MustCompile(`^\d+(\.\d+)+$`).MatchString(r.Version) {
			t.Errorf("%s==%s is not an exact version", r.Name, r.Version)
		}
		pinned[r.Name] = true
	}
	for _, want := range []string{"numpy", "pandas", "scikit-learn", "scipy", "PyYAML"} {
		if !pinned[want] {
			t.Errorf("requirements.txt does not pin %s", want)
		}
	}
}

// TestBriefsStateThePinnedVersions checks that a version a brief gives
// for Python or a library is the one requirements.txt pins, and that the
// tabular brief gives the main ones.
func TestBriefsStateThePinnedVersions(t *testing.T) {
	reqs, err := images.PythonRequirements()
	if err != nil {
		t.Fatal(err)
	}
	reqs = append(reqs, images.Requirement{Name: "Python", Version: images.PythonVersion})
	briefs := map[string]string{"tabular": tabular.Spec().Brief, "rag": rag.Spec().Brief}
	for name, brief := range briefs {
		text := strings.Join(strings.Fields(brief), " ") // a version may follow a line break
		for _, r := range reqs {
			re := regexp.MustCompile(`(?i)\b` + regexp.QuoteMeta(r.Name) + ` (\d+(?:\.\d+)*)`)
			for _, m := range re.FindAllStringSubmatch(text, -1) {
				if m[1] != r.Version {
					t.Errorf("the %s brief says %q, the image has %s %s", name, m[0], r.Name, r.Version)
				}
			}
		}
	}
	tab := strings.Join(strings.Fields(briefs["tabular"]), " ")
	for _, r := range reqs {
		switch r.Name {
		case "Python", "numpy", "pandas", "scikit-learn", "scipy":
			if want := r.Name + " " + r.Version; !strings.Contains(tab, want) {
				t.Errorf("the tabular brief does not state %q", want)
			}
		}
	}
}
