# frozen_string_literal: true

# Lode::Snapshot and Lode::Iter: isolation, counts, ranges, prefixes, order, Enumerable.
require_relative "test_helper"

class SnapshotTest < Minitest::Test
  def fill(db)
    db.transaction do |txn|
      %w[a b c user:1 user:2 user:3 v].each { |key| txn.put("t", key, "value of #{key}") }
    end
  end

  def test_a_snapshot_does_not_see_later_writes
    with_db do |db|
      fill(db)
      db.snapshot do |snapshot|
        db.put("t", "later", "x")
        db.delete("t", "a")
        refute snapshot.contains?("t", "later")
        assert_equal "value of a", snapshot.get("t", "a")
        assert_equal 7, snapshot.count("t")
      end
      assert_equal(7, db.snapshot { |s| s.count("t") })
      assert_equal(0, db.snapshot { |s| s.count("missing") })
    end
  end

  def test_each_over_a_table_a_prefix_and_a_range
    with_db do |db|
      fill(db)
      db.snapshot do |s|
        assert_equal %w[a b c user:1 user:2 user:3 v], s.each("t").map(&:first)
        assert_equal %w[user:1 user:2 user:3], s.each("t", prefix: "user:").map(&:first)
        assert_equal %w[user:3 user:2 user:1], s.each("t", prefix: "user:", reverse: true).map(&:first)
        assert_equal %w[b c], s.each("t", from: "b", to: "d").map(&:first)
        assert_equal %w[user:3 v], s.each("t", from: "user:3").map(&:first)
        assert_equal [], s.each("missing").to_a
        assert_raises(ArgumentError) { s.each("t", prefix: "u", from: "a") }

        pairs = []
        assert_same s, s.each("t", prefix: "user:1") { |key, value| pairs << [key, value] }
        assert_equal [["user:1", "value of user:1"]], pairs
        assert_equal Encoding::BINARY, pairs[0][0].encoding
      end
    end
  end

  def test_iterators_are_enumerable_cursors
    with_db do |db|
      fill(db)
      db.snapshot do |s|
        iter = s.prefix("t", "user:", false)
        assert_kind_of Enumerable, iter
        assert iter.advance
        assert_equal "user:1", iter.key
        assert_equal "value of user:1", iter.value
        # each continues from where the cursor is.
        assert_equal(%w[user:2 user:3], iter.map { |key, _| key })
        refute iter.advance
        assert_equal %w[a b], s.range("t", "", "c", false).first(2).map(&:first)
        assert_equal 7, s.range("t", "", "", true).count
        assert_kind_of Enumerator, s.range("t", "", "", false).each
      end
    end
  end

  def test_many_entries_in_order
    keys = Array.new(5000) { |i| format("key%06d", i) }
    with_db do |db|
      db.transaction { |txn| keys.shuffle(random: Random.new(7)).each { |k| txn.put("t", k, k * 3) } }
      db.snapshot do |s|
        seen = s.each("t").map { |key, value| [key, value.bytesize] }
        assert_equal keys.map { |k| [k, 27] }, seen
      end
    end
  end

  def test_snapshot_block_closes_it
    with_db do |db|
      fill(db)
      kept = db.snapshot { |s| s }
      error = assert_raises(Lode::ClosedError) { kept.get("t", "a") }
      assert_equal :closed, error.kind
      kept.close # idempotent
    end
  end
end
