# frozen_string_literal: true

# Objects after close (an exception, never a crash), and the garbage collector freeing objects
# in any order: a snapshot, transaction or iterator may outlive its database, and the reverse.
require_relative "test_helper"

class LifecycleTest < Minitest::Test
  def test_everything_reports_closed_after_the_database_closes
    db = Lode::Database.open(db_path, durability: :eventual)
    db.put("t", "k", "v")
    snapshot = db.snapshot
    iter = snapshot.prefix("t", "", false)
    txn = db.begin_write
    db.close
    assert_predicate db, :closed?
    [
      -> { db.get("t", "k") }, -> { db.put("t", "k", "v") }, -> { db.snapshot },
      -> { db.begin_write }, -> { db.tables }, -> { db.stats }, -> { snapshot.get("t", "k") },
      -> { snapshot.prefix("t", "", false) }, -> { iter.advance }, -> { txn.put("t", "k", "v") },
      -> { txn.commit }
    ].each_with_index do |call, index|
      error = assert_raises(Lode::Error, "call #{index}", &call)
      assert_includes %i[closed transaction_finished], error.kind, "call #{index}"
    end
    # A cursor that failed has ended: reading it gives empty bytes, not a crash.
    assert_equal [], iter.to_a
    assert_kind_of String, iter.key
    db.close
    snapshot.close
  end

  def test_a_closed_snapshot_and_a_finished_transaction
    with_db do |db|
      db.put("t", "k", "v")
      snapshot = db.snapshot
      iter = snapshot.range("t", "", "", false)
      snapshot.close
      assert_raises(Lode::ClosedError) { snapshot.count("t") }
      assert_raises(Lode::ClosedError) { iter.advance }
      txn = db.begin_write
      txn.abort
      assert_raises(Lode::TransactionFinishedError) { txn.get("t", "k") }
    end
  end

  # Builds a database with a live snapshot, iterator and transaction, and lets go of them in
  # the given order, collecting garbage after each.
  def release_in_order(order, path)
    objects = {}
    objects[:db] = Lode::Database.open(path, durability: :eventual)
    objects[:db].put("t", "k", "v")
    objects[:snapshot] = objects[:db].snapshot
    objects[:iter] = objects[:snapshot].prefix("t", "", false)
    objects[:iter].advance
    objects[:txn] = objects[:db].begin_write
    objects[:txn].put("t", "uncommitted", "x")
    order.each do |name|
      objects.delete(name)
      GC.start(full_mark: true, immediate_sweep: true)
      # What is left still works, or reports Closed.
      objects.each_value do |object|
        case object
        when Lode::Iter then object.key
        when Lode::Snapshot then object.get("t", "k")
        when Lode::WriteTxn then object.contains?("t", "k")
        when Lode::Database then object.closed?
        end
      rescue Lode::ClosedError
        nil
      end
    end
  end

  def test_objects_are_collected_in_any_order
    %i[db snapshot iter txn].permutation.each_with_index do |order, index|
      release_in_order(order, db_path("order#{index}.lode"))
    end
    GC.start
    # The last database was closed by its destructor, or can be once collected.
    3.times do
      Lode::Database.open(db_path("order23.lode"), durability: :eventual, &:closed?)
      break
    rescue Lode::AlreadyOpenError
      GC.start
    end
  end

  def test_a_collected_database_closes_its_file
    open_and_forget(db_path)
    reopened = nil
    5.times do
      GC.start(full_mark: true, immediate_sweep: true)
      reopened = Lode::Database.open(db_path, durability: :eventual)
      break
    rescue Lode::AlreadyOpenError
      next
    end
    refute_nil reopened, "the collected database's file stayed open"
    assert_equal "v", reopened.get("t", "k")
    reopened.close
  end

  private

  def open_and_forget(path)
    Lode::Database.open(path, durability: :eventual).put("t", "k", "v")
    nil
  end
end
