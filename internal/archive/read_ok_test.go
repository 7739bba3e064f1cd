package archive

import (
	"archive/tar"
	"bytes"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"takehome/exercises"
	"takehome/grader"
)

func sampleFiles() []exercises.File {
	return []exercises.File{
		{Name: "takehome.yaml", Data: []byte("phases:\n  train: python train.py\n")},
		{Name: "src/model/train.py", Data: []byte("print('train')\n")},
		{Name: "empty.txt", Data: []byte{}},
		{Name: "docs/résumé.md", Data: []byte("# notes\n")},
		{Name: "data/big.bin", Data: bytes.Repeat([]byte{1, 2, 3}, 100_000)},
	}
}

// sorted returns the sample files in the order Read returns them.
func sortedSample() []exercises.File {
	files, _ := checkFiles(sampleFiles())
	return files
}

func TestRoundTrip(t *testing.T) {
	for name, write := range map[string]func([]exercises.File) ([]byte, error){"zip": Zip, "tar.gz": TarGz} {
		t.Run(name, func(t *testing.T) {
			data, err := write(sampleFiles())
			if err != nil {
				t.Fatal(err)
			}
			got, err := readBoth(t, data, DefaultLimits())
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(sortedSample(), got); diff != "" {
				t.Errorf("Read(%s(files)) mismatch (-want +got):\n%s", name, diff)
			}
		})
	}
}

func TestReadAccepts(t *testing.T) {
	globalHeader := tarEntry{Header: tar.Header{Typeflag: tar.TypeXGlobalHeader, Name: "pax_global_header", PAXRecords: map[string]string{"comment": "0123abcd"}}}
	tests := []struct {
		name string
		data func(t *testing.T) []byte
		want []string
	}{
		{"zipped folder is stripped", zp(
			zipEntry{Name: "project/"},
			zipEntry{Name: "project/takehome.yaml"},
			zipEntry{Name: "project/src/a.py"},
			zipEntry{Name: "__MACOSX/project/._a.py"},
		), []string{"src/a.py", "takehome.yaml"}},
		{"folder without takehome.yaml is kept", tgz(reg("project/a.py", ""), reg("project/b.py", "")), []string{"project/a.py", "project/b.py"}},
		{"folder next to a root file is kept", tgz(reg("project/takehome.yaml", ""), reg("README.md", "")), []string{"README.md", "project/takehome.yaml"}},
		{"dot-slash names", tgz(dirEntry("./"), dirEntry("./src/"), reg("./src/a.py", ""), reg("./takehome.yaml", "")), []string{"src/a.py", "takehome.yaml"}},
		{"git archive", tgz(globalHeader, dirEntry("repo/"), reg("repo/takehome.yaml", ""), reg("repo/main.go", "")), []string{"main.go", "takehome.yaml"}},
		{"plain tar", plain(reg("a.py", "1"), reg("b/c.py", "2")), []string{"a.py", "b/c.py"}},
		{"directories are not returned", zp(zipEntry{Name: "a/"}, zipEntry{Name: "a/b/"}, zipEntry{Name: "a/b/c.py"}), []string{"a/b/c.py"}},
		{"same directory twice", tgz(dirEntry("a/"), dirEntry("a/"), reg("a/x", "")), []string{"a/x"}},
		{"names that only look odd", zp(zipEntry{Name: "..foo"}, zipEntry{Name: "a..b/c"}, zipEntry{Name: "ab:c"}), []string{"..foo", "a..b/c", "ab:c"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			files, err := readBoth(t, tt.data(t), DefaultLimits())
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, f := range files {
				got = append(got, f.Name)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("names mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestReadTruncatedPlainTar(t *testing.T) {
	data := tarOf(t, reg("a.py", strings.Repeat("print(1)\n", 1000)))
	_, err := readBoth(t, data[:len(data)/2], DefaultLimits())
	wantError(t, err, grader.CodeUnprocessable, `archive entry "a.py": corrupt or truncated data (unexpected EOF)`)
}

func TestWriteIsDeterministic(t *testing.T) {
	reversed := sampleFiles()
	for i, j := 0, len(reversed)-1; i < j; i, j = i+1, j-1 {
		reversed[i], reversed[j] = reversed[j], reversed[i]
	}
	for name, write := range map[string]func([]exercises.File) ([]byte, error){"zip": Zip, "tar.gz": TarGz} {
		a, err := write(sampleFiles())
		if err != nil {
			t.Fatal(err)
		}
		b, err := write(reversed)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(a, b) {
			t.Errorf("%s: same files in another order give other bytes", name)
		}
	}
}

func TestWriteRefusesBadNames(t *testing.T) {
	for _, name := range []string{"../x", "/abs", "a\\b", "A.py\x00"} {
		if _, err := Zip([]exercises.File{{Name: name}}); err == nil {
			t.Errorf("Zip(%q) succeeded, want an error", name)
		}
	}
	_, err := TarGz([]exercises.File{{Name: "a.py"}, {Name: "A.py"}})
	wantError(t, err, grader.CodeUnprocessable, `archive entry "A.py": collides with "a.py" on case-insensitive file systems`)
}

func plain(entries ...tarEntry) func(*testing.T) []byte {
	return func(t *testing.T) []byte { return tarOf(t, entries...) }
}
