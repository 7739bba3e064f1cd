package tokencount

import "testing"

// Known o200k_base ids for "Hello, world!": Hello , world ! (4 tokens).
func TestText(t *testing.T) {
	for s, want := range map[string]int{"": 0, "Hello, world!": 4, "hello": 1} {
		if got := Text(s); got != want {
			t.Errorf("Text(%q) = %d, want %d", s, got, want)
		}
	}
}

func TestPrompt(t *testing.T) {
	// 3 priming + (3 + "user" 1 + "Hello, world!" 4) = 11
	if got := Prompt([]Message{{Role: "user", Text: "Hello, world!"}}); got != 11 {
		t.Errorf("Prompt = %d, want 11", got)
	}
	if got := Prompt([]Message{{Role: "user", Name: "bob", Text: "Hello, world!"}}); got != 13 {
		t.Errorf("Prompt with a name = %d, want 13", got)
	}
}
