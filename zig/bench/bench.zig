//! The Zig row of `cargo tools bench`: the shared benchmark workload through the `lode` module.
//!
//! Usage: bench [--n N] DIR. Creates DIR/bench.lode afresh, runs the six phases in one process
//! and prints the row protocol's lines (tools/src/commands/bench.rs). Exits non-zero if a check
//! fails. Built ReleaseFast by `zig build bench` (and by `cargo tools bench zig`).
//!
//! Written as a careful Zig user would: `getAppend` into one reused list (so no lookup
//! allocates), and the iterator's entries read in place, which copies nothing.

const std = @import("std");
const lode = @import("lode");

const table = "bench";
const batched_table = "bench_batched";
const value_len = 100;
/// insert_batched commits every this many entries.
const batch = 10_000;
/// call_floor makes this many calls per entry: N calls would take too little time to time well.
const floor_calls_per_entry = 10;

fn splitmix64(x: u64) u64 {
    var z = x +% 0x9E3779B97F4A7C15;
    z = (z ^ (z >> 30)) *% 0xBF58476D1CE4E5B9;
    z = (z ^ (z >> 27)) *% 0x94D049BB133111EB;
    return z ^ (z >> 31);
}

/// Key i: big-endian splitmix64(i), then big-endian i.
fn key(i: u64) [16]u8 {
    var out: [16]u8 = undefined;
    std.mem.writeInt(u64, out[0..8], splitmix64(i), .big);
    std.mem.writeInt(u64, out[8..16], i, .big);
    return out;
}

/// Every value is a 100-byte window of this pattern (byte k is k & 0xff): value i starts at
/// i & 0xff, so that byte j is (i + j) & 0xff, and no time goes into building values.
const pattern: [256 + value_len]u8 = blk: {
    var bytes: [256 + value_len]u8 = undefined;
    for (&bytes, 0..) |*b, k| b.* = @truncate(k);
    break :blk bytes;
};

fn value(i: u64) []const u8 {
    const start: usize = @intCast(i & 0xff);
    return pattern[start..][0..value_len];
}

/// The entry that the q-th lookup of the get phases asks for.
fn lookup(n: u64, q: u64) u64 {
    return splitmix64(n + q) % n;
}

const Bench = struct {
    io: std.Io,
    out: *std.Io.Writer,
    diagnostics: *lode.Diagnostics,

    fn now(self: Bench) i96 {
        return std.Io.Timestamp.now(self.io, .awake).nanoseconds;
    }

    /// Prints the phase's line of the row protocol. Never inlined: `cargo tools bench
    /// --instructions` counts each phase up to the return from this function.
    noinline fn report(self: Bench, phase: []const u8, ops: u64, start: i96) !void {
        const elapsed: f64 = @floatFromInt(self.now() - start);
        const ns_per_op = elapsed / @as(f64, @floatFromInt(@max(ops, 1)));
        try self.out.print("phase={s} ops={d} ns_per_op={d:.1} ops_per_s={d:.0}\n", .{
            phase, ops, ns_per_op, 1e9 / ns_per_op,
        });
        try self.out.flush();
    }

    /// Fails the run, naming what failed and why.
    fn fail(self: Bench, what: []const u8, err: anyerror) noreturn {
        std.debug.print("bench: {s}: {s}: {s}\n", .{ what, @errorName(err), self.diagnostics.message() });
        std.process.exit(1);
    }

    fn check(ok: bool, comptime what: []const u8, args: anytype) void {
        if (!ok) {
            std.debug.print("bench: check failed: " ++ what ++ "\n", args);
            std.process.exit(1);
        }
    }

    fn insert(self: Bench, db: lode.Database, into: []const u8, n: u64, per_txn: u64) void {
        var i: u64 = 0;
        while (i < n) {
            const end = @min(n, i + per_txn);
            var txn = db.beginWrite(self.diagnostics) catch |err| self.fail("begin_write", err);
            defer txn.deinit();
            // A handle for the table: the puts then take no name.
            var handle = txn.table(into, self.diagnostics) catch |err| self.fail("table", err);
            defer handle.deinit();
            while (i < end) : (i += 1) {
                const k = key(i);
                handle.put(&k, value(i), self.diagnostics) catch |err| self.fail("put", err);
            }
            txn.commit(self.diagnostics) catch |err| self.fail("commit", err);
        }
    }
};

