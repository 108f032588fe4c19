# frozen_string_literal: true

# The benchmark workload, shared by the Ruby rows of `cargo tools bench`.
require "optparse"
begin
  # The bare C extension (bench/floor), when built: its phase_done marks each phase's end for
  # `cargo tools bench --instructions`.
  require "lode_bench_floor"
rescue LoadError
  nil
end

# The benchmark workload's data, timing and output for the Ruby rows (the lode gem, the sqlite3
# gem): the same keys, values and lookups as every row (BENCH-WORKLOAD.md), the row protocol's
# arguments and lines (tools/src/commands/bench.rs).
#
# Keys and lookups are computed before the phases: splitmix64 needs 64-bit wrapping arithmetic,
# which Ruby does with bignums (about a microsecond a key), and the rows measure the stores.
module Workload
  MASK = (1 << 64) - 1
  VALUE_LEN = 100
  BATCH = 10_000
  FLOOR_CALLS_PER_ENTRY = 10

  module_function

  def splitmix64(seed)
    z = (seed + 0x9E3779B97F4A7C15) & MASK
    z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & MASK
    z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & MASK
    z ^ (z >> 31)
  end

  # `[--n N] DIR` → [n, dir]; exits with the usage on anything else.
  def parse(argv)
    n = 1_000_000
    usage = "usage: #{$PROGRAM_NAME} [--n N] DIR"
    dirs = OptionParser.new(usage) { |o| o.on("--n N", Integer) { |value| n = value } }.parse(argv)
    abort usage unless dirs.size == 1 && n.positive?
    [n, dirs.first]
  rescue OptionParser::ParseError
    abort usage
  end

  # Key i: big-endian splitmix64(i), then big-endian i; binary and frozen.
  def keys(count)
    Array.new(count) { |i| [splitmix64(i), i].pack("Q>Q>").freeze }
  end

  # Value i is values[i & 0xff]: byte j of it is (i + j) & 0xff.
  def values
    pattern = (0...(256 + VALUE_LEN)).map { |k| k & 0xff }.pack("C*")
    Array.new(256) { |start| pattern.byteslice(start, VALUE_LEN).freeze }
  end

  # The entry the q-th lookup of the get phases asks for.
  def lookups(count)
    Array.new(count) { |q| splitmix64(count + q) % count }
  end

  # The keys the get phases look up, in the order they do: copies of keys[lookups[q]], made in
  # that order so that they lie in memory in that order too. The native rows compute each key
  # as they go, in registers; a row that picked its keys out of `keys` at random would time as
  # many cache misses in its own heap as in the store.
  def lookup_keys(keys, lookups)
    lookups.map { |i| keys[i].dup.freeze }
  end

  def now_ns
    Process.clock_gettime(Process::CLOCK_MONOTONIC, :nanosecond)
  end

  # Times the block and prints the phase's line; returns the block's value.
  def phase(name, ops)
    start = now_ns
    result = yield
    report(name, ops, now_ns - start)
    result
  end

  def report(name, ops, elapsed_ns)
    ns = elapsed_ns.to_f / [ops, 1].max
    puts format("phase=%<name>s ops=%<ops>d ns_per_op=%<ns>.1f ops_per_s=%<rate>.0f",
                name:, ops:, ns:, rate: 1e9 / ns)
    $stdout.flush
    LodeBenchFloor.phase_done if defined?(LodeBenchFloor)
  end

  def check(condition, what)
    return if condition

    warn "bench: check failed: #{what}"
    exit 1
  end

  # The scan's checks: every key 16 bytes and after the one before, every value 100 bytes.
  class Scan
    attr_reader :count

    def initialize
      @count = 0
      @value_bytes = 0
      @previous = +""
      @ordered = true
    end

    # The key is copied into one String of its own, not kept: a scan may yield the same String
    # for every entry (Iter#each_reusing).
    def add(key, value)
      @ordered = false if key.bytesize != 16 || (@count.positive? && @previous >= key)
      @previous.replace(key)
      @value_bytes += value.bytesize
      @count += 1
    end

    def check(count)
      Workload.check(@ordered, "scan: keys out of order")
      Workload.check(@count == count, "scan: entry count is not N")
      Workload.check(@value_bytes == count * VALUE_LEN, "scan: value lengths do not sum to N * 100")
    end
  end
end
