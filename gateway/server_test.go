package gateway_test

import (
	"log/slog"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"takehome/exercises"
	"takehome/gateway"
	"takehome/grader"
	"takehome/internal/gatewaytest"
	"takehome/internal/pgtest"
	"takehome/internal/postgres"
)

func TestMain(m *testing.M) { pgtest.Main(m) }

// testAccess is a version's model access: a chat and an embedding model,
// priced like small real ones, and a budget of $0.01.
func testAccess() *exercises.ModelAccess {
	return &exercises.ModelAccess{
		Provider: gateway.BuiltinName,
		Models: []exercises.Model{
			{Name: "gpt-4o-mini", Kind: exercises.ModelChat, InputPrice: 150_000, OutputPrice: 600_000, MaxOutput: 256},
			{Name: "text-embedding-3-small", Kind: exercises.ModelEmbedding, InputPrice: 20_000},
		},
		BudgetMicroUSD: 10_000,
	}
}

// rig is a gateway on real PostgreSQL with a running run whose step holds
// a token.
type rig struct {
	store  *postgres.Store
	grants *gateway.Grants
	srv    *httptest.Server
	runID  int64
	token  string
}

func newRig(t *testing.T, access *exercises.ModelAccess) *rig {
	t.Helper()
	store := postgres.NewStore(pgtest.DB(t), gatewaytest.NoQueue{})
	r := &rig{store: store, grants: &gateway.Grants{Store: store}}
	r.runID = gatewaytest.NewRun(t, store)
	if err := r.grants.Budget(t.Context(), r.runID, access); err != nil {
		t.Fatal(err)
	}
	r.token = r.grant(t, "query", access)
	r.srv = httptest.NewServer(gateway.New(gateway.Config{Store: store, Log: slog.New(slog.DiscardHandler)}))
	t.Cleanup(r.srv.Close)
	return r
}

func (r *rig) grant(t *testing.T, step string, access *exercises.ModelAccess) string {
	t.Helper()
	token, err := r.grants.Grant(t.Context(), grader.ModelGrant{RunID: r.runID, Phase: "query", Step: step,
		Provider: access.Provider, Models: access.Models}, time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(token, gateway.TokenPrefix) || len(token) < 40 {
		t.Fatalf("token %q is not a 256-bit tkh_ token", token)
	}
	return token
}

func (r *rig) calls(t *testing.T) []grader.ModelCall {
	t.Helper()
	calls, err := r.store.LLMCalls(t.Context(), r.runID, false)
	if err != nil {
		t.Fatal(err)
	}
	return calls
}
