package gateway

import "sync"

// flights counts calls in flight, per step token and in all, so one step
// cannot crowd out the others or hold the gateway's memory.
type flights struct {
	mu           sync.Mutex
	perStep, all int
	byStep       map[[32]byte]int
	total        int
}

func newFlights(perStep, all int) *flights {
	return &flights{perStep: perStep, all: all, byStep: map[[32]byte]int{}}
}

// acquire takes a slot for the token, or reports which cap refused it.
func (f *flights) acquire(token [32]byte) (release func(), limit int, ok bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	switch {
	case f.byStep[token] >= f.perStep:
		return nil, f.perStep, false
	case f.total >= f.all:
		return nil, f.all, false
	}
	f.byStep[token]++
	f.total++
	var once sync.Once
	return func() { once.Do(func() { f.release(token) }) }, 0, true
}

func (f *flights) release(token [32]byte) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.total--
	if f.byStep[token]--; f.byStep[token] == 0 {
		delete(f.byStep, token)
	}
}
