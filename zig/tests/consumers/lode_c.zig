//! A consumer of the package's `lode_c` module: Lode's C API, translated by the build system
//! (the 0.17 translate-c check builds this program too, against `zig translate-c` output).
const std = @import("std");
const c = @import("lode_c");

fn str(text: []const u8) c.DiplomatStringView {
    return .{ .data = text.ptr, .len = text.len };
}

fn bytes(text: []const u8) c.DiplomatU8View {
    return .{ .data = text.ptr, .len = text.len };
}

pub fn main() !void {
    const opened = c.LodeDatabase_open_in_memory();
    if (!opened.is_ok) return error.OpenFailed;
    // A result's union is its first field, whatever translate-c names it.
    const db = @field(opened, std.meta.fieldNames(@TypeOf(opened))[0]).ok.?;
    defer c.LodeDatabase_destroy(db);

    if (!c.LodeDatabase_put(db, str("t"), bytes("key"), bytes("value")).is_ok) return error.PutFailed;
    const out = c.diplomat_buffer_write_create(16);
    defer c.diplomat_buffer_write_destroy(out);
    if (!c.LodeDatabase_get(db, str("t"), bytes("key"), out).is_ok) return error.GetFailed;
    const value = c.diplomat_buffer_write_get_bytes(out)[0..c.diplomat_buffer_write_len(out)];
    if (!std.mem.eql(u8, value, "value")) return error.WrongValue;

    const missing = c.LodeDatabase_get(db, str("t"), bytes("missing"), out);
    if (missing.is_ok) return error.FoundMissing;
    const err = @field(missing, std.meta.fieldNames(@TypeOf(missing))[0]).err.?;
    defer c.LodeError_destroy(err);
    if (c.LodeError_kind(err) != c.LodeErrorKind_NotFound) return error.WrongKind;
    std.debug.print("consumer of lode_c: ok (ABI {d})\n", .{c.LodeDatabase_abi_version()});
}
