# frozen_string_literal: true

# The Ruby row of `cargo tools bench`: the shared workload through the lode gem, written as a
# Ruby user would (the transaction and snapshot blocks, Iter#each). The gets read into one reused
# String (get's optional output String, as IO#read's), as the native rows reuse one buffer; a note
# gives get_snapshot with a new String per value too. Also measures, in the same run, a bare
# C-extension method (bench/floor), the floor of any call into a C extension.
#
# Usage: ruby -Ilib [-I<floor extension dir>] bench/bench.rb [--n N] DIR
require "lode"
require_relative "workload"

TABLE = "bench"
BATCHED_TABLE = "bench_batched"

n, dir = Workload.parse(ARGV)
keys = Workload.keys(n)
values = Workload.values
lookup_keys = Workload.lookup_keys(keys, Workload.lookups(n))

def insert(db, table, keys, values, batch)
  n = keys.size
  i = 0
  while i < n
    last = [i + batch, n].min
    db.transaction do |txn|
      while i < last
        txn.put(table, keys[i], values[i & 0xff])
        i += 1
      end
    end
  end
end

# The sum of the lengths of the values found under `lookup_keys`, through `store.get`, each read
# into `buffer` if it is a String, else into a new String.
def lookups_total(store, lookup_keys, buffer)
  total = 0
  q = 0
  n = lookup_keys.size
  while q < n
    total += store.get(TABLE, lookup_keys[q], buffer).bytesize
    q += 1
  end
  total
end

# Calls the block `calls` times; returns the nanoseconds per call.
def per_call(calls)
  c = 0
  start = Workload.now_ns
  while c < calls
    yield
    c += 1
  end
  (Workload.now_ns - start).to_f / calls
end

Lode::Database.open(File.join(dir, "bench.lode"), durability: :immediate) do |db|
  puts "system=lode #{Lode.library_version} (gem #{Lode::VERSION}, C extension), durability Immediate, " \
       "Ruby #{RUBY_VERSION}"
  puts "note=keys are computed before the phases (Ruby's 64-bit arithmetic is bignums); the looked-up " \
       "ones are copied in lookup order"

  Workload.phase("insert", n) { insert(db, TABLE, keys, values, n) }
  Workload.phase("insert_batched", n) { insert(db, BATCHED_TABLE, keys, values, Workload::BATCH) }

  buffer = String.new(capacity: Workload::VALUE_LEN)
  total = Workload.phase("get_snapshot", n) { db.snapshot { |s| lookups_total(s, lookup_keys, buffer) } }
  Workload.check(total == n * Workload::VALUE_LEN, "get_snapshot: value lengths do not sum to N * 100")
  total = Workload.phase("get_oneshot", n) { lookups_total(db, lookup_keys, buffer) }
  Workload.check(total == n * Workload::VALUE_LEN, "get_oneshot: value lengths do not sum to N * 100")

  start = Workload.now_ns
  total = db.snapshot { |s| lookups_total(s, lookup_keys, nil) }
  Workload.check(total == n * Workload::VALUE_LEN, "get_snapshot: value lengths do not sum to N * 100")
  puts format("note=get_snapshot with a new String per value (no output String): %<ns>.1f ns/op",
              ns: (Workload.now_ns - start).to_f / n)

  scan = Workload::Scan.new
  start = Workload.now_ns
  # each_reusing: the same two Strings refilled for every entry, no allocation per entry.
  db.snapshot { |s| s.range(TABLE, "", "", false).each_reusing { |key, value| scan.add(key, value) } }
  Workload.report("scan", scan.count, Workload.now_ns - start)
  scan.check(n)

  calls = n * Workload::FLOOR_CALLS_PER_ENTRY
  database = Lode::Database # a local: the loop times the call, not a constant lookup
  expected = database.abi_version
  sum = 0
  start = Workload.now_ns
  c = 0
  while c < calls
    sum += database.abi_version
    c += 1
  end
  Workload.report("call_floor", calls, Workload.now_ns - start)
  Workload.check(sum == calls * expected, "call_floor: wrong results")

  begin
    require "lode_bench_floor"
    # The same loop around a C-extension method that does nothing, and around nothing; each the
    # best of three runs, taken in turns, as the machine is shared. The difference between the
    # first two is what the binding adds to a call.
    floor = LodeBenchFloor
    runs = Array.new(3) do
      [per_call(calls) { floor.zero }, per_call(calls) { database.abi_version }, per_call(calls) { nil }]
    end
    bare, lode, empty = runs.transpose.map(&:min)
    puts format("note=call floor, same loop: Lode::Database.abi_version %<lode>.1f ns, a bare C-extension " \
                "method %<bare>.1f ns (x%<ratio>.2f), the loop alone %<empty>.1f ns",
                lode:, bare:, ratio: lode / bare, empty:)
  rescue LoadError
    puts "note=the bare C-extension floor (bench/floor) was not built"
  end
end
