package archive

import "testing"

func FuzzRead(f *testing.F) {
	good, _ := Zip(sampleFiles()[:3])
	goodTgz, _ := TarGz(sampleFiles()[:3])
	f.Add(good)
	f.Add(goodTgz)
	f.Add(good[:len(good)/2])
	f.Add(tarOf(f, reg("a.py", "x"), special('2', "l", "/etc")))
	f.Add([]byte("PK\x05\x06" + string(make([]byte, 18))))
	f.Add([]byte{0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 0xff})
	lim := Limits{MaxCompressed: 1 << 20, MaxUncompressed: 1 << 20, MaxEntries: 100, MaxDepth: 8, MaxNameLen: 64}
	f.Fuzz(func(t *testing.T, data []byte) {
		files, err := readBoth(t, data, lim)
		if err != nil {
			return
		}
		var size int
		for _, file := range files {
			size += len(file.Data)
		}
		if size > int(lim.MaxUncompressed) || len(files) > lim.MaxEntries {
			t.Fatalf("Read returned %d files of %d bytes, past the limits", len(files), size)
		}
		if _, err := checkFiles(files); err != nil {
			t.Fatalf("Read returned a name it should refuse: %v", err)
		}
	})
}
