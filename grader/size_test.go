package grader

import "testing"

func TestFormatSizes(t *testing.T) {
	for n, want := range map[int64]string{0: "0 bytes", 900: "900 bytes", 1536: "1.50 KB", 14447616: "13.8 MB", 200 << 20: "200 MB", 3 << 30: "3.00 GB"} {
		if got := FormatSize(n); got != want {
			t.Errorf("FormatSize(%d) = %q, want %q", n, got, want)
		}
	}
	for n, want := range map[int64]string{50 << 20: "50 MB", 512 << 10: "512 KB", 1000: "1000 bytes"} {
		if got := FormatBytes(n); got != want {
			t.Errorf("FormatBytes(%d) = %q, want %q", n, got, want)
		}
	}
}
