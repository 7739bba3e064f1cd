package builtin

import (
	"encoding/base64"
	"encoding/binary"
	"math"
	"net/http"
	"slices"
	"testing"

	"takehome/gateway/tokencount"
)

type embeddingsResult[T any] struct {
	Object string `json:"object"`
	Model  string `json:"model"`
	Data   []struct {
		Object    string `json:"object"`
		Index     int    `json:"index"`
		Embedding T      `json:"embedding"`
	} `json:"data"`
	Usage struct {
		PromptTokens int `json:"prompt_tokens"`
		TotalTokens  int `json:"total_tokens"`
	} `json:"usage"`
}

func embedRequest[T any](t *testing.T, extra string) embeddingsResult[T] {
	t.Helper()
	rec := post(t, "/v1/embeddings", `{"model":"builtin-embed-hash-v1","input":["annual plan refunds","office hours"]`+extra+`}`)
	if rec.Code != http.StatusOK {
		t.Fatalf("status %d\n%s", rec.Code, rec.Body)
	}
	var res embeddingsResult[T]
	decode(t, rec, &res)
	if res.Object != "list" || res.Model != EmbedModel || len(res.Data) != 2 || res.Data[1].Index != 1 || res.Data[0].Object != "embedding" {
		t.Fatalf("response = %+v", res)
	}
	return res
}

func TestEmbeddingsBase64(t *testing.T) {
	floats := embedRequest[[]float32](t, `,"encoding_format":"float"`)
	encoded := embedRequest[string](t, `,"encoding_format":"base64"`)
	for i := range floats.Data {
		raw, err := base64.StdEncoding.DecodeString(encoded.Data[i].Embedding)
		if err != nil || len(raw) != 4*Dimensions {
			t.Fatalf("input %d: %d bytes (%v)", i, len(raw), err)
		}
		got := make([]float32, Dimensions)
		for j := range got {
			got[j] = math.Float32frombits(binary.LittleEndian.Uint32(raw[4*j:]))
		}
		if !slices.Equal(got, floats.Data[i].Embedding) || !slices.Equal(got, Embed([]string{"annual plan refunds", "office hours"}[i], Dimensions)) {
			t.Errorf("input %d: base64, float and Embed differ", i)
		}
	}
	if want := tokencount.Text("annual plan refunds") + tokencount.Text("office hours"); floats.Usage.PromptTokens != want || floats.Usage.TotalTokens != want {
		t.Errorf("usage = %+v, want %d", floats.Usage, want)
	}
}

func TestEmbeddingsDimensions(t *testing.T) {
	res := embedRequest[[]float32](t, `,"dimensions":64`)
	if v := res.Data[0].Embedding; len(v) != 64 || math.Abs(norm2(v)-1) > 1e-6 {
		t.Errorf("dimensions 64: %d values, norm %v", len(v), norm2(v))
	}
}

// A token array embeds as its ids written out and counts one token per id.
func TestEmbeddingsTokenArrays(t *testing.T) {
	for _, input := range []string{`[15339, 1917]`, `[[15339, 1917]]`} {
		rec := post(t, "/v1/embeddings", `{"model":"builtin-embed-hash-v1","input":`+input+`}`)
		var res embeddingsResult[[]float32]
		decode(t, rec, &res)
		if len(res.Data) != 1 || !slices.Equal(res.Data[0].Embedding, Embed("15339 1917", Dimensions)) || res.Usage.PromptTokens != 2 {
			t.Errorf("input %s: %s", input, rec.Body)
		}
	}
}
