package archive

import (
	"archive/zip"
	"bytes"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"takehome/exercises"
	"takehome/grader"
)

// readBoth runs Read and checks that Check agrees with it: the same error,
// or the same names, with the small files Check keeps as Read returns them.
func readBoth(t testing.TB, data []byte, lim Limits) ([]exercises.File, error) {
	t.Helper()
	files, err := Read(data, lim)
	l, cerr := Check(bytes.NewReader(data), int64(len(data)), lim)
	if err != nil || cerr != nil {
		if grader.ErrorCode(err) != grader.ErrorCode(cerr) || grader.ErrorMessage(err) != grader.ErrorMessage(cerr) {
			t.Fatalf("Read error %v, Check error %v", err, cerr)
		}
		return files, err
	}
	names := make([]string, len(files))
	for i, f := range files {
		names[i] = f.Name
	}
	if diff := cmp.Diff(names, l.Names); diff != "" {
		t.Fatalf("Check names differ from Read (-read +check):\n%s", diff)
	}
	for _, small := range l.Small {
		f, ok := exercises.FindFile(files, small.Name)
		if !ok || !bytes.Equal(f.Data, small.Data) || len(small.Data) > MaxSmallFile {
			t.Fatalf("Check kept %q (%d bytes), not a small file Read returns", small.Name, len(small.Data))
		}
	}
	if f, ok := exercises.FindFile(files, "takehome.yaml"); ok && len(f.Data) <= MaxSmallFile {
		if _, ok := exercises.FindFile(l.Small, f.Name); !ok {
			t.Fatal("Check did not keep takehome.yaml")
		}
	}
	return files, nil
}

func TestCheckKeepsSmallFiles(t *testing.T) {
	const manifest = "phases:\n  predict: python solve.py\n"
	chunk := strings.Repeat("x", 200<<10)
	var entries []tarEntry
	for i := range 12 { // 2.4 MB: past the budget before the manifest comes
		entries = append(entries, reg(fmt.Sprintf("project/data/%02d.txt", i), chunk))
	}
	entries = append(entries,
		reg("project/big.bin", strings.Repeat("b", MaxSmallFile+1)),
		reg("project/takehome.yaml", manifest),
		reg("project/NOTES.md", "# Notes\n"),
	)
	data := tarGzOf(t, entries...)
	if _, err := Check(bytes.NewReader(data), -1, DefaultLimits()); err == nil {
		t.Fatal("Check of a negative size: no error")
	}
	l, err := Check(bytes.NewReader(data), int64(len(data)), DefaultLimits())
	if err != nil {
		t.Fatal(err)
	}
	if len(l.Names) != 15 || !slices.Contains(l.Names, "big.bin") || !slices.Contains(l.Names, "NOTES.md") {
		t.Errorf("Names = %q", l.Names)
	}
	var kept []string
	var total int
	for _, f := range l.Small {
		kept = append(kept, f.Name)
		if f.Name != "takehome.yaml" {
			total += len(f.Data)
		}
	}
	want := []string{"NOTES.md", "data/00.txt", "data/01.txt", "data/02.txt", "data/03.txt", "data/04.txt",
		"data/05.txt", "data/06.txt", "data/07.txt", "data/08.txt", "data/09.txt", "takehome.yaml"}
	if diff := cmp.Diff(want, kept); diff != "" {
		t.Errorf("Small mismatch (-want +got):\n%s", diff)
	}
	if total > MaxSmallTotal {
		t.Errorf("Small holds %d bytes besides the manifest, want at most %d", total, MaxSmallTotal)
	}
	if f, _ := exercises.FindFile(l.Small, "takehome.yaml"); string(f.Data) != manifest {
		t.Errorf("takehome.yaml = %q", f.Data)
	}
}

// TestCheckManifestCandidates shows only the takehome.yaml files that may
// become the root one are kept beyond the budget.
func TestCheckManifestCandidates(t *testing.T) {
	big := strings.Repeat("y", MaxSmallFile)
	var entries []tarEntry
	for i := range 20 { // 5 MB of would-be manifests
		entries = append(entries, reg(fmt.Sprintf("d%02d/takehome.yaml", i), big))
	}
	entries = append(entries, reg("takehome.yaml", "phases: {}\n"), reg("huge/takehome.yaml", big+"!"))
	data := tarGzOf(t, entries...)
	l, err := Check(bytes.NewReader(data), int64(len(data)), DefaultLimits())
	if err != nil {
		t.Fatal(err)
	}
	var total int
	for _, f := range l.Small {
		total += len(f.Data)
	}
	if total > MaxSmallTotal+2*MaxSmallFile {
		t.Errorf("Small holds %d bytes", total)
	}
	if f, ok := exercises.FindFile(l.Small, "takehome.yaml"); !ok || string(f.Data) != "phases: {}\n" {
		t.Errorf("root takehome.yaml not kept: %q", f.Data)
	}
	if _, ok := exercises.FindFile(l.Small, "huge/takehome.yaml"); ok {
		t.Error("a file larger than MaxSmallFile was kept")
	}
}

// TestCheckMemory checks 50 MB archives that do not compress from a file, as
// the server does, and wants the heap to hand out far less than that.
func TestCheckMemory(t *testing.T) {
	const maxCheckAlloc = 8 << 20
	noise := make([]byte, 50<<20)
	rng := rand.NewChaCha8([32]byte{1})
	_, _ = rng.Read(noise)
	files := []exercises.File{{Name: "takehome.yaml", Data: []byte("phases:\n  predict: python solve.py\n")}}
	for i := range 10 {
		files = append(files, exercises.File{Name: fmt.Sprintf("weights/%d.bin", i), Data: noise[i<<20 : (i+1)<<20]})
	}
	files = append(files, exercises.File{Name: "weights/big.bin", Data: noise[10<<20 : 50<<20-(64<<10)]})
	zipped := zipStored(t, files)
	tgzipped, err := TarGz(files)
	if err != nil {
		t.Fatal(err)
	}
	for name, data := range map[string][]byte{"zip": zipped, "tar.gz": tgzipped} {
		t.Run(name, func(t *testing.T) {
			f := tempFile(t, data)
			var l Listing
			n := allocated(func() { l, err = Check(f, int64(len(data)), DefaultLimits()) })
			if err != nil {
				t.Fatal(err)
			}
			if len(l.Names) != len(files) || len(l.Small) != 1 {
				t.Errorf("listing of %d names, %d small files", len(l.Names), len(l.Small))
			}
			t.Logf("%s of %d MB: Check allocated %d KB", name, len(data)>>20, n>>10)
			if n > maxCheckAlloc {
				t.Errorf("Check allocated %d MB, want under %d MB", n>>20, maxCheckAlloc>>20)
			}
		})
	}
}

// zipStored zips files without compressing them.
func zipStored(t *testing.T, files []exercises.File) []byte {
	t.Helper()
	return zipWith(t, func(zw *zip.Writer) {
		for _, f := range files {
			w, err := zw.CreateHeader(&zip.FileHeader{Name: f.Name, Method: zip.Store})
			if err != nil {
				t.Fatal(err)
			}
			if _, err := w.Write(f.Data); err != nil {
				t.Fatal(err)
			}
		}
	})
}

// tempFile writes data to a file that is closed after the test.
func tempFile(t *testing.T, data []byte) *os.File {
	t.Helper()
	path := filepath.Join(t.TempDir(), "archive")
	if err := os.WriteFile(path, data, 0o600); err != nil {
		t.Fatal(err)
	}
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = f.Close() })
	return f
}
