package docker

import (
	"archive/tar"
	"bytes"
	"errors"
	"strings"
	"testing"

	"github.com/docker/docker/api/types/container"

	"takehome/exercises"
	"takehome/grader"
)

// entry is one tar entry as the engine would send it for /out/0.
type entry struct {
	name string
	kind byte
	data string
	link string
}

func outputTar(t *testing.T, entries ...entry) *bytes.Buffer {
	t.Helper()
	var buf bytes.Buffer
	tw := tar.NewWriter(&buf)
	for _, e := range append([]entry{{name: "0/", kind: tar.TypeDir}}, entries...) {
		h := &tar.Header{Name: e.name, Typeflag: e.kind, Linkname: e.link, Mode: 0o644, Size: int64(len(e.data))}
		if e.kind != tar.TypeReg {
			h.Size = 0
		}
		if err := tw.WriteHeader(h); err != nil {
			t.Fatal(err)
		}
		if _, err := tw.Write([]byte(e.data)[:h.Size]); err != nil {
			t.Fatal(err)
		}
	}
	if err := tw.Close(); err != nil {
		t.Fatal(err)
	}
	return &buf
}

func TestReadOutputs(t *testing.T) {
	t.Parallel()
	l := exercises.Limits{OutputBytes: 10, OutputFiles: 3}
	deep := "0/" + strings.Repeat("d/", maxOutputDepth) + "f"
	tests := []struct {
		name    string
		entries []entry
		verdict grader.Verdict // "" when accepted
		reason  string
	}{
		{"files and dirs", []entry{{name: "0/sub/", kind: tar.TypeDir}, {name: "0/sub/a", kind: tar.TypeReg, data: "hi"}}, "", ""},
		{"symlink", []entry{{name: "0/p.csv", kind: tar.TypeSymlink, link: "/etc/passwd"}}, grader.VerdictInvalidOutput, "symbolic link"},
		{"hardlink", []entry{{name: "0/a", kind: tar.TypeReg, data: "x"}, {name: "0/b", kind: tar.TypeLink, link: "0/a"}}, grader.VerdictInvalidOutput, "hard link"},
		{"fifo", []entry{{name: "0/p", kind: tar.TypeFifo}}, grader.VerdictInvalidOutput, "named pipe"},
		{"device", []entry{{name: "0/d", kind: tar.TypeChar}}, grader.VerdictInvalidOutput, "device"},
		{"too many", []entry{{name: "0/a", kind: tar.TypeReg}, {name: "0/b", kind: tar.TypeReg}, {name: "0/c", kind: tar.TypeReg}, {name: "0/d", kind: tar.TypeReg}}, grader.VerdictOutputLimit, "more than 3 entries"},
		{"too big", []entry{{name: "0/a", kind: tar.TypeReg, data: "123456"}, {name: "0/b", kind: tar.TypeReg, data: "123456"}}, grader.VerdictOutputLimit, "larger than 10 bytes"},
		{"too deep", []entry{{name: deep, kind: tar.TypeReg}}, grader.VerdictOutputLimit, "deeper"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			limits := l
			if tt.name == "too deep" {
				limits.OutputFiles = 100
			}
			files, err := readOutputs(outputTar(t, tt.entries...), limits)
			var oe *outputError
			switch {
			case tt.verdict == "" && err != nil:
				t.Fatalf("rejected: %v", err)
			case tt.verdict == "":
				if len(files) != 1 || files[0].Name != "sub/a" || string(files[0].Data) != "hi" {
					t.Errorf("files = %+v", files)
				}
			case !errors.As(err, &oe) || oe.verdict != tt.verdict || !strings.Contains(oe.reason, tt.reason):
				t.Errorf("err = %v, want %s containing %q", err, tt.verdict, tt.reason)
			}
		})
	}
}

func TestCheckNames(t *testing.T) {
	t.Parallel()
	for _, name := range []string{"", "/etc/x", "../x", "a/../../x", "a//b", "./a", "a\\b", ".."} {
		if err := checkNames([]exercises.File{{Name: name}}); err == nil {
			t.Errorf("name %q accepted", name)
		}
	}
	if err := checkNames([]exercises.File{{Name: "a/b.py"}, {Name: "c"}}); err != nil {
		t.Error(err)
	}
}

func TestClassify(t *testing.T) {
	t.Parallel()
	l := testLimits()
	tests := []struct {
		name    string
		stopped grader.Verdict
		state   container.State
		usage   usage
		want    grader.Verdict
	}{
		{"ok", "", container.State{ExitCode: 0}, usage{}, grader.VerdictOK},
		{"exit code", "", container.State{ExitCode: 3}, usage{}, grader.VerdictExitNonzero},
		{"137 is not oom", "", container.State{ExitCode: 137}, usage{}, grader.VerdictExitNonzero},
		{"oom", "", container.State{ExitCode: 137, OOMKilled: true}, usage{}, grader.VerdictOOMKilled},
		{"oom of a child, exit 0", "", container.State{OOMKilled: true}, usage{}, grader.VerdictOK},
		{"oom the engine missed, the kernel counted", "", container.State{ExitCode: 137}, usage{oomKills: 1}, grader.VerdictOOMKilled},
		{"kernel oom of a child, exit 0", "", container.State{}, usage{oomKills: 1}, grader.VerdictOK},
		{"timeout wins", grader.VerdictTimeout, container.State{ExitCode: 137, OOMKilled: true}, usage{}, grader.VerdictTimeout},
		{"flood", grader.VerdictOutputLimit, container.State{ExitCode: 137}, usage{}, grader.VerdictOutputLimit},
		{"canceled", grader.VerdictCanceled, container.State{ExitCode: 137}, usage{}, grader.VerdictCanceled},
	}
	for _, tt := range tests {
		if got, _ := classify(tt.stopped, &tt.state, l, tt.usage); got != tt.want {
			t.Errorf("%s: got %s, want %s", tt.name, got, tt.want)
		}
	}
	// A failure that hit the process limit says so; a success does not.
	if _, r := classify("", &container.State{ExitCode: 2}, l, usage{pidsHits: 5}); r != "exit code 2; the process limit of 64 was reached" {
		t.Errorf("reason %q", r)
	}
	if _, r := classify("", &container.State{}, l, usage{pidsHits: 5}); r != "" {
		t.Errorf("a step that exited 0 got the reason %q", r)
	}
}
