# frozen_string_literal: true

# Lode from Ruby: an embedded, crash-safe key-value store written in Rust (on redb).
#
#   require "lode"
#
#   Lode::Database.open("app.lode") do |db|
#     db.transaction { |txn| txn.put("users", "user:1", "alice") }
#     db.snapshot do |snapshot|
#       snapshot.each("users", prefix: "user:") { |key, value| puts "#{key} = #{value}" }
#     end
#   end
#
# The classes and methods are generated from Lode's bridge: the C extension (lode/lode_ext) and
# the value types, enums and exceptions of lode/bindings. This file adds what Ruby reads better:
# blocks that close what they open, keyword options, and iteration with +each+.
require_relative "lode/version"
require "lode/lode_ext"

# Lode: named tables of byte-string keys mapped to byte-string values, in one file.
module Lode
  # The version of the Lode library this gem runs (the Rust crate's), e.g. "0.1.0".
  #
  # @return [String]
  def self.library_version
    Database.version
  end

  # Block forms and keyword options for opening a database. Prepended to Database's singleton
  # class, so +super+ reaches the generated method.
  module DatabaseOpening
    # Opens the database file at +path+, creating it if it is missing.
    #
    # With a block, yields the database and closes it when the block returns or raises, and
    # returns the block's value.
    #
    # @overload open(path, options = nil, **fields)
    #   @param path [String, Pathname] the database file
    #   @param options [Options, nil] how to open it
    #   @param fields [Hash] the fields of {Options} instead: +durability:+ (+:immediate+ or
    #     +:eventual+), +read_only:+, +cache_size:+
    #   @yieldparam db [Database]
    #   @return [Database, Object] the database, or what the block returned
    # @raise [Lode::Error] when the file cannot be opened
    def open(path, options = nil, **fields, &block)
      db = super(File.path(path), Lode.options(options, fields))
      block ? Lode.closing(db, &block) : db
    end

    # Opens a new, empty database that lives in memory only; with a block, as {#open}.
    #
    # @yieldparam db [Database]
    # @return [Database, Object] the database, or what the block returned
    def open_in_memory(&block)
      db = super()
      block ? Lode.closing(db, &block) : db
    end
  end

  # Transactions and snapshots with blocks, and the table list as an Array. Prepended to
  # Database, so +super+ reaches the generated methods.
  module DatabaseBlocks
    # Runs the block in a write transaction: it commits when the block ends (normally, or by
    # +break+, +next+ or +throw+) and aborts when the block raises, then re-raises. Only one
    # write transaction is live at a time: this waits for the current one to end.
    #
    # @yieldparam txn [WriteTxn]
    # @return [Object] what the block returned
    # @raise [ArgumentError] without a block (use {Database#begin_write} for a transaction to
    #   commit yourself)
    def transaction
      raise ArgumentError, "transaction needs a block (begin_write returns a transaction)" unless block_given?

      txn = begin_write
      begin
        yield txn
      rescue Exception # rubocop:disable Lint/RescueException -- whatever ends the block, it aborts
        Lode.abort_quietly(txn)
        raise
      ensure
        txn.commit unless txn.finished?
      end
    end

    # Takes a consistent, read-only view of the database as it is now. With a block, yields it
    # and closes it when the block returns, and returns the block's value.
    #
    # @yieldparam snapshot [Snapshot]
    # @return [Snapshot, Object] the snapshot, or what the block returned
    def snapshot(&block)
      snapshot = super()
      block ? Lode.closing(snapshot, &block) : snapshot
    end

    # The names of all tables, sorted.
    #
    # @return [Array<String>]
    def tables
      super.split("\n")
    end
  end

  # Iteration over a table with a block. Prepended to Snapshot.
  module SnapshotEach
    # Yields the entries of +table+ in key order (reversed with +reverse: true+): all of them,
    # those whose keys start with +prefix+, or those from +from+ (inclusive) to +to+
    # (exclusive). Without a block, returns an Enumerator.
    #
    # @param table [String]
    # @param prefix [String, nil] keys starting with these bytes
    # @param from [String, nil] the first key (inclusive)
    # @param to [String, nil] the end (exclusive); nil: no upper bound
    # @param reverse [Boolean] from the last key to the first
    # @yieldparam key [String] binary
    # @yieldparam value [String] binary
    # @return [Snapshot, Enumerator]
    def each(table, prefix: nil, from: nil, to: nil, reverse: false, &block)
      iter = entries(table, prefix, from, to, reverse)
      return enum_for(:each, table, prefix:, from:, to:, reverse:) unless block

      iter.each(&block)
      self
    end

    private

    # The iterator {#each} goes over; a block-less +each+ makes it to check the arguments.
    def entries(table, prefix, from, to, reverse)
      return range(table, from || "", to || "", reverse) unless prefix
      raise ArgumentError, "give either prefix: or from:/to:, not both" if from || to

      self.prefix(table, prefix, reverse)
    end
  end

  Database.singleton_class.prepend(DatabaseOpening)
  Database.prepend(DatabaseBlocks)
  Snapshot.prepend(SnapshotEach)

  class << self
    # @!visibility private
    # The options of {DatabaseOpening#open}: an {Options}, or one built from keywords.
    def options(options, fields)
      raise ArgumentError, "give an Options or keywords, not both" if options && !fields.empty?

      options || Options.new(**fields)
    end

    # @!visibility private
    # Yields +resource+ and closes it however the block ends.
    def closing(resource)
      yield resource
    ensure
      resource.close
    end

    # @!visibility private
    # Aborts +txn+ if it is still live; a failure to abort must not hide why it is aborted.
    def abort_quietly(txn)
      txn.abort unless txn.finished?
    rescue Lode::Error
      nil
    end
  end
end
