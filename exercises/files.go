package exercises

import (
	"fmt"
	"io/fs"
	"path"
)

// ReadFiles reads every file below root in fsys (usually an embedded tree)
// as Files named relative to root, in lexical order.
func ReadFiles(fsys fs.FS, root string) ([]File, error) {
	var files []File
	err := fs.WalkDir(fsys, root, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := fs.ReadFile(fsys, p)
		if err != nil {
			return err
		}
		files = append(files, File{Name: p[len(root)+1:], Data: data})
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", root, err)
	}
	return files, nil
}

// ReadReferences fills in the files of each named reference from the
// directory dir/<name> in fsys.
func ReadReferences(fsys fs.FS, dir string, refs []Reference) ([]Reference, error) {
	out := make([]Reference, len(refs))
	for i, r := range refs {
		files, err := ReadFiles(fsys, path.Join(dir, r.Name))
		if err != nil {
			return nil, fmt.Errorf("reference %s: %w", r.Name, err)
		}
		r.Files = files
		out[i] = r
	}
	return out, nil
}
