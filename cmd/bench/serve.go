package main

import (
	"bufio"
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"regexp"
	"strconv"
	"strings"
	"syscall"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // database/sql driver "pgx"
)

// instance is a fresh database with an admin, an invite and a running
// `runner serve` process.
type instance struct {
	server, dbName string
	env            []string
	cmd            *exec.Cmd
	base           string
	staff, invite  string
}

// start creates a database on server, migrates and seeds it with the runner
// binary, and starts `runner serve` with the given flags.
func start(ctx context.Context, runner, server string, serveArgs ...string) (*instance, error) {
	in := &instance{server: server, dbName: fmt.Sprintf("takehome_bench_%d", time.Now().UnixNano())}
	if err := execSQL(ctx, server, "CREATE DATABASE "+in.dbName); err != nil {
		return nil, err
	}
	u, _ := url.Parse(server)
	u.Path = "/" + in.dbName
	in.env = append(os.Environ(), "DATABASE_URL="+u.String())
	if _, err := in.runner(ctx, runner, "migrate"); err != nil {
		return in, err
	}
	out, err := in.runner(ctx, runner, "user", "create", "--role", "admin", "--email", "bench@example.com")
	if err != nil {
		return in, err
	}
	in.staff = regexp.MustCompile(`api token: (\S+)`).FindStringSubmatch(out)[1]
	out, err = in.runner(ctx, runner, "invite", "create", "--exercise", "smoke-sum", "--email", "c@example.com", "--attempts", "1000")
	if err != nil {
		return in, err
	}
	var inv struct{ Token string }
	if err := json.Unmarshal([]byte(out), &inv); err != nil {
		return in, err
	}
	in.invite = inv.Token
	in.cmd = exec.Command(runner, append([]string{"serve", "--addr", "127.0.0.1:0"}, serveArgs...)...)
	in.cmd.Env = in.env
	stdout, _ := in.cmd.StdoutPipe()
	if err := in.cmd.Start(); err != nil {
		return in, err
	}
	line, err := bufio.NewReader(stdout).ReadString('\n')
	if err != nil {
		return in, fmt.Errorf("serve did not start: %w", err)
	}
	go func() { _, _ = io.Copy(io.Discard, stdout) }()
	in.base = strings.TrimSpace(strings.TrimPrefix(line, "listening on "))
	return in, nil
}

func (in *instance) runner(ctx context.Context, runner string, args ...string) (string, error) {
	cmd := exec.CommandContext(ctx, runner, args...)
	cmd.Env = in.env
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return "", fmt.Errorf("runner %v: %w\n%s", args, err, stderr.String())
	}
	return string(out), nil
}

// stop ends the server and drops the database.
func (in *instance) stop(ctx context.Context) {
	if in.cmd != nil && in.cmd.Process != nil {
		_ = in.cmd.Process.Signal(syscall.SIGTERM)
		_ = in.cmd.Wait()
	}
	_ = execSQL(ctx, in.server, "DROP DATABASE IF EXISTS "+in.dbName+" WITH (FORCE)")
}

// peakRSS reads the server process's high-water resident set size.
func (in *instance) peakRSS() (int64, error) {
	data, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", in.cmd.Process.Pid))
	if err != nil {
		return 0, err
	}
	m := regexp.MustCompile(`VmHWM:\s+(\d+) kB`).FindSubmatch(data)
	if m == nil {
		return 0, fmt.Errorf("no VmHWM in /proc status")
	}
	kb, err := strconv.ParseInt(string(m[1]), 10, 64)
	if err != nil {
		return 0, fmt.Errorf("VmHWM %q: %w", m[1], err)
	}
	return kb << 10, nil
}

// submit uploads an archive in check mode.
func (in *instance) submit(data []byte) error {
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	_ = mw.WriteField("mode", "check")
	fw, _ := mw.CreateFormFile("archive", "submission.zip")
	if _, err := fw.Write(data); err != nil {
		return err
	}
	if err := mw.Close(); err != nil {
		return err
	}
	req, _ := http.NewRequest("POST", in.base+"/api/v1/submissions", &body)
	req.Header.Set("Authorization", "Bearer "+in.invite)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusAccepted {
		msg, _ := io.ReadAll(resp.Body)
		return fmt.Errorf("upload: status %d: %s", resp.StatusCode, msg)
	}
	return nil
}

// countGraded counts graded submissions through the staff API.
func (in *instance) countGraded() (int, error) {
	req, _ := http.NewRequest("GET", in.base+"/api/v1/submissions?status=graded&limit=200", nil)
	req.Header.Set("Authorization", "Bearer "+in.staff)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	var list struct {
		Submissions []json.RawMessage `json:"submissions"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&list); err != nil {
		return 0, err
	}
	return len(list.Submissions), nil
}

func execSQL(ctx context.Context, server, stmt string) error {
	db, err := sql.Open("pgx", server)
	if err != nil {
		return err
	}
	defer db.Close()
	_, err = db.ExecContext(ctx, stmt)
	return err
}
