package web

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"takehome/exercises"
	"takehome/exercises/smoke"
	"takehome/grader"
)

func TestAdminBuildsPublishesAndArchivesAVersion(t *testing.T) {
	e := newStaffEnv(t)
	d := spDoc(t, e.get("/admin/exercises", e.adminSession), http.StatusOK)
	if d.Find(`#new-version select[name=slug] option[value="`+smoke.Slug+`"]`).Length() != 1 {
		t.Fatal("the form does not offer the built-in exercise")
	}
	rec := e.post("/admin/exercises", e.adminSession, url.Values{"slug": {smoke.Slug}, "seed": {"424242"}})
	if rec.Code != http.StatusSeeOther {
		t.Fatalf("create version = %d: %s", rec.Code, rec.Body)
	}
	versions, _ := e.store.ListVersions(t.Context())
	var v *grader.ExerciseVersion
	for i := range versions {
		if versions[i].Seed == 424242 {
			v = &versions[i]
		}
	}
	if v == nil || v.Status != "draft" || v.Number != 2 {
		t.Fatalf("new version = %+v", v)
	}
	// A draft cannot be invited to.
	d = spDoc(t, e.get("/admin/invites", e.adminSession), http.StatusOK)
	if d.Find(`#version option[value="`+itoa(v.ID)+`"]`).Length() != 0 {
		t.Fatal("the invite form offers a draft")
	}
	for _, status := range []string{"published", "archived"} {
		if rec := e.post("/admin/exercises/"+itoa(v.ID)+"/status", e.adminSession, url.Values{"status": {status}}); rec.Code != http.StatusSeeOther {
			t.Fatalf("%s = %d", status, rec.Code)
		}
		got, _ := e.store.FindVersion(t.Context(), v.ID)
		if got.Status != status {
			t.Fatalf("status = %q, want %q", got.Status, status)
		}
	}
	spDoc(t, e.post("/admin/exercises/"+itoa(v.ID)+"/status", e.adminSession, url.Values{"status": {"gone"}}), http.StatusBadRequest)
	spDoc(t, e.post("/admin/exercises", e.adminSession, url.Values{"slug": {smoke.Slug}, "seed": {"-1"}}), http.StatusBadRequest)
	spDoc(t, e.post("/admin/exercises", e.adminSession, url.Values{"slug": {"nope"}, "seed": {"1"}}), http.StatusBadRequest)
	// The smoke exercise ships no references.
	spDoc(t, e.post("/admin/exercises/"+itoa(v.ID)+"/references", e.adminSession, nil), http.StatusConflict)
	if a := e.auditActions(); !strings.Contains(a, "exercise.create user:") || !strings.Contains(a, "exercise.status user:") {
		t.Errorf("audit = %s", a)
	}
}

func TestAdminInvitesOneOrManyRevokesAndExtends(t *testing.T) {
	e := newStaffEnv(t)
	rec := e.post("/admin/invites", e.adminSession, url.Values{"version_id": {itoa(e.version.ID)}, "email": {"new@example.com"},
		"days": {"3"}, "window_hours": {"4"}, "attempts": {"2"}})
	d := spDoc(t, rec, http.StatusOK)
	link := d.Find("#created-invites input.invite-link").AttrOr("value", "")
	if !strings.HasPrefix(link, "https://takehome.test/invite/inv_") {
		t.Fatalf("invite link = %q", link)
	}
	inv, err := e.store.FindInviteByToken(t.Context(), strings.TrimPrefix(link, "https://takehome.test/invite/"))
	if err != nil || inv.Email != "new@example.com" || inv.Attempts != 2 || inv.Window != 4*time.Hour || !inv.ExpiresAt.Equal(pageNow.Add(72*time.Hour)) {
		t.Fatalf("invite = %+v, %v", inv, err)
	}
	csv := "email,days,window_hours,attempts\nx1@example.com\nx2@example.com,10,,1\n"
	d = spDoc(t, e.post("/admin/invites", e.adminSession, url.Values{"version_id": {itoa(e.version.ID)}, "csv": {csv}}), http.StatusOK)
	if n := d.Find("#created-invites li").Length(); n != 2 {
		t.Fatalf("created %d from CSV", n)
	}
	for _, bad := range []string{"not-an-email\n", "a@b.c,0\n", "a@b.c,1,1,1000\n", "\"unterminated\n"} {
		d := spDoc(t, e.post("/admin/invites", e.adminSession, url.Values{"version_id": {itoa(e.version.ID)}, "csv": {bad}}), http.StatusBadRequest)
		if !strings.Contains(spText(d.Find(".alert")), "CSV line 1") {
			t.Errorf("CSV %q: alert = %q", bad, spText(d.Find(".alert")))
		}
	}
	if rec := e.post("/admin/invites/"+itoa(inv.ID)+"/extend", e.adminSession, url.Values{"days": {"30"}}); rec.Code != http.StatusSeeOther {
		t.Fatalf("extend = %d", rec.Code)
	}
	if got, _ := e.store.FindInvite(t.Context(), inv.ID); !got.ExpiresAt.Equal(pageNow.Add(30 * 24 * time.Hour)) {
		t.Fatalf("extended to %v", got.ExpiresAt)
	}
	if rec := e.post("/admin/invites/"+itoa(inv.ID)+"/revoke", e.adminSession, nil); rec.Code != http.StatusSeeOther {
		t.Fatalf("revoke = %d", rec.Code)
	}
	d = spDoc(t, e.get("/admin/invites", e.adminSession), http.StatusOK)
	if got := spText(d.Find("#invite-" + itoa(inv.ID) + " .badge")); got != "revoked" {
		t.Fatalf("revoked invite shows %q", got)
	}
	spDoc(t, e.post("/admin/invites/"+itoa(inv.ID)+"/extend", e.adminSession, url.Values{"days": {"0"}}), http.StatusBadRequest)
	if a := e.auditActions(); strings.Count(a, "invite.create") != 3 || !strings.Contains(a, "invite.revoke") || !strings.Contains(a, "invite.extend") {
		t.Errorf("audit = %s", a)
	}
}

