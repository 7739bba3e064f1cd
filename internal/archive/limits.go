package archive

import "fmt"

// MaxPathLen is the longest entry path accepted, in bytes.
const MaxPathLen = 1024

// Limits bound what an archive may hold.
type Limits struct {
	MaxCompressed   int64 // bytes of the archive itself
	MaxUncompressed int64 // bytes of all files, counted while reading
	MaxEntries      int   // files, directories and other entries
	MaxDepth        int   // path elements in one name
	MaxNameLen      int   // bytes in one path element
}

// DefaultLimits are the limits of an upload: 50 MB compressed, 500 MB
// uncompressed, 10,000 entries, 32 levels, 255-byte path elements.
func DefaultLimits() Limits {
	return Limits{
		MaxCompressed:   50 << 20,
		MaxUncompressed: 500 << 20,
		MaxEntries:      10_000,
		MaxDepth:        32,
		MaxNameLen:      255,
	}
}

// formatSize prints a byte count the way limits are usually set.
func formatSize(n int64) string {
	switch {
	case n >= 1<<20 && n%(1<<20) == 0:
		return fmt.Sprintf("%d MB", n>>20)
	case n >= 1<<10 && n%(1<<10) == 0:
		return fmt.Sprintf("%d KB", n>>10)
	}
	return fmt.Sprintf("%d bytes", n)
}
