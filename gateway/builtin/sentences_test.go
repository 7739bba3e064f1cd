package builtin

import (
	"slices"
	"testing"
)

func TestSentences(t *testing.T) {
	for _, tc := range []struct {
		text string
		want []string
	}{
		{"One. Two! Three?", []string{"One.", "Two!", "Three?"}},
		{"Refunds take 30 days. [doc-7] Next one.", []string{"Refunds take 30 days. [doc-7]", "Next one."}},
		{"Refunds take 30 days [doc-7]. Next one.", []string{"Refunds take 30 days [doc-7].", "Next one."}},
		{"[doc-1] First line\n[doc-2] Second line", []string{"[doc-1] First line", "[doc-2] Second line"}},
		{"Use e.g. the API. Version 1.5 is out.", []string{"Use e.g. the API.", "Version 1.5 is out."}},
		{`He said "stop." Then left.`, []string{`He said "stop."`, "Then left."}},
		{"Wait... Really?! Yes.", []string{"Wait...", "Really?!", "Yes."}},
		{"東京は首都です。大阪は都市です。", []string{"東京は首都です。", "大阪は都市です。"}},
		{"  \n\n", nil},
	} {
		if got := sentences([]string{tc.text}); !slices.Equal(got, tc.want) {
			t.Errorf("sentences(%q) = %q, want %q", tc.text, got, tc.want)
		}
	}
}

func TestQuestionSplit(t *testing.T) {
	for _, tc := range []struct {
		content, question string
		context           []string
	}{
		{"Context: A fact.\nQuestion: What?", " What?", []string{" A fact."}},
		{"A fact.\n\nquestion:\nWhat?\nReally?", "\nWhat?\nReally?", []string{"A fact.\n"}},
		{"FAQ\nQuestion: old?\nAnswer: yes.\nQuestion: new?", " new?", []string{"FAQ\nQuestion: old?\nAnswer: yes."}},
		{"Question: What?", " What?", []string{"sys"}},
		{"What?", "What?", []string{"sys"}},
	} {
		q, ctx := split([]message{{Role: "system", Content: "sys"}, {Role: "user", Content: content(tc.content)}})
		if q != tc.question || !slices.Equal(ctx, tc.context) {
			t.Errorf("split(%q) = %q, %q; want %q, %q", tc.content, q, ctx, tc.question, tc.context)
		}
	}
}
