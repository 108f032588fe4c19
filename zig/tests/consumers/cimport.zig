//! A plain C-style consumer: no package, the header imported with `@cImport` (Zig 0.16; the
//! builtin is gone from 0.17, whose users take the package's `lode_c` module instead).
const std = @import("std");
const c = @cImport(@cInclude("lode.h"));

pub fn main() !void {
    const opened = c.LodeDatabase_open_in_memory();
    if (!opened.is_ok) return error.OpenFailed;
    const db = @field(opened, std.meta.fieldNames(@TypeOf(opened))[0]).ok.?;
    defer c.LodeDatabase_destroy(db);
    const table: c.DiplomatStringView = .{ .data = "t", .len = 1 };
    const key: c.DiplomatU8View = .{ .data = "k", .len = 1 };
    if (!c.LodeDatabase_put(db, table, key, key).is_ok) return error.PutFailed;
    const found = c.LodeDatabase_contains(db, table, key);
    if (!found.is_ok or !@field(found, std.meta.fieldNames(@TypeOf(found))[0]).ok) return error.NotFound;
    std.debug.print("consumer with @cImport: ok (ABI {d})\n", .{c.LodeDatabase_abi_version()});
}
