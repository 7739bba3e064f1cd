package main

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"takehome/exercises"
	"takehome/internal/pgtest"
	"takehome/internal/postgres"
)

func TestExerciseImportBEIR(t *testing.T) {
	url := pgtest.URL(t)
	getenv := testEnv(map[string]string{"DATABASE_URL": url})
	// Seeding stores the built-in rag-support version beside the import.
	if out := runCmd(t, getenv, "seed"); !strings.Contains(out, "exercise rag-support version 1") {
		t.Fatalf("seed: %q", out)
	}
	out := runCmd(t, getenv, "exercise", "import-beir", "--slug", "acme-docs", "testdata/beir-small")
	if !strings.Contains(out, "exercise acme-docs version 1: 1 dev queries in the kit, 7 hidden queries (engine rag-support)") {
		t.Fatalf("unexpected output %q", out)
	}
	db, err := postgres.Open(context.Background(), url, nil)
	if err != nil {
		t.Fatal(err)
	}
	store := postgres.NewStore(db, nil)
	ctx := context.Background()
	ver, err := store.LatestVersion(ctx, "acme-docs")
	if err != nil {
		t.Fatal(err)
	}
	if ver.Spec.EngineSlug() != "rag-support" || ver.Spec.Slug != "acme-docs" {
		t.Fatalf("spec %+v", ver.Spec)
	}
	hidden, err := store.EvalSet(ctx, ver.ID, exercises.SetHidden)
	if err != nil {
		t.Fatal(err)
	}
	var qrels map[string]int
	for _, it := range hidden.Items {
		var l struct{ Qrels map[string]int }
		if err := json.Unmarshal(it.Label, &l); err != nil {
			t.Fatal(err)
		}
		if it.Key == "q1" {
			qrels = l.Qrels
		}
		if strings.Contains(string(it.Input), "qrels") {
			t.Errorf("input of %s carries labels: %s", it.Key, it.Input)
		}
	}
	if qrels == nil { // q1 is the dev query
		pub, _ := store.EvalSet(ctx, ver.ID, exercises.SetPublic)
		_ = json.Unmarshal(pub.Items[0].Label, &struct{ Qrels *map[string]int }{&qrels})
	}
	if qrels["d1"] != 1 || qrels["d3"] != 0 || len(qrels) != 2 {
		t.Errorf("q1 qrels %v, want d1:1 d3:0", qrels)
	}
	assets, err := store.VersionFiles(ctx, ver.ID, postgres.FileAsset)
	if err != nil || len(assets) != 1 || strings.Count(string(assets[0].Data), "\n") != 8 {
		t.Fatalf("assets %v, %v", assets, err)
	}
}

func TestExerciseImportBEIRRejectsBadFolders(t *testing.T) {
	getenv := testEnv(map[string]string{"DATABASE_URL": "postgres://nobody@127.0.0.1:1/none"})
	write := func(t *testing.T, corpus, queries, qrels string) string {
		dir := t.TempDir()
		os.MkdirAll(filepath.Join(dir, "qrels"), 0o755)
		os.WriteFile(filepath.Join(dir, "corpus.jsonl"), []byte(corpus), 0o644)
		os.WriteFile(filepath.Join(dir, "queries.jsonl"), []byte(queries), 0o644)
		os.WriteFile(filepath.Join(dir, "qrels", "test.tsv"), []byte(qrels), 0o644)
		return dir
	}
	okCorpus := `{"_id":"d1","title":"a","text":"x"}` + "\n" + `{"_id":"d2","title":"b","text":"y"}` + "\n"
	okQueries := `{"_id":"q1","text":"x"}` + "\n" + `{"_id":"q2","text":"y"}` + "\n"
	tests := []struct{ name, corpus, queries, qrels, want string }{
		{"malformed corpus", "{not json\n", okQueries, "q1\td1\t1\n", "corpus.jsonl line 1"},
		{"duplicate doc", okCorpus + `{"_id":"d1","text":"z"}` + "\n", okQueries, "q1\td1\t1\n", `_id "d1" appears twice`},
		{"unknown doc", okCorpus, okQueries, "q1\td9\t1\nq2\td2\t1\n", `corpus-id "d9" is not in corpus.jsonl`},
		{"unknown query", okCorpus, okQueries, "q7\td1\t1\n", `query-id "q7" is not in queries.jsonl`},
		{"bad score", okCorpus, okQueries, "q1\td1\thigh\n", `score "high"`},
		{"too few", okCorpus, okQueries, "q1\td1\t1\n", "need at least 2"},
		{"bad slug", okCorpus, okQueries, "q1\td1\t1\nq2\td2\t1\n", "slug"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			slug := "team-docs"
			if tt.name == "bad slug" {
				slug = "Bad Slug"
			}
			err := run(context.Background(), []string{"exercise", "import-beir", "--slug", slug, write(t, tt.corpus, tt.queries, tt.qrels)}, getenv, os.Stdout, os.Stderr)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("got %v, want %q", err, tt.want)
			}
		})
	}
	if err := run(context.Background(), []string{"exercise", "import-beir", "--slug", "x1", t.TempDir()}, getenv, os.Stdout, os.Stderr); err == nil || !strings.Contains(err.Error(), "corpus.jsonl") {
		t.Fatalf("missing files: %v", err)
	}
}
