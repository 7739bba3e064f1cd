package docker

import (
	"context"
	"testing"

	"takehome/exercises"
)

func TestDoctor(t *testing.T) {
	t.Parallel()
	for _, c := range sb.Doctor(context.Background(), exercises.PythonImage) {
		t.Logf("%-15s ok=%v %s", c.Name, c.OK, c.Detail)
		if !c.OK {
			t.Errorf("check %s failed: %s", c.Name, c.Detail)
		}
	}
}