func TestAdminUsers(t *testing.T) {
	e := newCommittedStaffEnv(t) // a duplicate email aborts a transaction
	d := spDoc(t, e.post("/admin/users", e.adminSession, url.Values{"email": {"new@example.com"}, "role": {"interviewer"}}), http.StatusOK)
	if !strings.Contains(d.Find("#reset-link input").AttrOr("value", ""), "/reset/pr_") {
		t.Fatal("a new user gets no password link")
	}
	spDoc(t, e.post("/admin/users", e.adminSession, url.Values{"email": {"NEW@example.com"}, "role": {"interviewer"}}), http.StatusBadRequest)
	spDoc(t, e.post("/admin/users", e.adminSession, url.Values{"email": {"x@example.com"}, "role": {"root"}}), http.StatusBadRequest)
	if rec := e.post("/admin/users/"+itoa(e.interviewer.ID), e.adminSession, url.Values{"role": {"admin"}}); rec.Code != http.StatusSeeOther {
		t.Fatalf("role = %d", rec.Code)
	}
	if rec := e.post("/admin/users/"+itoa(e.interviewer.ID), e.adminSession, url.Values{"disabled": {"true"}}); rec.Code != http.StatusSeeOther {
		t.Fatalf("disable = %d", rec.Code)
	}
	u, _ := e.store.FindUser(t.Context(), e.interviewer.ID)
	if u.Role != grader.RoleAdmin || !u.Disabled {
		t.Fatalf("user = %+v", u)
	}
	// Admins cannot lock themselves out.
	spDoc(t, e.post("/admin/users/"+itoa(e.admin.ID), e.adminSession, url.Values{"disabled": {"true"}}), http.StatusConflict)
	d = spDoc(t, e.get("/admin/users", e.adminSession), http.StatusOK)
	if n := d.Find("table#users tbody tr").Length(); n != 3 {
		t.Fatalf("%d users listed", n)
	}
}

func TestAdminQueueAndAudit(t *testing.T) {
	e := newStaffEnv(t)
	err := e.db.Exec(`INSERT INTO river_job (id, kind, queue, state, args, attempt, max_attempts, priority, errors, created_at, scheduled_at, attempted_at, finalized_at)
		VALUES (901, 'grade', 'grade', 'running', ?, 1, 5, 1, ARRAY['{"error":"boom `+xssScript+`","attempt":1}'::jsonb], now(), now(), now(), NULL),
		       (902, 'grade', 'grade', 'discarded', ?, 5, 5, 1, NULL, now(), now(), now(), now())`,
		[]byte(`{"submission_id":`+itoa(e.subB.ID)+`}`), []byte(`{"submission_id":`+itoa(e.subA.ID)+`}`)).Error
	if err != nil {
		t.Fatal(err)
	}
	d := spDoc(t, e.get("/admin/queue", e.adminSession), http.StatusOK)
	if got := spText(d.Find("#table-running tbody tr td").Eq(5)); !strings.Contains(got, "boom <script>") {
		t.Fatalf("last error = %q", got)
	}
	if d.Find(`#table-discarded form[action="/admin/submissions/`+itoa(e.subA.ID)+`/regrade"]`).Length() != 1 {
		t.Fatal("a failed job offers no regrade")
	}
	if rec := e.post("/admin/jobs/901/cancel", e.adminSession, nil); rec.Code != http.StatusSeeOther {
		t.Fatalf("cancel = %d", rec.Code)
	}
	if len(e.jobs.canceled) != 1 || e.jobs.canceled[0] != 901 {
		t.Fatalf("canceled = %v", e.jobs.canceled)
	}
	d = spDoc(t, e.get("/admin/audit", e.adminSession), http.StatusOK)
	if !strings.Contains(d.Find("table#audit").Text(), "job.cancel") {
		t.Fatal("the audit page lacks the cancel")
	}
}

