// The proof that `go get` works: the packaged Lode module (`cargo tools package go`), served by
// a file-system module proxy, is fetched into a brand-new module by `go get`, built, and run,
// with no Rust toolchain on the PATH and no linker flags or library paths set.
//
// LODE_GOPROXY names the proxy directory (build/package/goproxy); without it the test skips.
// `cargo tools test go` sets it.
package goget

import (
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

const module = "github.com/lode-db/lode/go"

func TestGoGet(t *testing.T) {
	proxy := os.Getenv("LODE_GOPROXY")
	if proxy == "" {
		t.Skip("LODE_GOPROXY is not set: run `cargo tools package go` and point it at build/package/goproxy")
	}
	proxy, err := filepath.Abs(proxy)
	if err != nil {
		t.Fatal(err)
	}
	versions, err := os.ReadFile(filepath.Join(proxy, module, "@v", "list"))
	if err != nil {
		t.Fatalf("no packaged module in %s: %v", proxy, err)
	}
	version := strings.Fields(string(versions))[0]

	work := t.TempDir()
	consumer := filepath.Join(work, "consumer")
	modCache := filepath.Join(work, "modcache")
	if err := os.MkdirAll(consumer, 0o755); err != nil {
		t.Fatal(err)
	}
	source, err := os.ReadFile(filepath.Join("testdata", "consumer", "main.go"))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(consumer, "main.go"), source, 0o644); err != nil {
		t.Fatal(err)
	}

	env := cleanEnv(t, map[string]string{
		"GOPROXY":     "file://" + filepath.ToSlash(proxy),
		"GOSUMDB":     "off",
		"GONOSUMDB":   "*",
		"GOFLAGS":     "-mod=mod",
		"GOTOOLCHAIN": "local",
		"GOWORK":      "off",
		"GOMODCACHE":  modCache,
		"CGO_ENABLED": "1",
	})
	goBin := filepath.Join(runtime.GOROOT(), "bin", "go")
	run := func(name string, args ...string) string {
		t.Helper()
		cmd := exec.Command(name, args...)
		cmd.Dir, cmd.Env = consumer, env
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("%s %s: %v\n%s", name, strings.Join(args, " "), err, out)
		}
		return string(out)
	}
	// The module cache is read-only: remove it through go, or t.TempDir cannot.
	t.Cleanup(func() {
		cmd := exec.Command(goBin, "clean", "-modcache")
		cmd.Env = env
		cmd.Run()
	})

	run(goBin, "mod", "init", "example.com/consumer")
	run(goBin, "get", module+"@"+version)
	run(goBin, "build", "-o", "app", ".")
	out := run(filepath.Join(consumer, "app"))
	want := "get b -> value of b\nscan a\nscan b\nscan c\nlode " + strings.TrimPrefix(version, "v") + "\n"
	if out != want {
		t.Fatalf("the consumer printed:\n%s\nwant:\n%s", out, want)
	}
}

// cleanEnv is this process's environment without a Rust toolchain on the PATH and without any
// variable that would help the linker find Lode, plus set.
func cleanEnv(t *testing.T, set map[string]string) []string {
	var path []string
	for _, dir := range filepath.SplitList(os.Getenv("PATH")) {
		if exists(filepath.Join(dir, "cargo")) || exists(filepath.Join(dir, "rustc")) {
			continue
		}
		path = append(path, dir)
	}
	path = append([]string{filepath.Join(runtime.GOROOT(), "bin")}, path...)
	var env []string
	for _, kv := range os.Environ() {
		name, _, _ := strings.Cut(kv, "=")
		switch {
		case name == "PATH", name == "LD_LIBRARY_PATH", name == "LIBRARY_PATH", name == "CARGO",
			name == "RUSTUP_TOOLCHAIN", strings.HasPrefix(name, "CGO_"), strings.HasPrefix(name, "CARGO_"):
			continue
		}
		if _, overridden := set[name]; !overridden {
			env = append(env, kv)
		}
	}
	env = append(env, "PATH="+strings.Join(path, string(filepath.ListSeparator)))
	for name, value := range set {
		env = append(env, name+"="+value)
	}
	for _, tool := range []string{"cargo", "rustc"} {
		if found := lookPath(path, tool); found != "" {
			t.Fatalf("%s is still reachable at %s", tool, found)
		}
	}
	return env
}

func lookPath(path []string, name string) string {
	for _, dir := range path {
		if exists(filepath.Join(dir, name)) {
			return filepath.Join(dir, name)
		}
	}
	return ""
}

func exists(path string) bool {
	_, err := os.Stat(path)
	return err == nil
}
