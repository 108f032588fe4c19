//! The Zig package's tests (`zig build test`): the whole API of the `lode` module, under
//! `std.testing.allocator`'s leak checks, and the `lode_c` module's agreement with it.

const std = @import("std");
const lode = @import("lode");
const lode_c = @import("lode_c");

const testing = std.testing;
const gpa = testing.allocator;

/// A database in memory with `table` holding `entries`.
fn filled(table: []const u8, entries: []const [2][]const u8) !lode.Database {
    var db = try lode.Database.openInMemory(null);
    errdefer db.deinit();
    var txn = try db.beginWrite(null);
    defer txn.deinit();
    for (entries) |entry| try txn.put(table, entry[0], entry[1], null);
    try txn.commit(null);
    return db;
}

/// The keys an iterator yields, joined by spaces (the caller frees the text).
fn keysOf(it: *lode.Iter) ![]u8 {
    var out: std.ArrayList(u8) = .empty;
    errdefer out.deinit(gpa);
    while (try it.next(null)) |entry| {
        if (out.items.len > 0) try out.append(gpa, ' ');
        try out.appendSlice(gpa, entry.key);
    }
    return out.toOwnedSlice(gpa);
}

fn expectKeys(expected: []const u8, it: *lode.Iter) !void {
    const keys = try keysOf(it);
    defer gpa.free(keys);
    try testing.expectEqualStrings(expected, keys);
}

test "values round-trip through put, get, contains and delete" {
    var db = try lode.Database.openInMemory(null);
    defer db.deinit();
    try db.put("fruit", "apple", "red", null);
    try db.put("fruit", "empty", "", null);
    try db.put("fruit", "", "empty key", null);

    const apple = try db.get(gpa, "fruit", "apple", null);
    defer gpa.free(apple);
    try testing.expectEqualStrings("red", apple);
    const empty = try db.get(gpa, "fruit", "empty", null);
    defer gpa.free(empty);
    try testing.expectEqualStrings("", empty);
    const empty_key = try db.get(gpa, "fruit", "", null);
    defer gpa.free(empty_key);
    try testing.expectEqualStrings("empty key", empty_key);

    try testing.expect(try db.contains("fruit", "apple", null));
    try testing.expect(!try db.contains("fruit", "pear", null));
    try testing.expect(!try db.contains("never written", "apple", null));
    try testing.expect(try db.delete("fruit", "apple", null));
    try testing.expect(!try db.delete("fruit", "apple", null));
    try testing.expectError(error.NotFound, db.get(gpa, "fruit", "apple", null));

    // Binary data, and a value larger than any first guess at a buffer.
    const big = try gpa.alloc(u8, 100_000);
    defer gpa.free(big);
    for (big, 0..) |*b, i| b.* = @truncate(i *% 7);
    try db.put("bin", &.{ 0, 255, 0 }, big, null);
    const back = try db.get(gpa, "bin", &.{ 0, 255, 0 }, null);
    defer gpa.free(back);
    try testing.expectEqualSlices(u8, big, back);
}

test "getAppend reuses one list, and leaves it as it was on failure" {
    var db = try filled("t", &.{ .{ "a", "alpha" }, .{ "b", "beta" } });
    defer db.deinit();
    var list: std.ArrayList(u8) = .empty;
    defer list.deinit(gpa);
    try db.getAppend(gpa, &list, "t", "a", null);
    try list.append(gpa, '+');
    try db.getAppend(gpa, &list, "t", "b", null);
    try testing.expectEqualStrings("alpha+beta", list.items);
    try testing.expectError(error.NotFound, db.getAppend(gpa, &list, "t", "c", null));
    try testing.expectEqualStrings("alpha+beta", list.items);

    list.clearRetainingCapacity();
    const capacity = list.capacity;
    try db.getAppend(gpa, &list, "t", "a", null);
    try testing.expectEqual(capacity, list.capacity);
}

test "errors carry their kind and message in the diagnostics" {
    var diagnostics: lode.Diagnostics = .init(gpa);
    defer diagnostics.deinit();
    try testing.expectEqual(@as(?lode.ErrorKind, null), diagnostics.kind);
    try testing.expectEqualStrings("", diagnostics.message());

    var db = try lode.Database.openInMemory(&diagnostics);
    defer db.deinit();
    try testing.expectError(error.NotFound, db.get(gpa, "t", "missing", &diagnostics));
    try testing.expectEqual(lode.ErrorKind.not_found, diagnostics.kind.?);
    try testing.expectEqualStrings("key not found", diagnostics.message());

    try testing.expectError(error.InvalidArgument, db.put("", "k", "v", &diagnostics));
    try testing.expectEqual(lode.ErrorKind.invalid_argument, diagnostics.kind.?);
    try testing.expectEqualStrings("table name is empty", diagnostics.message());

    const long_key = [_]u8{'k'} ** (65_536 + 1);
    try testing.expectError(error.InvalidArgument, db.put("t", &long_key, "v", &diagnostics));
    try testing.expect(std.mem.indexOf(u8, diagnostics.message(), "key is 65537 bytes") != null);

    // Errors switch by name; null diagnostics only lose the details.
    db.put("", "k", "v", null) catch |err| switch (err) {
        error.InvalidArgument => {},
        else => return err,
    };
}

