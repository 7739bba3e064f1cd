package archive

import (
	"archive/tar"
	"archive/zip"
	"fmt"
	"io/fs"
	"strings"
	"testing"

	"takehome/grader"
)

func TestReadRejects(t *testing.T) {
	long := strings.Repeat("x", 256)
	deep := strings.Repeat("a/", 40) + "f.py"
	tooLongPath := strings.Repeat(strings.Repeat("y", 250)+"/", 5) + "f.py"
	tests := []struct {
		name string
		data func(t *testing.T) []byte
		lim  Limits
		msg  string
	}{
		{"tar slip", tgz(reg("ok.py", "x"), reg("../x", "pwned")), Limits{}, `archive entry "../x": path escapes the archive root`},
		{"tar slip nested", tgz(reg("a/../../x", "pwned")), Limits{}, `archive entry "a/../../x": path escapes the archive root`},
		{"tar absolute", tgz(reg("/etc/x", "pwned")), Limits{}, `archive entry "/etc/x": absolute paths are not allowed`},
		{"zip slip", zp(zipEntry{Name: "../../etc/passwd", Body: "root::0:0"}), Limits{}, `archive entry "../../etc/passwd": path escapes the archive root`},
		{"zip absolute", zp(zipEntry{Name: "/etc/passwd"}), Limits{}, `archive entry "/etc/passwd": absolute paths are not allowed`},
		{"zip backslash", zp(zipEntry{Name: `..\..\evil.exe`}), Limits{}, `archive entry "..\\..\\evil.exe": name contains a backslash`},
		{"zip drive letter", zp(zipEntry{Name: "C:/Windows/x"}), Limits{}, `archive entry "C:/Windows/x": drive letters are not allowed`},
		{"zip NUL", zp(zipEntry{Name: "a\x00.py"}), Limits{}, `archive entry "a\x00.py": name contains a NUL byte`},
		{"zip control character", zp(zipEntry{Name: "a\nb.py"}), Limits{}, `archive entry "a\nb.py": name contains a control character`},
		{"zip invalid UTF-8", zp(zipEntry{Name: "caf\xe9.py"}), Limits{}, `archive entry "caf\xe9.py": name is not valid UTF-8`},
		{"zip empty element", zp(zipEntry{Name: "a//b.py"}), Limits{}, `archive entry "a//b.py": path has an empty or "." element`},
		{"tar symlink", tgz(special(tar.TypeSymlink, "link", "/etc/passwd")), Limits{}, `archive entry "link": symbolic links are not allowed`},
		{"zip symlink", zp(zipEntry{Name: "link", Body: "/etc/passwd", Mode: fs.ModeSymlink | 0o777}), Limits{}, `archive entry "link": symbolic links are not allowed`},
		{"tar hardlink", tgz(reg("a", "x"), special(tar.TypeLink, "hl", "/etc/shadow")), Limits{}, `archive entry "hl": hard links are not allowed`},
		{"tar link then write", tgz(special(tar.TypeSymlink, "d", "/tmp"), reg("d/file", "pwned")), Limits{}, `archive entry "d": symbolic links are not allowed`},
		{"zip link then write", zp(zipEntry{Name: "d", Body: "/tmp", Mode: fs.ModeSymlink | 0o777}, zipEntry{Name: "d/file", Body: "pwned"}), Limits{}, `archive entry "d": symbolic links are not allowed`},
		{"tar fifo", tgz(special(tar.TypeFifo, "pipe", "")), Limits{}, `archive entry "pipe": named pipes (FIFOs) are not allowed`},
		{"tar char device", tgz(special(tar.TypeChar, "dev/null", "")), Limits{}, `archive entry "dev/null": character devices are not allowed`},
		{"tar block device", tgz(special(tar.TypeBlock, "dev/sda", "")), Limits{}, `archive entry "dev/sda": block devices are not allowed`},
		{"tar unknown type", tgz(special('7', "contiguous", "")), Limits{}, `archive entry "contiguous": entry type '7' is not allowed`},
		{"zip fifo", zp(zipEntry{Name: "pipe", Mode: fs.ModeNamedPipe | 0o644}), Limits{}, `archive entry "pipe": named pipes (FIFOs) are not allowed`},
		{"zip device", zp(zipEntry{Name: "null", Mode: fs.ModeDevice | fs.ModeCharDevice | 0o644}), Limits{}, `archive entry "null": character devices are not allowed`},
		{"deep nesting", tgz(reg(deep, "x")), Limits{}, fmt.Sprintf(`archive entry %q: path is more than 32 levels deep`, deep)},
		{"long element", zp(zipEntry{Name: long}), Limits{}, `archive entry "` + long[:120] + `"...: path element is longer than 255 bytes`},
		{"long path", tgz(reg(tooLongPath, "x")), Limits{}, `archive entry "` + tooLongPath[:120] + `"...: path is longer than 1024 bytes`},
		{"case collision", zp(zipEntry{Name: "A.py"}, zipEntry{Name: "a.py"}), Limits{}, `archive entry "a.py": collides with "A.py" on case-insensitive file systems`},
		{"case collision of a directory", tgz(reg("Src/a.py", ""), reg("src/b.py", "")), Limits{}, `archive entry "src/b.py": "src" collides with "Src" on case-insensitive file systems`},
		{"normalisation collision", zp(zipEntry{Name: "caf\u00e9.py"}, zipEntry{Name: "cafe\u0301.py"}), Limits{}, "archive entry \"cafe\u0301.py\": collides with \"caf\u00e9.py\" on case-insensitive file systems"},
		{"duplicate zip entry", zp(zipEntry{Name: "a.py", Body: "1"}, zipEntry{Name: "a.py", Body: "2"}), Limits{}, `archive entry "a.py": duplicate entry`},
		{"duplicate tar entry", tgz(reg("a.py", "1"), reg("./a.py", "2")), Limits{}, `archive entry "./a.py": duplicate entry`},
		{"file then directory", tgz(reg("a", "1"), reg("a/b", "2")), Limits{}, `archive entry "a/b": "a" is both a file and a directory`},
		{"directory then file", zp(zipEntry{Name: "a/"}, zipEntry{Name: "a"}), Limits{}, `archive entry "a": "a" is both a file and a directory`},
		{"empty zip", zp(), Limits{}, `archive contains no files`},
		{"empty tar.gz", tgz(), Limits{}, `archive contains no files`},
		{"directories only", tgz(dirEntry("a/"), dirEntry("a/b/")), Limits{}, `archive contains no files`},
		{"no bytes", raw(nil), Limits{}, `not a zip or tar.gz archive`},
		{"garbage", raw([]byte("this is not an archive, just some text that goes on for a while")), Limits{}, `not a zip or tar.gz archive`},
		{"gzip of garbage", gz("hello, not a tar"), Limits{}, `tar.gz archive is corrupt or truncated: unexpected EOF`},
		{"truncated zip", truncated(zp(zipEntry{Name: "a.py", Body: strings.Repeat("print(1)\n", 100)})), Limits{}, `zip archive is corrupt or truncated: zip: not a valid zip file`},
		{"truncated tar.gz", truncated(tgz(reg("a.py", strings.Repeat("print(1)\n", 1000)))), Limits{}, `tar.gz archive is corrupt or truncated: unexpected EOF`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			lim := tt.lim
			if lim == (Limits{}) {
				lim = DefaultLimits()
			}
			files, err := readBoth(t, tt.data(t), lim)
			wantError(t, err, grader.CodeUnprocessable, tt.msg)
			if files != nil {
				t.Errorf("files = %v, want none", files)
			}
		})
	}
}

