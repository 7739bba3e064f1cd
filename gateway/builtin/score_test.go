package builtin

import (
	"slices"
	"testing"
)

// faq is a context of unrelated facts, one per sentence.
var faq = []string{
	"Refunds for annual plans are available within 30 days of purchase [doc-7].",
	"Monthly plans can be cancelled at any time from the billing page.",
	"Our office is located in Berlin and opens at 9 am.",
	"The API rate limit is 600 requests per minute per key.",
	"Passwords must be at least twelve characters long.",
	"The warranty covers manufacturing defects for two years.",
	"Shipping to Europe takes five to seven business days.",
	"Two-factor authentication can be enabled in your security settings.",
	"Deleted projects are kept in the trash for 30 days before removal.",
	"The capital of France is Paris.",
	"Water boils at 100 degrees Celsius at sea level.",
	"Trains to the airport leave every fifteen minutes.",
}

// TestThresholdMargins keeps minScore honest: a question sharing a word
// with one sentence picks it, one sharing none with any gets no answer.
func TestThresholdMargins(t *testing.T) {
	for q, want := range map[string]int{
		"What is the refund policy for annual plans?": 0,
		"How do I cancel my plan?":                    1,
		"Where is the office?":                        2,
		"How many requests per minute can I make?":    3,
		"How long must a password be?":                4,
		"How long is the warranty?":                   5,
		"How do I enable two-factor authentication?":  7,
		"What is the capital of Germany?":             9,
		"At what temperature does water boil?":        10,
		"How often do trains leave for the airport?":  11,
	} {
		if got := pick(relevance(q), faq); len(got) == 0 || got[0] != faq[want] && (len(got) < 2 || got[1] != faq[want]) {
			t.Errorf("%q picked %q, want %q", q, got, faq[want])
		}
	}
	for _, q := range []string{
		"Who painted the Mona Lisa?", "What is the speed of light?", "How many legs does a spider have?",
		"Who won the world cup in 2018?", "What is the meaning of life?", "How do I bake bread?",
		"Is there a student discount?", "What is it?",
	} {
		if got := pick(relevance(q), faq); got != nil {
			t.Errorf("%q picked %q, want no answer", q, got)
		}
	}
}

// A second sentence joins only when it scores near the best, and the
// answer keeps context order.
func TestPickTwo(t *testing.T) {
	ctx := []string{"Our Berlin office opens at 9 am.", "Berlin is large.", "The office in Berlin is near the station."}
	if got := pick(relevance("When does the Berlin office open?"), ctx); !slices.Equal(got, ctx[:1]) {
		t.Errorf("picked %q, want only %q", got, ctx[0])
	}
	if got := pick(relevance("Where is the office in Berlin?"), ctx); !slices.Equal(got, []string{ctx[0], ctx[2]}) {
		t.Errorf("picked %q, want both office sentences in context order", got)
	}
}
