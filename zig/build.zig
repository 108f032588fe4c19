//! Builds Lode's Zig package: the module `lode` (the generated Zig API) and the module `lode_c`
//! (the C header, translated by the build system), both linking the static library cargo builds;
//! and the package's tests, benchmark and demo.
//!
//! `-Dlode-lib-dir` names the directory of `liblode.a` (default `../target/release`, where
//! `cargo build --release -p lode-ffi` puts it); `-Dlode-include-dir` that of `lode.h` (default
//! `../generated/c`). Both are relative to this package, or absolute.

const std = @import("std");

pub fn build(b: *std.Build) void {
    const target = b.standardTargetOptions(.{});
    const optimize = b.standardOptimizeOption(.{});
    const lib_dir = b.option(
        []const u8,
        "lode-lib-dir",
        "Directory holding liblode.a (default: ../target/release)",
    ) orelse "../target/release";
    const include_dir = b.option(
        []const u8,
        "lode-include-dir",
        "Directory holding lode.h (default: ../generated/c)",
    ) orelse "../generated/c";
    const liblode = dirPath(b, lib_dir).path(b, "liblode.a");
    const include = dirPath(b, include_dir);

    const lode = b.addModule("lode", .{
        .root_source_file = b.path("src/lode.zig"),
        .target = target,
        .optimize = optimize,
    });
    linkLode(lode, liblode);

    const translated = b.addTranslateC(.{
        .root_source_file = include.path(b, "lode.h"),
        .target = target,
        .optimize = optimize,
    });
    translated.addIncludePath(include);
    const lode_c = translated.addModule("lode_c");
    linkLode(lode_c, liblode);

    const imports: []const std.Build.Module.Import = &.{
        .{ .name = "lode", .module = lode },
        .{ .name = "lode_c", .module = lode_c },
    };

    const tests = b.addTest(.{ .root_module = b.createModule(.{
        .root_source_file = b.path("tests/lode_test.zig"),
        .target = target,
        .optimize = optimize,
        .imports = imports,
    }) });
    const test_step = b.step("test", "Run the package's tests");
    test_step.dependOn(&b.addRunArtifact(tests).step);

    // The benchmark is always optimized: its numbers are compared with other languages'.
    const bench = b.addExecutable(.{ .name = "bench", .root_module = b.createModule(.{
        .root_source_file = b.path("bench/bench.zig"),
        .target = target,
        .optimize = .ReleaseFast,
        .imports = imports,
    }) });
    program(b, bench, "bench", "the benchmark workload: zig build bench -- [--n N] DIR");

    const demo = b.addExecutable(.{ .name = "demo", .root_module = b.createModule(.{
        .root_source_file = b.path("examples/demo.zig"),
        .target = target,
        .optimize = optimize,
        .imports = imports,
    }) });
    program(b, demo, "demo", "the demo: zig build demo -- DATABASE_FILE");
}

/// Steps `name` (run `exe` with the arguments after `--`) and `install-<name>` (install it).
fn program(b: *std.Build, exe: *std.Build.Step.Compile, name: []const u8, what: []const u8) void {
    const install = b.addInstallArtifact(exe, .{});
    b.step(b.fmt("install-{s}", .{name}), b.fmt("Install {s}", .{what})).dependOn(&install.step);
    const run = b.addRunArtifact(exe);
    if (b.args) |args| run.addArgs(args);
    b.step(name, b.fmt("Run {s}", .{what})).dependOn(&run.step);
}

/// A directory given as an option: relative to this package, or absolute.
fn dirPath(b: *std.Build, dir: []const u8) std.Build.LazyPath {
    return if (std.fs.path.isAbsolute(dir)) .{ .cwd_relative = dir } else b.path(dir);
}

/// Links the static library into whatever imports `module`, with what a Rust static library
/// needs besides: libc, and an unwinder (Zig builds its own libunwind).
fn linkLode(module: *std.Build.Module, liblode: std.Build.LazyPath) void {
    module.link_libc = true;
    module.addObjectFile(liblode);
    module.linkSystemLibrary("unwind", .{});
}
