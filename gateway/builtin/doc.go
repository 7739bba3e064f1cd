// Package builtin is the gateway's offline, deterministic stand-in model
// provider: an http.Handler that speaks OpenAI's chat completions and
// embeddings API, so the gateway forwards to it as to any upstream. It
// needs no weights, network or GPU, and identical requests get
// byte-identical responses (ids hash the request, created is fixed).
// Reports should label its models "offline stand-in": their scores say
// how well a pipeline retrieves, not how a real LLM would answer.
//
// builtin-embed-hash-v1 (EmbedModel) hashes words, word pairs and
// character n-grams into Dimensions signed dimensions (see Embed): a
// lexical retriever with fuzzy matching. A request's dimensions hashes
// into fewer (1 to 384); a token-array input is embedded as its decimal
// ids joined by spaces.
//
// builtin-extractive-v1 (ChatModel) answers the last user message from
// the conversation's own text. Candidates can rely on this layout:
//
//	Context:
//	[doc-7] Refunds for annual plans are available within 30 days.
//	[doc-3] ...
//	Question: Can I get a refund on my annual plan?
//
// The text after the last line starting "Question:" is the question and
// the text before it the context; without such a line, every other
// message (system, developer, earlier turns, tool results) is the
// context. The context is split into sentences, each is scored by the
// cosine of hash embeddings with the question, and the answer is the best
// one or two sentences verbatim, in context order, markers like [doc-7]
// included, or NoAnswer when none scores minScore. It honours
// max_completion_tokens (or max_tokens) by cutting at a word, with
// finish_reason "length"; it ignores temperature, tools and
// response_format and never calls a tool.
package builtin
