package docker

import (
	"context"
	"testing"
	"time"

	"github.com/docker/docker/api/types/container"
)

func TestDbg(t *testing.T) {
	ses := openRun(t, sb, []string{"main"})
	l := withDefaults(testLimits())
	l.StdoutBytes = 512 << 20
	id, err := sb.create(context.Background(), ses.box(sh("yes | head -c 1000000000"), l, ses.stepMounts(ses.steps["main"]), roleStep))
	if err != nil { t.Fatal(err) }
	defer sb.remove(context.Background(), id)
	ctx := context.Background()
	out, _ := sb.attach(ctx, id, l)
	waitC, errC := sb.cli.ContainerWait(ctx, id, container.WaitConditionNextExit)
	sb.cli.ContainerStart(ctx, id, container.StartOptions{})
	st := time.Now()
	select {
	case r := <-waitC: t.Logf("wait %+v after %s", r, time.Since(st))
	case e := <-errC: t.Logf("err %v", e)
	case <-out.logs.exceeded: t.Logf("exceeded")
	}
	t.Logf("total %d", out.logs.total)
	c, _ := sb.cli.ContainerInspect(ctx, id)
	t.Logf("%+v", c.State)
}
