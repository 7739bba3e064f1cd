package main

import (
	"archive/zip"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/browser"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"

	"takehome/internal/archive"
)

// The candidate's journeys use the harness of browser_test.go.

// candArchive writes a smoke submission to a file the file picker can take.
func candArchive(t *testing.T, name string) (path, sum string) {
	t.Helper()
	return candWrite(t, name, submissionArchive(t, name))
}

// candSlowArchive is the "good" submission with both phases slowed down, so
// a page can watch the first one finish while the second runs.
func candSlowArchive(t *testing.T) (path, sum string) {
	t.Helper()
	files, err := archive.ReadDir("../../exercises/smoke/testdata/good", archive.DefaultLimits())
	if err != nil {
		t.Fatal(err)
	}
	for i, f := range files {
		if f.Name == "takehome.yaml" {
			files[i].Data = []byte("phases:\n  learn: sleep 6 && python3 learn.py\n  solve: sleep 6 && python3 solve.py\n")
		}
	}
	data, err := archive.TarGz(files)
	if err != nil {
		t.Fatal(err)
	}
	return candWrite(t, "paced", data)
}

func candWrite(t *testing.T, name string, data []byte) (path, sum string) {
	t.Helper()
	path = filepath.Join(t.TempDir(), name+".tar.gz")
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
	s := sha256.Sum256(data)
	return path, hex.EncodeToString(s[:])
}

