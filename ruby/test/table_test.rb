# frozen_string_literal: true

# Lode::SnapshotTable and Lode::TxnTable: reads and writes without a table name, and the errors
# of a handle that outlives its transaction or snapshot.
require_relative "test_helper"

class TableTest < Minitest::Test
  def test_a_transaction_table_writes_and_reads_without_a_name
    with_db do |db|
      txn = db.begin_write
      users = txn.table("users")
      assert_nil users.put("ada", "lovelace")
      users.put("bob", "x")
      assert users.delete("bob")
      refute users.contains?("bob")
      assert_equal "lovelace", users.get("ada")
      assert_raises(Lode::NotFoundError) { users.get("bob") }
      assert_raises(Lode::InvalidArgumentError) { txn.table("") }
      txn.commit
      assert_raises(Lode::TransactionFinishedError) { users.put("c", "") }
      assert_equal "lovelace", db.get("users", "ada")
    end
  end

  def test_a_snapshot_table_reads_and_iterates
    with_db do |db|
      db.transaction { |txn| %w[a b c].each { |key| txn.put("t", key, "value of #{key}") } }
      snapshot = db.snapshot
      table = snapshot.table("t")
      buffer = +""
      assert_same buffer, table.get("b", buffer)
      assert_equal "value of b", buffer
      assert table.contains?("c")
      assert_equal 3, table.count
      assert_equal %w[c b a], table.prefix("", true).map(&:first)
      assert_equal %w[b], table.range("b", "c", false).map(&:first)
      assert_equal 0, snapshot.table("missing").count
      snapshot.close
      assert_raises(Lode::ClosedError) { table.get("a") }
    end
  end

  def test_each_reusing_refills_the_same_strings
    with_db do |db|
      db.transaction { |txn| %w[a bb ccc].each { |key| txn.put("t", key, key * 2) } }
      db.snapshot do |snapshot|
        seen = []
        objects = []
        snapshot.range("t", "", "", false).each_reusing do |key, value|
          seen << [key.dup, value.dup]
          objects << key.object_id << value.object_id
          assert_equal Encoding::BINARY, key.encoding
        end
        assert_equal [%w[a aa], %w[bb bbbb], %w[ccc cccccc]], seen
        assert_equal 2, objects.uniq.size
        assert_kind_of Enumerator, snapshot.prefix("t", "", false).each_reusing
        assert_raises(FrozenError) do
          snapshot.prefix("t", "", false).each_reusing { |key, _| key.freeze }
        end
      end
    end
  end
end
