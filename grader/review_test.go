package grader

import "testing"

func TestParseDecision(t *testing.T) {
	for in, want := range map[string]Decision{"": "", "advance": DecisionAdvance, "hold": DecisionHold, "reject": DecisionReject} {
		if got, err := ParseDecision(in); err != nil || got != want {
			t.Errorf("ParseDecision(%q) = %q, %v", in, got, err)
		}
	}
	for _, in := range []string{"Advance", "yes", "none", " hold"} {
		if _, err := ParseDecision(in); ErrorCode(err) != CodeInvalid {
			t.Errorf("ParseDecision(%q) = %v, want invalid", in, err)
		}
	}
}

func TestReferenceEmail(t *testing.T) {
	name, ok := ReferenceName(ReferenceEmail("careful"))
	if !ok || name != "careful" {
		t.Fatalf("round trip = %q, %v", name, ok)
	}
	for _, email := range []string{"reference+x@example.com", "someone@takehome.invalid", "cand@example.com"} {
		if _, ok := ReferenceName(email); ok {
			t.Errorf("%q taken for a reference", email)
		}
	}
}

func TestInviteDefaultsCheck(t *testing.T) {
	if err := DefaultInviteDefaults.Check(); err != nil {
		t.Fatal(err)
	}
	for _, d := range []InviteDefaults{{0, 1, 1}, {366, 1, 1}, {1, -1, 1}, {1, 721, 1}, {1, 1, 0}, {1, 1, 101}} {
		if ErrorCode(d.Check()) != CodeInvalid {
			t.Errorf("%+v accepted", d)
		}
	}
}