// TestBrowserCandidateJourney: open the invite, start, download the kit,
// upload a self-check with the file picker, watch it get graded, then
// submit the final version with its confirmation and read the receipt.
func TestBrowserCandidateJourney(t *testing.T) {
	getenv, _, invite := setup(t, nil)
	base := startServe(t, getenv, "--workers", "1")
	ctx := newBrowser(t)
	downloads := t.TempDir()
	browse(t, ctx, 30*time.Second, "open invite",
		chromedp.Func(func(ctx context.Context, _ *chromedp.Target) error {
			_, err := chromedp.Call(ctx, browser.SetDownloadBehavior, browser.SetDownloadBehaviorParams{
				Behavior: browser.SetDownloadBehaviorBehaviorAllow, DownloadPath: downloads})
			return err
		}),
		chromedp.Navigate(base+"/invite/"+invite),
		chromedp.WaitVisible(chromedp.CSS("button#start")),
	)
	screenshot(t, ctx, "01-invite")
	if h1 := textOf(t, ctx, "main h1"); h1 == "" {
		t.Error("the invite page has no heading")
	}
	if brief := textOf(t, ctx, ".brief"); len(brief) < 20 {
		t.Errorf("brief = %q", brief)
	}

	browse(t, ctx, 30*time.Second, "start", chromedp.Click(chromedp.CSS("button#start")), chromedp.WaitVisible(chromedp.CSS("a#kit")))
	screenshot(t, ctx, "02-started")
	browse(t, ctx, 30*time.Second, "download kit", chromedp.Click(chromedp.CSS("a#kit")))
	kit := candWaitFile(t, downloads, "smoke-sum-starter.zip")
	if zr, err := zip.NewReader(bytes.NewReader(kit), int64(len(kit))); err != nil || len(zr.File) == 0 {
		t.Errorf("starter kit is not a zip with files: %v", err)
	}

	// A self-check through the file picker, with the progress bar and live
	// status (each phase of this one sleeps 6 s).
	good, _ := candSlowArchive(t)
	browse(t, ctx, 30*time.Second, "open upload",
		chromedp.Click(chromedp.CSS("a#upload")),
		chromedp.WaitVisible(chromedp.CSS("input#archive")),
		chromedp.SetUploadFiles(chromedp.CSS("input#archive"), []string{good}),
	)
	screenshot(t, ctx, "03-upload-check")
	browse(t, ctx, 60*time.Second, "send check",
		chromedp.Click(chromedp.CSS("button#send")),
		chromedp.WaitVisible(chromedp.CSS("#status")),
	)
	screenshot(t, ctx, "04-check-status")
	// The events stream updates this very page (the marker survives: no
	// reload) with the status and each phase, then loads the result.
	browse(t, ctx, 10*time.Second, "mark page", chromedp.Evaluate[chromedp.Void](`window.notReloaded = true`))
	browse(t, ctx, 2*time.Minute, "first phase live",
		chromedp.Poll[chromedp.Void](`window.notReloaded === true && document.getElementById('status').textContent === 'running' &&
			document.querySelectorAll('#live-phases li').length === 1 && document.querySelector('#live-phases li').textContent.indexOf('learn: ok') === 0`,
			chromedp.WithPollingInterval(50*time.Millisecond), chromedp.WithPollingTimeout(2*time.Minute)))
	screenshot(t, ctx, "05-check-running")
	browse(t, ctx, 3*time.Minute, "live update",
		chromedp.Poll[chromedp.Void](`window.notReloaded === true && document.getElementById('status').textContent === 'graded' &&
			document.querySelectorAll('#live-phases li').length === 2`, chromedp.WithPollingInterval(20*time.Millisecond), chromedp.WithPollingTimeout(3*time.Minute)))
	screenshot(t, ctx, "06-check-live")
	browse(t, ctx, 30*time.Second, "check result", chromedp.WaitVisible(chromedp.CSS(".headline")))
	screenshot(t, ctx, "07-check-result")
	if st := textOf(t, ctx, "#status"); st != "graded" {
		t.Errorf("status = %q", st)
	}
	if phases := textOf(t, ctx, "details.phase summary"); !strings.Contains(phases, "ok") {
		t.Errorf("first phase: %q", phases)
	}

	// The final submission: the form refuses it until confirmed.
	wrong, sum := candArchive(t, "wrong")
	browse(t, ctx, 30*time.Second, "open final upload",
		chromedp.Navigate(base+"/invite/"+invite),
		chromedp.Click(chromedp.CSS("a#upload-final")),
		chromedp.WaitVisible(chromedp.CSS("input#confirm")),
		chromedp.SetUploadFiles(chromedp.CSS("input#archive"), []string{wrong}),
		chromedp.Click(chromedp.CSS("button#send")),
		chromedp.WaitVisible(chromedp.CSS("#upload-error")),
	)
	screenshot(t, ctx, "08-final-unconfirmed")
	if msg := textOf(t, ctx, "#upload-error"); !strings.Contains(msg, "confirm") {
		t.Errorf("unconfirmed final: %q", msg)
	}
	browse(t, ctx, 60*time.Second, "send final",
		chromedp.Click(chromedp.CSS("input#confirm")),
		chromedp.Click(chromedp.CSS("button#send")),
		chromedp.WaitVisible(chromedp.CSS("#receipt-sha")),
	)
	screenshot(t, ctx, "09-receipt")
	if got := textOf(t, ctx, "#receipt-sha"); got != sum {
		t.Errorf("receipt digest %q, want the archive's %q", got, sum)
	}
	// The final's status page never shows a score, even once graded.
	id := textOf(t, ctx, "#receipt-id")
	browse(t, ctx, 3*time.Minute, "final graded",
		chromedp.Navigate(base+"/invite/"+invite+"/submissions/"+id),
		chromedp.WaitVisible(chromedp.CSS(".notice")),
		chromedp.WaitVisible(chromedp.CSS(`#status.graded`)),
	)
	screenshot(t, ctx, "10-final-status")
	if n := countOf(t, ctx, ".headline, table.metrics, details.phase"); n != 0 {
		t.Errorf("the final's page shows %d result elements", n)
	}

	// On a phone: nothing scrolls sideways.
	browse(t, ctx, 10*time.Second, "phone", chromedp.Func(func(ctx context.Context, _ *chromedp.Target) error {
		_, err := chromedp.Call(ctx, emulation.SetDeviceMetricsOverride, emulation.SetDeviceMetricsOverrideParams{Width: 390, Height: 844, DeviceScaleFactor: 1, Mobile: true})
		return err
	}))
	for i, path := range []string{"", "/upload", "/submissions/1", "/submissions/" + id + "/receipt"} {
		browse(t, ctx, 20*time.Second, "phone "+path, chromedp.Navigate(base+"/invite/"+invite+path), chromedp.WaitVisible(chromedp.CSS("main h1")))
		screenshot(t, ctx, fmt.Sprintf("phone-%d", i+1))
		if n := countOf(t, ctx, "html"); n != 1 {
			t.Fatal("no document")
		}
		wide, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`document.documentElement.scrollWidth > window.innerWidth`))
		if err != nil || wide {
			t.Errorf("%s scrolls sideways on a phone (%v)", path, err)
		}
	}
}

// TestBrowserCandidateWithoutJavaScript: the upload form and the status
// page work with scripts off.
func TestBrowserCandidateWithoutJavaScript(t *testing.T) {
	getenv, _, invite := setup(t, nil)
	base := startServe(t, getenv, "--workers", "1")
	ctx := newBrowser(t)
	good, _ := candArchive(t, "good")
	browse(t, ctx, 60*time.Second, "upload without js",
		chromedp.Func(func(ctx context.Context, _ *chromedp.Target) error {
			_, err := chromedp.Call(ctx, emulation.SetScriptExecutionDisabled, emulation.SetScriptExecutionDisabledParams{Value: true})
			return err
		}),
		chromedp.Navigate(base+"/invite/"+invite),
		chromedp.Click(chromedp.CSS("button#start")),
		chromedp.WaitVisible(chromedp.CSS("a#upload")),
		chromedp.Click(chromedp.CSS("a#upload")),
		chromedp.WaitVisible(chromedp.CSS("input#archive")),
		chromedp.SetUploadFiles(chromedp.CSS("input#archive"), []string{good}),
		chromedp.Click(chromedp.CSS("button#send")),
		chromedp.WaitVisible(chromedp.CSS("#status")),
	)
	screenshot(t, ctx, "01-nojs-status")
	// The <noscript> refresh reloads the page until the result is there.
	browse(t, ctx, 3*time.Minute, "graded without js", chromedp.WaitVisible(chromedp.CSS(".headline")))
	screenshot(t, ctx, "02-nojs-result")
}

