# frozen_string_literal: true

# What every test file of the gem shares: minitest, the gem from lib/, and scratch databases.
$LOAD_PATH.unshift(File.expand_path("../lib", __dir__))
require "lode"
require "minitest/autorun"
require "tmpdir"

module LodeTestHelper
  # A fresh directory for the test, removed afterwards.
  def scratch_dir
    @scratch_dir ||= Dir.mktmpdir("lode-test")
  end

  def teardown
    FileUtils.remove_entry(@scratch_dir) if @scratch_dir
    super
  end

  # The path of a database file that does not exist yet.
  def db_path(name = "test.lode")
    File.join(scratch_dir, name)
  end

  # Yields a database opened on a new file (eventual durability: the tests need no fsync), and
  # closes it.
  def with_db(name = "test.lode", **options, &)
    Lode::Database.open(db_path(name), durability: :eventual, **options, &)
  end

  # Whether the long runs (GC.stress, a million leak-test cycles) were asked for.
  def stress?
    ENV["LODE_STRESS"] == "1"
  end
end

Minitest::Test.include(LodeTestHelper)
