//! A consumer of the package's `lode` module: the generated Zig API.
const std = @import("std");
const lode = @import("lode");

pub fn main() !void {
    var gpa_state: std.heap.DebugAllocator(.{}) = .init;
    defer std.debug.assert(gpa_state.deinit() == .ok);
    const gpa = gpa_state.allocator();

    var diagnostics: lode.Diagnostics = .init(gpa);
    defer diagnostics.deinit();
    var db = try lode.Database.openInMemory(&diagnostics);
    defer db.deinit();
    try db.put("t", "key", "value", &diagnostics);
    const value = try db.get(gpa, "t", "key", &diagnostics);
    defer gpa.free(value);
    if (!std.mem.eql(u8, value, "value")) return error.WrongValue;
    if (db.get(gpa, "t", "missing", &diagnostics)) |_| return error.FoundMissing else |err| {
        if (err != error.NotFound) return err;
    }
    std.debug.print("consumer of lode: ok ({s})\n", .{diagnostics.message()});
}
