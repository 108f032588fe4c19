# frozen_string_literal: true

# Lode::Database: opening (with options, blocks, paths), one-shot reads and writes, tables, stats.
require_relative "test_helper"
require "pathname"

class DatabaseTest < Minitest::Test
  def test_versions
    assert_equal Lode::VERSION, Lode.library_version
    major, minor = Lode::VERSION.split(".").map(&:to_i)
    assert_equal (major << 16) | minor, Lode::Database.abi_version
  end

  def test_put_get_contains_delete
    with_db do |db|
      assert_nil db.put("users", "user:1", "alice")
      assert_equal "alice", db.get("users", "user:1")
      assert_equal Encoding::BINARY, db.get("users", "user:1").encoding
      assert db.contains?("users", "user:1")
      refute db.contains?("users", "user:2")
      assert db.delete("users", "user:1")
      refute db.delete("users", "user:1")
      assert_raises(Lode::NotFoundError) { db.get("users", "user:1") }
    end
  end

  def test_get_into_a_reused_string
    with_db do |db|
      db.put("users", "user:1", "alice")
      db.put("users", "user:2", "b" * 1000)
      out = String.new
      assert_same out, db.get("users", "user:1", out)
      assert_equal ["alice", Encoding::BINARY], [out, out.encoding]
      assert_equal "b" * 1000, db.get("users", "user:2", out)
      assert_equal("alice", db.snapshot { |s| s.get("users", "user:1", out) })
      assert_equal Lode::VERSION, Lode::Database.version(out)
      assert_equal Encoding::UTF_8, out.encoding
      assert_raises(Lode::NotFoundError) { db.get("users", "user:3", out) }
      assert_raises(FrozenError) { db.get("users", "user:1", "frozen") }
    end
  end

  def test_bytes_are_binary_safe
    key = "\x00\xFF\x80k".b
    value = (0..255).map(&:chr).join.b
    with_db do |db|
      db.put("bin", key, value)
      assert_equal value, db.get("bin", key)
      # The encoding of a byte string does not matter, only its bytes.
      assert_equal value, db.get("bin", key.dup.force_encoding(Encoding::UTF_8))
    end
  end

  def test_large_values_and_empty_ones
    big = Random.new(1).bytes(1 << 20)
    with_db do |db|
      db.put("t", "big", big)
      db.put("t", "empty", "")
      assert_equal big, db.get("t", "big")
      assert_equal "", db.get("t", "empty")
    end
  end

  def test_tables_drop_table_and_stats
    with_db do |db|
      db.put("b", "k", "v")
      db.put("a", "k1", "v")
      db.put("a", "k2", "v")
      assert_equal %w[a b], db.tables
      stats = db.stats
      assert_kind_of Lode::Stats, stats
      assert_equal 2, stats.tables
      assert_equal 3, stats.entries
      assert_operator stats.file_size, :>, 0
      assert_predicate stats, :frozen?
      assert db.drop_table("a")
      refute db.drop_table("a")
      assert_equal %w[b], db.tables
    end
  end

  def test_open_with_a_block_closes_and_returns_its_value
    kept = nil
    value = Lode::Database.open(db_path) do |db|
      kept = db
      db.put("t", "k", "v")
      42
    end
    assert_equal 42, value
    assert_predicate kept, :closed?
    # Closed, so it can be opened again; the write was kept.
    assert_equal "v", Lode::Database.open(db_path) { |db| db.get("t", "k") }
  end

  def test_open_closes_when_the_block_raises
    kept = nil
    assert_raises(RuntimeError) do
      Lode::Database.open(db_path) do |db|
        kept = db
        raise "boom"
      end
    end
    assert_predicate kept, :closed?
  end

  def test_open_without_a_block
    db = Lode::Database.open(Pathname.new(db_path))
    refute_predicate db, :closed?
    db.close
    assert_predicate db, :closed?
    db.close # idempotent
  end

  def test_options
    with_db { |db| db.put("t", "k", "v") }
    Lode::Database.open(db_path, read_only: true) do |db|
      assert_equal "v", db.get("t", "k")
      error = assert_raises(Lode::ReadOnlyError) { db.put("t", "k", "w") }
      assert_equal :read_only, error.kind
    end
    options = Lode::Options.new(durability: :immediate, cache_size: 1 << 20)
    Lode::Database.open(db_path, options) { |db| assert_equal "v", db.get("t", "k") }
    Lode::Database.open(db_path, { durability: :eventual }) { |db| assert db.contains?("t", "k") }
    assert_raises(ArgumentError) { Lode::Database.open(db_path, options, read_only: true) }
  end

  def test_options_are_checked
    assert_raises(ArgumentError) { Lode::Database.open(db_path, durability: :sometimes) }
    assert_raises(RangeError) { Lode::Database.open(db_path, cache_size: -1) }
    assert_raises(TypeError) { Lode::Database.open(db_path, cache_size: "big") }
    assert_raises(TypeError) { Lode::Database.open(db_path, 42) }
    assert_equal({ immediate: 0, eventual: 1 }, Lode::Durability::VALUES)
    assert_equal :eventual, Lode::Durability::EVENTUAL
    defaults = Lode::Options.new
    assert_equal [:immediate, false, 0], defaults.to_a
    assert_predicate defaults, :frozen?
  end

  def test_open_in_memory
    value = Lode::Database.open_in_memory do |db|
      db.put("t", "k", "memory")
      db.get("t", "k")
    end
    assert_equal "memory", value
    db = Lode::Database.open_in_memory
    assert_equal [], db.tables
    db.close
  end

  def test_a_file_is_opened_once
    with_db do
      error = assert_raises(Lode::AlreadyOpenError) { with_db { flunk "opened twice" } }
      assert_equal :already_open, error.kind
    end
  end

  def test_objects_are_made_by_lode_only
    assert_raises(TypeError) { Lode::Database.new }
    assert_raises(TypeError) { Lode::Database.allocate }
    with_db do |db|
      assert_raises(TypeError) { db.dup }
      assert_raises(TypeError) { db.clone }
    end
  end
end
