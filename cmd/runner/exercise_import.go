package main

import (
	"context"
	"errors"
	"fmt"

	"takehome/exercises"
	"takehome/exercises/rag"
	"takehome/internal/postgres"
)

// cmdExerciseImportBEIR creates a retrieval exercise version from a BEIR
// folder; its hidden qrels go to the database like any eval set.
func cmdExerciseImportBEIR(ctx context.Context, e *env, args []string) error {
	cfg := defaultConfig()
	fs := newFlagSet(e, "exercise import-beir", "exercise import-beir --slug SLUG [--database-url URL] DIR (corpus.jsonl, queries.jsonl, qrels/test.tsv)")
	slug := fs.String("slug", "", "slug of the new exercise (required)")
	cfg.flags(fs, "db")
	if err := cfg.parse(fs, e.getenv, args); err != nil {
		return err
	}
	if *slug == "" || fs.NArg() != 1 {
		fs.Usage()
		return errors.New("exercise import-beir needs --slug SLUG and one DIR")
	}
	if err := cfg.Validate("db"); err != nil {
		return err
	}
	files, err := readBEIRFolder(fs.Arg(0))
	if err != nil {
		return err
	}
	v, err := rag.ImportBEIR(files, *slug)
	if err != nil {
		return fmt.Errorf("import %s: %w", fs.Arg(0), err)
	}
	db, err := openDB(ctx, cfg, newLogger(e), true)
	if err != nil {
		return err
	}
	ver, err := postgres.NewStore(db, nil).CreateVersion(ctx, v)
	if err != nil {
		return err
	}
	pub, _ := v.Set(exercises.SetPublic)
	hid, _ := v.Set(exercises.SetHidden)
	fmt.Fprintf(e.stdout, "exercise %s version %d: %d dev queries in the kit, %d hidden queries (engine %s)\n",
		ver.Slug, ver.Number, len(pub.Items), len(hid.Items), v.Spec.EngineSlug())
	return nil
}
