package archive

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
