package deploy

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// WaitOK polls url until it answers 200, or ctx ends.
func WaitOK(ctx context.Context, url string) error {
	var last string
	for {
		code, body, err := Get(ctx, url)
		if err == nil && code == http.StatusOK {
			return nil
		}
		last = fmt.Sprintf("status %d %s (%v)", code, strings.TrimSpace(body), err)
		select {
		case <-ctx.Done():
			return fmt.Errorf("wait for %s: %w; last answer: %s", url, ctx.Err(), last)
		case <-time.After(200 * time.Millisecond):
		}
	}
}

// Get fetches url and returns its status and body.
func Get(ctx context.Context, url string) (int, string, error) {
	ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return 0, "", err
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return 0, "", err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	return resp.StatusCode, string(body), err
}

// Submit uploads an archive as a self-check with the candidate's invite
// token and returns the new submission's id.
func Submit(ctx context.Context, base, invite string, archive []byte) (int64, error) {
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	_ = mw.WriteField("mode", "check")
	fw, err := mw.CreateFormFile("archive", "submission.tar.gz")
	if err != nil {
		return 0, err
	}
	if _, err := fw.Write(archive); err != nil {
		return 0, err
	}
	if err := mw.Close(); err != nil {
		return 0, err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, base+"/api/v1/submissions", &body)
	if err != nil {
		return 0, err
	}
	req.Header.Set("Authorization", "Bearer "+invite)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusAccepted {
		return 0, fmt.Errorf("POST submission: status %d: %s", resp.StatusCode, raw)
	}
	var sub struct{ ID int64 }
	if err := json.Unmarshal(raw, &sub); err != nil || sub.ID == 0 {
		return 0, fmt.Errorf("POST submission: no id in %s", raw)
	}
	return sub.ID, nil
}

// Invite is what `runner invite create` prints.
type Invite struct {
	ID    int64  `json:"id"`
	Token string `json:"token"`
	URL   string `json:"url"`
}

// CreateInvite makes an invite to the latest version of an exercise.
func (p *Project) CreateInvite(ctx context.Context, exercise, email string, attempts int) (Invite, error) {
	var inv Invite
	out, err := p.Runner(ctx, "invite", "create", "--exercise", exercise, "--email", email, "--attempts", strconv.Itoa(attempts))
	if err != nil {
		return inv, err
	}
	if err := json.Unmarshal([]byte(out), &inv); err != nil || inv.Token == "" {
		return inv, fmt.Errorf("invite create printed %q", out)
	}
	return inv, nil
}

// Samples sums the samples of a Prometheus text exposition by metric name,
// over all label values (a histogram gives NAME_bucket, NAME_sum and
// NAME_count).
func Samples(exposition string) map[string]float64 {
	sums := map[string]float64{}
	sc := bufio.NewScanner(strings.NewReader(exposition))
	for sc.Scan() {
		line := sc.Text()
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		i := strings.LastIndexByte(line, ' ')
		if i < 0 {
			continue
		}
		v, err := strconv.ParseFloat(line[i+1:], 64)
		if err != nil {
			continue
		}
		name := line[:i]
		if j := strings.IndexByte(name, '{'); j >= 0 {
			name = name[:j]
		}
		sums[name] += v
	}
	return sums
}
