package docker

import (
	"slices"
	"strings"
	"testing"

	"takehome/exercises"
	"takehome/grader"
)

// Case 13: links and special files in /output are rejected without being
// followed or opened (opening the FIFO would hang the test); caps on count,
// size and depth end in output_limit; plain files and directories pass.
func TestOutputTricks(t *testing.T) {
	t.Parallel()
	eachRuntime(t, func(t *testing.T, sb *Sandbox) {
		tests := []struct {
			name    string
			script  string
			verdict grader.Verdict
			reason  string
			gvisor  grader.Verdict // the verdict under gVisor, when it differs
		}{
			{"symlink to a host file", `os.symlink("/etc/passwd", "/output/pred.csv")`, grader.VerdictInvalidOutput, "symbolic link", ""},
			{"symlink to a directory", `os.symlink("/etc", "/output/etc")`, grader.VerdictInvalidOutput, "symbolic link", ""},
			{"hardlink", `open("/output/a", "w").write("x"); os.link("/output/a", "/output/b")`, grader.VerdictInvalidOutput, "hard link", ""},
			// gVisor keeps a named pipe in its own kernel: nothing reaches the
			// volume, so there is no output at all.
			{"fifo", `os.mkfifo("/output/pred.csv")`, grader.VerdictInvalidOutput, "named pipe", grader.VerdictOK},
			{"too many files", `[open("/output/f%d" % i, "w").close() for i in range(30)]`, grader.VerdictOutputLimit, "more than 20 entries", ""},
			{"too deep", `os.makedirs("/output/" + "d/" * 12); open("/output/" + "d/" * 12 + "f", "w").close()`, grader.VerdictOutputLimit, "deeper", ""},
			{"too big", `open("/output/big", "wb").write(b"x" * (4 << 20) + b"y")`, grader.VerdictOutputLimit, "larger than", ""},
			{"fails and leaves a link", `os.symlink("/etc/shadow", "/output/x"); raise SystemExit(3)`, grader.VerdictInvalidOutput, "symbolic link", ""},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				t.Parallel()
				res := runOne(t, sb, py("import os\n"+tt.script), nil)
				if sb.runtime.gvisor && tt.gvisor != "" {
					tt.verdict, tt.reason = tt.gvisor, ""
				}
				wantVerdict(t, res, tt.verdict)
				if !matchesAny(res.Reason, tt.reason) || len(res.Outputs) != 0 {
					t.Errorf("reason %q (want %q), %d outputs", res.Reason, tt.reason, len(res.Outputs))
				}
			})
		}
	})
}

func matchesAny(s, alternatives string) bool {
	return slices.ContainsFunc(strings.Split(alternatives, "|"), func(a string) bool { return strings.Contains(s, a) })
}

// A hard link from /output to a file elsewhere cannot even be made: each
// place is its own filesystem.
func TestOutputHardlinkAcrossVolumes(t *testing.T) {
	t.Parallel()
	eachRuntime(t, func(t *testing.T, sb *Sandbox) {
		const link = `import errno, os
for src in ["/workspace/main.py", "/etc/passwd", "/tmp/x"]:
    if src == "/tmp/x":
        open(src, "w").close()
    try:
        os.link(src, "/output/" + os.path.basename(src)); print(src, "LINKED")
    except OSError as e:
        print(src, errno.errorcode[e.errno])`
		ses := openRun(t, sb, []string{"main"}, exercises.File{Name: "main.py", Data: []byte("print(1)")})
		res := runIn(t, ses, "main", py(link), nil)
		wantVerdict(t, res, grader.VerdictOK)
		if strings.Contains(res.Log.String(), "LINKED") || len(res.Outputs) != 0 {
			t.Errorf("a cross-volume link was made:\n%s", res.Log)
		}
	})
}

// Regular files in nested directories come back with their relative names.
func TestOutputFiles(t *testing.T) {
	t.Parallel()
	eachRuntime(t, func(t *testing.T, sb *Sandbox) {
		res := runOne(t, sb, py(`import os
os.makedirs("/output/sub/deeper")
open("/output/pred.csv", "w").write("id,y\n1,0\n")
open("/output/sub/deeper/m.json", "w").write("{}")`), nil)
		wantVerdict(t, res, grader.VerdictOK)
		got := map[string]string{}
		for _, f := range res.Outputs {
			got[f.Name] = string(f.Data)
		}
		if len(got) != 2 || got["pred.csv"] != "id,y\n1,0\n" || got["sub/deeper/m.json"] != "{}" {
			t.Errorf("outputs = %v", got)
		}
	})
}