func TestReadRejectsZipOddities(t *testing.T) {
	tests := []struct {
		name string
		hdr  zip.FileHeader
		msg  string
	}{
		{"encrypted", zip.FileHeader{Name: "secret.py", Method: zip.Store, Flags: 0x1}, `archive entry "secret.py": encrypted entries are not supported`},
		{"unknown method", zip.FileHeader{Name: "a.py", Method: 12}, `archive entry "a.py": unsupported compression method 12`},
		{"declared size too big", zip.FileHeader{Name: "a.py", Method: zip.Store, UncompressedSize64: 2048}, `archive entry "a.py": content ends before its declared size of 2048 bytes`},
		{"bad checksum", zip.FileHeader{Name: "a.py", Method: zip.Store, UncompressedSize64: 5, CRC32: 1}, `archive entry "a.py": checksum mismatch`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := readBoth(t, rawZip(t, tt.hdr, []byte("hello")), DefaultLimits())
			wantError(t, err, grader.CodeUnprocessable, tt.msg)
		})
	}
}

func TestReadTooLarge(t *testing.T) {
	data := zipOf(t, zipEntry{Name: "a.py", Body: strings.Repeat("x", 1000)})
	_, err := readBoth(t, data, testLimits(func(l *Limits) { l.MaxCompressed = 100 }))
	wantError(t, err, grader.CodeTooLarge, "archive is larger than 100 bytes")
	_, err = readBoth(t, data, testLimits(func(l *Limits) { l.MaxUncompressed = 512 }))
	wantError(t, err, grader.CodeTooLarge, "archive expands to more than 512 bytes")
}

// tgz, zp, raw and truncated make lazy test inputs.
func tgz(entries ...tarEntry) func(*testing.T) []byte {
	return func(t *testing.T) []byte { return tarGzOf(t, entries...) }
}

func zp(entries ...zipEntry) func(*testing.T) []byte {
	return func(t *testing.T) []byte { return zipOf(t, entries...) }
}

func raw(data []byte) func(*testing.T) []byte {
	return func(*testing.T) []byte { return data }
}

func truncated(f func(*testing.T) []byte) func(*testing.T) []byte {
	return func(t *testing.T) []byte {
		data := f(t)
		return data[:len(data)/2]
	}
}

func gz(s string) func(*testing.T) []byte {
	return func(t *testing.T) []byte { return gzipped(t, []byte(s)) }
}