test "a database opened from a file keeps its data, and refuses a second writer" {
    var tmp = testing.tmpDir(.{});
    defer tmp.cleanup();
    var path_buffer: [256]u8 = undefined;
    const path = try std.fmt.bufPrint(&path_buffer, ".zig-cache/tmp/{s}/test.lode", .{tmp.sub_path});

    var diagnostics: lode.Diagnostics = .init(gpa);
    defer diagnostics.deinit();
    {
        var db = try lode.Database.open(path, .{}, &diagnostics);
        defer db.deinit();
        try db.put("t", "k", "v", null);
        try testing.expectError(error.AlreadyOpen, lode.Database.open(path, .{}, &diagnostics));
        try testing.expectEqual(lode.ErrorKind.already_open, diagnostics.kind.?);
        const stats = try db.stats(null);
        try testing.expectEqual(lode.Stats{ .tables = 1, .entries = 1, .file_size = stats.file_size }, stats);
        try testing.expect(stats.file_size > 0);
        try db.close(null);
    }
    {
        var db = try lode.Database.open(path, .{ .read_only = true, .durability = .eventual }, null);
        defer db.deinit();
        const value = try db.get(gpa, "t", "k", null);
        defer gpa.free(value);
        try testing.expectEqualStrings("v", value);
        try testing.expectError(error.ReadOnly, db.put("t", "k", "w", &diagnostics));
    }
    try testing.expectError(error.Io, lode.Database.open(".zig-cache/tmp/no/such/dir/x.lode", .{}, &diagnostics));
    try testing.expect(diagnostics.message().len > 0);
}

// The package's enums are non-exhaustive, so `@enumFromInt(7)` is a legal Durability; Rust must
// never see it (an unknown discriminant is undefined behaviour there): open refuses it with
// error.InvalidEnum before the call, so no file is made.
test "an options value of no Durability never reaches the library" {
    var tmp = testing.tmpDir(.{});
    defer tmp.cleanup();
    var path_buffer: [256]u8 = undefined;
    const path = try std.fmt.bufPrint(&path_buffer, ".zig-cache/tmp/{s}/bad.lode", .{tmp.sub_path});
    const options: lode.Options = .{ .durability = @enumFromInt(7) };
    try testing.expectError(error.InvalidEnum, lode.Database.open(path, options, null));
    try testing.expectError(error.FileNotFound, tmp.dir.access(testing.io, "bad.lode", .{}));
}

test "a transaction's writes land together on commit, or not at all" {
    var db = try lode.Database.openInMemory(null);
    defer db.deinit();

    var txn = try db.beginWrite(null);
    try txn.put("t", "a", "1", null);
    try txn.put("t", "b", "2", null);
    try testing.expect(try txn.contains("t", "a", null));
    const own = try txn.get(gpa, "t", "a", null);
    defer gpa.free(own);
    try testing.expectEqualStrings("1", own);
    try testing.expect(!try db.contains("t", "a", null)); // not visible before the commit
    // A write from the thread that holds the transaction would wait for itself.
    try testing.expectError(error.Busy, db.put("t", "c", "3", null));
    try testing.expectError(error.Busy, db.verify(null));
    try testing.expect(!txn.isFinished());
    try txn.commit(null);
    try db.verify(null);
    try testing.expect(txn.isFinished());
    try testing.expectError(error.TransactionFinished, txn.put("t", "c", "3", null));
    txn.deinit();
    try testing.expect(try db.contains("t", "a", null));

    var aborted = try db.beginWrite(null);
    try testing.expect(try aborted.delete("t", "a", null));
    try testing.expect(try aborted.dropTable("t", null));
    try aborted.abort(null);
    aborted.deinit();
    try testing.expect(try db.contains("t", "a", null));

    // An unfinished transaction is aborted when destroyed, and the next one may start.
    var dropped = try db.beginWrite(null);
    try dropped.put("t", "z", "26", null);
    dropped.deinit();
    try testing.expect(!try db.contains("t", "z", null));

    var diagnostics: lode.Diagnostics = .init(gpa);
    defer diagnostics.deinit();
    var finished = try db.beginWrite(null);
    defer finished.deinit();
    try finished.commit(null);
    try testing.expectError(error.TransactionFinished, finished.commit(&diagnostics));
    try testing.expectEqual(lode.ErrorKind.transaction_finished, diagnostics.kind.?);
}

