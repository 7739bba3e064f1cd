package builtin

import "strings"

// split finds what the last user message asks and the context to
// answer it from. A message with a line starting "Question:" splits
// there: the text after the label is the question and the text before it
// (after an optional "Context:" label) the context. Otherwise, or when
// nothing precedes the label, the whole message is the question and every
// other message (system, developer, earlier turns, tool results) is the
// context. No user message means no question.
func split(msgs []message) (string, []string) {
	last := -1
	for i, m := range msgs {
		if m.Role == "user" {
			last = i
		}
	}
	if last < 0 {
		return "", nil
	}
	q := string(msgs[last].Content)
	if ctx, rest, ok := splitLabelled(q); ok {
		if strings.TrimSpace(ctx) != "" {
			return rest, []string{ctx}
		}
		q = rest
	}
	var context []string
	for i, m := range msgs {
		if i != last {
			context = append(context, string(m.Content))
		}
	}
	return q, context
}

// splitLabelled splits s at its last line that starts with "Question:"
// (any case); the last, because a context may quote FAQ questions.
func splitLabelled(s string) (context, question string, ok bool) {
	lines := strings.Split(s, "\n")
	for i := len(lines) - 1; i >= 0; i-- {
		rest, found := cutLabel(lines[i], "question:")
		if !found {
			continue
		}
		question = strings.Join(append([]string{rest}, lines[i+1:]...), "\n")
		context = strings.Join(lines[:i], "\n")
		if c, found := cutLabel(strings.TrimLeft(context, " \t\r\n"), "context:"); found {
			context = c
		}
		return context, question, true
	}
	return "", "", false
}

// cutLabel is line after a leading label, matched without regard to case
// or leading spaces.
func cutLabel(line, label string) (string, bool) {
	line = strings.TrimLeft(line, " \t")
	if len(line) < len(label) || !strings.EqualFold(line[:len(label)], label) {
		return "", false
	}
	return line[len(label):], true
}
