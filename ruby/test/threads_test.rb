# frozen_string_literal: true

# Threads: readers keep running while a writer commits (blocking calls release the GVL), and a
# thread waiting for the write lock does not stop the thread that holds it.
require_relative "test_helper"
require "rbconfig"

class ThreadsTest < Minitest::Test
  def test_readers_run_while_one_thread_writes
    Lode::Database.open(db_path) do |db| # durable commits: the writer waits for the disk
      db.put("t", "count", "0")
      writer = Thread.new do
        (1..40).each do |i|
          db.transaction do |txn|
            txn.put("t", "count", i.to_s)
            txn.put("t", "k#{i}", i.to_s)
          end
        end
      end
      reads = Array.new(3) do
        Thread.new do
          done = 0
          while writer.alive?
            db.snapshot do |s|
              # Every snapshot is consistent: the counter matches the entries written.
              count = Integer(s.get("t", "count"))
              assert_equal count + 1, s.count("t")
            end
            done += 1
          end
          done
        end
      end.map(&:value)
      writer.join
      assert reads.sum.positive?, "no reader ran while the writer committed"
      assert_equal "40", db.get("t", "count")
    end
  end

  def test_threads_share_one_database
    with_db do |db|
      threads = Array.new(4) do |t|
        Thread.new do
          50.times { |i| db.put("t#{t}", "k#{i}", "v#{i}") }
          db.snapshot { |s| s.count("t#{t}") }
        end
      end
      assert_equal [50] * 4, threads.map(&:value)
    end
  end

  # One thread holds the write transaction while another waits for it in a one-shot write. If
  # the waiting thread kept the GVL, the holder could never commit: run it in a child process
  # that the test can kill.
  def test_waiting_for_the_write_lock_does_not_deadlock
    script = <<~RUBY
      require "lode"
      db = Lode::Database.open(ARGV[0], durability: :eventual)
      txn = db.begin_write
      waiter = Thread.new { db.put("t", "waiter", "x") }
      sleep 0.2
      txn.put("t", "holder", "x")
      txn.commit
      waiter.join
      puts db.get("t", "waiter") + db.get("t", "holder")
    RUBY
    lib = File.expand_path("../lib", __dir__)
    reader, writer = IO.pipe
    pid = Process.spawn(RbConfig.ruby, "-I", lib, "-e", script, db_path, out: writer)
    writer.close
    deadline = Time.now + 30
    status = nil
    status = Process.wait2(pid, Process::WNOHANG)&.last while status.nil? && Time.now < deadline && sleep(0.05)
    unless status
      Process.kill(:KILL, pid)
      Process.wait(pid)
      flunk "deadlock: a thread waiting for the write lock blocked the one holding it"
    end
    assert_predicate status, :success?
    assert_equal "xx", reader.read.strip
  end
end
