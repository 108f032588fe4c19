# frozen_string_literal: true

# Open, put, get and close databases over and over: the process's memory must stay bounded, so
# every Rust object the extension makes is freed. 20,000 cycles by default (a few seconds);
# LODE_STRESS=1 runs a million (minutes), LODE_LEAK_CYCLES any count.
require_relative "test_helper"

class LeakTest < Minitest::Test
  def rss_kib
    File.read("/proc/self/status")[/^VmRSS:\s+(\d+)/, 1].to_i
  end

  def cycle(index)
    db = Lode::Database.open_in_memory
    db.put("t", "k", "value #{index}")
    raise "lost a write" unless db.get("t", "k") == "value #{index}"

    db.snapshot { |s| s.each("t") { |_key, value| raise "lost a value" if value.empty? } }
    db.close
  end

  def test_memory_stays_bounded
    skip "needs /proc (Linux)" unless File.exist?("/proc/self/status")
    cycles = Integer(ENV.fetch("LODE_LEAK_CYCLES", stress? ? 1_000_000 : 20_000))
    # The allocators (Ruby's, malloc's arenas, redb's) settle first; then the resident size is
    # sampled four times. A leak grows it with every cycle: a few hundred bytes a cycle show as
    # hundreds of megabytes over a million.
    warmup = [cycles / 5, 2000].min
    warmup.times { |i| cycle(i) }
    GC.start
    baseline = rss_kib
    samples = Array.new(4) do
      ((cycles - warmup) / 4).times { |i| cycle(i) }
      GC.start
      rss_kib
    end
    grown = samples.max - baseline
    assert_operator grown, :<, 64 * 1024,
                    "RSS grew by #{grown} KiB over #{cycles - warmup} cycles (samples: #{samples})"
  end
end
