package archive

import "encoding/binary"

// Signatures of the zip records countZipEntries walks.
const (
	sigDirEnd     = "PK\x05\x06"
	sigDir64End   = "PK\x06\x06"
	sigDir64Locat = "PK\x06\x07"
	sigDirHeader  = "PK\x01\x02"
)

// countZipEntries counts central directory headers the way archive/zip reads
// them (from the directory start until a header does not parse), stopping
// past limit. archive/zip allocates a File per header before we could count
// them, so a 50 MB upload of a million empty entries is refused here, before
// it costs hundreds of megabytes. It walks from every directory start
// archive/zip may pick (from the plain and the zip64 end records) and returns
// the largest count; 0 when it finds no directory, which leaves archive/zip
// to report the error.
func countZipEntries(data []byte, limit int) int {
	end := findDirEnd(data)
	if end < 0 {
		return 0
	}
	size := uint64(binary.LittleEndian.Uint32(data[end+12:]))
	offset := uint64(binary.LittleEndian.Uint32(data[end+16:]))
	n := countFrom(data, end, size, offset, limit)
	if p, size, offset, ok := dir64End(data, end); ok {
		n = max(n, countFrom(data, p, size, offset, limit))
	}
	return n
}

// countFrom counts headers from the two starts an end record at end allows:
// right before it, and at its recorded offset.
func countFrom(data []byte, end int, size, offset uint64, limit int) int {
	n := countHeaders(data, offset, limit)
	if size <= uint64(end) {
		n = max(n, countHeaders(data, uint64(end)-size, limit))
	}
	return n
}

// findDirEnd finds the end of central directory record as archive/zip does:
// the last signature in the final 65 KB whose comment fits in the data.
func findDirEnd(data []byte) int {
	start := max(0, len(data)-65*1024)
	for i := len(data) - 22; i >= start; i-- {
		if string(data[i:i+4]) == sigDirEnd {
			comment := int(binary.LittleEndian.Uint16(data[i+20:]))
			if i+22+comment <= len(data) {
				return i
			}
		}
	}
	return -1
}

// dir64End reads the zip64 end record that a locator before end points to.
func dir64End(data []byte, end int) (pos int, size, offset uint64, ok bool) {
	loc := end - 20
	if loc < 0 || string(data[loc:loc+4]) != sigDir64Locat {
		return 0, 0, 0, false
	}
	p := binary.LittleEndian.Uint64(data[loc+8:])
	if len(data) < 56 || p > uint64(len(data)-56) || string(data[p:p+4]) != sigDir64End {
		return 0, 0, 0, false
	}
	rec := data[p:]
	return int(p), binary.LittleEndian.Uint64(rec[40:]), binary.LittleEndian.Uint64(rec[48:]), true
}

// countHeaders walks consecutive central directory headers from off.
func countHeaders(data []byte, off uint64, limit int) int {
	n := 0
	for n <= limit && off <= uint64(len(data)) && uint64(len(data))-off >= 46 {
		h := data[off:]
		if string(h[:4]) != sigDirHeader {
			break
		}
		vars := uint64(binary.LittleEndian.Uint16(h[28:])) +
			uint64(binary.LittleEndian.Uint16(h[30:])) +
			uint64(binary.LittleEndian.Uint16(h[32:]))
		off += 46 + vars
		n++
	}
	return n
}
