//! The Lode demo in Zig, the same short program as in every language: a transaction, a read, a
//! prefix scan, an error. Run it with `zig build demo -- DATABASE_FILE`.

const std = @import("std");
const lode = @import("lode");

pub fn main(init: std.process.Init) !void {
    const gpa = init.gpa;
    const args = try init.minimal.args.toSlice(init.arena.allocator());
    if (args.len != 2) {
        std.debug.print("usage: {s} <database file>\n", .{args[0]});
        std.process.exit(2);
    }
    var buffer: [1024]u8 = undefined;
    var stdout: std.Io.File.Writer = .init(.stdout(), init.io, &buffer);
    const out = &stdout.interface;
    defer out.flush() catch {};

    // Every call that can fail records why in these (or takes null).
    var diagnostics: lode.Diagnostics = .init(gpa);
    defer diagnostics.deinit();
    errdefer std.debug.print("lode: {s}\n", .{diagnostics.message()});

    var db = try lode.Database.open(args[1], .{}, &diagnostics);
    defer db.deinit(); // closes the database

    // Three entries in one transaction.
    const entries = [_][2][]const u8{ .{ "user:1", "alice" }, .{ "user:2", "bob" }, .{ "team:1", "core" } };
    var txn = try db.beginWrite(&diagnostics);
    defer txn.deinit(); // aborts it if unfinished
    for (entries) |entry| {
        try txn.put("demo", entry[0], entry[1], &diagnostics);
        try out.print("put {s} = {s} (in a transaction)\n", .{ entry[0], entry[1] });
    }
    try txn.commit(&diagnostics);
    try out.print("committed\n", .{});

    // Read one back: the value comes in memory from our allocator.
    const value = try db.get(gpa, "demo", "user:1", &diagnostics);
    defer gpa.free(value);
    try out.print("get user:1 -> {s}\n", .{value});

    // Scan a prefix in a snapshot: each entry is valid until the next.
    var snapshot = try db.snapshot(&diagnostics);
    defer snapshot.deinit();
    var users = try snapshot.prefix("demo", "user:", false, &diagnostics);
    defer users.deinit();
    try out.print("scan user:* ->", .{});
    while (try users.next(&diagnostics)) |entry| {
        try out.print(" {s}={s}", .{ entry.key, entry.value });
    }
    try out.print("\n", .{});

    // An error: every failure is a Zig error, with its kind and message in the diagnostics.
    if (db.get(gpa, "demo", "user:9", &diagnostics)) |missing| {
        defer gpa.free(missing);
        try out.print("get user:9 -> {s}\n", .{missing});
    } else |err| {
        try out.print("get user:9 -> error {s}: {s}\n", .{ @errorName(err), diagnostics.message() });
    }
}
