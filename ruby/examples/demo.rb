# frozen_string_literal: true

# The Lode demo in Ruby, the same short program as in every language: a transaction, a read, a
# prefix scan, an error. Usage: ruby -Ilib examples/demo.rb DATABASE_FILE
require "lode"

abort "usage: #{$PROGRAM_NAME} <database file>" unless ARGV.size == 1

entries = [%w[user:1 alice], %w[user:2 bob], %w[team:1 core]]
Lode::Database.open(ARGV[0]) do |db|
  # Three entries in one transaction: it commits when the block ends.
  db.transaction do |txn|
    entries.each do |key, value|
      txn.put("demo", key, value)
      puts "put #{key} = #{value} (in a transaction)"
    end
  end
  puts "committed"

  puts "get user:1 -> #{db.get("demo", "user:1")}"

  # Scan a prefix in a snapshot.
  db.snapshot do |snapshot|
    found = snapshot.each("demo", prefix: "user:").map { |key, value| " #{key}=#{value}" }
    puts "scan user:* ->#{found.join}"
  end

  # An error: every failure has a kind and a message.
  begin
    puts "get user:9 -> #{db.get("demo", "user:9")}"
  rescue Lode::Error => e
    kind = e.kind.to_s.split("_").map(&:capitalize).join
    puts "get user:9 -> error #{kind}: #{e.message}"
  end
end