test "tables are listed, counted and dropped" {
    var db = try filled("b", &.{ .{ "1", "x" }, .{ "2", "y" } });
    defer db.deinit();
    try db.put("a", "k", "v", null);
    const tables = try db.tables(gpa, null);
    defer gpa.free(tables);
    try testing.expectEqualStrings("a\nb\n", tables);

    var snapshot = try db.snapshot(null);
    defer snapshot.deinit();
    try testing.expectEqual(@as(u64, 2), try snapshot.count("b", null));
    try testing.expectEqual(@as(u64, 0), try snapshot.count("none", null));
    try testing.expect(try db.dropTable("b", null));
    try testing.expect(!try db.dropTable("b", null));
    try testing.expectEqual(@as(u64, 2), try snapshot.count("b", null)); // its point in time
}

test "a snapshot keeps its point in time" {
    var db = try filled("t", &.{.{ "k", "old" }});
    defer db.deinit();
    var snapshot = try db.snapshot(null);
    defer snapshot.deinit();
    try db.put("t", "k", "new", null);
    try db.put("t", "k2", "added", null);

    const seen = try snapshot.get(gpa, "t", "k", null);
    defer gpa.free(seen);
    try testing.expectEqualStrings("old", seen);
    try testing.expect(!try snapshot.contains("t", "k2", null));
    const now = try db.get(gpa, "t", "k", null);
    defer gpa.free(now);
    try testing.expectEqualStrings("new", now);

    snapshot.close();
    snapshot.close();
    try testing.expectError(error.Closed, snapshot.contains("t", "k", null));
}

test "iterators walk ranges and prefixes, in order or reversed" {
    var db = try filled("t", &.{
        .{ "user:1", "alice" }, .{ "user:2", "bob" }, .{ "user:3", "carol" },
        .{ "team:1", "core" },  .{ "zone", "z" },
    });
    defer db.deinit();
    var snapshot = try db.snapshot(null);
    defer snapshot.deinit();

    var all = try snapshot.range("t", "", "", false, null);
    defer all.deinit();
    try expectKeys("team:1 user:1 user:2 user:3 zone", &all);
    try testing.expect(try all.next(null) == null);

    var bounded = try snapshot.range("t", "user:2", "zone", false, null);
    defer bounded.deinit();
    try expectKeys("user:2 user:3", &bounded);

    var reversed = try snapshot.range("t", "team:1", "user:3", true, null);
    defer reversed.deinit();
    try expectKeys("user:2 user:1 team:1", &reversed);

    var users = try snapshot.prefix("t", "user:", false, null);
    defer users.deinit();
    const first = (try users.next(null)).?;
    try testing.expectEqualStrings("user:1", first.key);
    try testing.expectEqualStrings("alice", first.value);
    const second = (try users.next(null)).?;
    try testing.expectEqualStrings("user:2", second.key);
    try testing.expectEqualStrings("bob", second.value);
    // The first entry's views stay valid within the batch.
    try testing.expectEqualStrings("alice", first.value);
    try expectKeys("user:3", &users);

    var none = try snapshot.prefix("t", "nobody", true, null);
    defer none.deinit();
    try testing.expect(try none.next(null) == null);
    var missing = try snapshot.range("no such table", "", "", false, null);
    defer missing.deinit();
    try testing.expect(try missing.next(null) == null);
}

test "next walks many batches in order, and ends with Closed once the snapshot closes" {
    var db = try lode.Database.openInMemory(null);
    defer db.deinit();
    const n = 1000;
    {
        var txn = try db.beginWrite(null);
        defer txn.deinit();
        var i: u32 = 0;
        while (i < n) : (i += 1) {
            var key: [4]u8 = undefined;
            std.mem.writeInt(u32, &key, i, .big);
            const value = [_]u8{@truncate(i)} ** 3;
            try txn.put("t", &key, value[0 .. i % 4], null);
        }
        try txn.commit(null);
    }
    var snapshot = try db.snapshot(null);
    defer snapshot.deinit();
    for ([_]bool{ false, true }) |reverse| {
        var it = try snapshot.range("t", "", "", reverse, null);
        defer it.deinit();
        var seen: u32 = 0;
        while (try it.next(null)) |entry| : (seen += 1) {
            const i = if (reverse) n - 1 - seen else seen;
            try testing.expectEqual(i, std.mem.readInt(u32, entry.key[0..4], .big));
            try testing.expectEqual(@as(usize, i % 4), entry.value.len);
        }
        try testing.expectEqual(@as(u32, n), seen);
        try testing.expect(try it.next(null) == null);
    }

    // Closing mid-walk: the entries at hand still come, then Closed.
    var it = try snapshot.range("t", "", "", false, null);
    defer it.deinit();
    _ = (try it.next(null)).?;
    snapshot.close();
    var after: u32 = 0;
    const end = while (true) : (after += 1) {
        const entry = it.next(null) catch |err| break err;
        if (entry == null) break error.EndedWithoutClosed;
    };
    try testing.expectEqual(error.Closed, end);
    try testing.expect(after > 0 and after < n);
}

