// Package archive turns an uploaded zip or tar.gz, or a directory on disk,
// into the files of a submission. Uploads are hostile: every entry is checked
// (names, types, duplicates, sizes counted while decompressing) before any
// file is returned, and nothing is ever written to disk. Read returns every
// file; Check applies the same rules to an archive read through an
// io.ReaderAt, such as a spooled upload, in memory that does not grow with
// the archive, and returns the names and the small files only.
//
// It also writes deterministic zip and tar.gz archives for starter kits,
// tests and tools.
package archive