func TestAdminImportsBEIR(t *testing.T) {
	e := newStaffEnv(t)
	d := spDoc(t, e.get("/admin/exercises", e.adminSession), http.StatusOK)
	if d.Find("form#import-beir input#beir-dir").Length() != 1 {
		t.Fatal("no import form")
	}
	d = spDoc(t, e.post("/admin/exercises/import-beir", e.adminSession, url.Values{"dir": {"/nope"}, "slug": {"sci"}}), http.StatusBadRequest)
	if got := spText(d.Find(".alert")); got != "Import failed: no corpus.jsonl in /nope" {
		t.Fatalf("alert = %q", got)
	}
	rec := e.post("/admin/exercises/import-beir", e.adminSession, url.Values{"dir": {"/data/beir/scifact"}, "slug": {"scifact-rag"}})
	if rec.Code != http.StatusSeeOther {
		t.Fatalf("import = %d", rec.Code)
	}
	versions, _ := e.store.ListVersions(t.Context())
	var found bool
	for _, v := range versions {
		found = found || (v.Slug == "scifact-rag" && v.Status == "draft" && v.Seed == 3)
	}
	if !found {
		t.Fatalf("no draft scifact-rag among %d versions", len(versions))
	}
	if !strings.Contains(e.auditActions(), "exercise.import_beir user:") {
		t.Fatal("import not audited")
	}
}

func TestAdminLimitsSetInviteDefaults(t *testing.T) {
	e := newStaffEnv(t)
	d := spDoc(t, e.get("/admin/limits", e.adminSession), http.StatusOK)
	if d.Find("#lim-days").AttrOr("value", "") != "7" || d.Find("table.phase-limits tbody tr").Length() < 2 {
		t.Fatal("the limits page lacks the defaults or the phase limits")
	}
	spDoc(t, e.post("/admin/limits", e.adminSession, url.Values{"days": {"0"}, "window_hours": {"1"}, "attempts": {"1"}}), http.StatusBadRequest)
	spDoc(t, e.post("/admin/limits", e.adminSession, url.Values{"days": {"x"}, "window_hours": {"1"}, "attempts": {"1"}}), http.StatusBadRequest)
	if rec := e.post("/admin/limits", e.adminSession, url.Values{"days": {"21"}, "window_hours": {"6"}, "attempts": {"2"}}); rec.Code != http.StatusSeeOther {
		t.Fatalf("save = %d", rec.Code)
	}
	// New invites take the defaults.
	d = spDoc(t, e.get("/admin/invites", e.adminSession), http.StatusOK)
	if d.Find("#inv-days").AttrOr("value", "") != "21" || d.Find("#inv-attempts").AttrOr("value", "") != "2" {
		t.Fatal("the invite form does not start from the defaults")
	}
	d = spDoc(t, e.post("/admin/invites", e.adminSession, url.Values{"version_id": {itoa(e.version.ID)}, "csv": {"d@example.com\n"}}), http.StatusOK)
	link := d.Find("#created-invites input.invite-link").AttrOr("value", "")
	inv, err := e.store.FindInviteByToken(t.Context(), strings.TrimPrefix(link, "https://takehome.test/invite/"))
	if err != nil || inv.Attempts != 2 || inv.Window != 6*time.Hour || !inv.ExpiresAt.Equal(pageNow.Add(21*24*time.Hour)) {
		t.Fatalf("CSV invite without numbers = %+v, %v", inv, err)
	}
	if !strings.Contains(e.auditActions(), "settings.invite_defaults user:") {
		t.Fatal("not audited")
	}
}

