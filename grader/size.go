package grader

import "fmt"

// FormatBytes renders a size the way limits are set: "50 MB", "512 KB" or
// "1000 bytes", so messages about limits read like their configuration.
func FormatBytes(n int64) string {
	switch {
	case n >= 1<<20 && n%(1<<20) == 0:
		return fmt.Sprintf("%d MB", n>>20)
	case n >= 1<<10 && n%(1<<10) == 0:
		return fmt.Sprintf("%d KB", n>>10)
	}
	return fmt.Sprintf("%d bytes", n)
}
