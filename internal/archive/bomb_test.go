package archive

import (
	"archive/tar"
	"archive/zip"
	"bytes"
	"compress/gzip"
	"fmt"
	"io"
	"strings"
	"testing"

	"takehome/grader"
)

// maxAlloc is what reading any bomb below may allocate: far below what the
// bombs expand to and what their headers declare, since the first pass of
// Read counts content without keeping it.
const maxAlloc = 16 << 20

func TestReadBombs(t *testing.T) {
	tests := []struct {
		name string
		data func(t *testing.T) []byte
		lim  Limits
		code grader.Code
		msg  string
	}{
		{"zip bomb", zipBomb(gigabyte), DefaultLimits(), grader.CodeTooLarge, "archive expands to more than 500 MB"},
		{"zip bomb under a lying size", zipBomb(1024), DefaultLimits(), grader.CodeUnprocessable, `archive entry "zeros.bin": content is larger than its declared size of 1024 bytes`},
		{"zip bomb under a lying size within the cap", zipBomb(400 << 20), DefaultLimits(), grader.CodeUnprocessable, `archive entry "zeros.bin": content is larger than its declared size of 419430400 bytes`},
		{"zip bomb under the cap's size", zipBomb(400 << 20), testLimits(func(l *Limits) { l.MaxUncompressed = 1 << 20 }), grader.CodeTooLarge, "archive expands to more than 1 MB"},
		{"gzip bomb", tarBomb, DefaultLimits(), grader.CodeTooLarge, "archive expands to more than 500 MB"},
		{"gzip bomb in metadata", paxBomb, testLimits(func(l *Limits) { l.MaxUncompressed, l.MaxEntries = 1<<10, 2 }), grader.CodeTooLarge, "archive expands to more than 1 KB"},
		{"many small files past the cap", manyFiles(20, 1<<20), testLimits(func(l *Limits) { l.MaxUncompressed = 10 << 20 }), grader.CodeTooLarge, "archive expands to more than 10 MB"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			data := tt.data(t)
			var err error
			n := allocated(func() { _, err = Read(data, tt.lim) })
			wantError(t, err, tt.code, tt.msg)
			if n > maxAlloc {
				t.Errorf("reading allocated %d MB, want at most %d MB", n>>20, maxAlloc>>20)
			}
			n = allocated(func() { _, err = Check(bytes.NewReader(data), int64(len(data)), tt.lim) })
			wantError(t, err, tt.code, tt.msg)
			if n > maxAlloc {
				t.Errorf("checking allocated %d MB, want at most %d MB", n>>20, maxAlloc>>20)
			}
		})
	}
}

func TestReadEntryCap(t *testing.T) {
	const n = 20_000
	tests := []struct {
		name string
		data []byte
	}{
		{"zip", zipWith(t, func(zw *zip.Writer) {
			for i := range n {
				if _, err := zw.CreateHeader(&zip.FileHeader{Name: fmt.Sprintf("f/%05d", i)}); err != nil {
					t.Fatal(err)
				}
			}
		})},
		{"tar.gz", manyFiles(n, 1)(t)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := readBoth(t, tt.data, DefaultLimits())
			wantError(t, err, grader.CodeUnprocessable, "archive has more than 10000 entries")
		})
	}
}

// TestReadZipDirectoryGuard shows a zip of many entries is refused before
// archive/zip builds its file list: that list alone would take tens of MB.
func TestReadZipDirectoryGuard(t *testing.T) {
	data := zipWith(t, func(zw *zip.Writer) {
		for i := range 100_000 { // past 65535: zip64 end records
			if _, err := zw.CreateRaw(&zip.FileHeader{Name: fmt.Sprintf("%06d", i)}); err != nil {
				t.Fatal(err)
			}
		}
	})
	var err error
	n := allocated(func() { _, err = Read(data, DefaultLimits()) })
	wantError(t, err, grader.CodeUnprocessable, "archive has more than 10000 entries")
	if n > 1<<20 {
		t.Errorf("reading allocated %d KB, want under 1 MB", n>>10)
	}
	n = allocated(func() { _, err = Check(bytes.NewReader(data), int64(len(data)), DefaultLimits()) })
	wantError(t, err, grader.CodeUnprocessable, "archive has more than 10000 entries")
	if n > 1<<20 {
		t.Errorf("checking allocated %d KB, want under 1 MB", n>>10)
	}
	if got := countZipEntries(bytes.NewReader(data), int64(len(data)), 1<<20); got != 100_000 {
		t.Errorf("countZipEntries = %d, want 100000", got)
	}
}

// zipBomb is one entry of 1 GB of zeros whose header declares size bytes.
func zipBomb(size uint64) func(*testing.T) []byte {
	return func(t *testing.T) []byte {
		stream, crc := deflatedZeros(t)
		return rawZip(t, zip.FileHeader{Name: "zeros.bin", Method: zip.Deflate, UncompressedSize64: size, CRC32: crc}, stream)
	}
}

// tarBomb is a tar.gz of one 1 GB file of zeros, about 1 MB compressed.
func tarBomb(t *testing.T) []byte {
	var buf bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&buf, gzip.BestSpeed)
	tw := tar.NewWriter(zw)
	if err := tw.WriteHeader(&tar.Header{Typeflag: tar.TypeReg, Name: "zeros.bin", Size: gigabyte, Mode: 0o644}); err != nil {
		t.Fatal(err)
	}
	if _, err := io.Copy(tw, io.LimitReader(zeroReader{}, gigabyte)); err != nil {
		t.Fatal(err)
	}
	tw.Close()
	zw.Close()
	return buf.Bytes()
}

// paxBomb hides megabytes in an extended header the tar reader consumes
// before it returns the entry.
func paxBomb(t *testing.T) []byte {
	e := reg("a.py", "x")
	e.PAXRecords = map[string]string{"comment": strings.Repeat("z", 512<<10)}
	return tarGzOf(t, e)
}

// manyFiles is a tar.gz of n files of size bytes each.
func manyFiles(n, size int) func(*testing.T) []byte {
	return func(t *testing.T) []byte {
		entries := make([]tarEntry, n)
		for i := range entries {
			entries[i] = reg(fmt.Sprintf("d/%05d.txt", i), strings.Repeat("0", size))
		}
		return tarGzOf(t, entries...)
	}
}

type zeroReader struct{}

func (zeroReader) Read(p []byte) (int, error) {
	clear(p)
	return len(p), nil
}