// Admins configure providers on the models page: the key is accepted,
// kept when left empty, never shown or audited; a bad URL is refused with
// the reason; versions with model access are listed with their prices.
func TestModelsPageKeepsKeysWriteOnly(t *testing.T) {
	e := newStaffEnv(t)
	ctx := t.Context()
	built, err := smoke.New().Build(9)
	if err != nil {
		t.Fatal(err)
	}
	built.Spec.Models = &exercises.ModelAccess{Provider: "openai", BudgetMicroUSD: 500_000, Phases: []string{"solve"},
		Models: []exercises.Model{{Name: "gpt-4o-mini", Kind: exercises.ModelChat, InputPrice: 150_000, OutputPrice: 600_000, MaxOutput: 512}}}
	mine, err := e.store.CreateVersion(ctx, built)
	if err != nil {
		t.Fatal(err)
	}
	page := e.get("/admin/models", e.adminSession)
	d := spDoc(t, page, http.StatusOK)
	if strings.Contains(page.Body.String(), fixtureProviderKey) {
		t.Fatal("the models page shows a stored key")
	}
	if got := d.Find("#providers tbody tr").Length(); got != 2 { // builtin and the fixture's
		t.Errorf("%d provider rows", got)
	}
	form := d.Find(`form.version-models[action="/admin/models/versions/` + itoa(mine.ID) + `"]`)
	if v, _ := form.Find(`input[name="input_gpt-4o-mini"]`).Attr("value"); v != "0.15" {
		t.Errorf("input price shown as %q, want 0.15", v)
	}
	if form.Find(`select[name=provider] option[value=openai][selected]`).Length() != 1 {
		t.Error("the version's provider is not the selected one")
	}
	action, _ := form.Attr("action")
	rec := e.post(action, e.adminSession, url.Values{"provider": {"builtin"}, "budget_usd": {"0.4"},
		"input_gpt-4o-mini": {"0.6"}, "output_gpt-4o-mini": {"2.4"}, "max_output_gpt-4o-mini": {"256"}})
	if rec.Code != http.StatusSeeOther {
		t.Fatalf("save the version's model access: %d %s", rec.Code, rec.Body)
	}
	vs, err := e.store.ListVersions(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, ver := range vs {
		if ver.ID != mine.ID {
			continue
		}
		if m := ver.Spec.Models; m.Provider != "builtin" || m.BudgetMicroUSD != 400_000 || m.Models[0].InputPrice != 600_000 || m.Models[0].OutputPrice != 2_400_000 || m.Models[0].MaxOutput != 256 || ver.ModelsEditedBy == "" {
			t.Errorf("after the edit: %+v by %q", m, ver.ModelsEditedBy)
		}
	}
	bad := e.post(action, e.adminSession, url.Values{"provider": {"builtin"}, "budget_usd": {"lots"}})
	if bad.Code != http.StatusBadRequest || !strings.Contains(bad.Body.String(), "amount in dollars") {
		t.Errorf("a bad budget: %d", bad.Code)
	}
	rec = e.post("/admin/models/providers", e.adminSession, url.Values{"name": {"openai"}, "base_url": {"https://eu.api.openai.com/v1"}, "api_key": {""}})
	if rec.Code != http.StatusSeeOther {
		t.Fatalf("save without a key: %d %s", rec.Code, rec.Body)
	}
	got, err := e.store.LLMProvider(ctx, "openai")
	if err != nil || got.Key != fixtureProviderKey || got.BaseURL != "https://eu.api.openai.com/v1" {
		t.Errorf("after saving without a key: %+v %v", got, err)
	}
	badURL := spDoc(t, e.post("/admin/models/providers", e.adminSession, url.Values{"name": {"x"}, "base_url": {"https://u:p@x.example/v1"}}), http.StatusBadRequest)
	if !strings.Contains(badURL.Find(".alert").Text(), "without credentials") {
		t.Errorf("bad URL refusal %q", badURL.Find(".alert").Text())
	}
	audit := e.get("/admin/audit", e.adminSession)
	if strings.Contains(audit.Body.String(), fixtureProviderKey) || !strings.Contains(audit.Body.String(), "provider.save") {
		t.Error("the audit log shows the key, or lacks the save")
	}
	if e.post("/admin/models/providers/openai/delete", e.adminSession, nil).Code != http.StatusSeeOther {
		t.Fatal("delete")
	}
	if _, err := e.store.LLMProvider(ctx, "openai"); grader.ErrorCode(err) != grader.CodeNotFound {
		t.Errorf("after delete: %v", err)
	}
}
