package web

import (
	"archive/zip"
	"context"
	"crypto/sha256"
	"fmt"
	"io"
	"math/rand/v2"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"takehome/exercises"
	"takehome/grader"
	"takehome/internal/archive"
)

// TestUploadMemory has 10 clients upload 50 MB archives that do not compress
// at once, through a real HTTP server, the real validation and a store that
// streams the archive like the PostgreSQL one, and bounds the heap meanwhile.
// Without spooling and bounded validation, this holds several copies of
// every archive: over 1 GB.
func TestUploadMemory(t *testing.T) {
	const clients, size, maxHeap = 10, 50<<20 - 4<<10, 64 << 20
	t.Setenv("TMPDIR", t.TempDir())
	e := newEnv(t, func(_ *Config, d *Deps) {
		d.Submissions = discardStore{d.Submissions.(*fakeStore)}
		d.Validate = func(r io.ReaderAt, size int64, spec exercises.Spec) error {
			l, err := archive.Check(r, size, archive.DefaultLimits())
			if err != nil {
				return err
			}
			_, err = grader.ParseManifestListing(l.Names, l.Small, []string{"train", "predict"})
			return err
		}
	})
	e.store.invites[tokenB].Attempts = 100
	srv := httptest.NewServer(e.handler)
	defer srv.Close()

	peak := sampleMemory(t)
	var wg sync.WaitGroup
	for i := range clients {
		wg.Go(func() {
			if err := uploadStreamed(srv.URL, uint64(i), size); err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	p := peak()
	t.Logf("%d concurrent uploads of %d MB: peak HeapInuse %d MB, peak Sys %d MB, %d MB allocated in all",
		clients, size>>20, p.heapInuse>>20, p.sys>>20, p.allocated>>20)
	if p.heapInuse > maxHeap {
		t.Errorf("peak HeapInuse %d MB, want under %d MB", p.heapInuse>>20, maxHeap>>20)
	}
}

// discardStore is the fake store, but streams archives through a 1 MiB
// buffer into a digest, as the PostgreSQL store streams them into chunks.
type discardStore struct{ *fakeStore }

func (s discardStore) CreateSubmission(ctx context.Context, sub *grader.Submission, r io.Reader, size int64, now time.Time) (bool, error) {
	n, err := io.CopyBuffer(sha256.New(), r, make([]byte, 1<<20))
	if err != nil || n != size {
		return false, fmt.Errorf("read archive: %d bytes of %d, %w", n, size, err)
	}
	return s.fakeStore.CreateSubmission(ctx, sub, strings.NewReader(""), 0, now)
}

// uploadStreamed posts a zip of size random bytes without holding it: the
// body is written as it is sent.
func uploadStreamed(url string, seed uint64, size int) error {
	pr, pw := io.Pipe()
	mw := multipart.NewWriter(pw)
	go func() { _ = pw.CloseWithError(writeUpload(mw, seed, size)) }()
	req, err := http.NewRequest(http.MethodPost, url+"/api/v1/submissions", pr)
	if err != nil {
		return err
	}
	req.Header.Set("Authorization", "Bearer "+tokenB)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusAccepted {
		msg, _ := io.ReadAll(resp.Body)
		return fmt.Errorf("status %d: %s", resp.StatusCode, msg)
	}
	return nil
}

func writeUpload(mw *multipart.Writer, seed uint64, size int) error {
	if err := mw.WriteField("mode", "check"); err != nil {
		return err
	}
	part, err := mw.CreateFormFile("archive", "submission.zip")
	if err != nil {
		return err
	}
	zw := zip.NewWriter(part)
	w, err := zw.Create("takehome.yaml")
	if err != nil {
		return err
	}
	if _, err := io.WriteString(w, "phases:\n  train: make train\n  predict: make predict\n"); err != nil {
		return err
	}
	w, err = zw.CreateHeader(&zip.FileHeader{Name: "weights.bin", Method: zip.Store})
	if err != nil {
		return err
	}
	rng := rand.NewChaCha8([32]byte{byte(seed)})
	if _, err := io.CopyN(w, rng, int64(size)); err != nil {
		return err
	}
	if err := zw.Close(); err != nil {
		return err
	}
	return mw.Close()
}

type memPeak struct{ heapInuse, sys, allocated uint64 }

// sampleMemory samples the runtime's memory statistics until the returned
// function is called, which returns the peaks.
func sampleMemory(t *testing.T) func() memPeak {
	t.Helper()
	runtime.GC()
	var start runtime.MemStats
	runtime.ReadMemStats(&start)
	var p memPeak
	stop, done := make(chan struct{}), make(chan struct{})
	go func() {
		defer close(done)
		tick := time.NewTicker(5 * time.Millisecond)
		defer tick.Stop()
		for {
			var m runtime.MemStats
			runtime.ReadMemStats(&m)
			p.heapInuse, p.sys = max(p.heapInuse, m.HeapInuse), max(p.sys, m.Sys)
			p.allocated = m.TotalAlloc - start.TotalAlloc
			select {
			case <-stop:
				return
			case <-tick.C:
			}
		}
	}()
	return func() memPeak {
		close(stop)
		<-done
		return p
	}
}
