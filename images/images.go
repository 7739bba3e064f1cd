// Package images embeds the sandbox image build contexts, so that
// `runner images build` works from the binary alone.
package images

import (
	"embed"

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

// OfflineBase is the image scripts/offline-base.sh builds with debootstrap.
const OfflineBase = "takehome/base-offline:bookworm"