test "readBatch copies whole entries into the caller's buffer" {
    var db = try filled("t", &.{ .{ "a", "1" }, .{ "bb", "22" } });
    defer db.deinit();
    var snapshot = try db.snapshot(null);
    defer snapshot.deinit();
    var it = try snapshot.range("t", "", "", false, null);
    defer it.deinit();
    var buffer: [64]u8 = undefined;
    const written = try it.readBatch(&buffer, null);
    try testing.expectEqual(@as(usize, 8 + 2 + 8 + 4), written);
    try testing.expectEqual(@as(u32, 1), std.mem.readInt(u32, buffer[0..4], .little));
    try testing.expectEqualStrings("a1", buffer[8..10]);
    try testing.expectEqual(@as(usize, 0), try it.readBatch(&buffer, null));
    try testing.expectError(error.InvalidArgument, it.readBatch(buffer[0..4], null));
}

test "after close, every handle of the database reports Closed" {
    var diagnostics: lode.Diagnostics = .init(gpa);
    defer diagnostics.deinit();
    var db = try filled("t", &.{.{ "k", "v" }});
    defer db.deinit();
    var snapshot = try db.snapshot(null);
    defer snapshot.deinit();
    var it = try snapshot.range("t", "", "", false, null);
    defer it.deinit();
    var txn = try db.beginWrite(null);
    defer txn.deinit();
    try txn.put("t", "unfinished", "x", null);

    try testing.expect(!db.isClosed());
    try db.close(null);
    try testing.expect(db.isClosed());
    try db.close(null); // idempotent

    try testing.expectError(error.Closed, db.put("t", "k", "v", &diagnostics));
    try testing.expectEqual(lode.ErrorKind.closed, diagnostics.kind.?);
    try testing.expectError(error.Closed, db.get(gpa, "t", "k", null));
    try testing.expectError(error.Closed, db.snapshot(null));
    try testing.expectError(error.Closed, db.beginWrite(null));
    try testing.expectError(error.Closed, snapshot.get(gpa, "t", "k", null));
    try testing.expectError(error.Closed, it.next(null));
    try testing.expectError(error.Closed, txn.commit(null));
}

test "objects may be destroyed in any order" {
    // The database first: its snapshots, iterators and transactions outlive it, reporting Closed.
    {
        var db = try filled("t", &.{ .{ "a", "1" }, .{ "b", "2" } });
        var snapshot = try db.snapshot(null);
        var it = try snapshot.range("t", "", "", false, null);
        var txn = try db.beginWrite(null);
        db.deinit();
        try testing.expectError(error.Closed, it.next(null));
        snapshot.deinit();
        try testing.expectError(error.Closed, txn.put("t", "c", "3", null));
        it.deinit();
        txn.deinit();
    }
    // A snapshot before its iterator, which keeps reading.
    {
        var db = try filled("t", &.{ .{ "a", "1" }, .{ "b", "2" } });
        defer db.deinit();
        var snapshot = try db.snapshot(null);
        var it = try snapshot.range("t", "", "", false, null);
        defer it.deinit();
        snapshot.deinit();
        try expectKeys("a b", &it);
    }
}

test "the version and ABI handshake match the library" {
    const version = try lode.Database.version(gpa);
    defer gpa.free(version);
    try testing.expect(std.mem.count(u8, version, ".") == 2);
    try lode.abi.check();
    try testing.expectEqual(lode.abi.expected, lode.abi.loaded());
    try testing.expectEqual(lode.abi.expected, lode.Database.abiVersion());
    try testing.expect(lode.abi.compatible(0x0000_0001, 0x0000_0001));
    try testing.expect(!lode.abi.compatible(0x0000_0001, 0x0000_0002));
    try testing.expect(lode.abi.compatible(0x0001_0002, 0x0001_0003));
    try testing.expect(!lode.abi.compatible(0x0001_0002, 0x0001_0001));
    try testing.expect(!lode.abi.compatible(0x0001_0002, 0x0002_0002));
}

