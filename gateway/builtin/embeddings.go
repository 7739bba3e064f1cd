package builtin

import (
	"encoding/base64"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"math"
	"net/http"
	"strconv"
	"strings"

	"takehome/gateway/tokencount"
)

type embeddingsRequest struct {
	Model          string          `json:"model"`
	Input          json.RawMessage `json:"input"`
	EncodingFormat string          `json:"encoding_format"`
	Dimensions     *int            `json:"dimensions"`
}

type embedding struct {
	Object    string `json:"object"`
	Index     int    `json:"index"`
	Embedding any    `json:"embedding"` // []float32, or base64 of little-endian float32
}

type embeddingsResponse struct {
	Object string      `json:"object"`
	Data   []embedding `json:"data"`
	Model  string      `json:"model"`
	Usage  struct {
		PromptTokens int `json:"prompt_tokens"`
		TotalTokens  int `json:"total_tokens"`
	} `json:"usage"`
}

// embeddings serves POST /v1/embeddings.
func embeddings(w http.ResponseWriter, _ *http.Request, body []byte) *apiError {
	var req embeddingsRequest
	if err := json.Unmarshal(body, &req); err != nil {
		return badJSON(err)
	}
	if req.Model != EmbedModel {
		return modelNotFound(req.Model, EmbedModel)
	}
	dims, e := req.dims()
	if e != nil {
		return e
	}
	if req.EncodingFormat != "" && req.EncodingFormat != "float" && req.EncodingFormat != "base64" {
		return invalid("encoding_format", fmt.Sprintf("encoding_format must be float or base64, not %q", req.EncodingFormat))
	}
	texts, tokens, ok := embeddingInputs(req.Input)
	if !ok {
		return invalid("input", "input must be a non-empty string, array of strings, or array of token arrays")
	}
	resp := embeddingsResponse{Object: "list", Model: req.Model}
	for i, text := range texts {
		vec := Embed(text, dims)
		resp.Data = append(resp.Data, embedding{Object: "embedding", Index: i, Embedding: encode(vec, req.EncodingFormat)})
	}
	resp.Usage.PromptTokens, resp.Usage.TotalTokens = tokens, tokens
	return writeJSON(w, resp)
}

func (req embeddingsRequest) dims() (int, *apiError) {
	if req.Dimensions == nil {
		return Dimensions, nil
	}
	if d := *req.Dimensions; d < 1 || d > Dimensions {
		return 0, invalid("dimensions", fmt.Sprintf("dimensions must be between 1 and %d for %s, not %d", Dimensions, EmbedModel, d))
	}
	return *req.Dimensions, nil
}

// embeddingInputs reads input as texts and counts its tokens. A token
// array is embedded as its decimal ids joined by spaces (the provider has
// no decoder it could trust to match the caller's tokenizer) and counts
// one token per id, as an upstream would bill it.
func embeddingInputs(in json.RawMessage) (texts []string, tokens int, ok bool) {
	var one string
	if json.Unmarshal(in, &one) == nil && in[0] == '"' { // not null, which decodes as ""
		return []string{one}, tokencount.Text(one), true
	}
	var many []string
	if json.Unmarshal(in, &many) == nil && len(many) > 0 {
		for _, s := range many {
			tokens += tokencount.Text(s)
		}
		return many, tokens, true
	}
	var arrays [][]int
	if json.Unmarshal(in, &arrays) != nil {
		var ids []int
		if json.Unmarshal(in, &ids) != nil {
			return nil, 0, false
		}
		arrays = [][]int{ids}
	}
	for _, ids := range arrays {
		texts, tokens = append(texts, joinIDs(ids)), tokens+len(ids)
	}
	return texts, tokens, len(texts) > 0
}

func joinIDs(ids []int) string {
	s := make([]string, len(ids))
	for i, id := range ids {
		s[i] = strconv.Itoa(id)
	}
	return strings.Join(s, " ")
}

// encode is vec as the JSON value encoding_format asks for: base64 of
// little-endian float32, which openai-python requests by default and reads
// with numpy.frombuffer, or a float array.
func encode(vec []float32, format string) any {
	if format != "base64" {
		return vec
	}
	buf := make([]byte, 4*len(vec))
	for i, x := range vec {
		binary.LittleEndian.PutUint32(buf[4*i:], math.Float32bits(x))
	}
	return base64.StdEncoding.EncodeToString(buf)
}
