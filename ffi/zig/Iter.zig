// Hand-written, spliced into the generated `Iter` by the generator: `next` over batches of
// entries, one call into the library per batch (`nextEntries`) rather than one per entry.
/// The batch `next` walks, and the index in it of the entry `next` returns next.
batch: IterEntries = .{ .data = &.{}, .offsets = &.{} },
index: usize = 0,

/// One entry, as `next` returns it.
pub const Entry = IterEntry;

/// Moves to the next entry and returns views of its key and value; null once there are no
/// more. Entries come from the library a batch at a time (`nextEntries`): their views stay
/// valid until `next` takes the following batch. After the snapshot is closed, the entries at
/// hand still come, then `next` fails with `Closed`.
pub fn next(self: *Iter, diagnostics: ?*Diagnostics) Error!?Entry {
    if (self.index >= self.batch.offsets.len / 2) {
        // Emptied first, so that a failed call leaves no views of the batch it replaced.
        self.batch = .{ .data = &.{}, .offsets = &.{} };
        self.index = 0;
        self.batch = try self.nextEntries(diagnostics);
        if (self.batch.offsets.len == 0) return null;
    }
    const at = self.batch.offsets[2 * self.index ..][0..3];
    self.index += 1;
    return .{ .key = self.batch.data[at[0]..at[1]], .value = self.batch.data[at[1]..at[2]] };
}
