# frozen_string_literal: true

# The sqlite3 gem's row of `cargo tools bench`: the shared workload on SQLite through the sqlite3
# gem, set up as the C SQLite row is (a WITHOUT ROWID table with a BLOB primary key, prepared
# statements, WAL with synchronous=FULL), for comparison with the lode gem.
#
# Usage: ruby bench/sqlite3.rb [--n N] DIR
require "sqlite3"
require_relative "workload"

n, dir = Workload.parse(ARGV)
keys = Workload.keys(n)
values = Workload.values
lookup_keys = Workload.lookup_keys(keys, Workload.lookups(n))

db = SQLite3::Database.new(File.join(dir, "bench.sqlite"))
db.execute("PRAGMA journal_mode = WAL")
db.execute("PRAGMA synchronous = FULL")
%w[bench bench_batched].each do |table|
  db.execute("CREATE TABLE #{table} (k BLOB PRIMARY KEY, v BLOB NOT NULL) WITHOUT ROWID")
end
puts "system=sqlite3 gem #{SQLite3::VERSION} (SQLite #{SQLite3::SQLITE_VERSION}), WAL + synchronous=FULL, " \
     "Ruby #{RUBY_VERSION}"
puts "note=binary Strings bind as BLOBs; statements are prepared once and reset"

def insert(db, table, keys, values, batch)
  put = db.prepare("INSERT INTO #{table} (k, v) VALUES (?, ?)")
  n = keys.size
  i = 0
  while i < n
    last = [i + batch, n].min
    db.transaction do
      while i < last
        put.bind_params(keys[i], values[i & 0xff])
        put.step
        put.reset!
        i += 1
      end
    end
  end
  put.close
end

def lookups_total(get, lookup_keys)
  total = 0
  q = 0
  n = lookup_keys.size
  while q < n
    get.bind_param(1, lookup_keys[q])
    row = get.step
    Workload.check(row, "get: key not found")
    total += row[0].bytesize
    get.reset!
    q += 1
  end
  total
end

Workload.phase("insert", n) { insert(db, "bench", keys, values, n) }
Workload.phase("insert_batched", n) { insert(db, "bench_batched", keys, values, Workload::BATCH) }

get = db.prepare("SELECT v FROM bench WHERE k = ?")
# One read transaction around every lookup: SQLite's snapshot.
total = Workload.phase("get_snapshot", n) do
  sum = nil
  db.transaction { sum = lookups_total(get, lookup_keys) } # its value is not the block's
  sum
end
Workload.check(total == n * Workload::VALUE_LEN, "get_snapshot: value lengths do not sum to N * 100")
total = Workload.phase("get_oneshot", n) { lookups_total(get, lookup_keys) }
Workload.check(total == n * Workload::VALUE_LEN, "get_oneshot: value lengths do not sum to N * 100")
get.close

scan = Workload::Scan.new
start = Workload.now_ns
all = db.prepare("SELECT k, v FROM bench ORDER BY k")
all.each { |key, value| scan.add(key, value) }
all.close
Workload.report("scan", scan.count, Workload.now_ns - start)
scan.check(n)

calls = n * Workload::FLOOR_CALLS_PER_ENTRY
sqlite = SQLite3 # a local, as in the lode row
expected = sqlite.libversion
sum = 0
start = Workload.now_ns
c = 0
while c < calls
  sum += sqlite.libversion
  c += 1
end
Workload.report("call_floor", calls, Workload.now_ns - start)
Workload.check(sum == calls * expected, "call_floor: wrong results")
db.close
