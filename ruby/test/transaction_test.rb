# frozen_string_literal: true

# Lode::WriteTxn and Database#transaction: commit on normal exit, abort on exception, own writes.
require_relative "test_helper"

class TransactionTest < Minitest::Test
  def test_commits_when_the_block_returns
    with_db do |db|
      value = db.transaction do |txn|
        txn.put("t", "a", "1")
        txn.put("t", "b", "2")
        :done
      end
      assert_equal :done, value
      assert_equal "1", db.get("t", "a")
      assert_equal "2", db.get("t", "b")
    end
  end

  def test_aborts_when_the_block_raises
    with_db do |db|
      kept = nil
      assert_raises(KeyError) do
        db.transaction do |txn|
          kept = txn
          txn.put("t", "a", "1")
          raise KeyError, "stop"
        end
      end
      assert_predicate kept, :finished?
      refute db.contains?("t", "a")
      # The write lock is free again.
      db.put("t", "b", "2")
    end
  end

  def test_a_write_from_the_thread_holding_the_transaction_is_busy
    with_db do |db|
      db.transaction do |txn|
        error = assert_raises(Lode::BusyError) { db.put("t", "k", "v") }
        assert_match(/holds the database's write transaction/, error.message)
        assert_raises(Lode::BusyError) { db.begin_write }
        assert_raises(Lode::BusyError) { db.verify }
        txn.put("t", "k", "in txn")
      end
      # Another thread's write waits for the transaction instead.
      writer = nil
      db.transaction do |txn|
        writer = Thread.new { db.put("t", "k", "other") }
        txn.put("t", "k", "first")
        sleep 0.05
        assert_predicate writer, :alive?
      end
      writer.join
      db.verify
      assert_equal "other", db.get("t", "k")
    end
  end

  def test_break_commits
    with_db do |db|
      [1].each do
        db.transaction do |txn|
          txn.put("t", "a", "1")
          break
        end
      end
      assert_equal "1", db.get("t", "a")
    end
  end

  def test_reads_its_own_writes
    with_db do |db|
      db.put("t", "old", "x")
      db.transaction do |txn|
        txn.put("t", "new", "y")
        assert_equal "y", txn.get("t", "new")
        assert txn.contains?("t", "new")
        assert txn.delete("t", "old")
        refute txn.contains?("t", "old")
        assert_raises(Lode::NotFoundError) { txn.get("t", "old") }
        # Not visible outside before the commit.
        assert db.contains?("t", "old")
      end
      refute db.contains?("t", "old")
    end
  end

  def test_explicit_commit_and_abort
    with_db do |db|
      txn = db.begin_write
      txn.put("t", "a", "1")
      refute_predicate txn, :finished?
      txn.commit
      assert_predicate txn, :finished?
      error = assert_raises(Lode::TransactionFinishedError) { txn.put("t", "b", "2") }
      assert_equal :transaction_finished, error.kind
      assert_raises(Lode::TransactionFinishedError) { txn.commit }

      txn = db.begin_write
      txn.put("t", "c", "3")
      assert txn.drop_table("t")
      txn.abort
      assert_equal "1", db.get("t", "a")
      refute db.contains?("t", "c")
    end
  end

  def test_a_block_is_required
    with_db do |db|
      assert_raises(ArgumentError) { db.transaction }
    end
  end

  def test_an_unfinished_transaction_is_aborted_when_collected
    with_db do |db|
      write_without_commit(db)
      GC.start
      # Either collected (aborted) or still waiting: a new one waits for it, so check through
      # a one-shot write after a collection, which must not see the uncommitted write.
      refute db.contains?("t", "uncommitted")
    end
  end

  private

  def write_without_commit(db)
    db.begin_write.put("t", "uncommitted", "x")
    nil
  end
end
