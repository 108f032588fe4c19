# frozen_string_literal: true

# A subset of the API under GC.stress (a full collection at every allocation): every Ruby object
# the extension makes must be reachable when it is used, and every Rust object owned.
require_relative "test_helper"

class GcStressTest < Minitest::Test
  def stressed
    GC.stress = true
    yield
  ensure
    GC.stress = false
  end

  def test_the_api_under_gc_stress
    db = Lode::Database.open_in_memory
    stressed do
      db.transaction do |txn|
        5.times { |i| txn.put("t", "k#{i}", "v#{i}" * 20) }
      end
      db.put("caf\u00e9".encode(Encoding::ISO_8859_1), "k", "transcoded")
      assert_equal "v3" * 20, db.get("t", "k3")
      assert_raises(Lode::NotFoundError) { db.get("t", "missing") }
      db.snapshot do |s|
        assert_equal %w[k0 k1 k2 k3 k4], s.each("t").map(&:first)
        assert_equal 5, s.count("t")
      end
      assert_equal %w[café t], db.tables
      assert_equal 6, db.stats.entries
    end
    db.close
  end

  def test_objects_die_in_any_order_under_gc_stress
    stressed do
      3.times do
        iter = iterator_of_a_forgotten_database
        # The database may be collected (and so closed) before the iterator is read.
        assert_includes [[%w[k v]], []], iter.to_a
      rescue Lode::ClosedError
        nil
      end
    end
  end

  private

  def iterator_of_a_forgotten_database
    db = Lode::Database.open_in_memory
    db.put("t", "k", "v")
    db.begin_write.put("t", "x", "y") # never committed: aborted when collected
    db.snapshot.prefix("t", "", false)
  end
end
