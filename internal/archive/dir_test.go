//go:build unix

package archive

import (
	"os"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"takehome/exercises"
	"takehome/grader"
)

// writeTree creates files (name to content) under dir.
func writeTree(t *testing.T, dir string, files map[string]string) {
	t.Helper()
	for name, content := range files {
		path := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

func TestReadDir(t *testing.T) {
	dir := t.TempDir()
	writeTree(t, dir, map[string]string{
		"takehome.yaml":   "phases: {}\n",
		"src/a.py":        "print(1)\n",
		".git/HEAD":       "ref: refs/heads/main\n",
		"src/.git/config": "[core]\n",
		".gitignore":      "*.pyc\n",
	})
	if err := os.Mkdir(filepath.Join(dir, "empty"), 0o755); err != nil {
		t.Fatal(err)
	}
	got, err := ReadDir(dir, DefaultLimits())
	if err != nil {
		t.Fatal(err)
	}
	want := []exercises.File{
		{Name: ".gitignore", Data: []byte("*.pyc\n")},
		{Name: "src/a.py", Data: []byte("print(1)\n")},
		{Name: "takehome.yaml", Data: []byte("phases: {}\n")},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("ReadDir mismatch (-want +got):\n%s", diff)
	}
}

// TestReadDirRejects makes the outside targets FIFOs: opening one would
// block, so a test that finishes shows nothing outside was opened.
func TestReadDirRejects(t *testing.T) {
	outside := t.TempDir()
	secret := filepath.Join(outside, "secret")
	if err := syscall.Mkfifo(secret, 0o644); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name  string
		setup func(t *testing.T, dir string) error
		code  grader.Code
		msg   string
	}{
		{"symlink to a file outside", func(t *testing.T, dir string) error {
			return os.Symlink(secret, filepath.Join(dir, "link"))
		}, grader.CodeUnprocessable, `directory entry "link": symbolic links are not allowed`},
		{"symlink to a directory outside", func(t *testing.T, dir string) error {
			return os.Symlink(outside, filepath.Join(dir, "src", "up"))
		}, grader.CodeUnprocessable, `directory entry "src/up": symbolic links are not allowed`},
		{"relative symlink inside", func(t *testing.T, dir string) error {
			return os.Symlink("a.py", filepath.Join(dir, "src", "b.py"))
		}, grader.CodeUnprocessable, `directory entry "src/b.py": symbolic links are not allowed`},
		{"fifo", func(t *testing.T, dir string) error {
			return syscall.Mkfifo(filepath.Join(dir, "pipe"), 0o644)
		}, grader.CodeUnprocessable, `directory entry "pipe": named pipes (FIFOs) are not allowed`},
		{"case collision", func(t *testing.T, dir string) error {
			return os.WriteFile(filepath.Join(dir, "SRC"), nil, 0o644)
		}, grader.CodeUnprocessable, `directory entry "src": collides with "SRC" on case-insensitive file systems`},
		{"too large", func(t *testing.T, dir string) error {
			return os.WriteFile(filepath.Join(dir, "big.bin"), make([]byte, 2<<20), 0o644)
		}, grader.CodeTooLarge, "directory holds more than 1 MB"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			writeTree(t, dir, map[string]string{"src/a.py": "x"})
			if err := tt.setup(t, dir); err != nil {
				t.Fatal(err)
			}
			files, err := readDirWithin(t, dir, testLimits(func(l *Limits) { l.MaxUncompressed = 1 << 20 }))
			wantError(t, err, tt.code, tt.msg)
			if files != nil {
				t.Errorf("files = %v, want none", files)
			}
		})
	}
}

func TestReadDirMissing(t *testing.T) {
	_, err := ReadDir(filepath.Join(t.TempDir(), "nope"), DefaultLimits())
	if err == nil || grader.ErrorCode(err) != grader.CodeInternal {
		t.Errorf("error = %v, want a plain error", err)
	}
}

// readDirWithin fails the test if ReadDir blocks, as opening a FIFO would.
func readDirWithin(t *testing.T, dir string, lim Limits) ([]exercises.File, error) {
	t.Helper()
	type result struct {
		files []exercises.File
		err   error
	}
	done := make(chan result, 1)
	go func() {
		files, err := ReadDir(dir, lim)
		done <- result{files, err}
	}()
	select {
	case r := <-done:
		return r.files, r.err
	case <-time.After(10 * time.Second):
		t.Fatal("ReadDir blocked: it opened a FIFO")
		return nil, nil
	}
}
