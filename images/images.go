// Package images embeds the sandbox image build contexts, so that
// `runner images build` works from the binary alone.
package images

import (
	"bufio"
	"bytes"
	"embed"
	"fmt"
	"strings"

	"takehome/exercises"
)

// Contexts holds one build context directory per image.
//
//go:embed python
var Contexts embed.FS

// Image is one sandbox image and the directory of its build context.
type Image struct {
	Tag string
	Dir string
}

// All lists the sandbox images exercises use.
var All = []Image{
	{Tag: exercises.PythonImage, Dir: "python"},
}

// OnlineBase is the base image pulled when a registry answers. It is
// Debian bookworm's Python 3.11 like the offline base, because the pinned
// wheels (python/requirements.txt) exist for 3.11 and not for 3.12.
const OnlineBase = "python:3.11-slim-bookworm"

// OfflineBase is the image scripts/offline-base.sh builds with debootstrap.
const OfflineBase = "takehome/base-offline:bookworm"

// PythonVersion is the Python (major.minor) both bases ship.
const PythonVersion = "3.11"

// BuildArgs returns the Dockerfile build arguments for building on base:
// on the offline base the libraries come from Debian, not from pip.
func BuildArgs(base string) map[string]*string {
	args := map[string]*string{"BASE": &base}
	if base == OfflineBase {
		one := "1"
		args["OFFLINE"] = &one
	}
	return args
}

// Requirement is one pinned Python distribution.
type Requirement struct {
	Name    string
	Version string
}

// PythonRequirements returns the pins of python/requirements.txt, in file
// order: what pip installs online and what the offline image must report.
func PythonRequirements() ([]Requirement, error) {
	data, err := Contexts.ReadFile("python/requirements.txt")
	if err != nil {
		return nil, err
	}
	var reqs []Requirement
	sc := bufio.NewScanner(bytes.NewReader(data))
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		name, version, ok := strings.Cut(line, "==")
		if !ok {
			return nil, fmt.Errorf("requirements.txt: %q is not pinned with ==", line)
		}
		reqs = append(reqs, Requirement{Name: name, Version: version})
	}
	return reqs, sc.Err()
}