test "allocation failures are errors, and leave the output list as it was" {
    var db = try filled("t", &.{.{ "k", "value" }});
    defer db.deinit();
    var failing: testing.FailingAllocator = .init(gpa, .{ .fail_index = 0 });
    try testing.expectError(error.OutOfMemory, db.get(failing.allocator(), "t", "k", null));

    var list: std.ArrayList(u8) = .empty;
    defer list.deinit(gpa);
    try list.appendSlice(gpa, "kept");
    list.shrinkAndFree(gpa, 4);
    var failing_append: testing.FailingAllocator = .init(gpa, .{ .fail_index = 0 });
    try testing.expectError(error.OutOfMemory, db.getAppend(failing_append.allocator(), &list, "t", "k", null));
    try testing.expectEqualStrings("kept", list.items);

    // A message that cannot be allocated leaves the diagnostics' message empty; the error stands.
    var failing_diagnostics: testing.FailingAllocator = .init(gpa, .{ .fail_index = 0 });
    var diagnostics: lode.Diagnostics = .init(failing_diagnostics.allocator());
    defer diagnostics.deinit();
    try testing.expectError(error.NotFound, db.get(gpa, "t", "missing", &diagnostics));
    try testing.expectEqual(lode.ErrorKind.not_found, diagnostics.kind.?);
    try testing.expectEqualStrings("", diagnostics.message());
}

test "lode_c: the translated C API agrees with the Zig one" {
    // Same layouts for the structs both modules declare.
    inline for (.{ .{ lode_c.LodeOptions, lode.Options }, .{ lode_c.LodeStats, lode.Stats } }) |pair| {
        try testing.expectEqual(@sizeOf(pair[0]), @sizeOf(pair[1]));
        inline for (comptime std.meta.fieldNames(pair[1])) |name| {
            try testing.expectEqual(@offsetOf(pair[0], name), @offsetOf(pair[1], name));
        }
    }
    try testing.expectEqual(@as(c_int, @intFromEnum(lode.ErrorKind.not_found)), lode_c.LodeErrorKind_NotFound);
    try testing.expectEqual(lode.abi.expected, lode_c.LodeDatabase_abi_version());

    // A call through C's result struct (its union is the first field, whatever translate-c
    // names it).
    const opened = lode_c.LodeDatabase_open_in_memory();
    try testing.expect(opened.is_ok);
    const union_field = comptime std.meta.fieldNames(@TypeOf(opened))[0];
    const db = @field(opened, union_field).ok.?;
    defer lode_c.LodeDatabase_destroy(db);
    const table: lode_c.DiplomatStringView = .{ .data = "t", .len = 1 };
    const key: lode_c.DiplomatU8View = .{ .data = "k", .len = 1 };
    try testing.expect(lode_c.LodeDatabase_put(db, table, key, key).is_ok);
    const out = lode_c.diplomat_buffer_write_create(8);
    defer lode_c.diplomat_buffer_write_destroy(out);
    try testing.expect(lode_c.LodeDatabase_get(db, table, key, out).is_ok);
    const bytes = lode_c.diplomat_buffer_write_get_bytes(out);
    try testing.expectEqualStrings("k", bytes[0..lode_c.diplomat_buffer_write_len(out)]);
}

test "table handles read and write without a table name" {
    var db = try lode.Database.openInMemory(null);
    defer db.deinit();
    var txn = try db.beginWrite(null);
    defer txn.deinit();
    var users = try txn.table("users", null);
    defer users.deinit();
    try users.put("ada", "lovelace", null);
    try users.put("bob", "x", null);
    try testing.expect(try users.delete("bob", null));
    try testing.expect(!try users.contains("bob", null));
    const ada = try users.get(gpa, "ada", null);
    defer gpa.free(ada);
    try testing.expectEqualStrings("lovelace", ada);
    try testing.expectError(error.InvalidArgument, txn.table("", null));
    try txn.commit(null);
    try testing.expectError(error.TransactionFinished, users.put("c", "", null));

    var snapshot = try db.snapshot(null);
    var table = try snapshot.table("users", null);
    defer table.deinit();
    try testing.expectEqual(@as(u64, 1), try table.count(null));
    var it = try table.prefix("", false, null);
    defer it.deinit();
    try expectKeys("ada", &it);
    // The handle outlives its Snapshot object, and reports Closed once the snapshot is.
    snapshot.close();
    snapshot.deinit();
    try testing.expectError(error.Closed, table.contains("ada", null));
}
