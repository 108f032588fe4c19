# frozen_string_literal: true

# Reader threads while one thread commits (Lode's fault tests): transaction g sets every key of
# table "gen" to g, and every snapshot must see all of them at one generation, never older than
# the same thread saw before. `ruby -I ruby/lib threads.rb`; LODE_FAULTS_LONG=1 commits more.
require "lode"
require "tmpdir"

KEYS = Array.new(8) { |i| "key#{i}" }.freeze
COMMITS = ENV["LODE_FAULTS_LONG"] == "1" ? 20_000 : 1000

def check_snapshot(snapshot, newest)
  values = KEYS.map { |key| snapshot.get("gen", key) }
  scanned = snapshot.each("gen", prefix: "key").map { |_key, value| value }
  generations = (values + scanned).uniq
  raise "a snapshot saw generations #{generations.inspect}: part of a transaction" unless generations.size == 1
  raise "the scan saw #{scanned.size} keys" unless scanned.size == KEYS.size

  generation = Integer(generations.first)
  raise "a later snapshot saw an older generation" if generation < newest

  generation
end

# The number of snapshots checked while the writer was still committing.
def reader(db, writer)
  newest = 0
  checked = 0
  loop do
    alive = writer.alive?
    db.snapshot { |snapshot| newest = check_snapshot(snapshot, newest) }
    checked += 1 if alive
    break unless alive
  end
  checked
end

Dir.mktmpdir("lode-faults") do |dir|
  # Commits that do not wait for the disk, enough of them that the writer outlasts several of
  # the GVL's time slices: the threads take turns while it commits.
  Lode::Database.open(File.join(dir, "threads.lode"), durability: :eventual) do |db|
    db.transaction { |txn| KEYS.each { |key| txn.put("gen", key, "0") } }
    writer = Thread.new do
      (1..COMMITS).each do |g|
        db.transaction { |txn| KEYS.each { |key| txn.put("gen", key, g.to_s) } }
      end
    end
    readers = Array.new(3) { Thread.new { reader(db, writer) } }
    writer.join
    checked = readers.sum(&:value)
    raise "no snapshot was taken while the writer committed" unless checked.positive?

    puts "threads: #{COMMITS} commits, #{checked} snapshots checked by #{readers.size} Ruby threads"
    puts "figure: Ruby threads: #{COMMITS} commits, #{checked} snapshots checked, 0 failures"
  end
end
