//! The build script of a consumer project (the consumer tests copy it into a new `zig init`
//! project): an executable `consumer` from `src/main.zig`, importing one module of the Lode
//! package, which build.zig.zon names as the dependency `lode` (by path).

const std = @import("std");

pub fn build(b: *std.Build) void {
    const target = b.standardTargetOptions(.{});
    const optimize = b.standardOptimizeOption(.{});
    const module = b.option([]const u8, "lode-module", "The module of Lode's package to use: lode or lode_c") orelse "lode";
    const lib_dir = b.option([]const u8, "lode-lib-dir", "Directory holding liblode.a, passed on to the package");

    const lode = b.dependency("lode", .{
        .target = target,
        .optimize = optimize,
        .@"lode-lib-dir" = lib_dir orelse "../target/release",
    });
    const exe = b.addExecutable(.{
        .name = "consumer",
        .root_module = b.createModule(.{
            .root_source_file = b.path("src/main.zig"),
            .target = target,
            .optimize = optimize,
            .imports = &.{.{ .name = module, .module = lode.module(module) }},
        }),
    });
    b.installArtifact(exe);
    const run = b.addRunArtifact(exe);
    b.step("run", "Run the consumer").dependOn(&run.step);
}