pub fn main(init: std.process.Init) !void {
    const gpa = init.gpa;
    const args = try init.minimal.args.toSlice(init.arena.allocator());
    var n: u64 = 1_000_000;
    var dir: ?[]const u8 = null;
    var i: usize = 1;
    while (i < args.len) : (i += 1) {
        if (std.mem.eql(u8, args[i], "--n") and i + 1 < args.len) {
            i += 1;
            n = std.fmt.parseInt(u64, args[i], 10) catch 0;
        } else if (dir == null and !std.mem.startsWith(u8, args[i], "-")) {
            dir = args[i];
        } else {
            dir = null;
            break;
        }
    }
    if (dir == null or n == 0) {
        std.debug.print("usage: {s} [--n N] DIR\n", .{args[0]});
        std.process.exit(2);
    }
    const path = try std.fs.path.join(init.arena.allocator(), &.{ dir.?, "bench.lode" });
    std.Io.Dir.cwd().deleteFile(init.io, path) catch {};

    var buffer: [1024]u8 = undefined;
    var stdout: std.Io.File.Writer = .init(.stdout(), init.io, &buffer);
    var diagnostics: lode.Diagnostics = .init(gpa);
    defer diagnostics.deinit();
    const bench: Bench = .{ .io = init.io, .out = &stdout.interface, .diagnostics = &diagnostics };

    var db = lode.Database.open(path, .{ .durability = .immediate }, &diagnostics) catch |err| bench.fail("open", err);
    defer db.deinit();
    const version = try lode.Database.version(gpa);
    defer gpa.free(version);
    try bench.out.print("system=lode {s} (static lib), durability Immediate\n", .{version});

    var start = bench.now();
    bench.insert(db, table, n, n);
    try bench.report("insert", n, start);

    start = bench.now();
    bench.insert(db, batched_table, n, batch);
    try bench.report("insert_batched", n, start);

    // One list for every value read, cleared before each get: its capacity stays, so no get
    // allocates.
    var found: std.ArrayList(u8) = .empty;
    defer found.deinit(gpa);

    start = bench.now();
    var snapshot = db.snapshot(&diagnostics) catch |err| bench.fail("snapshot", err);
    var handle = snapshot.table(table, &diagnostics) catch |err| bench.fail("table", err);
    var total: u64 = 0;
    for (0..n) |q| {
        const k = key(lookup(n, q));
        found.clearRetainingCapacity();
        handle.getAppend(gpa, &found, &k, &diagnostics) catch |err| bench.fail("snapshot get", err);
        total += found.items.len;
    }
    try bench.report("get_snapshot", n, start);
    handle.deinit();
    snapshot.deinit();
    Bench.check(total == n * value_len, "get_snapshot: value lengths sum to {d}, not N * 100", .{total});

    start = bench.now();
    total = 0;
    for (0..n) |q| {
        const k = key(lookup(n, q));
        found.clearRetainingCapacity();
        db.getAppend(gpa, &found, table, &k, &diagnostics) catch |err| bench.fail("get", err);
        total += found.items.len;
    }
    try bench.report("get_oneshot", n, start);
    Bench.check(total == n * value_len, "get_oneshot: value lengths sum to {d}, not N * 100", .{total});

    start = bench.now();
    snapshot = db.snapshot(&diagnostics) catch |err| bench.fail("snapshot", err);
    defer snapshot.deinit();
    var it = snapshot.range(table, "", "", false, &diagnostics) catch |err| bench.fail("range", err);
    defer it.deinit();
    var count: u64 = 0;
    var value_bytes: u64 = 0;
    var previous: u128 = 0;
    var ordered = true;
    while (it.next(&diagnostics) catch |err| bench.fail("next", err)) |entry| {
        // Every key is 16 bytes, and each must sort after the one before. Read as a big-endian
        // u128, a key compares as its bytes do, in two loads (as Rust's and C's memcmp do);
        // `std.mem.order` compares byte by byte and keeps `previous` in 16 byte-sized slots.
        if (entry.key.len == 16) {
            const current = std.mem.readInt(u128, entry.key[0..16], .big);
            if (count != 0 and previous >= current) ordered = false;
            previous = current;
        } else {
            ordered = false;
        }
        value_bytes += entry.value.len;
        count += 1;
    }
    try bench.report("scan", count, start);
    Bench.check(ordered, "scan: keys out of order", .{});
    Bench.check(count == n, "scan: {d} entries, not N", .{count});
    Bench.check(value_bytes == n * value_len, "scan: value lengths do not sum to N * 100", .{});

    const calls = n * floor_calls_per_entry;
    var sum: u64 = 0;
    start = bench.now();
    for (0..calls) |_| sum +%= lode.Database.abiVersion();
    try bench.report("call_floor", calls, start);
    Bench.check(sum == calls *% lode.Database.abiVersion(), "call_floor: wrong results", .{});

    db.close(&diagnostics) catch |err| bench.fail("close", err);
}
