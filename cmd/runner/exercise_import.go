package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"takehome/exercises"
	"takehome/exercises/rag"
	"takehome/internal/postgres"
)

// maxBEIRFile caps each file of an imported BEIR folder.
const maxBEIRFile = 200 << 20

// cmdExerciseImportBEIR creates a retrieval exercise version from a BEIR
// folder; its hidden qrels go to the database like any eval set.
func cmdExerciseImportBEIR(ctx context.Context, e *env, args []string) error {
	cfg := defaultConfig()
	fs := newFlagSet(e, "exercise import-beir", "exercise import-beir --slug SLUG [--database-url URL] DIR (corpus.jsonl, queries.jsonl, qrels/test.tsv)")
	slug := fs.String("slug", "", "slug of the new exercise (required)")
	cfg.flags(fs, e.getenv, "db")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *slug == "" || fs.NArg() != 1 {
		fs.Usage()
		return errors.New("exercise import-beir needs --slug SLUG and one DIR")
	}
	if err := cfg.Validate("db"); err != nil {
		return err
	}
	v, err := readBEIR(fs.Arg(0), *slug)
	if err != nil {
		return err
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

// readBEIR opens the folder's three files under a size cap each.
func readBEIR(dir, slug string) (*exercises.Version, error) {
	var rs [3]io.Reader
	for i, name := range []string{"corpus.jsonl", "queries.jsonl", filepath.Join("qrels", "test.tsv")} {
		p := filepath.Join(dir, name)
		info, err := os.Lstat(p)
		switch {
		case err != nil:
			return nil, fmt.Errorf("BEIR folder: %w", err)
		case !info.Mode().IsRegular():
			return nil, fmt.Errorf("BEIR folder: %s is not a regular file", p)
		case info.Size() > maxBEIRFile:
			return nil, fmt.Errorf("BEIR folder: %s is %d bytes, more than %d", p, info.Size(), maxBEIRFile)
		}
		f, err := os.Open(p)
		if err != nil {
			return nil, err
		}
		defer f.Close()
		rs[i] = io.LimitReader(f, maxBEIRFile)
	}
	v, err := rag.FromBEIR(slug, rag.BEIR{Corpus: rs[0], Queries: rs[1], Qrels: rs[2]})
	if err != nil {
		return nil, fmt.Errorf("import %s: %w", dir, err)
	}
	return v, nil
}
