package builtin

// The response shapes of openai-python's types/chat/chat_completion.py and
// completion_usage.py, with the fields a real upstream sends even when
// they are null or zero, so that strict clients parse them as they would
// OpenAI's.

type chatResponse struct {
	ID                string   `json:"id"`
	Object            string   `json:"object"`
	Created           int64    `json:"created"`
	Model             string   `json:"model"`
	Choices           []choice `json:"choices"`
	Usage             usage    `json:"usage"`
	ServiceTier       string   `json:"service_tier"`
	SystemFingerprint string   `json:"system_fingerprint"`
}

type choice struct {
	Index        int              `json:"index"`
	Message      assistantMessage `json:"message"`
	Logprobs     *struct{}        `json:"logprobs"` // always null
	FinishReason string           `json:"finish_reason"`
}

type assistantMessage struct {
	Role        string     `json:"role"`
	Content     string     `json:"content"`
	Refusal     *string    `json:"refusal"` // always null
	Annotations []struct{} `json:"annotations"`
}

type usage struct {
	PromptTokens        int `json:"prompt_tokens"`
	CompletionTokens    int `json:"completion_tokens"`
	TotalTokens         int `json:"total_tokens"`
	PromptTokensDetails struct {
		CachedTokens int `json:"cached_tokens"`
		AudioTokens  int `json:"audio_tokens"`
	} `json:"prompt_tokens_details"`
	CompletionTokensDetails struct {
		ReasoningTokens          int `json:"reasoning_tokens"`
		AudioTokens              int `json:"audio_tokens"`
		AcceptedPredictionTokens int `json:"accepted_prediction_tokens"`
		RejectedPredictionTokens int `json:"rejected_prediction_tokens"`
	} `json:"completion_tokens_details"`
}

func newUsage(prompt, completion int) usage {
	return usage{PromptTokens: prompt, CompletionTokens: completion, TotalTokens: prompt + completion}
}

func (c completion) response() chatResponse {
	msg := assistantMessage{Role: "assistant", Content: c.text(), Annotations: []struct{}{}}
	return chatResponse{
		ID: c.id, Object: "chat.completion", Created: created, Model: c.model,
		Choices:     []choice{{Message: msg, FinishReason: c.finish}},
		Usage:       c.usage,
		ServiceTier: "default", SystemFingerprint: fingerprint,
	}
}