// candWaitFile waits for a finished download.
func candWaitFile(t *testing.T, dir, name string) []byte {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for {
		data, err := os.ReadFile(filepath.Join(dir, name))
		if err == nil && len(data) > 0 {
			return data
		}
		if time.Now().After(deadline) {
			entries, _ := os.ReadDir(dir)
			t.Fatalf("no download %s in %s (%v)", name, dir, entries)
		}
		time.Sleep(200 * time.Millisecond)
	}
}

// TestBrowserCandidateUploadChecks: the form refuses an oversized file
// before sending it, takes a dropped file, and shows the server's reason
// when the archive is refused.
func TestBrowserCandidateUploadChecks(t *testing.T) {
	getenv, _, invite := setup(t, map[string]string{"RUNNER_MAX_UPLOAD_BYTES": "2000"})
	base := startServe(t, getenv, "--workers", "0")
	ctx := newBrowser(t)
	big := filepath.Join(t.TempDir(), "big.zip")
	if err := os.WriteFile(big, bytes.Repeat([]byte("x"), 5000), 0o644); err != nil {
		t.Fatal(err)
	}
	browse(t, ctx, 30*time.Second, "pick a big file",
		chromedp.Navigate(base+"/invite/"+invite),
		chromedp.Click(chromedp.CSS("button#start")),
		chromedp.WaitVisible(chromedp.CSS("a#upload")),
		chromedp.Navigate(base+"/invite/"+invite+"/upload"),
		chromedp.WaitVisible(chromedp.CSS("input#archive")),
		chromedp.SetUploadFiles(chromedp.CSS("input#archive"), []string{big}),
		chromedp.WaitVisible(chromedp.CSS("#upload-error")),
	)
	screenshot(t, ctx, "01-too-big")
	if msg := textOf(t, ctx, "#upload-error"); !strings.Contains(msg, "the limit is 2 KB") {
		t.Errorf("size check: %q", msg)
	}
	browse(t, ctx, 10*time.Second, "send big", chromedp.Click(chromedp.CSS("button#send")), chromedp.Sleep(500*time.Millisecond))
	if loc := candLocation(t, ctx); !strings.HasSuffix(loc, "/upload") {
		t.Errorf("an oversized file was sent: now at %s", loc)
	}

	// A dropped file replaces the picked one; the server refuses it as no
	// archive, and the form shows why.
	browse(t, ctx, 30*time.Second, "drop a file",
		chromedp.Evaluate[chromedp.Void](`(() => {
			const dt = new DataTransfer();
			dt.items.add(new File(['not an archive'], 'dropped.zip', {type: 'application/zip'}));
			const zone = document.getElementById('dropzone');
			zone.dispatchEvent(new DragEvent('dragover', {dataTransfer: dt, bubbles: true, cancelable: true}));
			zone.dispatchEvent(new DragEvent('drop', {dataTransfer: dt, bubbles: true, cancelable: true}));
		})()`),
		chromedp.Poll[chromedp.Void](`document.getElementById('archive').files[0].name === 'dropped.zip' && document.getElementById('upload-error').hidden`),
		chromedp.Click(chromedp.CSS("button#send")),
		chromedp.Poll[chromedp.Void](`!document.getElementById('upload-error').hidden && document.getElementById('send').disabled === false`),
	)
	screenshot(t, ctx, "02-refused")
	if msg := textOf(t, ctx, "#upload-error"); msg == "" || strings.Contains(msg, "HTTP") {
		t.Errorf("the server's reason is not shown: %q", msg)
	} else {
		t.Logf("refusal shown: %s", msg)
	}
	if loc := candLocation(t, ctx); !strings.HasSuffix(loc, "/upload") {
		t.Errorf("a refused upload left the form: now at %s", loc)
	}
}

func candLocation(t *testing.T, ctx context.Context) string {
	t.Helper()
	loc, err := chromedp.Run(ctx, chromedp.Location())
	if err != nil {
		t.Fatal(err)
	}
	return loc
}
