package postgres_test

import (
	"context"
	"log/slog"
	"sync"
	"testing"
	"time"

	"gorm.io/gorm"

	"takehome/grader"
	"takehome/internal/pgtest"
	"takehome/internal/postgres"
)

// concurrentStore is a store on a database of its own, with committed data
// and a pool wide enough for the callers to race.
func concurrentStore(t *testing.T) (*postgres.Store, *gorm.DB) {
	t.Helper()
	db, err := postgres.Open(context.Background(), pgtest.URL(t), slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	sqlDB, _ := db.DB()
	sqlDB.SetMaxOpenConns(64)
	sqlDB.SetMaxIdleConns(64)
	t.Cleanup(func() { sqlDB.Close() })
	// Open the connections before the races, so that callers are not
	// spread out by connection set-up.
	race(64, func() bool { return db.Exec("SELECT pg_sleep(0.05)").Error == nil })
	return postgres.NewStore(db, &fakeQueue{}), db
}

// race runs f on n goroutines released at once and returns how many
// returned true.
func race(n int, f func() bool) int {
	var wg sync.WaitGroup
	var mu sync.Mutex
	start := make(chan struct{})
	won := 0
	for range n {
		wg.Go(func() {
			<-start
			if f() {
				mu.Lock()
				won++
				mu.Unlock()
			}
		})
	}
	close(start)
	wg.Wait()
	return won
}

// 64 concurrent calls against budgets worth 25 (the run's) and 12 (the
// phase's) calls: exactly as many are served as the tighter budget allows,
// and settling brings spending to the cost of those calls, never past a
// limit.
func TestLLMBudgetNeverOverspends(t *testing.T) {
	s, _ := concurrentStore(t)
	ctx := t.Context()
	for _, tt := range []struct {
		phase      string
		phaseLimit int64 // 0: no phase budget
		want       int
	}{{"index", 0, 25}, {"query", 120, 12}} {
		_, run := mustRun(t, s)
		if err := s.SetLLMBudget(ctx, run.ID, "", 250); err != nil {
			t.Fatal(err)
		}
		if tt.phaseLimit > 0 {
			if err := s.SetLLMBudget(ctx, run.ID, tt.phase, tt.phaseLimit); err != nil {
				t.Fatal(err)
			}
		}
		var mu sync.Mutex
		var calls []int64
		served := race(64, func() bool {
			id, err := s.ReserveLLMCall(ctx, grader.ModelCall{RunID: run.ID, Phase: tt.phase, ReservedMicro: 10, StartedAt: t0})
			if err != nil {
				if grader.ErrorCode(err) != grader.CodeQuota {
					t.Errorf("reserve: %v", err)
				}
				return false
			}
			time.Sleep(upstream)
			mu.Lock()
			calls = append(calls, id)
			mu.Unlock()
			return true
		})
		if served != tt.want {
			t.Errorf("phase %s: %d of 64 calls served, the budget holds %d", tt.phase, served, tt.want)
		}
		race(len(calls), func() bool {
			mu.Lock()
			id := calls[0]
			calls = calls[1:]
			mu.Unlock()
			return s.SettleLLMCall(ctx, grader.ModelCall{ID: id, CostMicro: 10, CostSource: grader.CostProvider}, t0) == nil
		})
		budgets, err := s.LLMBudgets(ctx, run.ID)
		if err != nil {
			t.Fatal(err)
		}
		for _, b := range budgets {
			if b.SpentMicro != int64(10*served) || b.ReservedMicro != 0 || b.SpentMicro > b.LimitMicro {
				t.Errorf("phase %s, budget %q: %+v after %d calls of 10", tt.phase, b.Phase, b, served)
			}
		}
	}
}

// upstream is how long a model call takes between the budget check and
// its settling (real ones take longer).
const upstream = 50 * time.Millisecond

// The same race against the check-then-spend of many gateways (read the
// totals, compare, make the call, add its cost) overspends: the test above
// can tell.
func TestNaiveCheckThenSpendOverspends(t *testing.T) {
	s, db := concurrentStore(t)
	ctx := t.Context()
	_, run := mustRun(t, s)
	if err := s.SetLLMBudget(ctx, run.ID, "", 250); err != nil {
		t.Fatal(err)
	}
	naive := func() bool {
		var b struct{ SpentMicro, ReservedMicro, LimitMicro int64 }
		if err := db.Raw("SELECT spent_micro, reserved_micro, limit_micro FROM llm_budgets WHERE run_id = ? AND phase = ''", run.ID).Scan(&b).Error; err != nil {
			t.Error(err)
			return false
		}
		if b.SpentMicro+b.ReservedMicro+10 > b.LimitMicro {
			return false
		}
		time.Sleep(upstream)
		return db.Exec("UPDATE llm_budgets SET spent_micro = spent_micro + 10 WHERE run_id = ? AND phase = ''", run.ID).Error == nil
	}
	served := race(64, naive)
	budgets, err := s.LLMBudgets(ctx, run.ID)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("check-then-spend served %d calls of 10 on a budget of 250: spent %d", served, budgets[0].SpentMicro)
	if budgets[0].SpentMicro <= budgets[0].LimitMicro {
		t.Errorf("the naive check held (%d served): the race did not happen, so the test above proves nothing", served)
	}
}

// A settle retried, or raced by the sweeper, charges once; the sweeper
// charges a call that never settled its full reservation.
func TestLLMCallSettlesOnce(t *testing.T) {
	s, _ := newStore(t)
	ctx := t.Context()
	_, run := mustRun(t, s)
	if err := s.SetLLMBudget(ctx, run.ID, "", 1000); err != nil {
		t.Fatal(err)
	}
	settled, err := s.ReserveLLMCall(ctx, grader.ModelCall{RunID: run.ID, Phase: "query", ReservedMicro: 300, StartedAt: t0})
	if err != nil {
		t.Fatal(err)
	}
	lost, err := s.ReserveLLMCall(ctx, grader.ModelCall{RunID: run.ID, Phase: "query", ReservedMicro: 200, StartedAt: t0.Add(time.Minute)})
	if err != nil {
		t.Fatal(err)
	}
	for range 2 {
		if err := s.SettleLLMCall(ctx, grader.ModelCall{ID: settled, CostMicro: 120, CostSource: grader.CostProvider}, t0); err != nil {
			t.Fatal(err)
		}
	}
	n, err := s.SweepLLMCalls(ctx, t0.Add(2*time.Minute), t0.Add(3*time.Minute))
	if err != nil || n != 1 {
		t.Fatalf("swept %d calls: %v", n, err)
	}
	if err := s.SettleLLMCall(ctx, grader.ModelCall{ID: lost, CostMicro: 1, CostSource: grader.CostProvider}, t0); err != nil {
		t.Fatal(err)
	}
	budgets, err := s.LLMBudgets(ctx, run.ID)
	if err != nil {
		t.Fatal(err)
	}
	if b := budgets[0]; b.SpentMicro != 120+200 || b.ReservedMicro != 0 {
		t.Errorf("budget %+v, want 320 spent (120 settled, 200 swept) and nothing reserved", b)
	}
	if _, err := s.ReserveLLMCall(ctx, grader.ModelCall{RunID: run.ID, Phase: "query", ReservedMicro: 681, StartedAt: t0}); grader.ErrorCode(err) != grader.CodeQuota {
		t.Errorf("a call past the budget: %v, want a quota error", err)
	}
	_, bare := mustRun(t, s)
	if _, err := s.ReserveLLMCall(ctx, grader.ModelCall{RunID: bare.ID, Phase: "query", ReservedMicro: 1, StartedAt: t0}); grader.ErrorCode(err) != grader.CodeQuota {
		t.Errorf("a run without a budget: %v, want a quota error", err)
	}
	calls, err := s.LLMCalls(ctx, bare.ID, false)
	if err != nil || len(calls) != 0 {
		t.Errorf("a refused reservation left calls %v (%v)", calls, err)
	}
}
