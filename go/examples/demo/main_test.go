// Checks that the demo prints, word for word, what every language's demo prints
// (cpp/examples/demo.expected in the repository).
package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestDemoOutput(t *testing.T) {
	expected, err := os.ReadFile(filepath.Join("..", "..", "..", "cpp", "examples", "demo.expected"))
	if err != nil {
		t.Skipf("no expected output to compare with (outside the repository?): %v", err)
	}
	var want []string
	for _, line := range strings.Split(strings.TrimSpace(string(expected)), "\n") {
		if !strings.HasPrefix(line, "#") {
			want = append(want, line)
		}
	}
	var out bytes.Buffer
	if err := run(&out, filepath.Join(t.TempDir(), "demo.lode")); err != nil {
		t.Fatal(err)
	}
	if got := strings.TrimSpace(out.String()); got != strings.Join(want, "\n") {
		t.Fatalf("the demo printed:\n%s\nwant:\n%s", got, strings.Join(want, "\n"))
	}
}
