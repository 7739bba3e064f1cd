package main

import (
	"bytes"
	"context"
	"crypto/rand"
	"fmt"
	"sync"
	"time"

	"archive/zip"

	"takehome/internal/archive"
)

// benchThroughput queues 50 trivial submissions and times how long two
// workers take to grade them all.
func benchThroughput(ctx context.Context, runner, server string) ([]row, error) {
	const n = 50
	in, err := start(ctx, runner, server, "--workers", "2", "--max-containers", "4")
	defer func() { in.stop(ctx) }()
	if err != nil {
		return nil, err
	}
	files, err := archive.ReadDir("exercises/smoke/testdata/good", archive.DefaultLimits())
	if err != nil {
		return nil, err
	}
	data, err := archive.TarGz(files)
	if err != nil {
		return nil, err
	}
	begin := time.Now()
	for range n {
		if err := in.submit(data); err != nil {
			return nil, err
		}
	}
	queued := time.Since(begin)
	for {
		done, err := in.countGraded()
		if err != nil {
			return nil, err
		}
		if done == n {
			break
		}
		if time.Since(begin) > 15*time.Minute {
			return nil, fmt.Errorf("only %d of %d graded after 15 minutes", done, n)
		}
		time.Sleep(200 * time.Millisecond)
	}
	took := time.Since(begin)
	return []row{
		{"throughput, 50 queued submissions, 2 workers", fmt.Sprintf("%.0f /min", n/took.Minutes()), "", fmt.Sprintf("all graded in %s (queued in %s); 2 phases each", took.Round(100*time.Millisecond), queued.Round(10*time.Millisecond))},
	}, nil
}

// benchUploadRSS has 10 clients upload 50 MB archives at once and reads the
// server's peak RSS.
func benchUploadRSS(ctx context.Context, runner, server string) ([]row, error) {
	const clients = 10
	in, err := start(ctx, runner, server, "--workers", "0")
	defer func() { in.stop(ctx) }()
	if err != nil {
		return nil, err
	}
	data, err := bigZip(49 << 20)
	if err != nil {
		return nil, err
	}
	before, err := in.peakRSS()
	if err != nil {
		return nil, err
	}
	var wg sync.WaitGroup
	errs := make(chan error, clients)
	begin := time.Now()
	for range clients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs <- in.submit(data)
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			return nil, err
		}
	}
	peak, err := in.peakRSS()
	if err != nil {
		return nil, err
	}
	return []row{
		{"peak RSS of runner serve, 10 x 50 MB uploads", fmt.Sprintf("%d MB", peak>>20), "< 150 MB", fmt.Sprintf("%d MB before; all accepted in %s", before>>20, time.Since(begin).Round(100*time.Millisecond))},
	}, nil
}

// bigZip builds a valid submission of about size bytes that does not
// compress: a manifest and a random data file, stored.
func bigZip(size int) ([]byte, error) {
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	w, err := zw.Create("takehome.yaml")
	if err != nil {
		return nil, err
	}
	fmt.Fprint(w, "phases:\n  learn: \"true\"\n  solve: \"true\"\n")
	w, err = zw.CreateHeader(&zip.FileHeader{Name: "weights.bin", Method: zip.Store})
	if err != nil {
		return nil, err
	}
	blob := make([]byte, size)
	_, _ = rand.Read(blob)
	if _, err := w.Write(blob); err != nil {
		return nil, err
	}
	if err := zw.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}
