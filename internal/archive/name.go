package archive

import (
	"errors"
	"fmt"
	"io/fs"
	"strings"
	"unicode/utf8"
)

// cleanName checks an entry name and returns it without a leading "./" and,
// for a directory, without the trailing slash. It returns "" for the root
// directory itself ("./"). The error says what is wrong with the name.
func cleanName(raw string, dir bool, lim Limits) (string, error) {
	if err := checkChars(raw); err != nil {
		return "", err
	}
	if strings.HasPrefix(raw, "/") {
		return "", errors.New("absolute paths are not allowed")
	}
	if len(raw) >= 2 && raw[1] == ':' && isLetter(raw[0]) {
		return "", errors.New("drive letters are not allowed")
	}
	name := raw
	for strings.HasPrefix(name, "./") {
		name = name[2:]
	}
	if dir {
		name = strings.TrimSuffix(name, "/")
	}
	if dir && (name == "" || name == ".") {
		return "", nil
	}
	return name, checkElems(name, lim)
}

// checkChars refuses names that no file system should be asked to create.
func checkChars(name string) error {
	switch {
	case name == "":
		return errors.New("empty name")
	case !utf8.ValidString(name):
		return errors.New("name is not valid UTF-8")
	case strings.ContainsRune(name, 0):
		return errors.New("name contains a NUL byte")
	case strings.ContainsFunc(name, isControl):
		return errors.New("name contains a control character")
	case strings.ContainsRune(name, '\\'):
		return errors.New("name contains a backslash")
	}
	return nil
}

// checkElems checks the path elements of a name without its "./" prefix.
func checkElems(name string, lim Limits) error {
	elems := strings.Split(name, "/")
	for _, e := range elems {
		if e == ".." {
			return errors.New("path escapes the archive root")
		}
	}
	for _, e := range elems {
		switch {
		case e == "" || e == ".":
			return errors.New(`path has an empty or "." element`)
		case len(e) > lim.MaxNameLen:
			return fmt.Errorf("path element is longer than %d bytes", lim.MaxNameLen)
		}
	}
	if len(elems) > lim.MaxDepth {
		return fmt.Errorf("path is more than %d levels deep", lim.MaxDepth)
	}
	if len(name) > MaxPathLen {
		return fmt.Errorf("path is longer than %d bytes", MaxPathLen)
	}
	return nil
}

func isLetter(c byte) bool { return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' }

func isControl(r rune) bool { return r < 0x20 || r == 0x7f }

// typeProblem says why an entry of the given mode is refused, "" for a
// regular file or a directory.
func typeProblem(mode fs.FileMode) string {
	switch {
	case mode&fs.ModeSymlink != 0:
		return "symbolic links are not allowed"
	case mode&fs.ModeNamedPipe != 0:
		return "named pipes (FIFOs) are not allowed"
	case mode&fs.ModeCharDevice != 0:
		return "character devices are not allowed"
	case mode&fs.ModeDevice != 0:
		return "block devices are not allowed"
	case mode&fs.ModeSocket != 0:
		return "sockets are not allowed"
	case mode.Type()&^fs.ModeDir != 0:
		return "special files are not allowed"
	}
	return ""
}

// quoteName quotes a name for a message, shortening very long ones.
func quoteName(name string) string {
	const max = 120
	if len(name) <= max {
		return fmt.Sprintf("%q", name)
	}
	return fmt.Sprintf("%q...", name[:max])
}
