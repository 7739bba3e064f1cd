package archive

import (
	"archive/tar"
	"archive/zip"
	"bytes"
	"compress/flate"
	"compress/gzip"
	"errors"
	"hash/crc32"
	"io"
	"io/fs"
	"runtime"
	"sync"
	"testing"

	"takehome/grader"
)

// tarEntry is one entry of a test tar; Size defaults to len(Body).
type tarEntry struct {
	tar.Header
	Body string
}

// reg, dir and link build common tar entries.
func reg(name, body string) tarEntry {
	return tarEntry{Header: tar.Header{Typeflag: tar.TypeReg, Name: name, Mode: 0o644}, Body: body}
}

func dirEntry(name string) tarEntry {
	return tarEntry{Header: tar.Header{Typeflag: tar.TypeDir, Name: name, Mode: 0o755}}
}

func special(typ byte, name, link string) tarEntry {
	return tarEntry{Header: tar.Header{Typeflag: typ, Name: name, Linkname: link, Mode: 0o644}}
}

// tarOf writes a plain tar without any of the checks of TarGz.
func tarOf(t testing.TB, entries ...tarEntry) []byte {
	t.Helper()
	var buf bytes.Buffer
	tw := tar.NewWriter(&buf)
	for _, e := range entries {
		hdr := e.Header
		if hdr.Typeflag == tar.TypeReg && hdr.Size == 0 {
			hdr.Size = int64(len(e.Body))
		}
		if err := tw.WriteHeader(&hdr); err != nil {
			t.Fatalf("tar header %q: %v", hdr.Name, err)
		}
		if _, err := io.WriteString(tw, e.Body); err != nil {
			t.Fatalf("tar body %q: %v", hdr.Name, err)
		}
	}
	if err := tw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// tarGzOf is tarOf, gzipped.
func tarGzOf(t *testing.T, entries ...tarEntry) []byte {
	t.Helper()
	return gzipped(t, tarOf(t, entries...))
}

func gzipped(t testing.TB, data []byte) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	if _, err := zw.Write(data); err != nil {
		t.Fatal(err)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// zipEntry is one entry of a test zip; Mode sets the Unix mode when non-zero.
type zipEntry struct {
	Name string
	Body string
	Mode fs.FileMode
}

// zipOf writes a zip without any of the checks of Zip.
func zipOf(t *testing.T, entries ...zipEntry) []byte {
	t.Helper()
	return zipWith(t, func(zw *zip.Writer) {
		for _, e := range entries {
			hdr := &zip.FileHeader{Name: e.Name, Method: zip.Deflate}
			if e.Mode != 0 {
				hdr.SetMode(e.Mode)
			}
			w, err := zw.CreateHeader(hdr)
			if err != nil {
				t.Fatalf("zip %q: %v", e.Name, err)
			}
			if _, err := io.WriteString(w, e.Body); err != nil {
				t.Fatal(err)
			}
		}
	})
}

// zipWith runs fill on a fresh zip writer and returns the archive.
func zipWith(t *testing.T, fill func(*zip.Writer)) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	fill(zw)
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// rawZip writes one entry with the given header over already compressed data.
func rawZip(t *testing.T, hdr zip.FileHeader, compressed []byte) []byte {
	t.Helper()
	return zipWith(t, func(zw *zip.Writer) {
		hdr.CompressedSize64 = uint64(len(compressed))
		w, err := zw.CreateRaw(&hdr)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.Write(compressed); err != nil {
			t.Fatal(err)
		}
	})
}

const gigabyte = 1 << 30

var zeros = sync.OnceValues(func() (stream []byte, crc uint32) {
	var buf bytes.Buffer
	w, _ := flate.NewWriter(&buf, flate.BestSpeed)
	chunk := make([]byte, 1<<20)
	for range gigabyte / len(chunk) {
		w.Write(chunk)
		crc = crc32.Update(crc, crc32.IEEETable, chunk)
	}
	w.Close()
	return buf.Bytes(), crc
})

// deflatedZeros returns 1 GB of zeros deflated (about 1.3 MB) and their CRC.
func deflatedZeros(t *testing.T) ([]byte, uint32) {
	t.Helper()
	return zeros()
}

// allocated returns the bytes the heap handed out while f ran.
func allocated(f func()) uint64 {
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	f()
	runtime.ReadMemStats(&after)
	return after.TotalAlloc - before.TotalAlloc
}

// wantError checks err is a *grader.Error with the code and message.
func wantError(t *testing.T, err error, code grader.Code, msg string) {
	t.Helper()
	var e *grader.Error
	if !errors.As(err, &e) {
		t.Fatalf("error = %v (%T), want *grader.Error %q", err, err, msg)
	}
	if e.Code != code || e.Message != msg {
		t.Errorf("error = %s %q\n          want %s %q", e.Code, e.Message, code, msg)
	}
}

// testLimits are the defaults with small caps where a test needs them.
func testLimits(change func(*Limits)) Limits {
	lim := DefaultLimits()
	if change != nil {
		change(&lim)
	}
	return lim
}
