package archive

import (
	"bufio"
	"encoding/binary"
	"io"
)

// Signatures of the zip records countZipEntries walks.
const (
	sigDirEnd     = "PK\x05\x06"
	sigDir64End   = "PK\x06\x06"
	sigDir64Locat = "PK\x06\x07"
	sigDirHeader  = "PK\x01\x02"
)

// dirEndSearch is how far from the end archive/zip looks for the end record.
const dirEndSearch = 65 * 1024

// countZipEntries counts central directory headers the way archive/zip reads
// them (from the directory start until a header does not parse), stopping
// past limit. archive/zip allocates a File per header before we could count
// them, so a 50 MB upload of a million empty entries is refused here, before
// it costs hundreds of megabytes. It walks from every directory start
// archive/zip may pick (from the plain and the zip64 end records) and returns
// the largest count; 0 when it finds no directory, which leaves archive/zip
// to report the error. It reads the zip of size bytes in r piecewise, in
// memory bounded whatever the size.
func countZipEntries(r io.ReaderAt, size int64, limit int) int {
	tail := make([]byte, min(size, dirEndSearch))
	base := size - int64(len(tail))
	if _, err := r.ReadAt(tail, base); err != nil {
		return 0
	}
	end := findDirEnd(tail)
	if end < 0 {
		return 0
	}
	dirSize := uint64(binary.LittleEndian.Uint32(tail[end+12:]))
	offset := uint64(binary.LittleEndian.Uint32(tail[end+16:]))
	z := zipDir{r: r, size: size, limit: limit}
	endPos := base + int64(end)
	n := z.countFrom(endPos, dirSize, offset)
	if p, dirSize, offset, ok := z.dir64End(endPos); ok {
		n = max(n, z.countFrom(p, dirSize, offset))
	}
	return n
}

// findDirEnd finds the end of central directory record in the tail of a zip
// as archive/zip does: the last signature whose comment fits in the data.
func findDirEnd(tail []byte) int {
	for i := len(tail) - 22; i >= 0; i-- {
		if string(tail[i:i+4]) == sigDirEnd {
			comment := int(binary.LittleEndian.Uint16(tail[i+20:]))
			if i+22+comment <= len(tail) {
				return i
			}
		}
	}
	return -1
}

// zipDir reads the directory records of a zip of size bytes.
type zipDir struct {
	r     io.ReaderAt
	size  int64
	limit int
}

// countFrom counts headers from the two starts an end record at end allows:
// right before it, and at its recorded offset.
func (z zipDir) countFrom(end int64, dirSize, offset uint64) int {
	n := z.countHeaders(offset)
	if dirSize <= uint64(end) {
		n = max(n, z.countHeaders(uint64(end)-dirSize))
	}
	return n
}

// dir64End reads the zip64 end record that a locator before end points to.
func (z zipDir) dir64End(end int64) (pos int64, dirSize, offset uint64, ok bool) {
	var loc [20]byte
	if end < int64(len(loc)) {
		return 0, 0, 0, false
	}
	if _, err := z.r.ReadAt(loc[:], end-int64(len(loc))); err != nil || string(loc[:4]) != sigDir64Locat {
		return 0, 0, 0, false
	}
	p := binary.LittleEndian.Uint64(loc[8:])
	var rec [56]byte
	if z.size < int64(len(rec)) || p > uint64(z.size)-uint64(len(rec)) {
		return 0, 0, 0, false
	}
	if _, err := z.r.ReadAt(rec[:], int64(p)); err != nil || string(rec[:4]) != sigDir64End {
		return 0, 0, 0, false
	}
	return int64(p), binary.LittleEndian.Uint64(rec[40:]), binary.LittleEndian.Uint64(rec[48:]), true
}

// countHeaders walks consecutive central directory headers from off.
func (z zipDir) countHeaders(off uint64) int {
	if off > uint64(z.size) {
		return 0
	}
	br := bufio.NewReaderSize(io.NewSectionReader(z.r, int64(off), z.size-int64(off)), 16<<10)
	var h [46]byte
	n := 0
	for n <= z.limit {
		if _, err := io.ReadFull(br, h[:]); err != nil || string(h[:4]) != sigDirHeader {
			break
		}
		vars := int(binary.LittleEndian.Uint16(h[28:])) +
			int(binary.LittleEndian.Uint16(h[30:])) +
			int(binary.LittleEndian.Uint16(h[32:]))
		n++
		if _, err := br.Discard(vars); err != nil {
			break
		}
	}
	return n
}
